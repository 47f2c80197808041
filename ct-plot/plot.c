/*
 * plot.c - walk a summary, render its charts, write them and index.html.
 *
 * The main thread walks the sections in order (ct_summary_visit gives the
 * categories sorted, and each category's keys in chart order), names each
 * chart (fsname, in that sorted order, so collision suffixes are stable)
 * and queues a self-contained job: title, the top bars with copied labels,
 * target folder and name.  Worker threads render and write the jobs; the
 * first error stops the run.  With --jobs 1 the main thread does the work
 * itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "fsname.h"
#include "jstr.h"
#include "plot.h"
#include "pngio.h"
#include "strmap.h"
#include "timefmt.h"

#define QUEUE_MAX	64
#define JOBS_MAX	64		/* worker threads */

/* Titles as the Python tool writes them, by section. */
static const char *const sec_title[CT_SECTIONS] = {
	"API calls by principal",
	"API calls by region",
	"IP addresses by principal",
	"User agents by principal",
	"Error codes by principal",
};

volatile sig_atomic_t plot_busy, plot_stop;
static unsigned long temp_seq;

typedef int (*fill_fn)(FILE *fp, void *arg, struct ct_buf *err);

/*
 * Write name in dirfd through a temporary file (atomicfile.h); dirpath is
 * for messages.  On failure the temporary file is removed.  The files are
 * not fsync'ed: a report is made again by running ct-plot again, and a
 * crash still leaves each file old or new, never a mix.
 */
static int
write_atomic(int dirfd, const char *dirpath, const char *name, fill_fn fill,
    void *arg, struct ct_buf *err)
{
	struct ct_afile af;
	char tmp[64];
	FILE *fp;

	snprintf(tmp, sizeof(tmp), ".ct-plot.%ld.%lu.tmp", (long)getpid(),
	    __atomic_fetch_add(&temp_seq, 1, __ATOMIC_RELAXED));
	if (ct_afile_open(&af, dirfd, name, tmp, 0666, 0, err) != 0) {
		int e = errno;

		ct_buf_reset(err);
		ct_buf_printf(err, "%s/%s: %s", dirpath, name, strerror(e));
		return -1;
	}
	if ((fp = ct_afile_stream(&af, err)) == NULL) {
		ct_afile_discard(&af);
		goto fail;
	}
	if (fill(fp, arg, err) != 0) {
		ct_afile_discard(&af);
		goto fail;
	}
	if (ct_afile_commit(&af, err) != 0)
		goto fail;
	return 0;

fail:
	/* Prefix the reason with the file it concerns. */
	{
		struct ct_buf b;

		ct_buf_init(&b, 0);
		ct_buf_printf(&b, "%s/%s: %s", dirpath, name,
		    err->data ? err->data : "write failed");
		ct_buf_reset(err);
		ct_buf_add(err, b.data, b.len);
		ct_buf_free(&b);
	}
	return -1;
}

/* ---- jobs ------------------------------------------------------------- */

struct job {
	struct job		*next;
	char			*title;
	struct ct_chart_bar	*bars;		/* labels owned */
	size_t			 nbars;
	int			 cut;
	int			 dirfd;		/* borrowed */
	const char		*dirpath;	/* borrowed */
	char			*name;
};

static void
job_free(struct job *j)
{
	size_t i;

	for (i = 0; i < j->nbars; i++)
		free((char *)j->bars[i].label);
	free(j->bars);
	free(j->title);
	free(j->name);
	free(j);
}

static int
fill_png(FILE *fp, void *arg, struct ct_buf *err)
{
	return ct_png_write(arg, fp, err);
}

/* Render and write j; *canvas is kept from chart to chart. */
static int
run_job(const struct plot_opts *po, struct ct_font *f, struct job *j,
    struct ct_canvas **canvas, struct ct_buf *err)
{
	struct ct_chart ch;
	struct ct_canvas *c;

	ch.title = j->title;
	ch.titlen = strlen(j->title);
	ch.bars = j->bars;
	ch.nbars = j->nbars;
	ch.cut = j->cut;
	ch.width = po->width;
	ch.height = po->height;
	if ((c = ct_chart_render(&ch, f, *canvas, err)) == NULL)
		return -1;
	if (c != *canvas) {
		ct_canvas_free(*canvas);
		*canvas = c;
	}
	return write_atomic(j->dirfd, j->dirpath, j->name, fill_png, c, err);
}

struct pool {
	const struct plot_opts	*po;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv_job, cv_space;
	struct job		*head, *tail;
	size_t			 queued;
	int			 closing, failed;
	long			 written;
	struct ct_buf		 err;		/* first error */
	pthread_t		*th;
	int			 nth;
	struct ct_canvas	*canvas;	/* the main thread's, --jobs 1 */
};

static void
pool_fail(struct pool *p, const struct ct_buf *err)
{
	pthread_mutex_lock(&p->mu);
	if (!p->failed) {
		__atomic_store_n(&p->failed, 1, __ATOMIC_RELAXED);
		ct_buf_add(&p->err, err->data ? err->data : "failed",
		    err->data ? err->len : 6);
	}
	pthread_cond_broadcast(&p->cv_space);
	pthread_mutex_unlock(&p->mu);
}

static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct ct_canvas *canvas = NULL;
	struct ct_font *f;
	struct ct_buf err;
	struct job *j;

	ct_buf_init(&err, 4096);
	if ((f = ct_font_open(ct_font_file(p->po->font), &err)) == NULL)
		pool_fail(p, &err);
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->head == NULL && !p->closing)
			pthread_cond_wait(&p->cv_job, &p->mu);
		if ((j = p->head) == NULL) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		p->head = j->next;
		if (p->head == NULL)
			p->tail = NULL;
		p->queued--;
		pthread_cond_signal(&p->cv_space);
		pthread_mutex_unlock(&p->mu);
		ct_buf_reset(&err);
		if (f != NULL && !plot_stop && !__atomic_load_n(&p->failed,
		    __ATOMIC_RELAXED)) {
			if (run_job(p->po, f, j, &canvas, &err) != 0)
				pool_fail(p, &err);
			else
				__atomic_fetch_add(&p->written, 1,
				    __ATOMIC_RELAXED);
		}
		job_free(j);
	}
	ct_canvas_free(canvas);
	ct_font_free(f);
	ct_buf_free(&err);
	return NULL;
}

static void
pool_start(struct pool *p, const struct plot_opts *po)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->po = po;
	ct_buf_init(&p->err, 4096);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv_job, NULL);
	pthread_cond_init(&p->cv_space, NULL);
	if (po->jobs <= 1)
		return;
	p->th = xcalloc((size_t)po->jobs, sizeof(*p->th));
	for (i = 0; i < po->jobs && i < JOBS_MAX; i++) {
		if (pthread_create(&p->th[i], NULL, worker, p) != 0)
			break;
		p->nth++;
	}
}

/* Queue j (or run it here without workers).  0, or -1 once failed. */
static int
pool_put(struct pool *p, struct job *j)
{
	struct ct_buf err;
	int rc;

	if (p->nth == 0) {
		if (p->failed || plot_stop) {
			job_free(j);
			return -1;
		}
		ct_buf_init(&err, 4096);
		if ((rc = run_job(p->po, p->po->font, j, &p->canvas,
		    &err)) != 0)
			pool_fail(p, &err);
		else
			p->written++;
		ct_buf_free(&err);
		job_free(j);
		return rc;
	}
	pthread_mutex_lock(&p->mu);
	while (p->queued >= QUEUE_MAX && !p->failed)
		pthread_cond_wait(&p->cv_space, &p->mu);
	if (p->failed || plot_stop) {
		pthread_mutex_unlock(&p->mu);
		job_free(j);
		return -1;
	}
	if (p->tail != NULL)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	p->queued++;
	pthread_cond_signal(&p->cv_job);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

/* Wait for the queued jobs; returns 0 or -1 (reason in p->err). */
static int
pool_finish(struct pool *p)
{
	int i;

	pthread_mutex_lock(&p->mu);
	p->closing = 1;
	pthread_cond_broadcast(&p->cv_job);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nth; i++)
		pthread_join(p->th[i], NULL);
	free(p->th);
	p->th = NULL;
	p->nth = 0;
	return p->failed ? -1 : 0;
}

static void
pool_free(struct pool *p)
{
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv_job);
	pthread_cond_destroy(&p->cv_space);
	ct_buf_free(&p->err);
	ct_canvas_free(p->canvas);
}

/* ---- walking the summary ----------------------------------------------- */

struct entry {				/* one chart, for index.html */
	char		*title;
	char		*href;		/* relative to the output folder */
};

struct total {				/* one bar of a summary chart */
	char		*cat;
	size_t		 catn;
	uint64_t	 value;
};

struct walk {
	const struct plot_opts	*po;
	struct pool		*pool;
	enum ct_section		 sec;
	int			 topfd;
	int			 subfd[CT_SECTIONS];	/* -1: not made yet */
	const char		*dir;
	char			*subpath[CT_SECTIONS];
	struct ct_fsname	*names;
	struct total		*tot;
	size_t			 ntot, totcap;
	struct entry		*ent[CT_SECTIONS];	/* [0]: summary chart */
	size_t			 nent[CT_SECTIONS], entcap[CT_SECTIONS];
	struct ct_buf		*err;
	int			 failed;
};

static void
add_entry(struct walk *w, enum ct_section sec, const char *title,
    const char *href)
{
	if (w->nent[sec] == w->entcap[sec]) {
		w->entcap[sec] = w->entcap[sec] ? 2 * w->entcap[sec] : 16;
		w->ent[sec] = xrealloc(w->ent[sec],
		    w->entcap[sec] * sizeof(*w->ent[sec]));
	}
	w->ent[sec][w->nent[sec]].title = xstrdup(title);
	w->ent[sec][w->nent[sec]].href = xstrdup(href);
	w->nent[sec]++;
}

/* A job for a chart of items[0..n) (already in chart order). */
static struct job *
make_job(const struct plot_opts *po, const char *title,
    const struct ct_summary_item *items, size_t n)
{
	struct job *j = xcalloc(1, sizeof(*j));
	size_t i;

	j->title = xstrdup(title);
	j->nbars = n > po->top ? po->top : n;
	j->cut = n > po->top;
	j->bars = xcalloc(j->nbars ? j->nbars : 1, sizeof(*j->bars));
	for (i = 0; i < j->nbars; i++) {
		j->bars[i].label = xstrndup(items[i].key, items[i].keyn);
		j->bars[i].labeln = items[i].keyn;
		j->bars[i].value = items[i].count;
	}
	return j;
}

static void
chart_title(struct ct_buf *b, enum ct_section sec, const char *cat,
    size_t catn)
{
	ct_buf_reset(b);
	ct_buf_printf(b, "%s '", sec_title[sec]);
	ct_chart_shorten(b, cat, catn, CT_CHART_LABEL_MAX);
	ct_buf_addc(b, '\'');
}

static int
open_subdir(struct walk *w)
{
	const char *name = ct_section_name[w->sec];
	struct ct_buf b;

	ct_buf_init(&b, 0);
	ct_buf_printf(&b, "%s/%s", w->dir, name);
	w->subpath[w->sec] = b.data;
	if (mkdirat(w->topfd, name, 0777) != 0 && errno != EEXIST) {
		ct_buf_printf(w->err, "%s: %s", b.data, strerror(errno));
		return -1;
	}
	w->subfd[w->sec] = openat(w->topfd, name, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC);
	if (w->subfd[w->sec] < 0) {
		ct_buf_printf(w->err, "%s: %s", b.data,
		    errno == ELOOP || errno == ENOTDIR ?
		    "exists and is not a folder" : strerror(errno));
		return -1;
	}
	return 0;
}

static int
visit_category(void *arg, enum ct_section sec, const char *cat, size_t catn,
    const struct ct_summary_item *items, size_t n)
{
	struct walk *w = arg;
	struct total *t;
	struct ct_buf title, href;
	struct job *j;
	uint64_t v = 0;
	size_t i;

	if (plot_stop) {
		w->failed = 1;
		return -1;
	}

	/* The summary chart's bar: total calls, or distinct values. */
	if (sec == CT_API_CALLS_BY_PRINCIPAL || sec == CT_API_CALLS_BY_REGION) {
		for (i = 0; i < n; i++)
			v = items[i].count > UINT64_MAX - v ? UINT64_MAX :
			    v + items[i].count;
	} else
		v = n;
	if (w->ntot == w->totcap) {
		w->totcap = w->totcap ? 2 * w->totcap : 64;
		w->tot = xrealloc(w->tot, w->totcap * sizeof(*w->tot));
	}
	t = &w->tot[w->ntot++];
	t->cat = xstrndup(cat, catn);
	t->catn = catn;
	t->value = v;
	if (n == 0)
		return 0;		/* nothing to chart for it */

	if (w->subfd[sec] < 0 && open_subdir(w) != 0) {
		w->failed = 1;
		return -1;
	}
	ct_buf_init(&title, 0);
	ct_buf_init(&href, 0);
	chart_title(&title, sec, cat, catn);
	j = make_job(w->po, title.data, items, n);
	j->dirfd = w->subfd[sec];
	j->dirpath = w->subpath[sec];
	j->name = ct_fsname_make(w->names, cat, catn, ".png");
	ct_buf_printf(&href, "%s/%s", ct_section_name[sec], j->name);
	add_entry(w, sec, title.data, href.data);
	ct_buf_free(&title);
	ct_buf_free(&href);
	if (pool_put(w->pool, j) != 0) {
		w->failed = 1;
		return -1;
	}
	return 0;
}

static int
cmp_total(const void *a, const void *b)
{
	const struct total *x = a, *y = b;

	if (x->value != y->value)
		return x->value > y->value ? -1 : 1;
	return ct_jstr_cmp(x->cat, x->catn, y->cat, y->catn);
}

/* The section's summary chart, from w->tot. */
static int
summary_chart(struct walk *w)
{
	struct ct_summary_item *items;
	struct ct_buf title, name;
	struct job *j;
	size_t i;
	int rc;

	qsort(w->tot, w->ntot, sizeof(*w->tot), cmp_total);
	items = xcalloc(w->ntot, sizeof(*items));
	for (i = 0; i < w->ntot; i++) {
		items[i].key = w->tot[i].cat;
		items[i].keyn = w->tot[i].catn;
		items[i].count = w->tot[i].value;
	}
	ct_buf_init(&title, 0);
	ct_buf_init(&name, 0);
	ct_buf_printf(&title, "%s summary", sec_title[w->sec]);
	ct_buf_printf(&name, "%s_summary.png", ct_section_name[w->sec]);
	j = make_job(w->po, title.data, items, w->ntot);
	j->dirfd = w->topfd;
	j->dirpath = w->dir;
	j->name = xstrdup(name.data);
	/* The summary chart comes first in its section of the index. */
	add_entry(w, w->sec, title.data, name.data);
	if (w->nent[w->sec] > 1) {
		struct entry e = w->ent[w->sec][w->nent[w->sec] - 1];

		memmove(w->ent[w->sec] + 1, w->ent[w->sec],
		    (w->nent[w->sec] - 1) * sizeof(e));
		w->ent[w->sec][0] = e;
	}
	rc = pool_put(w->pool, j);
	ct_buf_free(&title);
	ct_buf_free(&name);
	free(items);
	return rc;
}

static int
count_category(void *arg, enum ct_section sec, const char *cat, size_t catn,
    const struct ct_summary_item *items, size_t n)
{
	(void)sec;
	(void)cat;
	(void)catn;
	(void)items;
	(void)n;
	(*(size_t *)arg)++;
	return 0;
}

/* ---- index.html ------------------------------------------------------- */

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

struct index_arg {
	struct walk			*w;
	const struct ct_summary		*s;
	const char			*name;
};

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

/*
 * The report: metadata, statistics, then each section's charts (summary
 * chart first), each linking to its full-size PNG.  One file, inline CSS,
 * no script and nothing fetched but the PNGs: the Content-Security-Policy
 * says so to the browser, so even a string that escaped escaping could
 * not run or load anything.  Images: 'self' when the report is served,
 * file: as well because browsers differ on what 'self' is for a file://
 * page.
 */
static int
fill_index(FILE *fp, void *arg, struct ct_buf *err)
{
	struct index_arg *ia = arg;
	struct walk *w = ia->w;
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
	ct_buf_adds(&b, "</header>\n<nav>");
	for (sec = 0; sec < CT_SECTIONS; sec++) {
		if (w->nent[sec] == 0)
			continue;
		ct_buf_printf(&b, "<a href=\"#%s\">", ct_section_name[sec]);
		html_text(&b, sec_title[sec]);
		ct_buf_printf(&b, " (%zu)</a>\n", w->nent[sec]);
	}
	ct_buf_adds(&b, "</nav>\n<main>\n");
	for (sec = 0; sec < CT_SECTIONS && rc == 0; sec++) {
		if (w->nent[sec] == 0)
			continue;
		ct_buf_printf(&b, "<section id=\"%s\">\n<h2>",
		    ct_section_name[sec]);
		html_text(&b, sec_title[sec]);
		ct_buf_adds(&b, "</h2>\n");
		for (i = 0; i < w->nent[sec]; i++) {
			ct_buf_adds(&b, "<figure><a href=\"");
			html_url(&b, w->ent[sec][i].href);
			ct_buf_adds(&b, "\"><img src=\"");
			html_url(&b, w->ent[sec][i].href);
			ct_buf_printf(&b, "\" width=\"%d\" height=\"%d\" "
			    "loading=\"lazy\" alt=\"", w->po->width,
			    w->po->height);
			html_text(&b, w->ent[sec][i].title);
			ct_buf_adds(&b, "\"></a>\n<figcaption>");
			html_text(&b, w->ent[sec][i].title);
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

/* ---- the whole ----------------------------------------------------------- */

/* Create or open the output folder; an existing one must be empty. */
static int
open_outdir(const char *dir, int force, struct ct_buf *err)
{
	struct dirent *de;
	DIR *d;
	int fd, made, dfd, busy = 0;

	made = mkdir(dir, 0777) == 0;
	if (!made && errno != EEXIST) {
		ct_buf_printf(err, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		ct_buf_printf(err, "%s: %s", dir, errno == ENOTDIR ?
		    "exists and is not a folder" : strerror(errno));
		return -1;
	}
	if (made || force)
		return fd;
	if ((dfd = dup(fd)) < 0 || (d = fdopendir(dfd)) == NULL) {
		ct_buf_printf(err, "%s: %s", dir, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			busy = 1;
			break;
		}
	closedir(d);
	if (busy) {
		ct_buf_printf(err, "%s: output folder exists and is not empty "
		    "(use --force to write into it)", dir);
		close(fd);
		return -1;
	}
	return fd;
}

long
plot_summary(const struct plot_opts *po, const struct ct_summary *s,
    const char *name, const char *dir, struct ct_buf *err)
{
	struct walk w;
	struct pool pool;
	struct index_arg ia;
	size_t ncat = 0, i;
	int sec, rc = 0;

	for (sec = 0; sec < CT_SECTIONS; sec++)
		ct_summary_visit(s, (enum ct_section)sec, count_category,
		    &ncat);
	if (ncat == 0)
		return 0;

	memset(&w, 0, sizeof(w));
	w.po = po;
	w.pool = &pool;
	w.dir = dir;
	w.err = err;
	for (sec = 0; sec < CT_SECTIONS; sec++)
		w.subfd[sec] = -1;
	plot_busy = 1;
	if ((w.topfd = open_outdir(dir, po->force, err)) < 0) {
		plot_busy = 0;
		return -1;
	}
	pool_start(&pool, po);
	for (sec = 0; sec < CT_SECTIONS && rc == 0; sec++) {
		w.sec = (enum ct_section)sec;
		w.names = ct_fsname_new();
		w.ntot = 0;
		ct_summary_visit(s, w.sec, visit_category, &w);
		if (w.failed)
			rc = -1;
		else if (w.ntot > 0)
			rc = summary_chart(&w);
		for (i = 0; i < w.ntot; i++)
			free(w.tot[i].cat);
		ct_fsname_free(w.names);
	}
	/* The folders stay open until the workers are done with them. */
	if (pool_finish(&pool) != 0 && err->len == 0)
		ct_buf_add(err, pool.err.data, pool.err.len);
	if (plot_stop) {
		ct_buf_reset(err);
		ct_buf_printf(err, "%s: interrupted", dir);
	}
	if (pool.failed || rc != 0 || plot_stop)
		rc = -1;
	if (rc == 0) {
		ia.w = &w;
		ia.s = s;
		ia.name = name;
		rc = write_atomic(w.topfd, dir, "index.html", fill_index, &ia,
		    err);
	}
	plot_busy = 0;
	close(w.topfd);
	free(w.tot);
	for (sec = 0; sec < CT_SECTIONS; sec++) {
		if (w.subfd[sec] >= 0)
			close(w.subfd[sec]);
		free(w.subpath[sec]);
		for (i = 0; i < w.nent[sec]; i++) {
			free(w.ent[sec][i].title);
			free(w.ent[sec][i].href);
		}
		free(w.ent[sec]);
	}
	pool_free(&pool);
	return rc == 0 ? pool.written : -1;
}
