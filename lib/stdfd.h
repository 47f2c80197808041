/*
 * stdfd.h - make sure descriptors 0, 1 and 2 are open before anything else.
 *
 * A program started with standard output or error closed (`ct-regions >&-`)
 * would hand those numbers to the next thing it opens: a config file, a
 * checkpoint, curl's internal socket pair.  Its output then goes there
 * (silently: ct-regions would exit 0 with its list written into curl's
 * wake-up socket), and its messages could land in a file it writes.  So
 * every tool calls ct_stdfd_fix first thing in main: a closed 0, 1 or 2 is
 * filled with /dev/null opened read-only, so reading gives end of file
 * and every write fails with EBADF, which the tools report as the write
 * error it is.
 */
#ifndef CT_STDFD_H
#define CT_STDFD_H

/* Fill closed descriptors 0..2 with /dev/null (read-only).  Returns 0, or
 * -1 if one could not be opened (then exit: nothing else is safe). */
int	ct_stdfd_fix(void);

#endif
