/*
 * report.c - the report page index.html: the summary's metadata and every
 * chart, grouped by section, as one static HTML page (see report.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "font.h"
#include "intsum.h"
#include "report.h"
#include "strmap.h"
#include "timefmt.h"

/* Titles as the Python tool writes them, by section. */
const char *const plot_sec_title[CT_SECTIONS] = {
	"API calls by principal",
	"API calls by region",
	"IP addresses by principal",
	"User agents by principal",
	"Error codes by principal",
};

/* Text as HTML: escaped, valid UTF-8, control and invisible format
 * characters shown as \xNN / \uNNNN as on the charts. */
static void
html_text(struct ct_buf *b, const char *s)
{
	uint32_t *cp;
	size_t n = ct_font_decode(s, strlen(s), &cp), i;

	for (i = 0; i < n; i++) {
		uint32_t c = cp[i];

		if (c >= 0xd800 && c <= 0xdfff)
			c = 0xfffd;
		if (c < 0x20 || (c >= 0x7f && c < 0xa0))
			ct_buf_printf(b, "\\x%02X", (unsigned)c);
		else if ((c >= 0x200b && c <= 0x200f) ||
		    (c >= 0x202a && c <= 0x202e) ||
		    (c >= 0x2060 && c <= 0x2064) ||
		    (c >= 0x2066 && c <= 0x2069) || c == 0xfeff)
			ct_buf_printf(b, "\\u%04X", (unsigned)c);
		else if (c == '&')
			ct_buf_adds(b, "&amp;");
		else if (c == '<')
			ct_buf_adds(b, "&lt;");
		else if (c == '>')
			ct_buf_adds(b, "&gt;");
		else if (c == '"')
			ct_buf_adds(b, "&quot;");
		else if (c == '\'')
			ct_buf_adds(b, "&#39;");
		else if (c < 0x80)
			ct_buf_addc(b, (char)c);
		else if (c < 0x800) {
			ct_buf_addc(b, (char)(0xc0 | c >> 6));
			ct_buf_addc(b, (char)(0x80 | (c & 0x3f)));
		} else if (c < 0x10000) {
			ct_buf_addc(b, (char)(0xe0 | c >> 12));
			ct_buf_addc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
			ct_buf_addc(b, (char)(0x80 | (c & 0x3f)));
		} else {
			ct_buf_addc(b, (char)(0xf0 | c >> 18));
			ct_buf_addc(b, (char)(0x80 | ((c >> 12) & 0x3f)));
			ct_buf_addc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
			ct_buf_addc(b, (char)(0x80 | (c & 0x3f)));
		}
	}
	free(cp);
}

/* A relative URL: every byte but [A-Za-z0-9._~/-] percent-encoded. */
static void
html_url(struct ct_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = *s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("._~/-", c) != NULL)
			ct_buf_addc(b, (char)c);
		else
			ct_buf_printf(b, "%%%02X", c);
	}
}

/* The last path component of the input's name: the report shows where it
 * came from without the folders above it. */
static const char *
base_name(const char *name)
{
	const char *slash = strrchr(name, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : name;
}

/* t as "2026-11-28 19:00:00 UTC", or "unknown". */
static void
html_time(struct ct_buf *b, int have, int64_t t)
{
	char iso[21];

	if (!have || ct_time_format_iso(t, iso) != 0) {
		ct_buf_adds(b, "unknown");
		return;
	}
	ct_buf_printf(b, "<time datetime=\"%s\">", iso);
	iso[10] = ' ';
	iso[19] = '\0';
	ct_buf_printf(b, "%s UTC</time>", iso);
}

/* The one value of a set (state SET), or all of them (CONFLICT), each in
 * a <code>; "unknown" when there is none. */
static void
html_agreed(struct ct_buf *b, enum ct_agree state, const char *one,
    const struct ct_strmap *all)
{
	struct ct_strmap_entry **v;
	size_t n, i;

	if (state == CT_AGREE_SET && one != NULL) {
		ct_buf_adds(b, "<code>");
		html_text(b, one);
		ct_buf_adds(b, "</code>");
		return;
	}
	v = ct_strmap_sorted(all, &n);
	if (n == 0)
		ct_buf_adds(b, "unknown");
	else
		ct_buf_printf(b, "%zu different: ", n);
	for (i = 0; i < n; i++) {
		ct_buf_adds(b, i ? ", <code>" : "<code>");
		html_text(b, v[i]->key);
		ct_buf_adds(b, "</code>");
	}
	free(v);
}

/* The statistics ct-aggregate writes, as a person reads them. */
static const struct {
	const char	*label;
	size_t		 off;
	int		 warn;		/* non-zero is worth a second look */
} stat_row[] = {
	{ "Files read", offsetof(struct ct_meta, files_read), 0 },
	{ "Records counted", offsetof(struct ct_meta, records_counted), 0 },
	{ "Records skipped (not API calls)",
	    offsetof(struct ct_meta, records_skipped), 0 },
	{ "Records filtered (activity type or time window)",
	    offsetof(struct ct_meta, records_filtered), 0 },
	{ "Duplicate records dropped",
	    offsetof(struct ct_meta, records_duplicate), 0 },
	{ "Malformed values or unreadable files",
	    offsetof(struct ct_meta, values_malformed), 1 },
	{ "Strings with invalid UTF-8 repaired",
	    offsetof(struct ct_meta, strings_repaired), 1 },
	{ "Principals named by fallback",
	    offsetof(struct ct_meta, principal_fallbacks), 1 },
	{ "Digest files ignored", offsetof(struct ct_meta, digest_files), 0 },
	{ "Summaries merged", offsetof(struct ct_meta, summaries_merged), 0 },
};

static const char index_css[] =
"<style>\n"
"body { font-family: \"DejaVu Sans\", Verdana, sans-serif; margin: 0 auto;\n"
"  padding: 1em 2em; max-width: 1700px; color: #222; background: #fff;\n"
"  line-height: 1.4; }\n"
"h1 { font-size: 1.5em; margin: .3em 0; overflow-wrap: anywhere; }\n"
"h2 { font-size: 1.2em; border-bottom: 3px solid #e4af00;\n"
"  padding-bottom: .2em; margin-top: 2em; }\n"
"code { font-family: \"DejaVu Sans Mono\", monospace; font-size: .92em;\n"
"  overflow-wrap: anywhere; }\n"
"dl.meta { display: grid; grid-template-columns: max-content 1fr;\n"
"  gap: .3em 1.2em; margin: 1em 0; }\n"
"dl.meta dt { font-weight: bold; }\n"
"dl.meta dd { margin: 0; min-width: 0; }\n"
".failed { background: #fdecea; border-left: 5px solid #b3261e;\n"
"  padding: .4em .7em; }\n"
".failed strong { color: #b3261e; }\n"
"table.stats { border-collapse: collapse; }\n"
"table.stats td { padding: .2em .8em; border-bottom: 1px solid #eee; }\n"
"table.stats td.n { text-align: right; font-variant-numeric: tabular-nums; }\n"
"table.stats tr.warn td { color: #b3261e; font-weight: bold; }\n"
".verified { background: #e7f4e8; border-left: 5px solid #1e7b34;\n"
"  padding: .4em .7em; }\n"
".verified strong { color: #1e7b34; }\n"
"ul.bad li { overflow-wrap: anywhere; }\n"
"nav { margin: 1em 0; }\n"
"nav a { display: inline-block; margin: 0 1.5em .3em 0; }\n"
"figure { margin: 1.5em 0; }\n"
"figure img { display: block; max-width: 100%; height: auto;\n"
"  border: 1px solid #ddd; }\n"
"figcaption { font-size: .9em; color: #555; overflow-wrap: anywhere; }\n"
"@media (max-width: 40em) {\n"
"  body { padding: .5em .8em; }\n"
"  dl.meta { grid-template-columns: 1fr; gap: 0; }\n"
"  dl.meta dd { margin-bottom: .6em; }\n"
"}\n"
"</style>\n";

/* Who, when, where: the summary's metadata as the report's head. */
static void
index_meta(struct ct_buf *b, const struct ct_summary *s, const char *name)
{
	static const char *const activity[] = { "all", "successful only",
	    "failed only" };
	const struct ct_meta *m = &s->meta;
	struct ct_strmap_entry **v;
	size_t n, i;

	ct_buf_adds(b, "<dl class=\"meta\">\n<dt>Account</dt><dd>");
	html_agreed(b, m->account_state, m->account_id, m->accounts);
	ct_buf_adds(b, "</dd>\n<dt>Principal</dt><dd>");
	html_agreed(b, m->principal_state, m->account_principal,
	    m->principals);
	ct_buf_adds(b, "</dd>\n<dt>Window</dt><dd>");
	html_time(b, m->have_from, m->from);
	ct_buf_adds(b, " to ");
	html_time(b, m->have_to, m->to);
	ct_buf_adds(b, "</dd>\n");
	if (m->activity_set)
		ct_buf_printf(b, "<dt>API calls</dt><dd>%s</dd>\n",
		    activity[m->activity <= CT_ACTIVITY_FAILED ?
		    m->activity : 0]);
	v = ct_strmap_sorted(m->regions_enabled, &n);
	ct_buf_printf(b, "<dt>Regions analyzed</dt><dd>%zu", n);
	for (i = 0; i < n; i++) {
		ct_buf_adds(b, i ? ", <code>" : ": <code>");
		html_text(b, v[i]->key);
		ct_buf_adds(b, "</code>");
	}
	free(v);
	ct_buf_adds(b, "</dd>\n");
	v = ct_strmap_sorted(m->regions_failed, &n);
	if (n > 0) {
		ct_buf_printf(b, "<dt>Regions failed</dt><dd class=\"failed\">"
		    "<strong>%zu failed, not in the charts:</strong>", n);
		for (i = 0; i < n; i++) {
			ct_buf_adds(b, i ? ", <code>" : " <code>");
			html_text(b, v[i]->key);
			ct_buf_adds(b, "</code> (");
			html_text(b, v[i]->val.ptr ? v[i]->val.ptr : "error");
			ct_buf_adds(b, ")");
		}
		ct_buf_adds(b, "</dd>\n");
	}
	free(v);
	if (m->run_timestamp != 0) {
		ct_buf_adds(b, "<dt>Summarized</dt><dd>");
		html_time(b, 1, m->run_timestamp);
		ct_buf_adds(b, "</dd>\n");
	}
	ct_buf_adds(b, "<dt>Summary file</dt><dd><code>");
	html_text(b, base_name(name));
	ct_buf_adds(b, "</code></dd>\n</dl>\n");
	if (!m->has_statistics)
		return;
	ct_buf_adds(b, "<h2 id=\"statistics\">Statistics</h2>\n"
	    "<table class=\"stats\">\n");
	for (i = 0; i < sizeof stat_row / sizeof stat_row[0]; i++) {
		uint64_t x = *(const uint64_t *)(const void *)((const char *)m +
		    stat_row[i].off);

		ct_buf_printf(b, "<tr%s><td>%s</td><td class=\"n\">%llu</td>"
		    "</tr>\n", stat_row[i].warn && x > 0 ? " class=\"warn\"" :
		    "", stat_row[i].label, (unsigned long long)x);
	}
	ct_buf_adds(b, "</table>\n");
}

/* Verdicts as a person reads them, by enum (intsum.h). */
static const char *const log_label[CT_INTSUM_NLOG] = {
	"valid", "modified after delivery", "missing",
	"not covered by a digest", "pending (not yet covered)",
};
static const char *const digest_label[CT_INTSUM_NDIG] = {
	"valid", "signature or hash does not verify", "missing from the chain",
	"unreadable",
};
static const char *const sig_label[CT_INTSUM_NSIG] = {
	"not checked (digests chained by hash only)",
	"checked against a signature file",
	"checked with CloudTrail's public keys",
};

static void
integrity_row(struct ct_buf *b, const char *what, const char *label,
    uint64_t n, int warn)
{
	ct_buf_printf(b, "<tr%s><td>%s: %s</td><td class=\"n\">%llu</td>"
	    "</tr>\n", warn && n > 0 ? " class=\"warn\"" : "", what, label,
	    (unsigned long long)n);
}

/*
 * "Integrity": what ct-fetch --verify found, when the summary says: a
 * verdict first (all valid, or problems found), how signatures were
 * checked, the verified window, the verdict counts and the bad objects by
 * name (object keys come from a bucket: escaped like every string).
 */
static void
index_integrity(struct ct_buf *b, const struct ct_intsum *s)
{
	const struct ct_intsum_bad **v;
	uint64_t more = ct_intsum_more(s);
	size_t n, i;
	int k;

	ct_buf_adds(b, "<h2 id=\"integrity\">Integrity</h2>\n");
	if (ct_intsum_tampered(s))
		ct_buf_adds(b, "<p class=\"failed\"><strong>Problems found:"
		    "</strong> some log files were modified, are missing or "
		    "are covered by no digest, or some digests do not "
		    "verify.</p>\n");
	else
		ct_buf_adds(b, "<p class=\"verified\"><strong>All valid:"
		    "</strong> every log file and digest checked verified."
		    "</p>\n");
	ct_buf_adds(b, "<dl class=\"meta\">\n<dt>Signatures</dt><dd>");
	ct_buf_adds(b, s->have_sig ? sig_label[s->sig] : "unknown");
	ct_buf_adds(b, "</dd>\n<dt>Verified window</dt><dd>");
	html_time(b, s->have_from, s->from);
	ct_buf_adds(b, " to ");
	html_time(b, s->have_to, s->to);
	ct_buf_adds(b, "</dd>\n</dl>\n<table class=\"stats integrity\">\n");
	for (k = 0; k < CT_INTSUM_NLOG; k++)
		integrity_row(b, "Log files", log_label[k], s->log[k],
		    k != CT_INTSUM_LOG_VALID && k != CT_INTSUM_LOG_PENDING);
	for (k = 0; k < CT_INTSUM_NDIG; k++)
		integrity_row(b, "Digests", digest_label[k], s->digest[k],
		    k != CT_INTSUM_DIG_VALID);
	integrity_row(b, "Records", "not counted (modified log files)",
	    s->records_excluded, 1);
	integrity_row(b, "Records", "counted but flagged (uncovered log "
	    "files)", s->records_flagged, 1);
	ct_buf_adds(b, "</table>\n");
	v = ct_intsum_sorted(s, &n);
	if (n > CT_INTSUM_LIST)
		n = CT_INTSUM_LIST;
	if (n > 0 || more > 0) {
		ct_buf_adds(b, "<h3>Objects that failed verification</h3>\n"
		    "<ul class=\"bad\">\n");
		for (i = 0; i < n; i++) {
			ct_buf_adds(b, "<li><code>");
			html_text(b, v[i]->object);
			ct_buf_printf(b, "</code>: %s, %s", v[i]->kind ==
			    CT_INTSUM_KIND_LOG ? "log file" : "digest",
			    v[i]->kind == CT_INTSUM_KIND_LOG ?
			    log_label[v[i]->verdict] :
			    digest_label[v[i]->verdict]);
			if (v[i]->account != NULL || v[i]->region != NULL) {
				ct_buf_adds(b, " (");
				html_text(b, v[i]->account != NULL ?
				    v[i]->account : "unknown account");
				ct_buf_adds(b, ", ");
				html_text(b, v[i]->region != NULL ?
				    v[i]->region : "unknown region");
				ct_buf_adds(b, ")");
			}
			ct_buf_adds(b, "</li>\n");
		}
		if (more > 0)
			ct_buf_printf(b, "<li class=\"more\">and %llu more</li>"
			    "\n", (unsigned long long)more);
		ct_buf_adds(b, "</ul>\n");
	}
	free(v);
}

/*
 * The report: metadata, statistics, then each section's charts (summary
 * chart first), each linking to its full-size PNG.  One file, inline CSS,
 * no script and nothing fetched but the PNGs: the Content-Security-Policy
 * says so to the browser, so even a string that escaped escaping could
 * not run or load anything.  Images: 'self' when the report is served,
 * file: as well because browsers differ on what 'self' is for a file://
 * page.
 */
int
report_fill(FILE *fp, void *arg, struct ct_buf *err)
{
	const struct report *ia = arg;
	const struct ct_meta *m = &ia->s->meta;
	struct ct_buf b;
	size_t i;
	int sec, rc = 0;

	ct_buf_init(&b, 0);
	ct_buf_adds(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; img-src 'self' file:; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"referrer\" content=\"no-referrer\">\n"
	    "<title>Account activity: ");
	if (m->account_state == CT_AGREE_SET && m->account_id != NULL)
		html_text(&b, m->account_id);
	else
		html_text(&b, base_name(ia->name));
	ct_buf_adds(&b, "</title>\n");
	ct_buf_adds(&b, index_css);
	ct_buf_adds(&b, "</head>\n<body>\n<header>\n<h1>Account activity "
	    "report</h1>\n");
	index_meta(&b, ia->s, ia->name);
	if (m->integrity != NULL)
		index_integrity(&b, m->integrity);
	ct_buf_adds(&b, "</header>\n<nav>");
	for (sec = 0; sec < CT_SECTIONS; sec++) {
		if (ia->nent[sec] == 0)
			continue;
		ct_buf_printf(&b, "<a href=\"#%s\">", ct_section_name[sec]);
		html_text(&b, plot_sec_title[sec]);
		ct_buf_printf(&b, " (%zu)</a>\n", ia->nent[sec]);
	}
	ct_buf_adds(&b, "</nav>\n<main>\n");
	for (sec = 0; sec < CT_SECTIONS && rc == 0; sec++) {
		if (ia->nent[sec] == 0)
			continue;
		ct_buf_printf(&b, "<section id=\"%s\">\n<h2>",
		    ct_section_name[sec]);
		html_text(&b, plot_sec_title[sec]);
		ct_buf_adds(&b, "</h2>\n");
		for (i = 0; i < ia->nent[sec]; i++) {
			ct_buf_adds(&b, "<figure><a href=\"");
			html_url(&b, ia->ent[sec][i].href);
			ct_buf_adds(&b, "\"><img src=\"");
			html_url(&b, ia->ent[sec][i].href);
			ct_buf_printf(&b, "\" width=\"%d\" height=\"%d\" "
			    "loading=\"lazy\" alt=\"", ia->width,
			    ia->height);
			html_text(&b, ia->ent[sec][i].title);
			ct_buf_adds(&b, "\"></a>\n<figcaption>");
			html_text(&b, ia->ent[sec][i].title);
			ct_buf_adds(&b, "</figcaption></figure>\n");
			if (b.len > 65536) {
				if (fwrite(b.data, 1, b.len, fp) != b.len)
					rc = -1;
				ct_buf_reset(&b);
			}
		}
		ct_buf_adds(&b, "</section>\n");
	}
	ct_buf_adds(&b, "</main>\n</body>\n</html>\n");
	if (rc == 0 && fwrite(b.data, 1, b.len, fp) != b.len)
		rc = -1;
	if (rc != 0)
		ct_buf_printf(err, "%s", strerror(errno));
	ct_buf_free(&b);
	return rc;
}

