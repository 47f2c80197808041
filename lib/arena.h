/*
 * arena.h - copies of strings that live and die together.
 *
 * A map's keys and a JSON document's strings are many small copies that
 * are all freed at once, so they are packed into 64 KiB chunks instead of
 * one malloc each: fewer allocations, better locality, one free loop.  A
 * string larger than a quarter chunk gets a chunk of its own, kept behind
 * the current one so the current chunk's free space is not wasted.
 */
#ifndef CT_ARENA_H
#define CT_ARENA_H

#include <stddef.h>

struct ct_arena_chunk;

struct ct_arena {
	struct ct_arena_chunk	*head;	/* NULL: empty */
};

#define CT_ARENA_INIT	{ NULL }

/*
 * A NUL-terminated copy of s[0..n) owned by the arena, valid until
 * ct_arena_free.  Never NULL (out of memory ends the program, xalloc.h).
 */
char	*ct_arena_dup(struct ct_arena *a, const char *s, size_t n);
/* Free every copy; the arena is empty and usable again. */
void	 ct_arena_free(struct ct_arena *a);

#endif
