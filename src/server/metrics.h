/*
 * metrics: what the server counts for monitoring, in the Prometheus text
 * exposition format (version 0.0.4).
 *
 * Counters are lock-free atomics updated once per finished request, so
 * counting costs a request a few nanoseconds.  Case counts are read from the
 * database when /metrics is scraped, one series per organisation the caller
 * administers, so the page shows no tenant's figures to another.
 */
#ifndef FH_METRICS_H
#define FH_METRICS_H

#include <stdatomic.h>
#include <stdint.h>

#include "store.h"

enum { METRICS_BUCKETS = 12 };

typedef struct metrics {
	atomic_uint_fast64_t by_class[6]; /* [1] 1xx ... [5] 5xx; [0] anything else */
	atomic_uint_fast64_t latency_bucket[METRICS_BUCKETS]; /* cumulative at render */
	atomic_uint_fast64_t latency_count;
	atomic_uint_fast64_t latency_sum_us;
	atomic_int in_flight;
	/* The writer's totals (writeq_counts), copied in before each render. */
	atomic_uint_fast64_t write_batches, write_changes;
} metrics;

void metrics_init(metrics *m);

/* Counts one finished request. */
void metrics_observe(metrics *m, int status, double seconds);

typedef struct metrics_org {
	int64_t id;
	const char *code;
} metrics_org;

/*
 * The exposition text (malloc'd; the caller frees), with open and overdue
 * cases of each of orgs counted as of today (ISO date); NULL when the
 * database fails.
 */
char *metrics_render(metrics *m, fh_store *st, const char *today, const metrics_org *orgs,
		     size_t n_orgs, fh_error *err);

#endif
