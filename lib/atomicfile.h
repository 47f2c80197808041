/*
 * atomicfile.h - write a file so that readers see the old or the new
 * content, never a mix, and a failure leaves no trace.
 *
 * Every tool that writes a file names it through here: ct-aggregate -o,
 * ct-plot's pictures and page, ct-fetch's checkpoint.  The temporary file
 * sits beside the target (rename is atomic only within one filesystem),
 * is created with O_EXCL|O_NOFOLLOW (a name planted there, a symbolic
 * link or a hard link to someone else's file, is never opened and never
 * written through), written, fsync'ed (with CT_AFILE_SYNC), renamed over
 * the target and the folder fsync'ed, so that after a crash the target
 * holds the old or the new content.  Names are relative to a folder
 * descriptor (AT_FDCWD for plain paths) so that ct-plot writes into the
 * folder it opened even if its path is later replaced.
 *
 * The steps are separate calls because the callers need them apart:
 *  - ct-aggregate makes the temporary before reading any input (a place
 *    that cannot be written fails at once, not after an hour of reading);
 *  - the checkpoint is prepared (written, fsync'ed, closed) and renamed
 *    later, after ct-fetch has written the page it records: ct_afile_
 *    rename is the commit by names alone, ct_afile_release forgets a
 *    prepared temporary without removing it;
 *  - ct_afile_guard removes the temporary when SIGINT, SIGTERM or SIGHUP
 *    ends the process (and at exit): its handler only calls unlink and
 *    _exit(128+N), which are async-signal-safe, on a name set before the
 *    handler is installed, and the name is cleared with those signals
 *    blocked, so a signal never removes the name the rename just made the
 *    target.  One file at a time may be guarded.
 *
 * The library never prints; errors come back as one line in err, naming
 * the file.  A struct ct_afile is used by one thread at a time.
 */
#ifndef CT_ATOMICFILE_H
#define CT_ATOMICFILE_H

#include <stdio.h>
#include <sys/types.h>

#include "buf.h"

#define CT_AFILE_SYNC	0x1	/* fsync the file and its folder */

struct ct_afile {
	int	 dirfd;		/* folder the names are relative to */
	char	*name;		/* the target */
	char	*tmp;		/* the temporary, NULL once gone */
	int	 fd;		/* open on tmp, -1 when closed */
	FILE	*fp;		/* stream over fd, from ct_afile_stream */
	int	 flags;
	int	 guarded;
};

/*
 * Create the temporary tmp (relative to dirfd) for target name, mode
 * mode (less the umask).  A tmp ending in "XXXXXX" has those characters
 * replaced by a fresh unique suffix; any other tmp is removed first if it
 * exists (an old one is never opened for writing: it may be a hard link
 * to someone else's file).  0, or -1 with err.
 */
int	ct_afile_open(struct ct_afile *a, int dirfd, const char *name,
	    const char *tmp, mode_t mode, int flags, struct ct_buf *err);
/* A stdio stream over the temporary (owned by a); NULL with err. */
FILE	*ct_afile_stream(struct ct_afile *a, struct ct_buf *err);
/* Flush, fsync (CT_AFILE_SYNC) and close the temporary; it stays. */
int	ct_afile_close(struct ct_afile *a, struct ct_buf *err);
/* Close if open, rename over the target, fsync the folder; on failure the
 * temporary is removed.  a is released either way. */
int	ct_afile_commit(struct ct_afile *a, struct ct_buf *err);
/* Close and remove the temporary; a is released. */
void	ct_afile_discard(struct ct_afile *a);
/* Forget a closed temporary without removing it. */
void	ct_afile_release(struct ct_afile *a);
/* Remove the temporary on SIGINT/SIGTERM/SIGHUP (then _exit(128+N)) and at
 * exit, until a is committed or discarded. */
void	ct_afile_guard(struct ct_afile *a);

/* Rename tmp over name (both relative to dirfd), then fsync the folder
 * with CT_AFILE_SYNC.  0, or -1 with err. */
int	ct_afile_rename(int dirfd, const char *tmp, const char *name,
	    int flags, struct ct_buf *err);

#endif
