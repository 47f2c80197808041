/*
 * fuzz_sigv4.c - the SigV4 canonicaliser and signer (lib/sigv4.h).
 *
 * The input is split at newlines: method, path, query, then "name:value"
 * header lines up to an empty line, then the body.  The first byte picks
 * the flags and whether a session token is used.  Properties: signing
 * either fails cleanly or gives 64 hex digits; the same request signs the
 * same way twice; and the secret key appears in nothing the signer returns
 * (canonical request, string to sign, Authorization, query).
 */
#include <string.h>

#include "buf.h"
#include "sigv4.h"
#include "fuzz.h"

#define SECRET	"Zq9/SECRET+k3y-fuzz-7Hj2Wb0tPxxXyyQ"
#define TOKEN	"FuzzSessionTokenValue//ABC=="

static int
hasstr(const struct ct_buf *b, const char *s)
{
	return b->data != NULL && memmem(b->data, b->len, s, strlen(s)) != NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_sigv4_header hdr[33];
	struct ct_sigv4_input in;
	struct ct_sigv4_output o1, o2;
	char *text, *line[3], *p, *nl, *colon;
	size_t nh = 0, i, enc;
	unsigned opt = fz_take(&data, &size);
	struct ct_buf ub;
	int rc1, rc2;

	if (memmem(data, size, SECRET, strlen(SECRET)) != NULL)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	p = text;
	for (i = 0; i < 3; i++) {
		line[i] = p;
		if ((nl = strchr(p, '\n')) != NULL) {
			*nl = '\0';
			p = nl + 1;
		} else
			p += strlen(p);
	}
	hdr[nh].name = "Host";
	hdr[nh++].value = "ec2.eu-west-1.amazonaws.com";
	while (*p != '\0' && *p != '\n' && nh < 33) {
		char *l = p;

		if ((nl = strchr(p, '\n')) != NULL) {
			*nl = '\0';
			p = nl + 1;
		} else
			p += strlen(p);
		if ((colon = strchr(l, ':')) != NULL)
			*colon++ = '\0';
		hdr[nh].name = l;
		hdr[nh++].value = colon ? colon : "";
	}
	if (*p == '\n')
		p++;

	memset(&in, 0, sizeof(in));
	in.method = line[0];
	in.path = line[1];
	in.query = (opt & 0x10) ? NULL : line[2];
	in.hdr = hdr;
	in.nhdr = nh;
	in.body = p;
	in.bodylen = strlen(p);
	in.access_key = "AKIDEXAMPLE";
	in.secret_key = SECRET;
	in.token = (opt & 0x20) ? TOKEN : NULL;
	in.region = "eu-west-1";
	in.service = "ec2";
	in.when = 1440938160;
	in.flags = opt & 0x0f;
	in.expires = 300;

	ct_sigv4_output_init(&o1);
	ct_sigv4_output_init(&o2);
	rc1 = ct_sigv4_sign(&in, &o1);
	rc2 = ct_sigv4_sign(&in, &o2);
	FZ_CHECK(rc1 == rc2);
	FZ_CHECK(rc1 == 0 || rc1 == -1);
	if (rc1 == 0) {
		FZ_CHECK(strlen(o1.signature) == 64);
		FZ_CHECK(strspn(o1.signature, "0123456789abcdef") == 64);
		FZ_CHECK(strcmp(o1.signature, o2.signature) == 0);
		FZ_CHECK(!hasstr(&o1.creq, SECRET) && !hasstr(&o1.sts, SECRET) &&
		    !hasstr(&o1.authorization, SECRET) &&
		    !hasstr(&o1.query, SECRET));
	}
	ct_sigv4_output_free(&o1);
	ct_sigv4_output_free(&o2);

	/* URI encoding: only unreserved characters and %XX come out. */
	ct_buf_init(&ub, 0);
	FZ_CHECK(ct_sigv4_uri_encode(&ub, (const char *)data, size,
	    opt & 1) == 0);
	for (i = 0, enc = 0; i < ub.len; i++) {
		char c = ub.data[i];

		if (c == '%') {
			FZ_CHECK(i + 2 < ub.len + 1 &&
			    strchr("0123456789ABCDEF", ub.data[i + 1]) &&
			    strchr("0123456789ABCDEF", ub.data[i + 2]) &&
			    ub.data[i + 1] != '\0' && ub.data[i + 2] != '\0');
			i += 2;
			enc++;
		} else
			FZ_CHECK(c != '\0' && strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "abcdefghijklmnopqrstuvwxyz0123456789-_.~", c) !=
			    NULL || (c == '/' && (opt & 1)));
	}
	FZ_CHECK(ub.len == size + 2 * enc);
	ct_buf_free(&ub);
	free(text);
	return 0;
}
