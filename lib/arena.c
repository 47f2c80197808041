/* arena.c - see arena.h */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "xalloc.h"

#define CHUNK_SIZE	(64 * 1024)

struct ct_arena_chunk {
	struct ct_arena_chunk	*next;
	size_t			 used, size;
	char			 data[];
};

char *
ct_arena_dup(struct ct_arena *a, const char *s, size_t n)
{
	struct ct_arena_chunk *c = a->head, *big;
	char *p;

	if (n + 1 > CHUNK_SIZE / 4) {
		big = xmalloc(sizeof *big + n + 1);
		big->used = big->size = n + 1;
		if (c != NULL) {
			big->next = c->next;
			c->next = big;
		} else {
			big->next = NULL;
			a->head = big;
		}
		p = big->data;
	} else {
		if (c == NULL || c->size - c->used < n + 1) {
			c = xmalloc(sizeof *c + CHUNK_SIZE);
			c->used = 0;
			c->size = CHUNK_SIZE;
			c->next = a->head;
			a->head = c;
		}
		p = c->data + c->used;
		c->used += n + 1;
	}
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
ct_arena_free(struct ct_arena *a)
{
	struct ct_arena_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
}
