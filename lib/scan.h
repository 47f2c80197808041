/*
 * scan.h - the record scanner: one pass over a JSON value, no tree.
 *
 * ct-aggregate reads gigabytes of CloudTrail records and needs ~10 fields
 * of each ~1.5 KB record.  Building a tree (jsmn, json.h) costs more than
 * the whole fold, so this scanner walks each top-level value once: it
 * validates every byte with the grammar Python's json.loads accepts
 * (NaN/Infinity/-Infinity included, whitespace only space/tab/CR/LF, no
 * raw control characters in strings; before a top-level value, UTF-8 byte
 * order marks count as whitespace too) and fills a struct ct_record
 * (record.h) from the few keys it needs, skipping the rest at memchr-like
 * speed (SSE2 on x86-64, a table loop elsewhere).  What it skips may nest
 * to any depth, without recursion: a record cannot be hidden by nesting
 * one of its fields deeper than a limit.  Strings that need no decoding
 * point straight into the caller's buffer.
 *
 * It also understands the envelopes records come in, at any depth up to
 * CT_SCAN_LEVELS: {"Records":[...]} (S3 log files), {"Events":[...]}
 * (lookup-events pages), arrays, LookupEvents events whose
 * "CloudTrailEvent" string holds the record, EventBridge envelopes
 * ("detail-type": "AWS API Call via CloudTrail", record in "detail"),
 * CloudTrail digest objects and ct-fetch control records ("ctFetch" key;
 * only a top-level value is one: inside an envelope or a CloudTrailEvent
 * such an object is reported as skipped).
 * What it finds is handed to the caller's callbacks ("effects"), numbered
 * in order within a top-level value, so that a value rescanned after more
 * input arrived can skip the effects already delivered (ct_scan_value's
 * skip argument).  Records of an envelope are delivered as they are met,
 * before the whole value is known to be well formed.
 *
 * The scanner never prints and never allocates per record; it is not
 * thread-safe (one scanner per thread).
 */
#ifndef CT_SCAN_H
#define CT_SCAN_H

#include <stddef.h>

#include "record.h"

/* Arrays and objects where records may be (outside any record) nested
 * this deep are not searched for records: the value is skipped whole and
 * reported as skipped.  Inside a record there is no limit. */
#define CT_SCAN_MAX_DEPTH	512
/* Envelopes (Records/Events/CloudTrailEvent/detail) nested deeper than
 * this are not searched for records: the value is reported as skipped. */
#define CT_SCAN_LEVELS		8

enum ct_scan_status {
	CT_SCAN_OK,	/* one value scanned; *next is after it */
	CT_SCAN_EMPTY,	/* only whitespace up to the end of the buffer */
	CT_SCAN_MORE,	/* the buffer ends inside the value; *next is its start */
	CT_SCAN_BAD,	/* malformed; *next is where; reason: ct_scan_reason */
	CT_SCAN_STOP,	/* a callback asked to stop; *next is the value's start */
};

/*
 * The callbacks.  off is the offset (in the buffer given to ct_scan_value)
 * of the value the effect comes from: the record object, or for a record
 * inside a CloudTrailEvent string, that string.  Pointers are valid during
 * the call only.  A non-zero return stops the scan (CT_SCAN_STOP).  Any
 * callback may be NULL (the effect is dropped).
 */
struct ct_scan_ops {
	/* An object that is not an envelope: a record, maybe one without
	 * eventSource or eventName (the fold decides).  repaired: number of
	 * invalid UTF-8 sequences replaced by U+FFFD in its fields. */
	int	(*record)(void *arg, const struct ct_record *r, size_t repaired,
		    size_t off);
	/* A ct-fetch control record: the bytes of the whole object. */
	int	(*control)(void *arg, const char *p, size_t n, size_t off);
	/* A CloudTrail digest object (ignored by ct-aggregate). */
	int	(*digest)(void *arg, size_t off);
	/* A value that holds no record: a number, string, null, ...; or an
	 * envelope nested too deep.  reason is a short phrase. */
	int	(*skipped)(void *arg, const char *reason, size_t off);
	/* A "CloudTrailEvent" string whose content is not one valid JSON
	 * value: the surrounding value is fine, this one is malformed. */
	int	(*malformed)(void *arg, const char *reason, size_t off);
};

struct ct_scanner;

/* A new scanner delivering to ops/arg (ops is borrowed).  Never NULL. */
struct ct_scanner *ct_scan_new(const struct ct_scan_ops *ops, void *arg);
/* Deliver to arg from now on (to reuse one scanner for many inputs). */
void	ct_scan_set_arg(struct ct_scanner *sc, void *arg);
/* Free sc and its decode buffers; NULL is fine. */
void	ct_scan_free(struct ct_scanner *sc);

/*
 * Scan the next top-level value of buf[start..n): leading whitespace is
 * skipped, then one value is read.  eof says that nothing follows buf: a
 * value cut by the end of buf is then malformed ("unexpected end of
 * input") instead of CT_SCAN_MORE.  The first skip effects of the value
 * are not delivered (they were in an earlier call on a shorter buffer).
 * Returns a status and sets *next as described in enum ct_scan_status.
 */
int	ct_scan_value(struct ct_scanner *sc, const char *buf, size_t n,
	    size_t start, int eof, size_t skip, size_t *next);

/*
 * Whether p[0..n) is a record ct-fetch may write as one line: exactly one
 * JSON object (whitespace or byte order marks before it, whitespace after
 * it) that ct_scan_value would not take for a control record, i.e. with
 * no "ctFetch" key of its own, however spelled.  Nesting has no limit and
 * no tree is built.  Returns 1 if so; else 0 with *why set to a static
 * phrase ("not one JSON value", "not a JSON object", "shaped like a
 * ct-fetch control record").
 */
int	ct_scan_check_record(const char *p, size_t n, const char **why);
/* The same check with a scanner made by ct_scan_checker_new (free it with
 * ct_scan_free), kept over many records: making one costs more than
 * checking a record of 1.5 KB.  Each answer is ct_scan_check_record's. */
struct ct_scanner *ct_scan_checker_new(void);
int	ct_scan_check(struct ct_scanner *sc, const char *p, size_t n,
	    const char **why);

/* Offset where the last value scanned began (after whitespace). */
size_t	ct_scan_start(const struct ct_scanner *sc);
/* Effects of the last value scanned, skipped ones included. */
size_t	ct_scan_effects(const struct ct_scanner *sc);
/* Why the last CT_SCAN_BAD: a static string, e.g. "expected ':'". */
const char *ct_scan_reason(const struct ct_scanner *sc);

#endif
