/*
 * plot.c - walk a summary, render its charts, write them and index.html.
 *
 * The main thread walks the sections in order (ct_summary_visit gives the
 * categories sorted, and each category's keys in chart order), names each
 * chart (fsname, in that sorted order, so collision suffixes are stable)
 * and queues a self-contained job: title, the top bars with copied labels,
 * target folder and name.  Worker threads render and write the jobs; the
 * first error stops the run.  With --jobs 1 the main thread does the work
 * itself.  The page index.html is report.c.
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
#include "report.h"

#define QUEUE_MAX	64
#define JOBS_MAX	64		/* worker threads */

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
	struct report_entry		*ent[CT_SECTIONS];	/* [0]: summary chart */
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
	ct_buf_printf(b, "%s '", plot_sec_title[sec]);
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
	ct_buf_printf(&title, "%s summary", plot_sec_title[w->sec]);
	ct_buf_printf(&name, "%s_summary.png", ct_section_name[w->sec]);
	j = make_job(w->po, title.data, items, w->ntot);
	j->dirfd = w->topfd;
	j->dirpath = w->dir;
	j->name = xstrdup(name.data);
	/* The summary chart comes first in its section of the index. */
	add_entry(w, w->sec, title.data, name.data);
	if (w->nent[w->sec] > 1) {
		struct report_entry e = w->ent[w->sec][w->nent[w->sec] - 1];

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
	struct report rep;
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
		rep.s = s;
		rep.name = name;
		rep.width = po->width;
		rep.height = po->height;
		for (sec = 0; sec < CT_SECTIONS; sec++) {
			rep.ent[sec] = w.ent[sec];
			rep.nent[sec] = w.nent[sec];
		}
		rc = write_atomic(w.topfd, dir, "index.html", report_fill,
		    &rep, err);
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
