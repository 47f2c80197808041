/* test_fsname.c - chart file names: safe, unique, short enough. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "fsname.h"

/* One plain file name: allowed bytes only, not hidden, fits 255 bytes. */
static int
safe(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 255 || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    strchr("_+=,.@-", s[i]) != NULL))
			return 0;
	return 1;
}

static char *
mk(struct ct_fsname *set, const char *s, size_t n)
{
	return ct_fsname_make(set, s, n, ".png");
}

int
main(void)
{
	struct ct_fsname *set = ct_fsname_new();
	char big[300], big2[300], *a, *b, *names[16];
	size_t i, k = 0;

	/* The Python tool's own docstring example of _str_to_filename. */
	a = mk(set, "arn:aws:iam::123456789012:user/Administrator", 44);
	CHECK_STR(a, "arn_aws_iam__123456789012_user_Administrator.png",
	    "ARN mapped as the Python tool maps it");
	free(a);
	a = mk(set, "eu-central-1", 12);
	CHECK_STR(a, "eu-central-1.png", "region names unchanged");
	free(a);
	a = mk(set, "user+x=y,z@h.i_j-k", 18);
	CHECK_STR(a, "user+x=y,z@h.i_j-k.png", "all allowed characters kept");
	free(a);

	/* Hostile names stay one component inside the folder. */
	names[k++] = mk(set, "../../x", 7);
	names[k++] = mk(set, "/", 1);
	names[k++] = mk(set, "", 0);
	names[k++] = mk(set, ".", 1);
	names[k++] = mk(set, "..", 2);
	names[k++] = mk(set, "a\0b", 3);
	names[k++] = mk(set, "a\nb", 3);
	names[k++] = mk(set, "\xc3\xa9t\xc3\xa9", 5);
	names[k++] = mk(set, "\xff\xfe", 2);
	for (i = 0; i < k; i++)
		CHECK(safe(names[i]), "hostile name %zu -> '%s' is safe", i,
		    names[i]);
	CHECK_STR(names[0], "_.._.._x.png", "../../x: no slash, not hidden");
	CHECK_STR(names[1], "_.png", "/ -> _");
	CHECK_STR(names[2], "__2.png", "empty name -> _, taken, so _2");
	CHECK_STR(names[3], "_..png", ". -> _.");
	CHECK_STR(names[4], "_...png", ".. -> _..");
	CHECK_STR(names[5], "a_b.png", "NUL -> _");
	CHECK_STR(names[6], "a_b_2.png", "a\\nb collides with a\\0b: suffix");
	CHECK_STR(names[7], "_t_.png", "one _ per UTF-8 character (Python)");
	CHECK_STR(names[8], "__.png", "one _ per invalid byte");
	for (i = 0; i < k; i++)
		free(names[i]);

	/* Collisions: deterministic suffixes, case-insensitive. */
	a = mk(set, "a/b", 3);
	b = mk(set, "a:b", 3);
	CHECK_STR(a, "a_b_3.png", "a/b: third of its kind");
	CHECK_STR(b, "a_b_4.png", "a:b: fourth");
	free(a);
	free(b);
	a = mk(set, "Admin", 5);
	b = mk(set, "admin", 5);
	CHECK_STR(a, "Admin.png", "first keeps the plain name");
	CHECK_STR(b, "admin_2.png", "names differing in case only collide");
	free(a);
	free(b);

	/* Long names are cut to 255 bytes, collisions still distinct. */
	memset(big, 'x', sizeof(big));
	memcpy(big2, big, sizeof(big));
	big2[299] = 'y';
	a = mk(set, big, sizeof(big));
	b = mk(set, big2, sizeof(big2));
	CHECK(strlen(a) == 255 && safe(a), "300-byte name cut to 255 bytes");
	CHECK(strlen(b) <= 255 && safe(b), "second long name fits too");
	CHECK(strcmp(a, b) != 0, "names equal after cutting get a suffix");
	CHECK(strcmp(b + strlen(b) - 6, "_2.png") == 0, "suffix _2: %s",
	    b + 240);
	free(a);
	free(b);

	/* Many collisions: all distinct, all short enough. */
	{
		char *all[50];
		int j, l, dup = 0, ok = 1;

		for (j = 0; j < 50; j++) {
			all[j] = mk(set, big, sizeof(big));
			ok &= strlen(all[j]) <= 255 && safe(all[j]);
		}
		for (j = 0; j < 50; j++)
			for (l = j + 1; l < 50; l++)
				dup |= strcmp(all[j], all[l]) == 0;
		CHECK(ok && !dup, "50 colliding 300-byte names all distinct");
		for (j = 0; j < 50; j++)
			free(all[j]);
	}
	/* Random bytes: every name safe, all distinct. */
	{
		struct ct_fsname *rs = ct_fsname_new();
		char *rn[300], buf[400];
		unsigned seed = 99;
		int j, l, len, ok = 1, dup = 0;

		for (j = 0; j < 300; j++) {
			seed = seed * 1103515245 + 12345;
			len = (int)((seed >> 16) % 400);
			for (l = 0; l < len; l++) {
				seed = seed * 1103515245 + 12345;
				buf[l] = (char)(seed >> 16) % 4 == 0 ? '.' :
				    (char)(seed >> 16) % 4 == 1 ? '/' :
				    (char)(seed >> 20);
			}
			rn[j] = mk(rs, buf, (size_t)len);
			ok &= safe(rn[j]);
		}
		for (j = 0; j < 300; j++)
			for (l = j + 1; l < 300; l++)
				dup |= strcasecmp(rn[j], rn[l]) == 0;
		CHECK(ok && !dup, "300 random names: safe and distinct");
		for (j = 0; j < 300; j++)
			free(rn[j]);
		ct_fsname_free(rs);
	}
	ct_fsname_free(set);
	ct_fsname_free(NULL);
	return check_done();
}
