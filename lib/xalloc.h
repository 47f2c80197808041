/*
 * xalloc.h - allocation that succeeds or ends the program.
 *
 * Running out of memory is the one failure the library does not return:
 * every structure here is bounded by caps, so an allocation failure means
 * the machine is in trouble and there is nothing useful left to do.  As in
 * toybox, x-functions either succeed or exit (status 1) with a message.
 */
#ifndef CT_XALLOC_H
#define CT_XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);

#endif
