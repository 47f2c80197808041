/*
 * outlock.h - one writer at a time on an output that processes share.
 *
 * `ct-regions | xargs -P4 -n1 ct-fetch | ct-aggregate` gives several
 * processes one stdout pipe.  A write(2) to a pipe is atomic only up to
 * PIPE_BUF (4096 bytes on Linux); a page of records is far larger (and one
 * record alone can be tens of KiB), so without a lock the pages of two
 * processes interleave in the middle of a line.  Each write of whole lines
 * is therefore made under an exclusive lock on the output itself.
 *
 * The lock is a POSIX record lock (fcntl F_SETLKW, F_WRLCK on byte 0).
 * flock(2) and open-file-description locks (F_OFD_SETLKW) do not work
 * here: the writers inherit one open file description from the shell, and
 * those locks belong to the description, so every writer would hold the
 * lock at once.  Record locks belong to the process, work on pipes, FIFOs,
 * sockets and regular files alike on Linux, and vanish when the process
 * dies, even by SIGKILL, so a killed writer never blocks the others.  An
 * output that refuses them (a filesystem without locks, a system without
 * record locks on pipes) is written unlocked, after a warning.  They do not order the threads of one process: the caller keeps
 * its own mutex around acquire/release.  Two caveats of record locks, both
 * harmless here: closing any descriptor of the same file drops them (the
 * tools never open their stdout a second time), and they only exclude
 * writers that take them (ct-fetch processes, not other programs).
 *
 * A writer killed in the middle of a write leaves a partial line; the next
 * writer's first record would be glued to it and lost to the reader.  So a
 * write starts with a newline (an empty line: whitespace to ct-aggregate,
 * jq and NDJSON readers that skip blank lines) when another writer may have
 * written last.  Whether other writers exist is learnt from the lock table
 * too: every process holds, for its whole life, a marker lock on one byte
 * of its own (past 2^30 + its pid), and a writer that ever sees another's
 * marker marks the output shared for good.  A regular file tells more:
 * when its size is not what this process's last write left, someone else
 * wrote since, seen or not, and only then does a write into it lead with
 * a newline.  A process alone on its output therefore never writes an
 * empty line; one sharing it writes at most one per write.  The one case
 * this cannot see: on a pipe (or before a process's first write into a
 * file), a writer that starts and is killed mid-line entirely between two
 * writes of a process that has never seen another writer (record locks
 * die with their owner, and a pipe cannot be read back).
 *
 * Ownership: a ct_outlock is a plain struct owned by the caller; there is
 * nothing to free (the kernel drops the locks at exit).
 */
#ifndef CT_OUTLOCK_H
#define CT_OUTLOCK_H

#include <stdint.h>

#include "buf.h"

struct ct_outlock {
	int	 fd;
	int	 on;		/* locking works on this output */
	int	 is_file;	/* a regular file: its size tells who wrote */
	int	 shared;	/* another writer was seen (stays set) */
	int	 held;		/* the lock is held now */
	int64_t	 last_end;	/* a file's size after our last write; -1 */
};

/*
 * Look at fd and take this process's marker.  Pipes, FIFOs, sockets and
 * regular files are locked; anything else (a terminal, /dev/null) is not
 * (lk->on = 0; acquire and release then do nothing).  0, or -1 with the
 * reason in err when the output cannot be locked (lk->on = 0: writes go
 * unlocked, as a single writer's may).
 */
int	ct_outlock_init(struct ct_outlock *lk, int fd, struct ct_buf *err);

/*
 * Wait for the lock (no time limit: the holder is writing to the same
 * reader, so it ends when the reader reads).  *lead_nl is set to 1 when
 * the write should start with a newline (see above), else 0.  0, or -1
 * with the reason in err when locking failed (lk->on = 0 from then on:
 * the caller writes unlocked).
 */
int	ct_outlock_acquire(struct ct_outlock *lk, int *lead_nl,
	    struct ct_buf *err);

/* Drop the lock if held; for a regular file, note its size.  Call on
 * every path after acquire, the failed write's too. */
void	ct_outlock_release(struct ct_outlock *lk);

#endif
