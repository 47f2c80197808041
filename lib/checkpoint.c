/*
 * checkpoint.c - see checkpoint.h
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "checkpoint.h"
#include "json.h"
#include "jstr.h"
#include "xalloc.h"

void
ct_ckpt_init(struct ct_ckpt *ck)
{
	memset(ck, 0, sizeof(*ck));
}

void
ct_ckpt_free(struct ct_ckpt *ck)
{
	size_t i;

	for (i = 0; i < ck->nregions; i++) {
		free(ck->regions[i]->region);
		free(ck->regions[i]->next_token);
		ct_ckpt_s3_free(ck->regions[i]->s3);
		free(ck->regions[i]);
	}
	free(ck->regions);
	free(ck->source);
	ct_ckpt_init(ck);
}

static void
list_free(struct ct_ckpt_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

void
ct_ckpt_list_add(struct ct_ckpt_list *l, const char *str)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = xstrdup(str);
}

void
ct_ckpt_s3_free(struct ct_ckpt_s3 *s)
{
	if (s == NULL)
		return;
	list_free(&s->days);
	list_free(&s->upto);
	list_free(&s->keys);
	free(s);
}

struct ct_ckpt_region *
ct_ckpt_find_in(struct ct_ckpt *ck, const char *account, const char *region)
{
	size_t i;

	for (i = 0; i < ck->nregions; i++)
		if (strcmp(ck->regions[i]->region, region) == 0 &&
		    strcmp(ck->regions[i]->account, account) == 0)
			return ck->regions[i];
	return NULL;
}

struct ct_ckpt_region *
ct_ckpt_find(struct ct_ckpt *ck, const char *region)
{
	return ct_ckpt_find_in(ck, "", region);
}

struct ct_ckpt_region *
ct_ckpt_add(struct ct_ckpt *ck, const char *region)
{
	return ct_ckpt_add_in(ck, "", region);
}

struct ct_ckpt_region *
ct_ckpt_add_in(struct ct_ckpt *ck, const char *account, const char *region)
{
	struct ct_ckpt_region *r;

	if ((r = ct_ckpt_find_in(ck, account, region)) != NULL)
		return r;
	r = xcalloc(1, sizeof(*r));
	r->region = xstrdup(region);
	snprintf(r->account, sizeof(r->account), "%s", account);
	ck->regions = xrealloc(ck->regions,
	    (ck->nregions + 1) * sizeof(*ck->regions));
	ck->regions[ck->nregions++] = r;
	return r;
}

void
ct_ckpt_set_token(struct ct_ckpt_region *r, const char *token)
{
	free(r->next_token);
	r->next_token = token != NULL ? xstrdup(token) : NULL;
}

static int
encode_list(struct ct_buf *out, const struct ct_ckpt_list *l)
{
	size_t i;
	int rc = ct_buf_adds(out, "[");

	for (i = 0; i < l->n; i++) {
		if (i > 0)
			rc |= ct_buf_adds(out, ",");
		rc |= ct_jstr_encode(out, l->v[i], strlen(l->v[i]));
	}
	return rc | ct_buf_adds(out, "]");
}

int
ct_ckpt_encode(const struct ct_ckpt *ck, struct ct_buf *out)
{
	const struct ct_ckpt_region *r;
	size_t i;
	int rc = 0;

	rc |= ct_buf_printf(out, "{\"ctFetchCheckpoint\":%d,\"accountId\":",
	    CT_CKPT_VERSION);
	rc |= ct_jstr_encode(out, ck->account, strlen(ck->account));
	rc |= ct_buf_printf(out, ",\"window\":{\"start\":%" PRId64
	    ",\"end\":%" PRId64 "},\"runTimestamp\":", ck->start, ck->end);
	rc |= ct_jstr_encode(out, ck->run_timestamp,
	    strlen(ck->run_timestamp));
	if (ck->source != NULL) {
		rc |= ct_buf_adds(out, ",\"source\":");
		rc |= ct_jstr_encode(out, ck->source, strlen(ck->source));
	}
	rc |= ct_buf_adds(out, ",\"regions\":[");
	for (i = 0; i < ck->nregions; i++) {
		r = ck->regions[i];
		rc |= ct_buf_adds(out, i ? ",{\"region\":" : "{\"region\":");
		rc |= ct_jstr_encode(out, r->region, strlen(r->region));
		if (r->account[0] != '\0') {
			rc |= ct_buf_adds(out, ",\"account\":");
			rc |= ct_jstr_encode(out, r->account,
			    strlen(r->account));
		}
		if (r->s3 != NULL) {
			rc |= ct_buf_adds(out, ",\"s3\":{\"days\":");
			rc |= encode_list(out, &r->s3->days);
			rc |= ct_buf_adds(out, ",\"upto\":");
			rc |= encode_list(out, &r->s3->upto);
			rc |= ct_buf_adds(out, ",\"keys\":");
			rc |= encode_list(out, &r->s3->keys);
			rc |= ct_buf_adds(out, "}");
		}
		rc |= ct_buf_adds(out, ",\"nextToken\":");
		if (r->next_token != NULL)
			rc |= ct_jstr_encode(out, r->next_token,
			    strlen(r->next_token));
		else
			rc |= ct_buf_adds(out, "null");
		rc |= ct_buf_printf(out, ",\"events\":%" PRIu64 ",\"pages\":%"
		    PRIu64 ",\"done\":%s,\"reached\":%" PRId64 "}", r->events,
		    r->pages, r->done ? "true" : "false", r->reached);
	}
	rc |= ct_buf_adds(out, "]");
	if (ck->has_output)
		rc |= ct_buf_printf(out, ",\"output\":{\"dev\":\"%" PRIu64
		    "\",\"ino\":\"%" PRIu64 "\",\"size\":%" PRIu64 "}",
		    ck->out_dev, ck->out_ino, ck->out_size);
	rc |= ct_buf_adds(out, "}\n");
	return rc ? -1 : 0;
}

/* A string of 1 to 20 decimal digits that fits in 64 bits. */
static int
get_u64str(const struct ct_jnode *obj, const char *key, uint64_t *v)
{
	const char *s = ct_json_get_str(obj, key);
	uint64_t x = 0;
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > 20)
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    x > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = x;
	return 0;
}

static int
get_int(const struct ct_jnode *obj, const char *key, int64_t *v)
{
	const struct ct_jnode *n = ct_json_get(obj, key);

	return n != NULL && ct_json_int(n, v) == 0 ? 0 : -1;
}

static int
copy_str(const struct ct_jnode *obj, const char *key, char *dst, size_t size)
{
	const char *s = ct_json_get_str(obj, key);

	if (s == NULL || strlen(s) >= size)
		return -1;
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

/* An array of strings of 1 to 2048 bytes (S3 keys are at most 1024). */
static int
decode_list(const struct ct_jnode *a, struct ct_ckpt_list *l)
{
	const struct ct_jnode *e;

	if (a == NULL || a->type != CT_JARRAY)
		return -1;
	for (e = a->child; e != NULL; e = e->next) {
		if (e->type != CT_JSTRING || e->len == 0 || e->len > 2048 ||
		    memchr(e->str, '\0', e->len) != NULL)
			return -1;
		ct_ckpt_list_add(l, e->str);
	}
	return 0;
}

static int
decode_s3(const struct ct_jnode *o, struct ct_ckpt_s3 **out)
{
	struct ct_ckpt_s3 *s = xcalloc(1, sizeof(*s));

	if (decode_list(ct_json_get(o, "days"), &s->days) != 0 ||
	    decode_list(ct_json_get(o, "upto"), &s->upto) != 0 ||
	    decode_list(ct_json_get(o, "keys"), &s->keys) != 0) {
		ct_ckpt_s3_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

static int
decode_region(struct ct_ckpt *ck, const struct ct_jnode *e,
    struct ct_buf *err)
{
	const struct ct_jnode *t, *d, *s3;
	struct ct_ckpt_region *r;
	struct ct_ckpt_s3 *s3v = NULL;
	const char *name, *acc;
	int64_t ev, pg, reached;

	if (e->type != CT_JOBJECT ||
	    (name = ct_json_get_str(e, "region")) == NULL || *name == '\0') {
		ct_buf_adds(err, "a region entry without \"region\"");
		return -1;
	}
	/* a region name, as ct_aws_new wants it; never echo anything else
	 * (it could hold newlines or terminal escapes) */
	if (strlen(name) > 63 ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
	    strlen(name)) {
		ct_buf_adds(err, "a region entry with a bad region name");
		return -1;
	}
	acc = ct_json_get_str(e, "account");
	if (acc != NULL && (strlen(acc) != 12 ||
	    strspn(acc, "0123456789") != 12)) {
		ct_buf_printf(err, "region %s: bad account", name);
		return -1;
	}
	if (acc == NULL)
		acc = "";
	if (ct_ckpt_find_in(ck, acc, name) != NULL) {
		ct_buf_printf(err, "region %s listed twice", name);
		return -1;
	}
	s3 = ct_json_get(e, "s3");
	if (s3 != NULL && (s3->type != CT_JOBJECT ||
	    decode_s3(s3, &s3v) != 0)) {
		ct_buf_printf(err, "region %s: bad \"s3\"", name);
		return -1;
	}
	t = ct_json_get(e, "nextToken");
	d = ct_json_get(e, "done");
	if (get_int(e, "events", &ev) != 0 || ev < 0 ||
	    get_int(e, "pages", &pg) != 0 || pg < 0 ||
	    get_int(e, "reached", &reached) != 0 ||
	    t == NULL || (t->type != CT_JSTRING && t->type != CT_JNULL) ||
	    d == NULL || (d->type != CT_JTRUE && d->type != CT_JFALSE)) {
		ct_buf_printf(err, "region %s: bad or missing field", name);
		ct_ckpt_s3_free(s3v);
		return -1;
	}
	r = ct_ckpt_add_in(ck, acc, name);
	r->s3 = s3v;
	if (t->type == CT_JSTRING && t->len > 0)
		ct_ckpt_set_token(r, t->str);
	r->events = (uint64_t)ev;
	r->pages = (uint64_t)pg;
	r->done = d->type == CT_JTRUE;
	r->reached = reached;
	return 0;
}

int
ct_ckpt_decode(const char *text, size_t n, struct ct_ckpt *ck,
    struct ct_buf *err)
{
	struct ct_jdoc *d;
	const struct ct_jnode *root, *w, *regs, *e, *o;
	int64_t v;

	if ((d = ct_json_parse(text, n, err)) == NULL)
		return -1;
	root = ct_json_root(d);
	if (root == NULL || root->type != CT_JOBJECT ||
	    get_int(root, "ctFetchCheckpoint", &v) != 0) {
		ct_buf_adds(err, "not a ct-fetch checkpoint");
		goto fail;
	}
	if (v != CT_CKPT_VERSION) {
		ct_buf_printf(err, "checkpoint version %" PRId64 " (this "
		    "ct-fetch writes version %d)", v, CT_CKPT_VERSION);
		goto fail;
	}
	w = ct_json_get(root, "window");
	if (w == NULL || w->type != CT_JOBJECT ||
	    get_int(w, "start", &ck->start) != 0 ||
	    get_int(w, "end", &ck->end) != 0 || ck->start > ck->end) {
		ct_buf_adds(err, "bad or missing \"window\"");
		goto fail;
	}
	if (copy_str(root, "accountId", ck->account,
	    sizeof(ck->account)) != 0 ||
	    copy_str(root, "runTimestamp", ck->run_timestamp,
	    sizeof(ck->run_timestamp)) != 0) {
		ct_buf_adds(err, "bad or missing \"accountId\" or "
		    "\"runTimestamp\"");
		goto fail;
	}
	if ((o = ct_json_get(root, "source")) != NULL) {
		if (o->type != CT_JSTRING || o->len == 0 || o->len > 1200 ||
		    memchr(o->str, '\0', o->len) != NULL) {
			ct_buf_adds(err, "bad \"source\"");
			goto fail;
		}
		ck->source = xstrdup(o->str);
	}
	regs = ct_json_get(root, "regions");
	if (regs == NULL || regs->type != CT_JARRAY) {
		ct_buf_adds(err, "bad or missing \"regions\"");
		goto fail;
	}
	for (e = regs->child; e != NULL; e = e->next)
		if (decode_region(ck, e, err) != 0)
			goto fail;
	if ((o = ct_json_get(root, "output")) != NULL) {
		if (o->type != CT_JOBJECT || get_u64str(o, "dev",
		    &ck->out_dev) != 0 || get_u64str(o, "ino",
		    &ck->out_ino) != 0 || get_int(o, "size", &v) != 0 ||
		    v < 0) {
			ct_buf_adds(err, "bad \"output\"");
			goto fail;
		}
		ck->out_size = (uint64_t)v;
		ck->has_output = 1;
	}
	ct_json_free(d);
	return 0;
fail:
	ct_json_free(d);
	ct_ckpt_free(ck);
	return -1;
}

int
ct_ckpt_load(const char *path, struct ct_ckpt *ck, struct ct_buf *err)
{
	struct ct_buf text, why;
	char chunk[65536];
	ssize_t got;
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno == ENOENT)
			return 0;
		ct_buf_printf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	ct_buf_init(&text, CT_CKPT_MAX_SIZE);
	for (;;) {
		got = read(fd, chunk, sizeof(chunk));
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1) {
			ct_buf_printf(err, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		if (ct_buf_add(&text, chunk, (size_t)got) != 0) {
			ct_buf_printf(err, "%s: larger than %zu bytes", path,
			    CT_CKPT_MAX_SIZE);
			goto out;
		}
	}
	ct_buf_init(&why, 1024);
	if (ct_ckpt_decode(text.data ? text.data : "", text.len, ck,
	    &why) != 0)
		ct_buf_printf(err, "%s: %s", path, why.data ? why.data : "");
	else
		rc = 1;
	ct_buf_free(&why);
out:
	ct_buf_free(&text);
	close(fd);
	return rc;
}

static char *
tmp_name(const char *path)
{
	size_t n = strlen(path);
	char *t = xmalloc(n + 5);

	memcpy(t, path, n);
	memcpy(t + n, ".tmp", 5);
	return t;
}

int
ct_ckpt_load_prepared(const char *path, struct ct_ckpt *ck, struct ct_buf *err)
{
	char *tmp = tmp_name(path);
	int rc;

	rc = ct_ckpt_load(tmp, ck, err);
	free(tmp);
	return rc;
}

int
ct_ckpt_prepare(const char *path, const struct ct_ckpt *ck,
    struct ct_buf *err)
{
	struct ct_afile af;
	struct ct_buf text;
	char *tmp = tmp_name(path);
	size_t off = 0;
	ssize_t w;
	int rc = -1;

	ct_buf_init(&text, CT_CKPT_MAX_SIZE);
	if (ct_ckpt_encode(ck, &text) != 0) {
		ct_buf_printf(err, "%s: checkpoint too large", path);
		goto out;
	}
	/* FILE.tmp, a fixed name: ct_ckpt_load_prepared finds it there. */
	if (ct_afile_open(&af, AT_FDCWD, path, tmp, 0600, CT_AFILE_SYNC,
	    err) != 0)
		goto out;
	if (fchmod(af.fd, 0600) != 0)
		goto fail;
	while (off < text.len) {
		w = write(af.fd, text.data + off, text.len - off);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			goto fail;
		off += (size_t)w;
	}
	if (ct_afile_close(&af, err) != 0) {
		ct_afile_discard(&af);
		goto out;
	}
	ct_afile_release(&af);
	rc = 0;
	goto out;
fail:
	ct_buf_printf(err, "%s: %s", tmp, strerror(errno));
	ct_afile_discard(&af);
out:
	ct_buf_free(&text);
	free(tmp);
	return rc;
}

int
ct_ckpt_commit(const char *path, struct ct_buf *err)
{
	char *tmp = tmp_name(path);
	int rc;

	rc = ct_afile_rename(AT_FDCWD, tmp, path, CT_AFILE_SYNC, err);
	free(tmp);
	return rc;
}

void
ct_ckpt_discard(const char *path)
{
	char *tmp = tmp_name(path);

	unlink(tmp);
	free(tmp);
}

/* path's folder resolved by realpath, and its last component; NULL with
 * err when there is no such folder or the last component names none. */
static char *
canon_name(const char *path, struct ct_buf *err)
{
	const char *slash = strrchr(path, '/'), *base;
	char *dir, *real, *name;
	size_t nr, nb;

	if (slash == NULL) {
		dir = xstrdup(".");
		base = path;
	} else {
		dir = xstrdup(path);
		dir[slash == path ? 1 : slash - path] = '\0';
		base = slash + 1;
	}
	if (*base == '\0' || strcmp(base, ".") == 0 ||
	    strcmp(base, "..") == 0) {
		ct_buf_printf(err, "%s: not a file name", path);
		free(dir);
		return NULL;
	}
	if ((real = realpath(dir, NULL)) == NULL) {
		ct_buf_printf(err, "%s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	free(dir);
	nr = strlen(real);
	nb = strlen(base);
	name = xmalloc(nr + 1 + nb + 1);
	memcpy(name, real, nr);
	if (nr == 0 || real[nr - 1] != '/')
		name[nr++] = '/';
	memcpy(name + nr, base, nb + 1);
	free(real);
	return name;
}

int
ct_ckpt_lock(const char *path, int wait_ms, char **canon, int *lockfd,
    struct ct_buf *err)
{
	struct timespec pause = { 0, 100 * 1000 * 1000 };
	struct stat st;
	char *name, *lock = NULL;
	size_t n;
	int fd = -1, waited;

	*canon = NULL;
	*lockfd = -1;
	if ((name = canon_name(path, err)) == NULL)
		return -1;
	if (lstat(name, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			ct_buf_printf(err, "%s is a symbolic link; give the "
			    "checkpoint's own name", path);
			goto fail;
		}
		if (!S_ISREG(st.st_mode)) {
			ct_buf_printf(err, "%s: not a regular file", path);
			goto fail;
		}
		if (st.st_nlink > 1) {
			ct_buf_printf(err, "%s has other names (hard links); "
			    "a checkpoint must have one name", path);
			goto fail;
		}
	} else if (errno != ENOENT) {
		ct_buf_printf(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	n = strlen(name);
	lock = xmalloc(n + 6);
	memcpy(lock, name, n);
	memcpy(lock + n, ".lock", 6);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
	    0600);
	if (fd == -1) {
		if (errno == ELOOP)
			ct_buf_printf(err, "%s.lock is a symbolic link; not "
			    "following it (remove it if it is no lock of "
			    "yours)", path);
		else
			ct_buf_printf(err, "%s.lock: %s", path,
			    strerror(errno));
		goto fail;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
		ct_buf_printf(err, "%s.lock is not a regular file with one "
		    "name; not using it", path);
		goto fail;
	}
	for (waited = 0; flock(fd, LOCK_EX | LOCK_NB) != 0; waited += 100) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			ct_buf_printf(err, "%s.lock: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (waited >= wait_ms) {
			ct_buf_printf(err, "%s is in use by another ct-fetch "
			    "run (locked)", path);
			goto fail;
		}
		nanosleep(&pause, NULL);
	}
	free(lock);
	*canon = name;
	*lockfd = fd;
	return 0;
fail:
	if (fd != -1)
		close(fd);
	free(lock);
	free(name);
	return -1;
}

int
ct_ckpt_save(const char *path, const struct ct_ckpt *ck, struct ct_buf *err)
{
	if (ct_ckpt_prepare(path, ck, err) != 0)
		return -1;
	return ct_ckpt_commit(path, err);
}
