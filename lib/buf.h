/*
 * buf.h - a growable byte buffer with a size cap.
 *
 * Everything that grows from outside input (an HTTP body, a JSON value, a
 * decoded string) lives in a ct_buf whose cap is chosen when it is made, so
 * no input can make a program use more memory than its documented limits.
 * The data is always NUL-terminated (not counted in len) so it can be handed
 * to functions that want a C string.  Like sds, it is a plain struct the
 * caller may read directly: data, len.
 */
#ifndef CT_BUF_H
#define CT_BUF_H

#include <stddef.h>
#include <string.h>

struct ct_buf {
	char	*data;	/* NUL-terminated; NULL until the first append */
	size_t	 len;	/* bytes in use, not counting the NUL */
	size_t	 size;	/* bytes allocated */
	size_t	 cap;	/* largest len allowed; 0 means SIZE_MAX/2 */
};

/* Initialise an empty buffer that may grow to cap bytes (0: no cap). */
void	ct_buf_init(struct ct_buf *b, size_t cap);
/* Free the storage; the buffer is empty and usable again afterwards. */
void	ct_buf_free(struct ct_buf *b);
/* Free after overwriting the bytes with zeros: for secrets. */
void	ct_buf_wipe(struct ct_buf *b);
/* Make room for n more bytes.  Returns 0, or -1 if that would pass the cap
 * (the buffer is unchanged).  Aborts on out-of-memory, like x-functions. */
int	ct_buf_reserve(struct ct_buf *b, size_t n);
/* Append n bytes / a C string / one byte / printf output.  0 or -1 (cap).
 * ct_buf_add is in line when the bytes fit: the fold appends a few short
 * strings per record, and a call to grow costs more than the copy. */
int	ct_buf_add_grow(struct ct_buf *b, const void *p, size_t n);
static inline int
ct_buf_add(struct ct_buf *b, const void *p, size_t n)
{
	if (b->size - b->len > n && b->cap - b->len >= n) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return 0;
	}
	return ct_buf_add_grow(b, p, n);
}
int	ct_buf_adds(struct ct_buf *b, const char *s);
int	ct_buf_addc(struct ct_buf *b, char c);
int	ct_buf_printf(struct ct_buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Forget the contents, keep the storage. */
void	ct_buf_reset(struct ct_buf *b);
/* Remove the first n bytes (n <= len), moving the rest to the front. */
void	ct_buf_consume(struct ct_buf *b, size_t n);

#endif
