/* buf.c - see buf.h */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

void
ct_buf_init(struct ct_buf *b, size_t cap)
{
	b->data = NULL;
	b->len = b->size = 0;
	b->cap = cap ? cap : SIZE_MAX / 2;
}

void
ct_buf_free(struct ct_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
}

void
ct_buf_wipe(struct ct_buf *b)
{
	if (b->data != NULL)
		explicit_bzero(b->data, b->size);
	ct_buf_free(b);
}

int
ct_buf_reserve(struct ct_buf *b, size_t n)
{
	size_t need, nsize;

	if (n > b->cap || b->len > b->cap - n)
		return -1;
	need = b->len + n + 1;
	if (need <= b->size)
		return 0;
	nsize = b->size ? b->size : 64;
	while (nsize < need)
		nsize = nsize > SIZE_MAX / 2 ? need : nsize * 2;
	b->data = xrealloc(b->data, nsize);
	b->size = nsize;
	b->data[b->len] = '\0';	/* a new buffer is "" at once */
	return 0;
}

int
ct_buf_add_grow(struct ct_buf *b, const void *p, size_t n)
{
	if (ct_buf_reserve(b, n) != 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
ct_buf_adds(struct ct_buf *b, const char *s)
{
	return ct_buf_add(b, s, strlen(s));
}

int
ct_buf_addc(struct ct_buf *b, char c)
{
	return ct_buf_add(b, &c, 1);
}

int
ct_buf_printf(struct ct_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || ct_buf_reserve(b, (size_t)n) != 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void
ct_buf_reset(struct ct_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
ct_buf_consume(struct ct_buf *b, size_t n)
{
	if (n >= b->len) {
		ct_buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}
