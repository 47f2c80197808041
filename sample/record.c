/*
 * record.c - one whole record in CloudTrail's field order, and --bad.
 *
 * gen_record draws everything about record i from one PRNG stream in a
 * fixed order (principal, call, region, failure, then the fields as they
 * are written), so a seed gives the same records whatever the output
 * format; the event time grows with i, so every output is in time order.
 * Resources are built aside (g->res) because CloudTrail writes them after
 * the fields the body's choices decide.
 *
 * corrupt() spoils a record the way broken trails are broken (cut lines,
 * invalid UTF-8, non-JSON, missing eventName, stray brackets, scalars, deep
 * nesting) from its own stream, so --bad never changes the good records.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sample.h"

/* Replace %ARN% and %ACTION% in an error message. */
static void
put_error_message(struct ctx *c, const char *msg)
{
	struct ct_buf tmp;
	const char *p = msg;

	ct_buf_init(&tmp, 0);

	while (*p) {
		if (strncmp(p, "%ARN%", 5) == 0) {
			put_principal_arn(&tmp, c->p);
			p += 5;
		} else if (strncmp(p, "%ACTION%", 8) == 0) {
			const char *dot = strchr(c->ev->src, '.');
			put_n(&tmp, c->ev->src, (size_t)(dot - c->ev->src));
			put_c(&tmp, ':');
			put(&tmp, c->ev->name);
			p += 8;
		} else
			put_c(&tmp, *p++);
	}
	put_c(&tmp, '\0');
	put_js(c->b, tmp.data);
	ct_buf_free(&tmp);
}

static const char *EVVERS[] = { "1.08", "1.08", "1.08", "1.09", "1.09",
    "1.10", "1.11" };

/*
 * Append record number i to b; return its region index and event time.
 */
int
gen_record(struct gen *g, uint64_t i, struct ct_buf *b, int64_t *tout)
{
	struct world *w = &g->w;
	struct rng *r = &g->r;
	const struct principal *p;
	const struct evdef *ev;
	struct ctx c;
	int reg, failed, resp_err = 0, svc;
	char code[128], msg[512];
	const char *ua, *ip;

	/* time: record i of nrec, evenly spread, jittered within its slot */
	uint64_t slot = i < g->nrec ? i : g->nrec - 1;
	int64_t t = g->start + (int64_t)(((unsigned __int128)slot * 1024 +
	    rng_below(r, 1024)) * (uint64_t)g->span / g->nrec / 1024);
	*tout = t;

	p = &w->pr[pick_cum(r, w->pr_cum, w->npr)];
	ev = event_pick(r, p->classes);

	if (ev->global)
		reg = w->global;
	else if (rng_chance(r, 7, 10))
		reg = p->home;
	else
		reg = pick_cum(r, w->region_cum, w->nregions);

	svc = (p->classes & (C_SVC | C_XACCT)) != 0;
	failed = ev->shape != S_CONSOLE_LOGIN ? rng_chance(r, 6, 100) :
	    rng_chance(r, 15, 100);
	if (!failed && !ev->ro && rng_chance(r, 1, 200))
		resp_err = 1;

	c.b = b; c.r = r; c.w = w; c.p = p; c.ev = ev;
	c.region = w->regions[reg]; c.t = t;

	put(b, "{\"eventVersion\":\"");
	put(b, PICK(r, EVVERS));
	put(b, "\",");
	put_identity(&c);
	put(b, "\"eventTime\":");
	put_qiso(b, t);
	put(b, ",\"eventSource\":\""); put(b, ev->src);
	put(b, "\",\"eventName\":\""); put(b, ev->name);
	put(b, "\",\"awsRegion\":\""); put(b, c.region);
	put(b, "\",\"sourceIPAddress\":");
	if (svc || p->nip == 0) {
		put_js(b, p->kind == ID_SERVICE || p->kind == ID_NOTYPE_SVC ||
		    p->kind == ID_ACCOUNT_SVC ? p->name : "AWS Internal");
		ua = p->kind == ID_SERVICE || p->kind == ID_NOTYPE_SVC ||
		    p->kind == ID_ACCOUNT_SVC ? p->name : p->ua[0];
	} else {
		ip = p->ip[rng_below(r, (uint32_t)p->nip)];
		put_js(b, ip);
		ua = p->ua[rng_below(r, (uint32_t)p->nua)];
	}
	put(b, ",\"userAgent\":");
	put_js(b, ua);
	if (failed && ev->shape != S_CONSOLE_LOGIN) {
		pick_error(r, ev, code, sizeof(code), msg, sizeof(msg));
		put(b, ",\"errorCode\":");
		put_js(b, code);
		put(b, ",\"errorMessage\":");
		put_error_message(&c, msg);
	} else if (failed) {
		put(b, ",\"errorMessage\":\"Failed authentication\"");
	}
	put_c(b, ',');
	g->res.len = 0;
	if (resp_err) {
		put(b, "\"requestParameters\":null,\"responseElements\":{"
		    "\"errorCode\":\"Client.RequestLimitExceeded\","
		    "\"errorMessage\":\"Request limit exceeded.\"}");
	} else
		put_body(&c, failed, &g->res);
	put(b, ",\"requestID\":\"");
	if (ev->src[0] == 's' && ev->src[1] == '3')
		put_rand(b, r, "0123456789ABCDEF", 16);
	else
		put_uuid(b, r);
	put(b, "\",\"eventID\":\"");
	put_uuid(b, r);
	put(b, "\",\"readOnly\":");
	put(b, ev->ro ? "true" : "false");
	put_n(b, g->res.data ? g->res.data : "", g->res.len);
	put(b, ",\"eventType\":\"");
	put(b, strncmp(ev->src, "signin.", 7) == 0 ? "AwsConsoleSignIn" :
	    svc && p->kind == ID_SERVICE && rng_chance(r, 1, 3) ?
	    "AwsServiceEvent" : "AwsApiCall");
	put(b, "\"");
	if (ev->src[0] == 's' && ev->src[1] == '3' && ev->src[2] == '.')
		put(b, ",\"apiVersion\":\"2006-03-01\"");
	put(b, ",\"managementEvent\":");
	put(b, ev->data ? "false" : "true");
	put(b, ",\"recipientAccountId\":\"");
	put(b, w->account);
	put(b, "\"");
	if (p->kind == ID_ACCOUNT || p->kind == ID_ACCOUNT_SVC ||
	    p->kind == ID_ROLE_XACCT) {
		put(b, ",\"sharedEventID\":\"");
		put_uuid(b, r);
		put(b, "\"");
	}
	if (!svc && rng_chance(r, 1, 20)) {
		put(b, ",\"vpcEndpointId\":\"vpce-0");
		put_hex(b, r, 16);
		put(b, "\"");
	}
	put(b, ",\"eventCategory\":\"");
	put(b, ev->data ? "Data" : "Management");
	put(b, "\"");
	if (!svc) {
		const char *dot = strchr(ev->src, '.');
		put(b, ",\"tlsDetails\":{\"tlsVersion\":\"");
		put(b, rng_chance(r, 1, 4) ? "TLSv1.2" : "TLSv1.3");
		put(b, "\",\"cipherSuite\":\"");
		put(b, rng_chance(r, 1, 4) ? "ECDHE-RSA-AES128-GCM-SHA256" :
		    "TLS_AES_128_GCM_SHA256");
		put(b, "\",\"clientProvidedHostHeader\":\"");
		put_n(b, ev->src, (size_t)(dot - ev->src));
		put_c(b, '.');
		if (!ev->global) {
			put(b, c.region);
			put_c(b, '.');
		}
		put(b, "amazonaws.com\"}");
	}
	if (p->console)
		put(b, ",\"sessionCredentialFromConsole\":\"true\"");
	put(b, "}");
	return reg;
}

int
corrupt(struct bad *bd, struct ct_buf *b, size_t start)
{
	size_t n = b->len - start, k;
	char *rec = b->data + start, *q;
	static const char *badutf[] = {
		"\xff", "\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf",
		"\xe2\x82", "\x80\x80",
	};

	if (bd->per_million == 0 || rng_below(&bd->r, 1000000) >= bd->per_million)
		return 0;
	bd->count++;
	switch (rng_below(&bd->r, 8)) {
	case 0:		/* truncated line */
		put_cut(b, start + n / 2);
		break;
	case 1:		/* invalid UTF-8 inside the userAgent string */
	case 2:
		q = strstr(rec, "\"userAgent\":\"");
		if (q == NULL)
			break;
		k = (size_t)(q - rec) + 13;
		{
			const char *s = PICK(&bd->r, badutf);
			size_t sl = strlen(s);
			rec = put_room(b, sl) - b->len + start;
			memmove(rec + k + sl, rec + k, n - k);
			memcpy(rec + k, s, sl);
			b->len += sl;
			b->data[b->len] = '\0';
		}
		break;
	case 3:		/* not JSON at all */
		put_cut(b, start);
		put(b, "this is not JSON \x01\x02 {");
		break;
	case 4:		/* an API call without eventName */
		q = strstr(rec, "\"eventName\":\"");
		if (q != NULL)
			memcpy(q + 1, "eventNom", 8);
		break;
	case 5:		/* a stray closing bracket, CRLF and a blank line */
		put(b, "]\r\n");
		break;
	case 6:		/* a scalar value */
		put_cut(b, start);
		put(b, rng_chance(&bd->r, 1, 2) ? "42" : "\"just a string\"");
		break;
	case 7:		/* deep nesting */
		put_cut(b, start);
		for (k = 0; k < 5000; k++)
			put_c(b, '[');
		for (k = 0; k < 5000; k++)
			put_c(b, ']');
		break;
	}
	return 1;
}

