/*
 * store_access: the reads the server makes on someone's behalf, scoped to
 * what they may see, and the log of those reads.
 *
 * Need to know (DOMAIN §8): a case is visible to a user who holds an
 * organisation-wide role in its organisation, or who holds a role there and
 * is assigned to it (case_assignments, ended_at NULL).  Which roles are
 * organisation-wide is the caller's policy (the server's authorisation
 * module); these functions take its answer as lists of organisation ids.
 *
 * The access log records reads of personal data (who, when, which case, what);
 * it is written in batches by one writer so that logging a read costs the
 * reader no transaction of its own.
 */
#ifndef FH_STORE_ACCESS_H
#define FH_STORE_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* The case's id and organisation, by reference; FH_ENOTFOUND / FH_EINVAL. */
fh_status store_case_locate(fh_store *st, const char *reference, int64_t *case_id,
			    int64_t *org_id, fh_error *err);

/* True in *assigned when user_id has an active assignment to case_id. */
fh_status store_case_assigned(fh_store *st, int64_t case_id, int64_t user_id, bool *assigned,
			      fh_error *err);

typedef struct store_case_query {
	int64_t user_id;
	/* Organisations whose every case the user may see, and those where the
	 * user sees only the cases assigned to them. */
	const int64_t *org_wide;
	size_t n_org_wide;
	const int64_t *assigned_only;
	size_t n_assigned_only;
	const char *org_code; /* NULL: any visible organisation */
	const char *kind, *state;
	const char *received_from, *received_to; /* inclusive ISO dates */
	const char *text;     /* words to search for (reference, names, text); NULL: none */
	size_t limit;         /* 1..1000; 0: 50 */
	size_t offset;
} store_case_query;

/*
 * The visible cases matching q, newest first, as summaries (no parties,
 * points or events); *total counts every match.  q->text is split into
 * words, each matched as a prefix; a reference matches as typed.
 */
fh_status store_case_query_run(fh_store *st, const store_case_query *q, fh_arena *arena,
			       fh_case **cases, size_t *count, size_t *total, fh_error *err);

typedef struct store_access_entry {
	char at[21];
	int64_t user_id;
	char actor[128];
	int64_t case_id;   /* 0: not one case (a search) */
	char what[16];     /* case, history, search */
	char detail[256];
	char client_ip[48];
} store_access_entry;

/* Appends entries to the access log in one transaction. */
fh_status store_access_append(fh_store *st, const store_access_entry *entries, size_t n,
			      fh_error *err);

/*
 * Prepares SQLite for many threads, each with its own connection: turns off
 * the allocator's statistics, whose one global mutex every allocation would
 * otherwise take.  Call once, before any database is opened.
 */
void store_threads_init(void);

/* One cheap query, so that a health check proves the database answers. */
fh_status store_ping(fh_store *st, fh_error *err);

/*
 * The id of the newest event in the audit chain.  Every change to anything
 * appends an event (store.h), so while this number stands still nothing has
 * changed: the server's cache of rendered cases is checked against it.
 */
fh_status store_audit_head(fh_store *st, int64_t *last_event, fh_error *err);

/*
 * Statement caching for the calling thread's connection (store_cache.h):
 * a server worker enables it for its own connection and releases it before
 * closing that connection.
 */
void store_access_thread_cache(fh_store *st);
void store_access_thread_release(void);

/*
 * One organisation's counts for monitoring: cases not closed or withdrawn,
 * and cases with a stage past its due date (due_on before today) and not yet
 * responded to.
 */
fh_status store_case_counts(fh_store *st, const char *today, int64_t org_id, int64_t *open,
			    int64_t *overdue, fh_error *err);

#endif
