/*
 * exitcodes.h - the exit status of every ct-tools program.
 *
 * One table for the four programs so that a script can tell the same
 * situation the same way whichever tool it ran.  Documented in README.md
 * and in each man page; append only.
 */
#ifndef CT_EXITCODES_H
#define CT_EXITCODES_H

enum ct_exit {
	CT_EXIT_OK = 0,		/* everything asked for was done */
	CT_EXIT_FAILURE = 1,	/* nothing useful written: I/O error, bad data under --strict, ... */
	CT_EXIT_USAGE = 2,	/* bad command line */
	CT_EXIT_PARTIAL = 3,	/* output complete, but some input was skipped or some region failed */
	CT_EXIT_CREDENTIALS = 4,/* no credentials, or AWS rejected them */
	CT_EXIT_DENIED = 5,	/* AWS answered AccessDenied (or similar) for every request */
	CT_EXIT_NETWORK = 6,	/* the endpoint could not be reached, or kept failing */
	CT_EXIT_TAMPERED = 7,	/* integrity verification found modified, missing or not-covered log files, or bad/missing digests; the summary is written (wins over 3) */
};

#endif
