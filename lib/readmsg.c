/*
 * readmsg.c - the reading engine's messages (readmsg.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readmsg.h"
#include "xalloc.h"

void
ct_readmsg_add(struct ct_readmsg_list *mv, int kind, uint64_t line,
    const char *fmt, ...)
{
	va_list ap;
	char tmp[512];

	if (kind != CT_READ_CUT && kind != CT_READ_TAMPERED &&
	    mv->kept[kind] >= CT_READ_KEEP)
		return;
	mv->kept[kind]++;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (mv->n == mv->cap) {
		mv->cap = mv->cap ? mv->cap * 2 : 8;
		mv->v = xrealloc(mv->v, mv->cap * sizeof(*mv->v));
	}
	mv->v[mv->n].name = mv->name;
	mv->v[mv->n].kind = kind;
	mv->v[mv->n].line = line;
	mv->v[mv->n].line2 = 0;
	mv->v[mv->n].text = xstrdup(tmp);
	mv->n++;
}

void
ct_readmsg_free(struct ct_readmsg_list *mv)
{
	size_t i;

	for (i = 0; i < mv->n; i++)
		free(mv->v[i].text);
	free(mv->v);
	memset(mv, 0, sizeof(*mv));
}

void
ct_readmsg_deliver(const struct ct_readmsg_list *mv, const char *dname,
    uint64_t line_base, ct_read_msg_fn *fn, void *arg)
{
	struct ct_read_msg m;
	size_t i;

	if (fn == NULL)
		return;
	for (i = 0; i < mv->n; i++) {
		const struct ct_readmsg_item *it = &mv->v[i];

		m.path = it->name != NULL ? it->name : dname;
		m.kind = it->kind;
		m.line = it->line > 0 ? it->line + line_base : 0;
		m.line2 = it->line > 0 && it->line2 > it->line ?
		    it->line2 + line_base : 0;
		m.text = it->text;
		fn(arg, &m);
	}
}
