/*
 * chart.h - the horizontal bar chart ct-plot draws, laid out and rendered.
 *
 * One chart is a title and a ranked list of (label, count) bars, drawn the
 * way the Python tool's matplotlib charts look (title at the top left, one
 * bar per row, largest at the top, bars in #e4af00 on white, a count axis
 * at the bottom) but laid out for readability whatever the data:
 *
 *   - labels longer than CT_CHART_LABEL_MAX characters end in "[...]";
 *     the empty label is shown as "" (in the escapes' ink, see font.h);
 *   - the label column is as wide as its longest label needs, up to 55% of
 *     the width; beyond that the label font shrinks a little, then labels
 *     are cut further (again ending in "[...]");
 *   - bar thickness and label size follow the number of rows, so labels
 *     never overlap (with very many rows, only every k-th row is labelled);
 *   - the count axis has integer ticks at 1, 2 or 5 x 10^k steps, as many
 *     as fit without their labels touching, with light gridlines;
 *   - bar lengths are proportional to the counts (axis from 0 to 105% of
 *     the largest count); a non-zero count is at least 1 pixel long.
 *
 * The caller sorts and cuts the bars (largest first, at most --top) and
 * says whether a final "[...]" row (no bar) marks that more were cut.
 */
#ifndef CT_CHART_H
#define CT_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "canvas.h"
#include "font.h"

#define CT_CHART_COLOR		0xe4af00	/* bars */
#define CT_CHART_LABEL_MAX	85		/* characters */
#define CT_CHART_ELLIPSIS	"[...]"
#define CT_CHART_MIN_W		320
#define CT_CHART_MIN_H		200
#define CT_CHART_MAX_W		8000
#define CT_CHART_MAX_H		8000

struct ct_chart_bar {
	const char	*label;		/* UTF-8, need not be NUL-terminated */
	size_t		 labeln;
	uint64_t	 value;
};

struct ct_chart {
	const char	*title;		/* UTF-8 */
	size_t		 titlen;
	const struct ct_chart_bar *bars;
	size_t		 nbars;
	int		 cut;		/* add a final "[...]" row */
	int		 width, height;	/* CT_CHART_MIN_* .. CT_CHART_MAX_* */
};

/*
 * Draw ch onto a canvas of its size: reuse if it is not NULL and has that
 * size (it is cleared first; saves a 4 MB allocation per chart), else a
 * new one.  Returns the canvas (the caller frees it with ct_canvas_free(),
 * and reuse too if a different one came back), or NULL with a reason in
 * err when the size is out of range or the rows cannot fit (fewer than 2
 * pixels each).
 */
struct ct_canvas *ct_chart_render(const struct ct_chart *ch,
	    struct ct_font *f, struct ct_canvas *reuse, struct ct_buf *err);

/*
 * Append s[0..n) to out, cut as the Python tool cuts labels: a text of
 * more than max characters (code points) becomes its first max - 5
 * characters and "[...]".  Returns the number of characters appended.
 */
size_t	ct_chart_shorten(struct ct_buf *out, const char *s, size_t n,
	    size_t max);

/* Rows a w x h chart surely has room for (for checking --top early). */
size_t	ct_chart_max_rows(int w, int h);

#endif
