/*
 * principal.c - see principal.h
 *
 * The rules of ct-summary(5), PRINCIPALS, one function per identity type.
 * Each returns 1 with the name in out, or 0 when it cannot answer (a field
 * it needs is missing), and the caller falls back.  "acct" is accountId.
 * A field is present when its ct_str has p != NULL (the key is there with a
 * string value, possibly empty); "split('/')[-1]" of a string without '/'
 * is the whole string, "split('/')[-2]" of one needs at least one '/'.
 */
#include <string.h>

#include "principal.h"

#define HAS(s)		((s).p != NULL)
#define NONEMPTY(s)	((s).p != NULL && (s).n > 0)

struct out {
	struct ct_buf	*b;
	int		 capped;
};

static void
put(struct out *o, const char *p, size_t n)
{
	if (ct_buf_add(o->b, p, n) < 0)
		o->capped = 1;
}

static void
puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void
putstr(struct out *o, struct ct_str s)
{
	put(o, s.p, s.n);
}

static int
is(struct ct_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.p != NULL && s.n == n && memcmp(s.p, lit, n) == 0;
}

static int
contains(struct ct_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.p != NULL && s.n >= n && memmem(s.p, s.n, lit, n) != NULL;
}

static int
ends_with(struct ct_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.p != NULL && s.n >= n && memcmp(s.p + s.n - n, lit, n) == 0;
}

/* split('/')[-1]: after the last '/', or all of s. */
static struct ct_str
last_part(struct ct_str s)
{
	const char *q = memrchr(s.p, '/', s.n);
	struct ct_str r;

	if (q == NULL)
		return s;
	r.p = q + 1;
	r.n = s.n - (size_t)(r.p - s.p);
	return r;
}

/* split('/')[-2]; p NULL when s has no '/'. */
static struct ct_str
second_last_part(struct ct_str s)
{
	const char *q = memrchr(s.p, '/', s.n), *r;
	struct ct_str out = { NULL, 0 };

	if (q == NULL)
		return out;
	r = memrchr(s.p, '/', (size_t)(q - s.p));
	out.p = r != NULL ? r + 1 : s.p;
	out.n = (size_t)(q - out.p);
	return out;
}

/* acct:<kind>/<name> */
static void
acct_kind(struct out *o, const struct ct_identity *id, const char *kind,
    struct ct_str name)
{
	putstr(o, id->account_id);
	puts_(o, kind);
	putstr(o, name);
}

/* ":assumed-role/" -> second-to-last part, ":role/" -> last part. */
static int
role_from_arn(struct out *o, const struct ct_identity *id, struct ct_str a)
{
	struct ct_str part;

	if (contains(a, ":assumed-role/")) {
		part = second_last_part(a);
		if (part.p == NULL)
			return 0;
		acct_kind(o, id, ":role/", part);
		return 1;
	}
	if (contains(a, ":role/")) {
		acct_kind(o, id, ":role/", last_part(a));
		return 1;
	}
	return 0;
}

static int
identity_center(struct out *o, const struct ct_identity *id)
{
	if (!HAS(id->account_id) || !HAS(id->obo_store_arn) ||
	    !HAS(id->obo_user_id))
		return 0;
	acct_kind(o, id, ":identitycenteruser/", last_part(id->obo_store_arn));
	puts_(o, "/");
	putstr(o, id->obo_user_id);
	return 1;
}

/* The "Unknown" type's own chain ("with acct" read as a non-empty one,
 * as its last step says).  Returns 1, or 0 for its final "Unknown"
 * (nothing was named, but that is the answer). */
static int
unknown_type(struct out *o, const struct ct_identity *id)
{
	struct ct_str a = id->arn, part;

	if (NONEMPTY(a) && NONEMPTY(id->account_id)) {
		if (ends_with(a, ":root")) {
			putstr(o, id->account_id);
			puts_(o, ":root");
			return 1;
		}
		if (contains(a, ":user/") || contains(a, ":federated-user/")) {
			acct_kind(o, id, ":user/", last_part(a));
			return 1;
		}
		if (contains(a, ":assumed-role/")) {
			part = second_last_part(a);
			if (part.p != NULL) {
				acct_kind(o, id, ":role/", part);
				return 1;
			}
		} else if (contains(a, ":role/")) {
			acct_kind(o, id, ":role/", last_part(a));
			return 1;
		}
	}
	if (id->has_on_behalf_of && NONEMPTY(id->account_id) &&
	    identity_center(o, id))
		return 1;
	if (NONEMPTY(id->account_id)) {
		putstr(o, id->account_id);
		return 1;
	}
	puts_(o, "Unknown");
	return 0;
}

/* The rule of the identity's type: 1 answered, 0 cannot. */
static int
by_type(struct out *o, const struct ct_identity *id)
{
	struct ct_str t = id->type, a;
	const char *slash;

	if (!id->present)
		return 0;
	if (!HAS(t) || is(t, "AWSAccount")) {
		if (HAS(id->invoked_by))
			putstr(o, id->invoked_by);
		else if (HAS(id->account_id))
			putstr(o, id->account_id);
		else
			return 0;
		return 1;
	}
	if (is(t, "IAMUser")) {
		if (!HAS(id->account_id) || !HAS(id->user_name))
			return 0;
		acct_kind(o, id, ":user/", id->user_name);
		return 1;
	}
	if (is(t, "AssumedRole")) {
		if (!HAS(id->account_id))
			return 0;
		a = HAS(id->issuer_arn) ? id->issuer_arn : id->arn;
		return role_from_arn(o, id, a);
	}
	if (is(t, "Root")) {
		if (!HAS(id->account_id))
			return 0;
		putstr(o, id->account_id);
		puts_(o, ":root");
		return 1;
	}
	if (is(t, "AWSService")) {
		if (!HAS(id->invoked_by))
			return 0;
		putstr(o, id->invoked_by);
		return 1;
	}
	if (is(t, "FederatedUser")) {
		if (!HAS(id->account_id))
			return 0;
		if (is(id->issuer_type, "Root")) {
			putstr(o, id->account_id);
			puts_(o, ":root");
			return 1;
		}
		if (!HAS(id->issuer_arn))
			return 0;
		acct_kind(o, id, ":user/", last_part(id->issuer_arn));
		return 1;
	}
	if (is(t, "IdentityCenterUser"))
		return identity_center(o, id);
	if (is(t, "WebIdentityUser")) {
		if (HAS(id->principal_id)) {
			slash = memchr(id->principal_id.p, '/',
			    id->principal_id.n);
			if (slash == NULL)
				return 0;
			puts_(o, "oidc:");
			put(o, slash + 1, id->principal_id.n -
			    (size_t)(slash + 1 - id->principal_id.p));
			return 1;
		}
		if (!HAS(id->account_id))
			return 0;
		putstr(o, id->account_id);
		return 1;
	}
	if (is(t, "SAMLUser")) {
		if (!HAS(id->principal_id))
			return 0;
		puts_(o, "saml:");
		putstr(o, id->principal_id);
		return 1;
	}
	if (is(t, "Unknown"))
		return unknown_type(o, id) ? 1 : -1;
	if (is(t, "Directory")) {
		struct ct_str part;

		if (!HAS(id->account_id) || !HAS(id->arn))
			return 0;
		part = second_last_part(id->arn);
		if (part.p == NULL)
			return 0;
		acct_kind(o, id, ":ds/", part);
		puts_(o, "/");
		putstr(o, last_part(id->arn));
		return 1;
	}
	return 0;
}

int
ct_principal(const struct ct_identity *id, struct ct_buf *b)
{
	const struct ct_str *chain[5];
	struct out o = { b, 0 };
	int rc, i;

	ct_buf_reset(b);
	rc = by_type(&o, id);
	if (rc == -1) {
		/* "Unknown" type that named nothing: "Unknown" it is. */
		rc = 0;
	} else if (rc == 0 || b->len == 0) {
		/* The fallback chain; an empty name counts as no answer. */
		ct_buf_reset(b);
		o.capped = 0;
		rc = 0;
		chain[0] = &id->arn;
		chain[1] = &id->invoked_by;
		chain[2] = &id->account_id;
		chain[3] = &id->principal_id;
		chain[4] = &id->type;
		for (i = 0; i < 5; i++) {
			if (id->present && NONEMPTY(*chain[i])) {
				putstr(&o, *chain[i]);
				break;
			}
		}
		if (i == 5)
			puts_(&o, "Unknown");
	}
	if (o.capped)
		return -1;
	if (b->data == NULL)
		ct_buf_adds(b, "");
	return rc;
}
