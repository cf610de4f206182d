// SPDX-License-Identifier: GPL-2.0
/*
 * kmeans: an application-like workload for the pcache. Lloyd's k-means
 * (K clusters) over POINTS 2-D integer points: a 4 MiB array read in full
 * by every iteration, the working set. Run once per pcache= size (the
 * array fits, half fits, a quarter fits); scripts/bench prints each boot's
 * time as a slowdown against the boot where everything fits.
 *
 * Rows: kmeans ms (the best of RUNS runs of ITERATIONS steps, after the
 * points were written), kmeans ws_pages and pcache_lines (the ratio of the two is the share of
 * the working set the pcache can hold), kmeans misses_per_run, and a checksum of
 * the centres (the same in every boot: the pcache must not change results).
 */
#include <sys/mman.h>

#include "bench.h"

#define POINTS (512 * 1024)
#define K 8
#define ITERATIONS 3	/* per timed run */
#define RUNS 3		/* the best run is reported: the host's noise only adds */

/* Integer coordinates: TCG emulates floating point slowly, and the point
 * of the benchmark is the memory, not the arithmetic. */
struct point {
	int32_t x, y;
};

struct centre {
	int64_t x, y;
	long n;
};

/* Deterministic points in K blobs (a linear congruential generator). */
static void make_points(void *data)
{
	struct point *pts = data;
	uint32_t s = 12345;

	for (long i = 0; i < POINTS; i++) {
		int32_t cx = (int32_t)(i % K) * 100000;

		s = s * 1103515245u + 12345u;
		pts[i].x = cx + (int32_t)(s >> 16);
		s = s * 1103515245u + 12345u;
		pts[i].y = cx / 2 + (int32_t)(s >> 16);
	}
}

static int nearest(const struct point *p, const struct centre *c)
{
	int best = 0;
	int64_t best_d = INT64_MAX;

	for (int k = 0; k < K; k++) {
		int64_t dx = p->x - c[k].x, dy = p->y - c[k].y, d = dx * dx + dy * dy;

		if (d < best_d) {
			best_d = d;
			best = k;
		}
	}
	return best;
}

/* One Lloyd step: assign every point, move every centre to its mean. */
static void iterate(const struct point *pts, struct centre *c)
{
	struct centre sum[K] = { 0 };

	for (long i = 0; i < POINTS; i++) {
		int k = nearest(&pts[i], c);

		sum[k].x += pts[i].x;
		sum[k].y += pts[i].y;
		sum[k].n++;
	}
	for (int k = 0; k < K; k++)
		if (sum[k].n) {
			c[k].x = sum[k].x / sum[k].n;
			c[k].y = sum[k].y / sum[k].n;
		}
}

static struct centre centres[K];

/* One timed run: ITERATIONS steps from the same start; the centres' checksum. */
static int64_t run_kmeans(const void *data)
{
	const struct point *pts = data;
	int64_t checksum = 0;

	for (int k = 0; k < K; k++)
		centres[k] = (struct centre){ pts[k * 7].x, pts[k * 7].y, 0 };
	for (int i = 0; i < ITERATIONS; i++)
		iterate(pts, centres);
	for (int k = 0; k < K; k++)
		checksum += centres[k].x + centres[k].y;
	return checksum;
}

int main(void)
{
	return bench_app("kmeans", POINTS * sizeof(struct point), RUNS, make_points, run_kmeans);
}
