/*
 * fuzz_chart.c - drawing hostile labels (lib/chart.h, lib/font.h).
 *
 * Every category and key a chart shows is a string someone chose (a user
 * agent, a session name): any bytes, invalid UTF-8, bidi controls,
 * thousands of characters.  The input is a title and labels separated by
 * the byte 0xff; the first option byte picks the values and the "[...]"
 * row.  Charts are drawn at the smallest size (320 x 200) to keep runs
 * fast.  Properties: drawing either succeeds or fails with a reason, and
 * ct_chart_shorten never gives more characters than asked for.
 */
#include <string.h>

#include "buf.h"
#include "canvas.h"
#include "chart.h"
#include "font.h"
#include "fuzz.h"

#define MAXBARS	64

static struct ct_font *font;

/* Freeing the font releases fontconfig (FcFini): nothing is left for the
 * leak check at exit. */
static void
free_font(void)
{
	ct_font_free(font);
	font = NULL;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct ct_buf err;
	uint32_t zh = 0x4e2d;

	ct_buf_init(&err, 1024);
	if ((font = ct_font_open(NULL, &err)) == NULL) {
		fprintf(stderr, "fuzz_chart: no font: %s\n", err.data);
		exit(1);
	}
	ct_buf_free(&err);
	/* Start fontconfig here, not inside the first input that needs a
	 * fallback font, so its one-time setup is not counted as that
	 * input's allocations. */
	ct_font_width(font, 12, &zh, 1);
	atexit(free_font);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_chart_bar bars[MAXBARS];
	struct ct_chart ch;
	struct ct_canvas *cv;
	struct ct_buf err, sh;
	const uint8_t *p, *end, *q;
	unsigned opt = fz_take(&data, &size);
	size_t n = 0, k;

	p = data;
	end = data + size;
	memset(&ch, 0, sizeof(ch));
	q = memchr(p, 0xff, size);
	ch.title = (const char *)p;
	ch.titlen = (size_t)((q ? q : end) - p);
	p = q ? q + 1 : end;
	while (p < end && n < MAXBARS) {
		q = memchr(p, 0xff, (size_t)(end - p));
		if (q == NULL)
			q = end;
		bars[n].label = (const char *)p;
		bars[n].labeln = (size_t)(q - p);
		/* descending values, as ct-plot sorts them */
		bars[n].value = (opt & 2) ? UINT64_MAX / (n + 1) :
		    (uint64_t)(MAXBARS - n);
		n++;
		p = q + 1;
	}
	ch.bars = bars;
	ch.nbars = n;
	ch.cut = opt & 1;
	ch.width = CT_CHART_MIN_W;
	ch.height = CT_CHART_MIN_H;
	ct_buf_init(&err, 1024);
	cv = ct_chart_render(&ch, font, NULL, &err);
	if (cv == NULL)
		FZ_CHECK(err.len > 0);
	ct_canvas_free(cv);
	ct_buf_free(&err);

	for (k = 0; k < n; k++) {
		size_t max = 6 + (opt >> 2), got;	/* 6: its minimum */

		ct_buf_init(&sh, 0);
		got = ct_chart_shorten(&sh, bars[k].label, bars[k].labeln, max);
		FZ_CHECK(got <= max);
		ct_buf_free(&sh);
	}
	return 0;
}
