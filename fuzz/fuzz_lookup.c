/*
 * fuzz_lookup.c - reading a CloudTrail LookupEvents answer (lib/lookup.c).
 *
 * The page parser is static in lookup.c (ct_lookup_events does the HTTP
 * and then parses), so this target includes lookup.c to reach it; nothing
 * else of lookup.c runs.  The bytes are the answer body of a possibly hostile
 * endpoint.  Properties: a bad answer is a retryable InvalidResponse with
 * a one-line message; a good one gives events whose pointers lie inside
 * the parsed document and a NextToken that is either absent or non-empty.
 */
#include "../lib/lookup.c"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_lookup_page pg;
	struct ct_aws_error e;
	size_t i;

	ct_lookup_page_init(&pg);
	if (ct_buf_add(&pg.body, data, size) != 0) {
		ct_lookup_page_free(&pg);
		return 0;
	}
	ct_awserr_clear(&e);
	if (parse_page(&pg, &e, "eu-west-1") != 0) {
		FZ_CHECK(e.cls == CT_AWS_RETRYABLE);
		FZ_CHECK(strcmp(e.code, "InvalidResponse") == 0);
		FZ_CHECK(strchr(e.line, '\n') == NULL);
		FZ_CHECK(pg.nevents == 0);
	} else {
		for (i = 0; i < pg.nevents; i++) {
			const struct ct_lookup_event *ev = &pg.events[i];

			FZ_CHECK(ev->event_id != NULL && ev->record != NULL);
			FZ_CHECK(strlen(ev->record) <= ev->record_len);
			(void)strlen(ev->event_id);
		}
		FZ_CHECK(pg.next_token == NULL || *pg.next_token != '\0');
	}
	ct_lookup_page_free(&pg);
	return 0;
}
