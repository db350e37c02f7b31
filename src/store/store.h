/*
 * store: the one door to the database.
 *
 * Everything Fairhearing keeps goes through these functions over an opaque
 * handle; no other module sees SQL.  The embedded implementation is SQLite
 * (store.c and store_*.c): WAL journal, foreign keys on, STRICT tables,
 * prepared statements only.  A handle is one connection: use it from one
 * thread at a time (a server has one per worker).
 *
 * Opening a database applies any migration it lacks, each in its own
 * transaction, and refuses a file that is not a Fairhearing database or that
 * was written by a newer Fairhearing (FH_ESCHEMA), leaving it untouched.
 *
 * Every function that changes data does the whole change in one transaction
 * (its own, or the caller's when one is open with store_begin) and writes the
 * matching audit event in the same transaction (store_event.h); on any
 * failure nothing is left half-written.
 */
#ifndef FH_STORE_H
#define FH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "error.h"
#include "model.h"

typedef struct fh_store fh_store;

enum store_open_flags {
	STORE_CREATE = 1 << 0,   /* create the file when it does not exist */
	STORE_READONLY = 1 << 1, /* no migrations, no writes */
	/* With STORE_READONLY: accept an older schema as it is (a backup copies
	 * a database before it is upgraded). */
	STORE_AS_IS = 1 << 2,
};

fh_status store_open(const char *path, int flags, fh_store **out, fh_error *err);
void store_close(fh_store *st);

/* The newest migration applied to this database, and the newest this binary knows. */
int store_schema_version(fh_store *st);
int store_latest_schema_version(void);

/*
 * An explicit transaction for a caller that makes several changes that must
 * land together.  Store functions called inside it join it instead of
 * opening their own.  store_begin takes the write lock at once (BEGIN
 * IMMEDIATE) so a writer never fails half-way on a busy database.
 */
fh_status store_begin(fh_store *st, fh_error *err);
fh_status store_commit(fh_store *st, fh_error *err);
void store_rollback(fh_store *st);

/*
 * Savepoints, for a caller that applies several independent changes in one
 * transaction (the server's group commit, src/server/writeq.h): inside
 * store_begin, store_savepoint marks where one change starts; store functions
 * called after it join the transaction as usual; store_savepoint_end keeps
 * the change (keep true) or undoes exactly it (false), audit events
 * included, leaving the transaction open for the next.  One level only.
 */
fh_status store_savepoint(fh_store *st, fh_error *err);
fh_status store_savepoint_end(fh_store *st, bool keep, fh_error *err);

/*
 * True when a transaction opened with store_begin is no longer open in
 * SQLite (an I/O error or a full disk makes SQLite roll it back itself):
 * nothing of it can be committed then.
 */
bool store_tx_lost(fh_store *st);

/*
 * For a connection that holds long transactions of many savepoints (the
 * server's writer): SQLite keeps, for each savepoint, the original of every
 * page changed after it in a sub-journal, a temporary file once past 64 KiB;
 * this keeps temporary files (sub-journals, sort and DISTINCT b-trees) in
 * memory instead, as large as one batch's pages.
 */
fh_status store_temp_in_memory(fh_store *st, fh_error *err);

/*
 * For a connection whose commits someone is waiting on (the server's access
 * log: a page is sent only once its read is durable): SQLite copies the WAL
 * back into the database (a checkpoint, with its own flushes) inside the
 * COMMIT that takes the WAL past 1,000 pages, so one unlucky reader waited
 * for that too.  After this, this connection's commits never checkpoint;
 * its owner calls store_checkpoint_if_due when nobody is waiting.  The data
 * is as durable either way: a commit is durable once in the WAL.
 */
void store_defer_checkpoints(fh_store *st);

/* A passive checkpoint, when the WAL has passed 1,000 pages since the last. */
void store_checkpoint_if_due(fh_store *st);

/*
 * Prepares SQLite for many threads, each with its own connection: turns off
 * the allocator's statistics, whose one global mutex every allocation would
 * otherwise take.  Call once, before any database is opened.
 */
void store_threads_init(void);

/*
 * Statement caching for the calling thread's connection (store_cache.h):
 * a server worker enables it for its own connection and releases it before
 * closing that connection.
 */
void store_access_thread_cache(fh_store *st);
void store_access_thread_release(void);

/* One cheap query, so that a health check proves the database answers. */
fh_status store_ping(fh_store *st, fh_error *err);

/* ---- organisations, teams, users ----------------------------------------- */

fh_status store_org_create(fh_store *st, const fh_org *org, const char *actor,
			   int64_t *id_out, fh_error *err);
/* Fills *org from the row with this code; strings live in arena. */
fh_status store_org_get(fh_store *st, const char *code, fh_arena *arena,
			fh_org *org, fh_error *err);
/*
 * Records the day an organisation was set up (YYYY-MM-DD; NULL: not known),
 * before which no case of it can have been received (store_case_create); writes "org_set_up_on".  FH_EINVAL (field
 * "set_up_on") for a text that is not a date.
 */
fh_status store_org_set_up_on(fh_store *st, const char *code, const char *date,
			      const char *actor, fh_error *err);
/* All organisations, by code; *orgs and its strings live in arena. */
fh_status store_org_list(fh_store *st, fh_arena *arena, fh_org **orgs,
			 size_t *count, fh_error *err);

fh_status store_team_create(fh_store *st, const char *org_code, const fh_team *team,
			    const char *actor, int64_t *id_out, fh_error *err);
/* Names head_email the head of the team (a Head of Service, a Team Manager). */
fh_status store_team_set_head(fh_store *st, const char *org_code, const char *team_name,
			      const char *head_email, const char *actor, fh_error *err);
fh_status store_team_list(fh_store *st, const char *org_code, fh_arena *arena,
			  fh_team **teams, size_t *count, fh_error *err);

fh_status store_user_create(fh_store *st, const fh_user *user, const char *actor,
			    int64_t *id_out, fh_error *err);
/* Gives user_email a role in org_code, optionally for one team (team_name may be NULL). */
fh_status store_user_grant(fh_store *st, const char *user_email, const char *org_code,
			   const char *role, const char *team_name, const char *actor,
			   fh_error *err);
fh_status store_user_list(fh_store *st, const char *org_code, fh_arena *arena,
			  fh_user **users, size_t *count, fh_error *err);
/*
 * Marks email independent of org_code (independent false: no longer), for
 * the roles a procedure requires to be independent of the organisation
 * (docs/procedures.md "independence").  The user must hold
 * a role there (FH_ECONFLICT, field email).  One transaction with its
 * user_independence_set event; an unchanged mark records nothing.
 */
fh_status store_user_set_independent(fh_store *st, const char *email, const char *org_code,
				     bool independent, const char *actor, fh_error *err);
/* Whether email is marked independent of org_code (false when either is unknown). */
fh_status store_user_is_independent(fh_store *st, const char *email, const char *org_code,
				    bool *independent, fh_error *err);

/* ---- cases ---------------------------------------------------------------- */

/*
 * Records a new representation with its people, parties and points, allocates
 * its reference (PREFIX-YEAR-NNNNN, numbered per organisation and year of
 * receipt without gaps) and appends the 'recorded' event.  The input must
 * already have passed case_input_validate().  reference_out gets the new
 * reference.  An imported historical case (in->imported_reference set)
 * keeps its own instead, which must be the organisation's and of the year
 * received; the year's counter moves past it (FH_ECONFLICT if it exists).
 */
fh_status store_case_create(fh_store *st, const fh_case_input *in, const char *actor,
			    char reference_out[FH_REFERENCE_MAX], fh_error *err);

/*
 * The parties of a recorded case (001 §7.3, §7.4; 000 "Friends or
 * relatives").  The caller has checked the case's whole new set of parties
 * with case_input_validate; in->parties is that set.  Each change is one
 * transaction with its event ("party_added", "party_changed" naming the
 * fields that changed, "party_removed"), which gives the party's role,
 * relationship and consent with its date, never their name or contact
 * details.
 *
 * store_party_add adds in->parties[index] (a new person, or person.id of one
 * already in the organisation); consent left NULL gets the default of
 * recording (not_asked for someone speaking for a child).
 * store_party_update writes p (p->id the party, p->person.id its person)
 * whole: a person's details are theirs on every case they are on.
 * store_party_remove takes p off the case, and forgets the person when they
 * are on no other case.
 */
fh_status store_party_add(fh_store *st, int64_t case_id, const fh_case_input *in, size_t index,
			  const char *actor, int64_t *party_id, fh_error *err);
fh_status store_party_update(fh_store *st, int64_t case_id, const fh_party *p,
			     const char *const *changed, size_t n_changed, const char *actor,
			     fh_error *err);
fh_status store_party_remove(fh_store *st, int64_t case_id, const fh_party *p, const char *actor,
			     fh_error *err);

/* The whole case: parties, points, stages, findings and its events. */
fh_status store_case_get(fh_store *st, const char *reference, fh_arena *arena,
			 fh_case *out, fh_error *err);

/*
 * Lists of cases are read a page at a time, newest first: by the date
 * received, then by id, both descending, which is a total order.  The next
 * page starts after the last row of the one before, named by a cursor (that
 * row's date and id, encoded as opaque text), so reading page 500 costs what
 * page 1 does.  How many match is counted up to STORE_COUNT_CAP + 1 rows
 * only: past that, a list says "more than STORE_COUNT_CAP".
 */
enum { STORE_COUNT_CAP = 1000, STORE_CURSOR_MAX = 48 };

typedef struct store_cursor {
	char received_on[11]; /* YYYY-MM-DD */
	int64_t id;
} store_cursor;

/* What a page says about the rest of the list. */
typedef struct store_page {
	size_t total;      /* the matches, counted up to STORE_COUNT_CAP + 1 */
	bool total_capped; /* more than STORE_COUNT_CAP match (total is then CAP + 1) */
	char next[STORE_CURSOR_MAX]; /* the next page's cursor; "" on the last page */
} store_page;

/* The cursor of the page after a row received on received_on with this id. */
void store_cursor_format(const char *received_on, int64_t id, char out[STORE_CURSOR_MAX]);

/* Reads a cursor made by store_cursor_format; false when text is not one. */
bool store_cursor_parse(const char *text, store_cursor *out);

typedef struct store_case_filter {
	const char *org_code; /* NULL: every organisation */
	const char *kind;     /* NULL: any */
	const char *state;    /* NULL: any */
	const char *received_from, *received_to; /* inclusive ISO dates, NULL: open */
	size_t limit;         /* 0: 50 */
	size_t offset;        /* rows skipped (after the cursor when one is given) */
	const store_cursor *after; /* NULL: from the newest */
} store_case_filter;

/* Cases newest first; each summary has no parties, points or events. */
fh_status store_case_list(fh_store *st, const store_case_filter *filter,
			  fh_arena *arena, fh_case **cases, size_t *count,
			  store_page *page, fh_error *err);

/* The case's id and organisation, by reference; FH_ENOTFOUND / FH_EINVAL. */
fh_status store_case_locate(fh_store *st, const char *reference, int64_t *case_id,
			    int64_t *org_id, fh_error *err);

/* True in *assigned when user_id has an active assignment to case_id. */
fh_status store_case_assigned(fh_store *st, int64_t case_id, int64_t user_id, bool *assigned,
			      fh_error *err);

/*
 * One organisation's counts for monitoring: cases not closed or withdrawn,
 * and cases with a stage past its due date (due_on before today) and not yet
 * responded to.
 */
fh_status store_case_counts(fh_store *st, const char *today, int64_t org_id, int64_t *open,
			    int64_t *overdue, fh_error *err);

#endif
