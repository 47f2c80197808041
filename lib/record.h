/*
 * record.h - the fields of one CloudTrail record that a summary needs.
 *
 * The record scanner (scan.h) fills a ct_record from the bytes of one
 * record; the fold (fold.h) turns it into summary counts; principal.h
 * derives the principal from its userIdentity.  Keeping this view flat and
 * small is what lets the scanner skip everything else in a record without
 * building a tree: a record is ~1.5 KB of which we read ~300 bytes.
 *
 * Every ct_str points at decoded text (escapes resolved, invalid UTF-8
 * repaired, see jstr.h) owned by the scanner and valid until the next
 * record is scanned.  p == NULL means "missing": the key is absent, or its
 * value is null or not a string.  When a key occurs twice in one object the
 * last occurrence wins, as with Python's json module.
 */
#ifndef CT_RECORD_H
#define CT_RECORD_H

#include <stddef.h>

struct ct_str {
	const char	*p;	/* NULL: missing */
	size_t		 n;
};

struct ct_identity {
	int		present;	/* "userIdentity" is an object */
	struct ct_str	type;
	struct ct_str	account_id;
	struct ct_str	arn;
	struct ct_str	invoked_by;
	struct ct_str	user_name;
	struct ct_str	principal_id;
	/* sessionContext.sessionIssuer.{arn,type} */
	struct ct_str	issuer_arn;
	struct ct_str	issuer_type;
	/* onBehalfOf.{identityStoreArn,userId} */
	int		has_on_behalf_of;	/* "onBehalfOf" is an object */
	struct ct_str	obo_store_arn;
	struct ct_str	obo_user_id;
};

struct ct_record {
	struct ct_str	event_source;
	struct ct_str	event_name;
	struct ct_str	aws_region;
	struct ct_str	source_ip;		/* sourceIPAddress */
	struct ct_str	user_agent;
	struct ct_str	error_code;		/* errorCode */
	struct ct_str	resp_error_code;	/* responseElements.errorCode */
	/*
	 * The call failed: the record has an "errorCode" or "errorMessage"
	 * key (whatever its value), or "responseElements" is a non-empty
	 * object holding either key.  This is the Python tool's test.
	 */
	int		failed;
	struct ct_str	event_id;
	struct ct_str	event_time;
	struct ct_str	recipient_account_id;
	struct ct_identity id;
};

#endif
