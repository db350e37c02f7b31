/*
 * Unit tests for the server's group-commit writer (src/server/writeq.c):
 * a batch in which one change is refused keeps the others and nothing of
 * the refused one, the audit chain verifies afterwards (issue 5 §5: every
 * change an event in the hash chain), references stay gapless, and no
 * submitter hears back before its batch is committed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>

#include "test_helpers.h"
#include "writeq.h"
#include "store_event.h"

enum { N_JOBS = 6 };

typedef struct job {
	fh_case_input in;
	fh_party parties[1];
	fh_point points[1];
	bool refuse;        /* write the whole case, then refuse (as a handler's 4xx) */
	fh_status status;   /* what store_case_create said */
	char reference[FH_REFERENCE_MAX];
	bool done, committed;
	int64_t cases_seen_at_done; /* cases on disk, read by another connection, when told */
	const char *path;
} job;

static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;

static bool make_case(void *ctx, fh_store *st)
{
	job *j = ctx;
	fh_error err = {0};
	j->status = store_case_create(st, &j->in, "test", j->reference, &err);
	return j->status == FH_OK && !j->refuse;
}

static void told(void *ctx, bool committed)
{
	job *j = ctx;
	/* What another connection sees now: the batch must already be durable. */
	j->cases_seen_at_done = test_raw_int(j->path, "SELECT count(*) FROM cases");
	pthread_mutex_lock(&done_lock);
	j->committed = committed;
	j->done = true;
	pthread_cond_broadcast(&done_cond);
	pthread_mutex_unlock(&done_lock);
}

static void wait_all(job *jobs, size_t n)
{
	pthread_mutex_lock(&done_lock);
	for (;;) {
		bool all = true;
		for (size_t i = 0; i < n; i++)
			all &= jobs[i].done;
		if (all)
			break;
		pthread_cond_wait(&done_cond, &done_lock);
	}
	pthread_mutex_unlock(&done_lock);
}

static void make_job(job *j, const char *path, int i, bool refuse)
{
	memset(j, 0, sizeof *j);
	j->path = path;
	j->refuse = refuse;
	j->parties[0] = (fh_party){.role = "complainant", .relationship = "self",
				   .person = {.given_name = "Sam", .family_name = "Okafor"}};
	j->points[0] = (fh_point){.summary = "A visit was missed", .desired_outcome = ""};
	j->in = (fh_case_input){.org_code = "bct", .kind = "complaint", .channel = "phone",
				.received_on = "2026-03-02",
				.summary = i % 2 ? "Odd summary" : "Even summary",
				.n_parties = 1, .parties = j->parties, .n_points = 1,
				.points = j->points};
}

typedef struct fixture {
	char *path;
	pthread_mutex_t write_lock;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->path = test_dbpath();
	pthread_mutex_init(&f->write_lock, NULL);
	fh_store *st;
	fh_error err = {0};
	if (store_open(f->path, STORE_CREATE, &st, &err) != FH_OK)
		return -1;
	fh_org org = {.code = "bct", .name = "Birmingham Children's Trust", .ref_prefix = "BCT",
		      .address = "PO Box 17342, Birmingham B2 2DW"};
	fh_status s = store_org_create(st, &org, "test", NULL, &err);
	store_close(st);
	*state = f;
	return s == FH_OK ? 0 : -1;
}

static int teardown(void **state)
{
	fixture *f = *state;
	pthread_mutex_destroy(&f->write_lock);
	test_rmdb(f->path);
	free(f);
	return 0;
}

static void test_refused_change_is_undone_alone(void **state)
{
	fixture *f = *state;
	writeq *q;
	fh_error err = {0};
	assert_int_equal(writeq_start(f->path, &f->write_lock, 64, &q, &err), FH_OK);
	int64_t events_before = test_raw_int(f->path, "SELECT count(*) FROM events");

	/* Holding the write lock keeps the writer from committing, so all six
	 * are queued before it can: they go in at most two batches, the refused
	 * ones among the good. */
	job jobs[N_JOBS];
	pthread_mutex_lock(&f->write_lock);
	for (int i = 0; i < N_JOBS; i++) {
		make_job(&jobs[i], f->path, i, i == 2 || i == 4);
		assert_true(writeq_submit(q, make_case, told, &jobs[i]));
	}
	pthread_mutex_unlock(&f->write_lock);
	wait_all(jobs, N_JOBS);

	uint64_t batches, changes;
	writeq_counts(q, &batches, &changes);
	assert_int_equal(changes, N_JOBS);
	assert_in_range(batches, 1, 2);
	for (int i = 0; i < N_JOBS; i++) {
		/* The refused ones were written in full before being refused... */
		assert_int_equal(jobs[i].status, FH_OK);
		assert_true(jobs[i].committed);
		/* ...and nobody heard back before their batch was on disk. */
		assert_true(jobs[i].cases_seen_at_done >= 1);
	}
	assert_int_equal(jobs[N_JOBS - 1].cases_seen_at_done, 4);
	/* Four cases, four 'recorded' events, nothing of the refused two. */
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM cases"), 4);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM events"), events_before + 4);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM case_parties"), 4);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM complaint_points"), 4);
	/* The search index was undone with them: four rows, and it checks out
	 * (FTS5's own check; on PostgreSQL, whose tsvector cannot disagree with
	 * its row, the rows are the kept cases' own). */
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM cases_fts"), 4);
	if (test_pg())
		assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM cases_fts WHERE case_id"
					      " NOT IN (SELECT id FROM cases)"), 0);
	else
		assert_int_equal(test_raw_exec(f->path, "INSERT INTO cases_fts (cases_fts)"
					       " VALUES ('integrity-check')"), DB_OK);
	/* The references of the kept ones have no gap where the refused were. */
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM cases WHERE reference IN"
				      " ('BCT-2026-00001', 'BCT-2026-00002', 'BCT-2026-00003',"
				      " 'BCT-2026-00004')"), 4);
	writeq_free(q);

	/* The chain verifies across the batch (issue 5 §5). */
	fh_store *st;
	assert_int_equal(store_open(f->path, 0, &st, &err), FH_OK);
	store_audit_report report;
	assert_int_equal(store_audit_verify(st, &report, &err), FH_OK);
	assert_int_equal(report.first_bad_event, 0);
	store_close(st);
}

static void test_stop_applies_what_is_queued(void **state)
{
	fixture *f = *state;
	writeq *q;
	fh_error err = {0};
	assert_int_equal(writeq_start(f->path, &f->write_lock, 2, &q, &err), FH_OK);
	job jobs[5];
	pthread_mutex_lock(&f->write_lock);
	for (int i = 0; i < 5; i++) {
		make_job(&jobs[i], f->path, i, false);
		assert_true(writeq_submit(q, make_case, told, &jobs[i]));
	}
	pthread_mutex_unlock(&f->write_lock);
	writeq_stop(q);
	/* Everything queued before the stop was applied and told... */
	for (int i = 0; i < 5; i++) {
		assert_true(jobs[i].done);
		assert_true(jobs[i].committed);
	}
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM cases"), 5);
	/* ...in batches of at most two... */
	uint64_t batches, changes;
	writeq_counts(q, &batches, &changes);
	assert_true(batches >= 3);
	assert_int_equal(changes, 5);
	/* ...and nothing is taken after it. */
	job late;
	make_job(&late, f->path, 9, false);
	assert_false(writeq_submit(q, make_case, told, &late));
	writeq_free(q);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM cases"), 5);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_refused_change_is_undone_alone),
		T(test_stop_applies_what_is_queued),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
