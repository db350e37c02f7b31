/*
 * metrics.c: request counters, a latency histogram, and case gauges.
 */
#include "metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "store.h"

/* Upper bounds in seconds; the last bucket is +Inf.  Dense below 25 ms,
 * where the performance target (p99 < 20 ms) lies. */
static const double bounds[METRICS_BUCKETS - 1] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02,
						   0.05,   0.1,   0.25,   0.5,   1.0};

void metrics_init(metrics *m)
{
	for (int i = 0; i < 6; i++)
		atomic_init(&m->by_class[i], 0);
	for (int i = 0; i < METRICS_BUCKETS; i++)
		atomic_init(&m->latency_bucket[i], 0);
	atomic_init(&m->latency_count, 0);
	atomic_init(&m->latency_sum_us, 0);
	atomic_init(&m->in_flight, 0);
	atomic_init(&m->write_batches, 0);
	atomic_init(&m->write_changes, 0);
}

void metrics_observe(metrics *m, int status, double seconds)
{
	int cls = status / 100;
	atomic_fetch_add_explicit(&m->by_class[cls >= 1 && cls <= 5 ? cls : 0], 1,
				  memory_order_relaxed);
	int b = 0;
	while (b < METRICS_BUCKETS - 1 && seconds > bounds[b])
		b++;
	atomic_fetch_add_explicit(&m->latency_bucket[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->latency_count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->latency_sum_us, (uint_fast64_t)(seconds * 1e6),
				  memory_order_relaxed);
}

/* A growing text buffer for the page. */
typedef struct text {
	char *buf;
	size_t len, cap;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(text *t, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = t->cap * 2 + (size_t)n;
		char *bigger = realloc(t->buf, cap);
		if (!bigger)
			abort(); /* as the arena does: a server cannot half-answer */
		t->buf = bigger;
		t->cap = cap;
	}
}

char *metrics_render(metrics *m, fh_store *st, const char *today, const metrics_org *orgs,
		     size_t n_orgs, fh_error *err)
{
	int64_t *open = calloc(n_orgs + 1, sizeof *open);
	int64_t *overdue = calloc(n_orgs + 1, sizeof *overdue);
	if (!open || !overdue)
		abort();
	for (size_t i = 0; i < n_orgs; i++) {
		if (store_case_counts(st, today, orgs[i].id, &open[i], &overdue[i], err)) {
			free(open);
			free(overdue);
			return NULL;
		}
	}
	text t = {malloc(4096), 0, 4096};
	if (!t.buf)
		abort();
	t.buf[0] = '\0';
	put(&t, "# HELP fairhearing_http_requests_total HTTP requests answered, by status class.\n"
		"# TYPE fairhearing_http_requests_total counter\n");
	static const char *const classes[] = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
	for (int i = 1; i <= 6; i++) {
		int c = i % 6; /* 1xx..5xx, then other */
		put(&t, "fairhearing_http_requests_total{code=\"%s\"} %llu\n", classes[c],
		    (unsigned long long)atomic_load(&m->by_class[c]));
	}
	put(&t, "# HELP fairhearing_http_request_duration_seconds Time from the request's "
		"arrival to its response having been sent.\n"
		"# TYPE fairhearing_http_request_duration_seconds histogram\n");
	unsigned long long cumulative = 0;
	for (int b = 0; b < METRICS_BUCKETS; b++) {
		cumulative += atomic_load(&m->latency_bucket[b]);
		if (b < METRICS_BUCKETS - 1)
			put(&t, "fairhearing_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			    bounds[b], cumulative);
		else
			put(&t, "fairhearing_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
			    cumulative);
	}
	put(&t, "fairhearing_http_request_duration_seconds_sum %.6f\n",
	    (double)atomic_load(&m->latency_sum_us) / 1e6);
	put(&t, "fairhearing_http_request_duration_seconds_count %llu\n",
	    (unsigned long long)atomic_load(&m->latency_count));
	put(&t, "# HELP fairhearing_http_requests_in_flight Requests being handled now.\n"
		"# TYPE fairhearing_http_requests_in_flight gauge\n"
		"fairhearing_http_requests_in_flight %d\n", atomic_load(&m->in_flight));
	put(&t, "# HELP fairhearing_write_batches_total Transactions the writer has committed, "
		"each holding one or more changes (group commit).\n"
		"# TYPE fairhearing_write_batches_total counter\nfairhearing_write_batches_total %llu\n",
	    (unsigned long long)atomic_load(&m->write_batches));
	put(&t, "# HELP fairhearing_write_changes_total Requests whose change went through a "
		"committed batch (kept or refused).\n"
		"# TYPE fairhearing_write_changes_total counter\nfairhearing_write_changes_total %llu\n",
	    (unsigned long long)atomic_load(&m->write_changes));
	put(&t, "# HELP fairhearing_cases_open Cases not closed or withdrawn, by organisation.\n"
		"# TYPE fairhearing_cases_open gauge\n");
	for (size_t i = 0; i < n_orgs; i++)
		put(&t, "fairhearing_cases_open{org=\"%s\"} %lld\n", orgs[i].code,
		    (long long)open[i]);
	put(&t, "# HELP fairhearing_cases_overdue Open cases with a stage past its due date and "
		"not responded to, by organisation.\n"
		"# TYPE fairhearing_cases_overdue gauge\n");
	for (size_t i = 0; i < n_orgs; i++)
		put(&t, "fairhearing_cases_overdue{org=\"%s\"} %lld\n", orgs[i].code,
		    (long long)overdue[i]);
	free(open);
	free(overdue);
	return t.buf;
}
