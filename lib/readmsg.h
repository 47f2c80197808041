/*
 * readmsg.h - the reading engine's messages, kept until their turn.
 *
 * The engine (read.h) reads units of input on several threads, ahead of
 * their turn, but what it says about them must come out in input order and
 * not depend on the number of threads.  So a unit's messages are kept in a
 * list of its own, with line numbers relative to where the unit began, and
 * handed to the tool's callback when the unit is committed, the unit's
 * first line added then.  The library never prints: what to show, how
 * many of each kind and where is the tool's choice.  Only the first
 * CT_READ_KEEP messages of a kind are kept per list (the tool shows no
 * more than that; the rest it counts from the summary's statistics); cut
 * ct-fetch streams and objects that failed integrity verification are
 * kept all.
 */
#ifndef CT_READMSG_H
#define CT_READMSG_H

#include <stddef.h>
#include <stdint.h>

/* Message kinds: malformed input, skipped records, the warning about
 * unknown control records, inputs passed over, ct-fetch streams cut
 * short, objects that failed integrity verification. */
enum ct_read_kind {
	CT_READ_MALFORMED, CT_READ_SKIPPED, CT_READ_WARN, CT_READ_PASSED,
	CT_READ_CUT, CT_READ_TAMPERED, CT_READ_NKIND
};

/* Messages kept per kind and list (CT_READ_CUT, CT_READ_TAMPERED: all). */
#define CT_READ_KEEP	10

/* A message as handed to the tool; every pointer valid during the call
 * only. */
struct ct_read_msg {
	const char	*path;	/* the input ("-" is standard input) */
	int		 kind;	/* enum ct_read_kind */
	uint64_t	 line;	/* 1-based; 0: none */
	uint64_t	 line2;	/* > line: where the value begun at line
				   went bad; else 0 */
	const char	*text;
};

typedef void	ct_read_msg_fn(void *arg, const struct ct_read_msg *m);

struct ct_readmsg_item {
	const char	*name;	/* the input, when a list has several */
	int		 kind;
	uint64_t	 line;	/* 0: none */
	uint64_t	 line2;
	char		*text;	/* owned */
};

/* Zeroed is empty.  name: the input being read (borrowed), given to each
 * message added. */
struct ct_readmsg_list {
	struct ct_readmsg_item *v;
	size_t		 n, cap;
	const char	*name;
	uint64_t	 kept[CT_READ_NKIND];
	/* the input whose "this is a summary" hint is in v, said once */
	int		 summary_said;
	const char	*summary_name;
};

/* Add a message (printf-style text, cut at 511 bytes), unless CT_READ_KEEP
 * of its kind are kept already. */
void	ct_readmsg_add(struct ct_readmsg_list *mv, int kind, uint64_t line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Free the messages; mv is empty and zeroed after. */
void	ct_readmsg_free(struct ct_readmsg_list *mv);
/* Hand each message to fn in order, line_base added to its line numbers;
 * dname names those added without a name.  fn NULL: nothing. */
void	ct_readmsg_deliver(const struct ct_readmsg_list *mv, const char *dname,
	    uint64_t line_base, ct_read_msg_fn *fn, void *arg);

#endif
