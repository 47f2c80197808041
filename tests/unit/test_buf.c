/* test_buf.c - the growable buffer: appends, NUL termination, the cap. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"

int
main(void)
{
	struct ct_buf b;
	char big[300];
	size_t i;
	int bad;

	ct_buf_init(&b, 10);
	CHECK(b.data == NULL && b.len == 0, "a new buffer holds nothing");
	CHECK(ct_buf_add(&b, "abc", 3) == 0 && b.len == 3 &&
	    strcmp(b.data, "abc") == 0, "append to an empty buffer");
	/* The storage is now larger than the cap: the in-line path must
	 * still refuse what would pass it. */
	CHECK(b.size > 10, "storage (%zu) outgrows the cap of 10", b.size);
	CHECK(ct_buf_add(&b, "defghij", 7) == 0 && b.len == 10 &&
	    strcmp(b.data, "abcdefghij") == 0, "append up to the cap");
	CHECK(ct_buf_add(&b, "k", 1) == -1 && b.len == 10 &&
	    strcmp(b.data, "abcdefghij") == 0,
	    "one byte past the cap is refused, the buffer unchanged");
	CHECK(ct_buf_addc(&b, 'k') == -1, "addc past the cap is refused");
	ct_buf_reset(&b);
	CHECK(b.len == 0 && b.data[0] == '\0', "reset empties, keeps storage");
	CHECK(ct_buf_add(&b, "xy", 0) == 0 && b.len == 0 && b.data[0] == '\0',
	    "an empty append is fine");
	ct_buf_free(&b);

	/* Making room in a new buffer gives the empty string, not garbage
	 * (fuzz_creds: an empty <SecretAccessKey/> read past the end). */
	ct_buf_init(&b, 0);
	CHECK(ct_buf_reserve(&b, 0) == 0 && b.data != NULL &&
	    b.data[0] == '\0' && strlen(b.data) == 0,
	    "reserve on a new buffer leaves a terminated empty string");
	ct_buf_free(&b);

	/* No cap: many small appends across growth keep every byte. */
	ct_buf_init(&b, 0);
	for (i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	bad = 0;
	for (i = 0; i < 1000; i++)
		if (ct_buf_add(&b, big, i % sizeof big) != 0)
			bad++;
	CHECK(bad == 0, "1000 appends without a cap succeed");
	{
		size_t off = 0, want = 0;

		for (i = 0; i < 1000; i++) {
			if (memcmp(b.data + off, big, i % sizeof big) != 0)
				bad++;
			off += i % sizeof big;
		}
		want = off;
		CHECK(bad == 0 && b.len == want && b.data[want] == '\0',
		    "their %zu bytes are all there, NUL-terminated", want);
	}
	ct_buf_free(&b);
	return check_done();
}
