/*
 * Unit tests for store_auth, store_search and store_access_log: tokens and
 * their digests, passwords, sessions and their expiry, API tokens, the growing waits after
 * failed sign-ins (issue 16 items 1 and 2),
 * who holds which role, the scoped case query and its search, the access
 * log, and the kept statements.
 */
#include <ctype.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db.h"

#include "store_access_log.h"
#include "store_event.h"
#include "store_orgfile.h"
#include "store_search.h"
#include "store_auth.h"
#include "store_totp.h"
#include "test_helpers.h"

typedef struct fixture {
	char *path;
	fh_store *st;
	int64_t complaints, investigator, outsider; /* user ids */
	int64_t bct, bcp;                           /* organisation ids */
	char ref_assigned[FH_REFERENCE_MAX], ref_other[FH_REFERENCE_MAX];
	char ref_bcp[FH_REFERENCE_MAX];
} fixture;

static int64_t one_int(fh_store *st, const char *path, const char *sql)
{
	(void)st;
	db_conn *db;
	db_stmt *stmt;
	int64_t v = -1;
	assert_int_equal(db_open(path, false, false, &db, NULL, 0), DB_OK);
	if (db_prepare(db, sql, &stmt) == DB_OK) {
		if (db_step(stmt) == DB_ROW)
			v = db_column_int64(stmt, 0);
		db_finalize(stmt);
	}
	db_close(db);
	return v;
}

static void exec_raw(const char *path, const char *sql)
{
	db_conn *db;
	assert_int_equal(db_open(path, false, false, &db, NULL, 0), DB_OK);
	assert_int_equal(db_exec(db, sql), DB_OK);
	db_close(db);
}

static int64_t add_user(fh_store *st, const char *email, const char *org, const char *role)
{
	fh_error err = {0};
	char hash[STORE_PASSWORD_HASH_MAX];
	/* One real hash is slow (argon2id); these users sign in with tokens. */
	snprintf(hash, sizeof hash, "x");
	fh_user u = {.email = email, .display_name = email, .password_hash = hash};
	int64_t id = 0;
	assert_int_equal(store_user_create(st, &u, "test", &id, &err), FH_OK);
	assert_int_equal(store_user_grant(st, email, org, role, NULL, "test", &err), FH_OK);
	return id;
}

static void add_case(fh_store *st, const char *org, const char *family, const char *summary,
		     char ref[FH_REFERENCE_MAX])
{
	fh_error err = {0};
	fh_party p = {.role = "complainant", .relationship = "self",
		      .person = {.given_name = "Amira", .family_name = family}};
	fh_case_input in = {.org_code = org, .kind = "complaint", .channel = "phone",
			    .received_on = "2026-11-20", .summary = summary, .n_parties = 1,
			    .parties = &p};
	assert_int_equal(store_case_create(st, &in, "test", ref, &err), FH_OK);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->st = test_store_open(&f->path);
	test_seed_orgs(f->st, &f->bct, &f->bcp);
	f->complaints = add_user(f->st, "complaints@bct.test", "bct", "complaints_team");
	f->investigator = add_user(f->st, "io@bct.test", "bct", "investigating_officer");
	f->outsider = add_user(f->st, "complaints@bcp.test", "bcp", "complaints_team");
	add_case(f->st, "bct", "Quillfeather", "Contact cancelled at short notice", f->ref_assigned);
	add_case(f->st, "bct", "Okafor", "Letters not answered", f->ref_other);
	add_case(f->st, "bcp", "Quillfeather", "Another tenant's case", f->ref_bcp);
	char sql[512];
	snprintf(sql, sizeof sql,
		 "INSERT INTO case_assignments (case_id, stage, user_id, user_email, role, "
		 "assigned_on) SELECT id, 2, %lld, 'io@bct.test', 'investigating_officer', "
		 "'2026-11-20' FROM cases WHERE reference = '%s'",
		 (long long)f->investigator, f->ref_assigned);
	exec_raw(f->path, sql);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	store_access_thread_release();
	test_store_close(f->st, f->path);
	free(f);
	return 0;
}

/* ---- secrets ------------------------------------------------------------------ */

static void test_tokens_are_random_and_hashed(void **state)
{
	(void)state;
	char a[STORE_TOKEN_TEXT_MAX], b[STORE_TOKEN_TEXT_MAX];
	uint8_t ha[STORE_TOKEN_HASH_BYTES], hb[STORE_TOKEN_HASH_BYTES], again[STORE_TOKEN_HASH_BYTES];
	store_token_new("fht_", a, ha);
	store_token_new("fht_", b, hb);
	assert_int_equal(strncmp(a, "fht_", 4), 0);
	assert_int_equal(strlen(a), 4 + 43); /* 32 bytes in unpadded base64url */
	assert_string_not_equal(a, b);
	assert_memory_not_equal(ha, hb, sizeof ha);
	store_token_hash(a, again);
	assert_memory_equal(ha, again, sizeof ha);
	for (const char *p = a + 4; *p; p++)
		assert_true((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_');
}

static void test_passwords(void **state)
{
	(void)state;
	char hash[STORE_PASSWORD_HASH_MAX];
	fh_error err = {0};
	assert_int_equal(store_password_hash("short", hash, &err), FH_EINVAL);
	assert_string_equal(err.field, "password");
	assert_int_equal(store_password_hash("a long enough password", hash, &err), FH_OK);
	assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
	assert_true(store_password_verify(hash, "a long enough password"));
	assert_false(store_password_verify(hash, "a long enough passworD"));
	assert_false(store_password_verify(NULL, "a long enough password"));
	assert_false(store_password_verify("", ""));
}

/* ---- sessions and tokens ---------------------------------------------------------- */

static void test_session_lifetime(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	char text[STORE_TOKEN_TEXT_MAX];
	uint8_t hash[STORE_TOKEN_HASH_BYTES];
	store_token_new("fhs_", text, hash);
	time_t t0 = time(NULL);
	int64_t sid = 0, uid = 0, sid2 = 0;
	assert_int_equal(store_session_create(f->st, f->complaints, "complaints@bct.test", hash,
					      "127.0.0.1", t0, 3600, &sid, &err), FH_OK);
	assert_int_equal(store_session_resolve(f->st, hash, t0 + 10, 1800, &uid, &sid2, NULL, &err),
			 FH_OK);
	assert_int_equal(uid, f->complaints);
	assert_int_equal(sid2, sid);
	/* idle: unused for longer than the idle limit */
	assert_int_equal(store_session_resolve(f->st, hash, t0 + 1801, 1800, &uid, &sid2, NULL, &err),
			 FH_ENOTFOUND);
	/* absolute: past its end even when busy */
	assert_int_equal(store_session_resolve(f->st, hash, t0 + 3601, 7200, &uid, &sid2, NULL, &err),
			 FH_ENOTFOUND);
	/* a forged token */
	uint8_t forged[STORE_TOKEN_HASH_BYTES] = {1};
	assert_int_equal(store_session_resolve(f->st, forged, t0, 1800, &uid, &sid2, NULL, &err),
			 FH_ENOTFOUND);
	/* sign-out */
	assert_int_equal(store_session_end(f->st, sid, "complaints@bct.test", &err), FH_OK);
	assert_int_equal(store_session_resolve(f->st, hash, t0 + 10, 1800, &uid, &sid2, NULL, &err),
			 FH_ENOTFOUND);
	assert_int_equal(store_session_end(f->st, sid, "complaints@bct.test", &err), FH_ENOTFOUND);
	assert_int_equal(one_int(f->st, f->path, "SELECT count(*) FROM events WHERE action IN "
					       "('signed_in', 'signed_out')"), 2);
}

/* Dead sessions and sign-in attempts older than both windows are deleted;
 * a live session, recent attempts and the audit events stay. */
static void test_prune_sessions_and_attempts(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	const store_login_policy *p = &STORE_LOGIN_POLICY_DEFAULT;
	time_t t0 = time(NULL);
	uint8_t live[STORE_TOKEN_HASH_BYTES], ended[STORE_TOKEN_HASH_BYTES],
		expired[STORE_TOKEN_HASH_BYTES], idle[STORE_TOKEN_HASH_BYTES];
	char text[STORE_TOKEN_TEXT_MAX];
	int64_t sid_ended = 0, uid, sid;
	store_token_new("fhs_", text, live);
	store_token_new("fhs_", text, ended);
	store_token_new("fhs_", text, expired);
	store_token_new("fhs_", text, idle);
	assert_int_equal(store_session_create(f->st, f->complaints, "c", live, "::1", t0, 3600,
					      NULL, &err), FH_OK);
	assert_int_equal(store_session_create(f->st, f->complaints, "c", ended, "::1", t0, 3600,
					      &sid_ended, &err), FH_OK);
	assert_int_equal(store_session_end(f->st, sid_ended, "c", &err), FH_OK);
	assert_int_equal(store_session_create(f->st, f->complaints, "c", expired, "::1",
					      t0 - 7200, 3600, NULL, &err), FH_OK);
	/* signed in 40 minutes ago, never used since: idle past 30 minutes */
	assert_int_equal(store_session_create(f->st, f->complaints, "c", idle, "::1", t0 - 2400,
					      43200, NULL, &err), FH_OK);
	/* attempts: two a day old, one just now */
	assert_int_equal(store_login_record(f->st, "x@bct.test", "10.0.0.1", 0, false,
					    t0 - 86400, p, &err), FH_OK);
	assert_int_equal(store_login_record(f->st, "x@bct.test", "10.0.0.1", 0, false,
					    t0 - 86000, p, &err), FH_OK);
	assert_int_equal(store_login_record(f->st, "x@bct.test", "10.0.0.1", 0, false, t0, p,
					    &err), FH_OK);
	int64_t events = one_int(f->st, f->path, "SELECT count(*) FROM events");

	int64_t sessions = -1, attempts = -1;
	assert_int_equal(store_auth_prune(f->st, t0, 1800, p, &sessions, &attempts, &err), FH_OK);
	assert_int_equal(sessions, 3);
	assert_int_equal(attempts, 2);
	assert_int_equal(one_int(f->st, f->path, "SELECT count(*) FROM sessions"), 1);
	assert_int_equal(one_int(f->st, f->path, "SELECT count(*) FROM login_attempts"), 1);
	assert_int_equal(store_session_resolve(f->st, live, t0 + 5, 1800, &uid, &sid, NULL, &err), FH_OK);
	/* the sign-ins and sign-out stay in the chain */
	assert_int_equal(one_int(f->st, f->path, "SELECT count(*) FROM events"), events);
	/* nothing more to do the second time */
	assert_int_equal(store_auth_prune(f->st, t0, 1800, p, &sessions, &attempts, &err), FH_OK);
	assert_int_equal(sessions + attempts, 0);
}

static void test_password_reset_and_disabling_end_sessions(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	char text[STORE_TOKEN_TEXT_MAX];
	uint8_t hash[STORE_TOKEN_HASH_BYTES], thash[STORE_TOKEN_HASH_BYTES];
	time_t now = time(NULL);
	int64_t uid, sid;
	store_token_scope scope;
	store_token_new("fhs_", text, hash);
	assert_int_equal(store_session_create(f->st, f->complaints, "c", hash, "::1", now, 3600,
					      NULL, &err), FH_OK);
	assert_int_equal(store_user_set_password(f->st, "complaints@bct.test", "$argon2id$x", "admin",
						 &err), FH_OK);
	assert_int_equal(store_session_resolve(f->st, hash, now, 1800, &uid, &sid, NULL, &err),
			 FH_ENOTFOUND);

	store_token_new("fht_", text, thash);
	assert_int_equal(store_token_create(f->st, "complaints@bct.test", "import", STORE_SCOPE_API,
					    now + 86400, now, thash, "admin", NULL, &err), FH_OK);
	assert_int_equal(store_token_resolve(f->st, thash, now, &uid, &scope, &err), FH_OK);
	assert_int_equal(uid, f->complaints);
	assert_int_equal(store_user_set_disabled(f->st, "complaints@bct.test", true, "admin", &err),
			 FH_OK);
	assert_int_equal(store_token_resolve(f->st, thash, now, &uid, &scope, &err), FH_ENOTFOUND);
	assert_int_equal(store_user_set_disabled(f->st, "complaints@bct.test", false, "admin", &err),
			 FH_OK);
	assert_int_equal(store_token_resolve(f->st, thash, now, &uid, &scope, &err), FH_OK);
	assert_int_equal(store_token_create(f->st, "nobody@bct.test", "", STORE_SCOPE_API,
					    now + 86400, now, thash, "admin", NULL, &err),
			 FH_ENOTFOUND);
}

/* Every token expires, has a scope, can be listed (never
 * its secret) and revoked, and a revocation holds at the next request. */
static void test_token_expiry_scope_revocation_issue16_item9(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	char text[STORE_TOKEN_TEXT_MAX];
	uint8_t api[STORE_TOKEN_HASH_BYTES], feed[STORE_TOKEN_HASH_BYTES];
	time_t now = time(NULL);
	int64_t uid = 0, api_id = 0, feed_id = 0;
	store_token_scope scope = STORE_SCOPE_API;

	store_token_new("fht_", text, api);
	assert_int_equal(store_token_create(f->st, "complaints@bct.test", "x", STORE_SCOPE_API, now,
					    now, api, "admin", NULL, &err), FH_EINVAL);
	assert_string_equal(err.field, "expires");
	assert_int_equal(store_token_create(f->st, "complaints@bct.test", "x", STORE_SCOPE_API,
					    now + 400 * 86400, now, api, "admin", NULL, &err),
			 FH_EINVAL);
	assert_string_equal(err.field, "expires");
	assert_int_equal(store_token_create(f->st, "complaints@bct.test", "import", STORE_SCOPE_API,
					    now + 3600, now, api, "admin", &api_id, &err), FH_OK);
	store_token_new("fhf_", text, feed);
	assert_int_equal(store_token_create(f->st, "complaints@bct.test", "calendar",
					    STORE_SCOPE_FEED, now + 86400, now, feed, "admin",
					    &feed_id, &err), FH_OK);

	assert_int_equal(store_token_resolve(f->st, api, now, &uid, &scope, &err), FH_OK);
	assert_int_equal(scope, STORE_SCOPE_API);
	assert_int_equal(store_token_resolve(f->st, feed, now, &uid, &scope, &err), FH_OK);
	assert_int_equal(scope, STORE_SCOPE_FEED);
	/* expired: an hour later the first no longer works, the second does */
	assert_int_equal(store_token_resolve(f->st, api, now + 3600, &uid, &scope, &err),
			 FH_ENOTFOUND);
	assert_int_equal(store_token_resolve(f->st, feed, now + 3600, &uid, &scope, &err), FH_OK);

	fh_arena arena = ARENA_INIT;
	store_token_info *rows;
	size_t n;
	assert_int_equal(store_token_list(f->st, "complaints@bct.test", &arena, &rows, &n, &err),
			 FH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, feed_id);
	assert_string_equal(rows[0].scope, "feed");
	assert_string_equal(rows[0].name, "calendar");
	assert_null(rows[0].revoked_at);
	assert_string_equal(rows[1].scope, "api");
	assert_null(rows[1].revoked_at);

	/* someone else cannot revoke it; its owner can, once */
	assert_int_equal(store_token_revoke(f->st, feed_id, "nobody@bct.test", "x", now, &err),
			 FH_ENOTFOUND);
	assert_int_equal(store_token_revoke(f->st, feed_id, "complaints@bct.test",
					    "complaints@bct.test", now, &err), FH_OK);
	assert_int_equal(store_token_resolve(f->st, feed, now, &uid, &scope, &err), FH_ENOTFOUND);
	assert_int_equal(store_token_revoke(f->st, feed_id, NULL, "admin", now, &err), FH_ECONFLICT);
	assert_int_equal(one_int(f->st, f->path,
				 "SELECT count(*) FROM events WHERE action = 'token_revoked'"), 1);
	arena_free(&arena);
}

/* ---- slowing down guessing ----------------------------------------------------------- */

/* One claimed attempt, settled as succeeded (or not); the verdict of its claim. */
static store_login_verdict attempt(fixture *f, const char *email, const char *ip, int64_t uid,
				   bool succeeded, time_t now, const store_login_policy *p,
				   int *retry)
{
	fh_error err = {0};
	store_login_verdict v;
	int64_t id = 0;
	int unused;
	assert_int_equal(store_login_claim(f->st, email, ip, now, p, &v, retry ? retry : &unused,
					   &id, &err), FH_OK);
	if (v == STORE_LOGIN_ALLOWED) {
		assert_true(id > 0);
		assert_int_equal(store_login_settle(f->st, id, email, ip, uid, succeeded, now, p, &err),
				 FH_OK);
	}
	return v;
}

static void test_issue16_login_delay_grows_and_is_capped(void **state)
{
	(void)state;
	store_login_policy p = {.pair_free = 5, .base_seconds = 30, .max_seconds = 900};
	/* issue 16 item 2 (NCSC: slow failures down): none, then doubling, then capped */
	assert_int_equal(store_login_delay(4, 5, &p), 0);
	assert_int_equal(store_login_delay(5, 5, &p), 30);
	assert_int_equal(store_login_delay(6, 5, &p), 60);
	assert_int_equal(store_login_delay(8, 5, &p), 240);
	assert_int_equal(store_login_delay(10, 5, &p), 900);
	assert_int_equal(store_login_delay(1000000, 5, &p), 900);
}

static void test_issue16_account_is_slowed_not_locked(void **state)
{
	fixture *f = *state;
	store_login_policy p = {.pair_free = 3, .account_free = 6, .ip_free = 100,
				.base_seconds = 30, .max_seconds = 600, .forget_seconds = 3600};
	time_t now = time(NULL);
	int retry = 0;
	for (int i = 0; i < 3; i++)
		assert_int_equal(attempt(f, "io@bct.test", "10.0.0.1", f->investigator, false, now, &p,
					 NULL), STORE_LOGIN_ALLOWED);
	/* issue 16 item 2: the guesser's address waits, answered without a check */
	assert_int_equal(attempt(f, "io@bct.test", "10.0.0.1", f->investigator, true, now, &p,
				 &retry), STORE_LOGIN_SLOWED);
	assert_int_equal(retry, 30);
	assert_int_equal(one_int(f->st, f->path,
				 "SELECT count(*) FROM events WHERE action = 'sign_in_slowed'"), 1);
	assert_int_equal(one_int(f->st, f->path,
				 "SELECT count(*) FROM events WHERE action = 'sign_in_failed'"), 3);
	/* issue 16 item 2: the owner, from an address with no failures, gets in */
	assert_int_equal(attempt(f, "IO@bct.test", "10.0.0.2", f->investigator, true, now, &p,
				 NULL), STORE_LOGIN_ALLOWED);
	/* after its wait the guesser may try once more, then waits twice as long */
	assert_int_equal(attempt(f, "io@bct.test", "10.0.0.1", f->investigator, false, now + 31,
				 &p, NULL), STORE_LOGIN_ALLOWED);
	assert_int_equal(attempt(f, "io@bct.test", "10.0.0.1", f->investigator, false, now + 32,
				 &p, &retry), STORE_LOGIN_SLOWED);
	assert_int_equal(retry, 59);
	/* failures older than forget_seconds no longer count */
	assert_int_equal(attempt(f, "io@bct.test", "10.0.0.1", f->investigator, false,
				 now + 31 + 3601, &p, NULL), STORE_LOGIN_ALLOWED);
}

static void test_issue16_account_wide_wait_spares_clean_addresses(void **state)
{
	fixture *f = *state;
	store_login_policy p = {.pair_free = 5, .account_free = 4, .ip_free = 100,
				.base_seconds = 60, .max_seconds = 600, .forget_seconds = 3600};
	time_t now = time(NULL);
	char ip[32];
	/* four addresses, one failure each: the account's own count is spent */
	for (int i = 0; i < 4; i++) {
		snprintf(ip, sizeof ip, "10.1.0.%d", i);
		assert_int_equal(attempt(f, "io@bct.test", ip, f->investigator, false, now, &p, NULL),
				 STORE_LOGIN_ALLOWED);
	}
	/* issue 16 item 2: an address that has failed on it waits ... */
	int retry = 0;
	assert_int_equal(attempt(f, "io@bct.test", "10.1.0.0", f->investigator, false, now, &p,
				 &retry), STORE_LOGIN_SLOWED);
	assert_int_equal(retry, 60);
	/* ... one that has not (the owner) is not held back by the others' guessing */
	assert_int_equal(attempt(f, "io@bct.test", "10.2.0.1", f->investigator, true, now, &p, NULL),
			 STORE_LOGIN_ALLOWED);
}

static void test_issue16_address_counts_failures_only(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	store_login_policy p = {.pair_free = 1000, .account_free = 1000, .ip_free = 30,
				.base_seconds = 300, .max_seconds = 900, .forget_seconds = 3600};
	time_t now = time(NULL);
	/* issue 16 item 1: sign-ins that succeed are not counted against the address */
	for (int i = 0; i < 40; i++)
		assert_int_equal(attempt(f, "io@bct.test", "10.9.9.9", f->investigator, true, now, &p,
					 NULL), STORE_LOGIN_ALLOWED);
	char email[64];
	for (int i = 0; i < 30; i++) {
		snprintf(email, sizeof email, "guess%d@bct.test", i);
		assert_int_equal(attempt(f, email, "10.9.9.9", 0, false, now, &p, NULL),
				 STORE_LOGIN_ALLOWED);
	}
	/* issue 16 item 1: 30 failures from one address: that address waits ... */
	int retry = 0;
	assert_int_equal(attempt(f, "io@bct.test", "10.9.9.9", f->investigator, true, now, &p,
				 &retry), STORE_LOGIN_THROTTLED);
	assert_int_equal(retry, 300);
	/* ... and a correct password from another address still gets in */
	assert_int_equal(attempt(f, "io@bct.test", "10.9.9.8", f->investigator, true, now, &p, NULL),
			 STORE_LOGIN_ALLOWED);
	/* attempts on accounts that do not exist are not audit events */
	assert_int_equal(one_int(f->st, f->path,
				 "SELECT count(*) FROM events WHERE action = 'sign_in_failed'"), 0);
	/* pruning forgets failures past forget_seconds */
	int64_t sessions, attempts;
	assert_int_equal(store_auth_prune(f->st, now + 3601, 1800, &p, &sessions, &attempts, &err),
			 FH_OK);
	assert_int_equal(attempts, 71);
}

/* 20 guesses at once, each on its own connection, as 20 workers (or servers) would. */
typedef struct racer {
	const char *path;
	time_t now;
	const store_login_policy *p;
	pthread_barrier_t *start;
	bool allowed;
	fh_status status;
} racer;

static void *race(void *arg)
{
	racer *r = arg;
	fh_error err = {0};
	fh_store *st = NULL;
	r->status = store_open(r->path, 0, &st, &err);
	pthread_barrier_wait(r->start);
	if (r->status)
		return NULL;
	store_login_verdict v;
	int retry;
	int64_t id;
	r->status = store_login_claim(st, "io@bct.test", "10.7.7.7", r->now, r->p, &v, &retry, &id,
				      &err);
	r->allowed = !r->status && v == STORE_LOGIN_ALLOWED;
	store_close(st);
	return NULL;
}

static void test_issue16_concurrent_guesses_get_no_more_than_the_limit(void **state)
{
	fixture *f = *state;
	store_login_policy p = {.pair_free = 5, .account_free = 20, .ip_free = 30,
				.base_seconds = 30, .max_seconds = 900, .forget_seconds = 3600};
	enum { N = 20 };
	pthread_t t[N];
	racer r[N];
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, N);
	for (int i = 0; i < N; i++) {
		r[i] = (racer){.path = f->path, .now = time(NULL), .p = &p, .start = &start};
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	int allowed = 0;
	for (int i = 0; i < N; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(r[i].status, FH_OK);
		allowed += r[i].allowed;
	}
	pthread_barrier_destroy(&start);
	/* issue 16 item 2: the count is claimed atomically with the check */
	assert_int_equal(allowed, 5);
}

/* ---- who, and what they see --------------------------------------------------------- */

static void test_principal_lists_grants(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	assert_int_equal(store_user_grant(f->st, "io@bct.test", "bcp", "panel_member", NULL, "t", &err),
			 FH_OK);
	for (int cached = 0; cached < 2; cached++) {
		if (cached)
			store_access_thread_cache(f->st);
		fh_arena a = ARENA_INIT;
		store_principal p;
		assert_int_equal(store_principal_get(f->st, f->investigator, &a, &p, &err), FH_OK);
		assert_string_equal(p.email, "io@bct.test");
		assert_int_equal(p.n_grants, 2);
		assert_string_equal(p.grants[0].org_code, "bcp");
		assert_string_equal(p.grants[0].role, "panel_member");
		assert_string_equal(p.grants[1].role, "investigating_officer");
		assert_int_equal(store_principal_get(f->st, 9999, &a, &p, &err), FH_ENOTFOUND);
		arena_free(&a);
	}
}

static size_t run_query(fixture *f, store_case_query *q, char refs[][FH_REFERENCE_MAX])
{
	fh_arena a = ARENA_INIT;
	fh_case *cases;
	size_t n;
	store_page page;
	fh_error err = {0};
	assert_int_equal(store_case_query_run(f->st, q, &a, &cases, &n, &page, &err), FH_OK);
	for (size_t i = 0; i < n && i < 8; i++)
		snprintf(refs[i], FH_REFERENCE_MAX, "%s", cases[i].reference);
	arena_free(&a);
	return page.total;
}

static void test_query_is_scoped(void **state)
{
	fixture *f = *state;
	char refs[8][FH_REFERENCE_MAX];
	/* The complaints team sees every bct case, and no bcp case. */
	store_case_query q = {.user_id = f->complaints, .org_wide = &f->bct, .n_org_wide = 1};
	assert_int_equal(run_query(f, &q, refs), 2);
	/* An officer sees only the case assigned to them. */
	store_case_query io = {.user_id = f->investigator, .assigned_only = &f->bct,
			       .n_assigned_only = 1};
	assert_int_equal(run_query(f, &io, refs), 1);
	assert_string_equal(refs[0], f->ref_assigned);
	/* Search by name stays inside the scope: two Quillfeathers, one visible. */
	q.text = "quill";
	assert_int_equal(run_query(f, &q, refs), 1);
	assert_string_equal(refs[0], f->ref_assigned);
	q.text = f->ref_other;
	assert_int_equal(run_query(f, &q, refs), 1);
	assert_string_equal(refs[0], f->ref_other);
	/* What FTS5 would read as syntax is taken as words. */
	const char *hostile[] = {"\"", "quill\" OR \"okafor", "NEAR(a b)", "*", "a:b", "-", "((",
				 "cases_fts MATCH 'x'", "\xc3\xa9t\xc3\xa9"};
	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		q.text = hostile[i];
		assert_true(run_query(f, &q, refs) <= 2);
	}
	/* Past the end, the total is still told. */
	q.text = NULL;
	q.offset = 10;
	fh_arena a = ARENA_INIT;
	fh_case *cases;
	size_t n;
	store_page page;
	fh_error err = {0};
	assert_int_equal(store_case_query_run(f->st, &q, &a, &cases, &n, &page, &err), FH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(page.total, 2);
	arena_free(&a);
}

/* A case in org received on `on` with summary, its reference into ref. */
static void add_case_on(fh_store *st, const char *org, const char *on, const char *summary,
			char ref[FH_REFERENCE_MAX])
{
	fh_error err = {0};
	fh_party p = {.role = "complainant", .relationship = "self",
		      .person = {.given_name = "Amira", .family_name = "Bellweather"}};
	fh_case_input in = {.org_code = org, .kind = "complaint", .channel = "phone",
			    .received_on = on, .summary = summary, .n_parties = 1, .parties = &p};
	assert_int_equal(store_case_create(st, &in, "test", ref, &err), FH_OK);
}

/* Follows a query's pages of `limit` cases by their next cursors, the
 * references in order into refs (up to max); returns how many, and the
 * first page's total in *total. */
static size_t all_pages(fixture *f, store_case_query q, size_t limit,
			char refs[][FH_REFERENCE_MAX], size_t max, size_t *total)
{
	size_t n = 0;
	store_cursor after;
	q.limit = limit;
	q.after = NULL;
	for (int pages = 0; pages < 20; pages++) {
		fh_arena a = ARENA_INIT;
		fh_case *cases;
		size_t count;
		store_page page;
		fh_error err = {0};
		assert_int_equal(store_case_query_run(f->st, &q, &a, &cases, &count, &page, &err), FH_OK);
		if (!pages)
			*total = page.total;
		assert_true(count <= limit);
		for (size_t i = 0; i < count && n < max; i++)
			snprintf(refs[n++], FH_REFERENCE_MAX, "%s", cases[i].reference);
		bool more = *page.next;
		if (more)
			assert_true(store_cursor_parse(page.next, &after));
		arena_free(&a);
		if (!more)
			return n;
		q.after = &after;
	}
	fail_msg("more than 20 pages");
	return n;
}

static void test_issue21_search_order_is_the_lists_across_pages(void **state)
{
	fixture *f = *state;
	/* several cases on one date, whose ids alone order them, and dates
	 * either side (issue 21 item 1: the search key orders as the list) */
	enum { N = 7 };
	static const char *const on[N] = {"2026-11-10", "2026-11-12", "2026-11-10", "2026-10-01",
					  "2026-11-10", "2026-11-12", "2026-11-10"};
	char ref[N][FH_REFERENCE_MAX];
	for (int i = 0; i < N; i++)
		add_case_on(f->st, "bct", on[i], "Wombat sightings ignored", ref[i]);
	/* newest date first, then the higher id (the later recorded) first */
	const int order[N] = {5, 1, 6, 4, 2, 0, 3};
	store_case_query q = {.user_id = f->complaints, .org_wide = &f->bct, .n_org_wide = 1,
			      .text = "wombat"};
	char got[N + 2][FH_REFERENCE_MAX];
	size_t total = 0;
	for (size_t limit = 1; limit <= 3; limit++) {
		size_t n = all_pages(f, q, limit, got, N + 2, &total);
		assert_int_equal(n, N);
		assert_int_equal(total, N);
		for (int i = 0; i < N; i++)
			assert_string_equal(got[i], ref[order[i]]);
	}
	/* the list without words, the same cases in the same order (the
	 * fixture's two cases of 2026-11-20 come first) */
	q.text = NULL;
	size_t n = all_pages(f, q, 2, got, N + 2, &total);
	assert_int_equal(n, N + 2);
	for (int i = 0; i < N; i++)
		assert_string_equal(got[i + 2], ref[order[i]]);
	/* dates received narrow the search to whole days, both ends kept */
	q.text = "wombat";
	q.received_from = "2026-11-10";
	q.received_to = "2026-11-10";
	n = all_pages(f, q, 3, got, N, &total);
	assert_int_equal(n, 4);
	assert_string_equal(got[0], ref[6]);
	assert_string_equal(got[3], ref[0]);
	/* as do a kind and a state, which the cases hold */
	q.received_from = q.received_to = NULL;
	q.kind = "compliment";
	assert_int_equal(all_pages(f, q, 3, got, N, &total), 0);
	q.kind = "complaint";
	assert_int_equal(all_pages(f, q, 3, got, N, &total), N);
}

static void test_issue21_search_stays_in_its_organisation(void **state)
{
	fixture *f = *state;
	/* a word common at bcp and rare at bct (issue 21 item 2: the scope is
	 * in the index) */
	char bct_ref[FH_REFERENCE_MAX], r[FH_REFERENCE_MAX];
	for (int i = 0; i < 5; i++)
		add_case_on(f->st, "bcp", "2026-11-15", "Zephyr heating broken", r);
	add_case_on(f->st, "bct", "2026-11-01", "Zephyr heating broken", bct_ref);
	store_case_query q = {.user_id = f->complaints, .org_wide = &f->bct, .n_org_wide = 1,
			      .text = "zephyr"};
	char got[8][FH_REFERENCE_MAX];
	size_t total = 0;
	assert_int_equal(all_pages(f, q, 2, got, 8, &total), 1);
	assert_int_equal(total, 1);
	assert_string_equal(got[0], bct_ref);
	store_case_query bcp = {.user_id = f->outsider, .org_wide = &f->bcp, .n_org_wide = 1,
				.text = "zephyr"};
	assert_int_equal(all_pages(f, bcp, 2, got, 8, &total), 5);
	assert_int_equal(total, 5);
	/* the scope's own tokens are never matched by what is typed */
	char token[32];
	snprintf(token, sizeof token, "o%lld", (long long)f->bct);
	q.text = token;
	assert_int_equal(all_pages(f, q, 2, got, 8, &total), 0);
	/* someone who sees bct whole and their own bcp cases: bct's zephyr and
	 * none of bcp's, which are not assigned to them */
	store_case_query mixed = {.user_id = f->complaints, .org_wide = &f->bct, .n_org_wide = 1,
				  .assigned_only = &f->bcp, .n_assigned_only = 1,
				  .text = "zephyr"};
	assert_int_equal(all_pages(f, mixed, 2, got, 8, &total), 1);
	assert_string_equal(got[0], bct_ref);
}

static void test_issue21_last_word_alone_is_a_prefix(void **state)
{
	fixture *f = *state;
	char got[8][FH_REFERENCE_MAX];
	size_t total = 0;
	store_case_query q = {.user_id = f->complaints, .org_wide = &f->bct, .n_org_wide = 1};
	/* issue 21 item 3: the last word typed is a prefix (of 3 characters
	 * or more), every other word is matched whole */
	q.text = "quillfeather canc";
	assert_int_equal(all_pages(f, q, 5, got, 8, &total), 1);
	assert_string_equal(got[0], f->ref_assigned);
	q.text = "quill cancelled";
	assert_int_equal(all_pages(f, q, 5, got, 8, &total), 0);
	q.text = "cancelled quill";
	assert_int_equal(all_pages(f, q, 5, got, 8, &total), 1);
	q.text = "qu";
	assert_int_equal(all_pages(f, q, 5, got, 8, &total), 0);
	q.text = "okafor";
	assert_int_equal(all_pages(f, q, 5, got, 8, &total), 1);
	assert_string_equal(got[0], f->ref_other);
	/* the same for someone who sees only their own cases */
	store_case_query io = {.user_id = f->investigator, .assigned_only = &f->bct,
			       .n_assigned_only = 1, .text = "cancelled quill"};
	assert_int_equal(all_pages(f, io, 5, got, 8, &total), 1);
	assert_string_equal(got[0], f->ref_assigned);
	io.text = "quill cancelled";
	assert_int_equal(all_pages(f, io, 5, got, 8, &total), 0);
}

static void test_issue21_received_on_change_keeps_the_case_found(void **state)
{
	fixture *f = *state;
	char a[FH_REFERENCE_MAX], b[FH_REFERENCE_MAX];
	add_case_on(f->st, "bct", "2026-11-02", "Marmalade spilt", a);
	add_case_on(f->st, "bct", "2026-11-03", "Marmalade spilt", b);
	store_case_query q = {.user_id = f->complaints, .org_wide = &f->bct, .n_org_wide = 1,
			      .text = "marmalade"};
	char got[8][FH_REFERENCE_MAX];
	size_t total = 0;
	assert_int_equal(all_pages(f, q, 1, got, 8, &total), 2);
	assert_string_equal(got[0], b);
	/* issue 21 item 1: a corrected date received moves the search row to
	 * its new place in the order, before 1970 too (a negative key) */
	char sql[256];
	static const char *const dates[] = {"2026-11-04", "1965-06-01"};
	for (int i = 0; i < 2; i++) {
		snprintf(sql, sizeof sql, "UPDATE cases SET received_on = '%s' WHERE reference = '%s'",
			 dates[i], a);
		exec_raw(f->path, sql);
		assert_int_equal(all_pages(f, q, 1, got, 8, &total), 2);
		assert_string_equal(got[i ? 1 : 0], a);
		assert_string_equal(got[i ? 0 : 1], b);
	}
	q.text = "marmalade spilt";
	assert_int_equal(all_pages(f, q, 1, got, 8, &total), 2);
	assert_string_equal(got[1], a);
	q.text = "bellweather marm";
	assert_int_equal(all_pages(f, q, 5, got, 8, &total), 2);
	/* the triggers that keep the row find it at its new key: a person
	 * renamed (cases_fts_person) and the case's text changed */
	snprintf(sql, sizeof sql, "UPDATE people SET family_name = 'Quince' WHERE id IN (SELECT"
		 " cp.person_id FROM case_parties cp JOIN cases c ON c.id = cp.case_id"
		 " WHERE c.reference = '%s')", a);
	exec_raw(f->path, sql);
	snprintf(sql, sizeof sql, "UPDATE cases SET summary = 'Treacle spilt' WHERE reference = '%s'", a);
	exec_raw(f->path, sql);
	q.text = "quince treacle";
	assert_int_equal(all_pages(f, q, 5, got, 8, &total), 1);
	assert_string_equal(got[0], a);
	q.text = "marmalade";
	assert_int_equal(all_pages(f, q, 5, got, 8, &total), 1);
	assert_string_equal(got[0], b);
}

static void test_locate_assign_and_log(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	store_access_thread_cache(f->st);
	int64_t case_id, org_id;
	bool assigned;
	assert_int_equal(store_case_locate(f->st, f->ref_assigned, &case_id, &org_id, &err), FH_OK);
	assert_int_equal(org_id, f->bct);
	assert_int_equal(store_case_assigned(f->st, case_id, f->investigator, &assigned, &err), FH_OK);
	assert_true(assigned);
	assert_int_equal(store_case_assigned(f->st, case_id, f->complaints, &assigned, &err), FH_OK);
	assert_false(assigned);
	assert_int_equal(store_case_locate(f->st, "BCT-2026-99999", &case_id, &org_id, &err),
			 FH_ENOTFOUND);
	assert_int_equal(store_case_locate(f->st, "not a reference", &case_id, &org_id, &err),
			 FH_ENOTFOUND);

	int64_t head1, head2;
	assert_int_equal(store_audit_head(f->st, &head1, &err), FH_OK);
	store_access_entry e[2] = {{.at = "2026-11-23T10:00:00Z", .user_id = f->complaints,
				    .actor = "complaints@bct.test", .case_id = case_id, .what = "case",
				    .client_ip = "127.0.0.1"},
				   {.at = "2026-11-23T10:00:01Z", .user_id = f->complaints,
				    .actor = "complaints@bct.test", .what = "search",
				    .detail = "quill", .client_ip = "127.0.0.1"}};
	assert_int_equal(store_access_append(f->st, e, 2, &err), FH_OK);
	assert_int_equal(one_int(f->st, f->path, "SELECT count(*) FROM access_log"), 2);
	/* reads are not changes: the audit head stands still */
	assert_int_equal(store_audit_head(f->st, &head2, &err), FH_OK);
	assert_int_equal(head1, head2);
	/* and the log cannot be edited */
	db_conn *db;
	assert_int_equal(db_open(f->path, false, false, &db, NULL, 0), DB_OK);
	assert_int_not_equal(db_exec(db, "DELETE FROM access_log"), DB_OK);
	assert_int_not_equal(db_exec(db, "UPDATE access_log SET actor = 'x'"),
			     DB_OK);
	db_close(db);
	assert_int_equal(store_ping(f->st, &err), FH_OK);
	int64_t open = -1, overdue = -1;
	assert_int_equal(store_case_counts(f->st, "2026-11-23", f->bct, &open, &overdue, &err),
			 FH_OK);
	assert_int_equal(open, 2);
	assert_int_equal(overdue, 0);
	/* per organisation: bcp's one case is counted in bcp's figures only */
	assert_int_equal(store_case_counts(f->st, "2026-11-23", f->bcp, &open, &overdue, &err),
			 FH_OK);
	assert_int_equal(open, 1);
}


/* ---- the second factor (issue 18 item 5) --------------------------------------- */

/* RFC 6238 Appendix B's key for HMAC-SHA-1, and its table's times and codes. */
static const uint8_t RFC_KEY[20] = "12345678901234567890";
static const struct {
	time_t t;
	const char *code8;
} RFC_VECTORS[] = {
	{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
	{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
};

static void test_rfc6238_appendix_b_sha1_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof RFC_VECTORS / sizeof RFC_VECTORS[0]; i++) {
		char code[9];
		assert_true(store_totp_code(RFC_KEY, sizeof RFC_KEY, RFC_VECTORS[i].t, 8, code,
					    sizeof code));
		if (strcmp(code, RFC_VECTORS[i].code8) != 0)
			fail_msg("RFC 6238 Appendix B: T=%lld gives %s, not %s",
				 (long long)RFC_VECTORS[i].t, code, RFC_VECTORS[i].code8);
		/* six digits: the same number modulo 10^6, its last six digits */
		assert_true(store_totp_code(RFC_KEY, sizeof RFC_KEY, RFC_VECTORS[i].t, 6, code,
					    sizeof code));
		if (strcmp(code, RFC_VECTORS[i].code8 + 2) != 0)
			fail_msg("RFC 6238 Appendix B, 6 digits: T=%lld gives %s, not %s",
				 (long long)RFC_VECTORS[i].t, code, RFC_VECTORS[i].code8 + 2);
	}
	/* RFC 6238: the current step and one either side, nothing further */
	assert_int_equal(store_totp_match(RFC_KEY, 59, "287082", 0), 1);
	assert_int_equal(store_totp_match(RFC_KEY, 59 + 30, "287082", 0), 1);
	assert_int_equal(store_totp_match(RFC_KEY, 59 - 30, "287082", 0), 1);
	assert_int_equal(store_totp_match(RFC_KEY, 59 + 60, "287082", 0), 0);
	/* a step already accepted (or an earlier one) is refused: no replay */
	assert_int_equal(store_totp_match(RFC_KEY, 59, "287082", 1), 0);
	assert_int_equal(store_totp_match(RFC_KEY, 59, "28708", 0), 0);
	assert_int_equal(store_totp_match(RFC_KEY, 59, "2870820", 0), 0);
	assert_int_equal(store_totp_match(RFC_KEY, 59, "28708x", 0), 0);
	/* RFC 4648's base32 of the key, as an app is given it */
	char b32[STORE_TOTP_BASE32_MAX];
	assert_true(store_totp_base32(RFC_KEY, sizeof RFC_KEY, b32, sizeof b32));
	assert_string_equal(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

static void code_at(time_t t, char out[7])
{
	assert_true(store_totp_code(RFC_KEY, sizeof RFC_KEY, t, 6, out, 7));
}

static void test_totp_enrol_replay_recovery_issue18_item5(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	int64_t uid = f->complaints;
	time_t t0 = 2000000000;
	store_recovery_codes codes;
	char code[7];
	/* nothing to confirm before a key is begun */
	code_at(t0, code);
	assert_int_equal(store_totp_confirm(f->st, uid, code, t0, "me", codes, &err), FH_ECONFLICT);
	assert_int_equal(store_totp_begin(f->st, uid, RFC_KEY, t0, &err), FH_OK);
	store_totp_state tf;
	assert_int_equal(store_totp_get(f->st, uid, &tf, &err), FH_OK);
	assert_true(tf.pending);
	assert_false(tf.enrolled);
	/* not enrolled yet: a wrong code confirms nothing */
	assert_int_equal(store_totp_confirm(f->st, uid, "000000", t0, "me", codes, &err), FH_EINVAL);
	assert_string_equal(err.field, "code");
	assert_int_equal(store_totp_confirm(f->st, uid, code, t0, "me", codes, &err), FH_OK);
	assert_int_equal(store_totp_get(f->st, uid, &tf, &err), FH_OK);
	assert_true(tf.enrolled);
	assert_int_equal(tf.recovery_left, 10);
	assert_int_equal(tf.last_step, t0 / 30);
	for (int i = 0; i < STORE_RECOVERY_CODES; i++)
		assert_int_equal(strlen(codes[i]), 19); /* XXXX-XXXX-XXXX-XXXX */
	assert_string_not_equal(codes[0], codes[1]);
	/* the key is in no audit event; only digests of the recovery codes are kept */
	assert_int_equal(one_int(f->st, f->path, "SELECT count(*) FROM events WHERE action = "
				 "'second_factor_enrolled'"), 1);
	assert_int_equal(one_int(f->st, f->path, "SELECT count(*) FROM events WHERE data LIKE "
				 "'%GEZDGNBV%' OR data LIKE '%12345678901234567890%'"), 0);
	assert_int_equal(one_int(f->st, f->path, "SELECT count(*) FROM recovery_codes WHERE "
				 "length(code_hash) = 32"), 10);

	bool recovery = true;
	/* RFC 6238 §5.2: the code that confirmed enrolment is spent */
	assert_int_equal(store_totp_verify(f->st, uid, "me", code, t0 + 10, &recovery, &err),
			 FH_EINVAL);
	/* the next step's code is good once */
	code_at(t0 + 30, code);
	assert_int_equal(store_totp_verify(f->st, uid, "me", code, t0 + 30, &recovery, &err), FH_OK);
	assert_false(recovery);
	assert_int_equal(store_totp_verify(f->st, uid, "me", code, t0 + 31, &recovery, &err),
			 FH_EINVAL);
	/* a wrong code, and one two steps old */
	assert_int_equal(store_totp_verify(f->st, uid, "me", "123456", t0 + 60, &recovery, &err),
			 FH_EINVAL);
	code_at(t0 + 300, code);
	assert_int_equal(store_totp_verify(f->st, uid, "me", code, t0 + 370, &recovery, &err),
			 FH_EINVAL);
	/* a recovery code, typed in lower case with spaces: good once */
	char typed[STORE_RECOVERY_TEXT_MAX + 4];
	snprintf(typed, sizeof typed, "%s", codes[3]);
	for (char *p = typed; *p; p++)
		*p = *p == '-' ? ' ' : (char)tolower((unsigned char)*p);
	assert_int_equal(store_totp_verify(f->st, uid, "me", typed, t0 + 400, &recovery, &err), FH_OK);
	assert_true(recovery);
	assert_int_equal(store_totp_verify(f->st, uid, "me", codes[3], t0 + 400, &recovery, &err),
			 FH_EINVAL);
	assert_int_equal(one_int(f->st, f->path, "SELECT count(*) FROM events WHERE action = "
				 "'recovery_code_used'"), 1);
	assert_int_equal(store_totp_get(f->st, uid, &tf, &err), FH_OK);
	assert_int_equal(tf.recovery_left, 9);

	/* new recovery codes need a current code; the old ones stop working */
	store_recovery_codes fresh;
	assert_int_equal(store_totp_recovery_renew(f->st, uid, codes[4], t0 + 500, "me", fresh,
						   &err), FH_EINVAL);
	code_at(t0 + 510, code);
	assert_int_equal(store_totp_recovery_renew(f->st, uid, code, t0 + 510, "me", fresh, &err),
			 FH_OK);
	assert_int_equal(store_totp_verify(f->st, uid, "me", codes[5], t0 + 600, &recovery, &err),
			 FH_EINVAL);
	assert_int_equal(store_totp_verify(f->st, uid, "me", fresh[0], t0 + 600, &recovery, &err),
			 FH_OK);

	/* an administrator's reset: an audit event naming who, and the key gone */
	assert_int_equal(store_totp_reset(f->st, "complaints@bct.test", "admin@bct.test", &err),
			 FH_OK);
	assert_int_equal(one_int(f->st, f->path, "SELECT count(*) FROM events WHERE action = "
				 "'totp_reset' AND actor = 'admin@bct.test' AND data LIKE "
				 "'%admin@bct.test%'"), 1);
	assert_int_equal(store_totp_get(f->st, uid, &tf, &err), FH_OK);
	assert_false(tf.enrolled || tf.pending);
	assert_int_equal(one_int(f->st, f->path, "SELECT count(*) FROM recovery_codes"), 0);
	assert_int_equal(store_totp_reset(f->st, "complaints@bct.test", "admin@bct.test", &err),
			 FH_ECONFLICT);
	assert_int_equal(store_totp_reset(f->st, "nobody@bct.test", "admin@bct.test", &err),
			 FH_ENOTFOUND);
}

static void test_totp_disable_and_org_requirement_issue18_item5(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	int64_t uid = f->complaints;
	time_t t0 = 1234567890;
	store_recovery_codes codes;
	char code[7];
	bool required = true;
	assert_int_equal(store_second_factor_required(f->st, uid, &required, &err), FH_OK);
	assert_false(required);
	assert_int_equal(store_totp_begin(f->st, uid, RFC_KEY, t0, &err), FH_OK);
	code_at(t0, code);
	assert_int_equal(store_totp_confirm(f->st, uid, code, t0, "me", codes, &err), FH_OK);
	/* enrolled twice is refused: turn it off first */
	assert_int_equal(store_totp_begin(f->st, uid, RFC_KEY, t0, &err), FH_ECONFLICT);

	/* bct requires a second factor (its file's policy.second_factor) */
	/* (an organisation file needs its letterhead's address) */
	exec_raw(f->path, "UPDATE organisations SET address = 'PO Box 17342, Birmingham B2 2DW'");
	assert_int_equal(store_org_set_second_factor(f->st, "bct", true, "admin", &err), FH_OK);
	assert_int_equal(store_second_factor_required(f->st, uid, &required, &err), FH_OK);
	assert_true(required);
	assert_int_equal(store_second_factor_required(f->st, f->outsider, &required, &err), FH_OK);
	assert_false(required); /* bcp's staff: bcp does not */
	json_t *doc = NULL;
	assert_int_equal(store_org_export(f->st, "bct", &doc, &err), FH_OK);
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "policy"),
								 "second_factor")), "required");
	json_decref(doc);
	code_at(t0 + 30, code);
	assert_int_equal(store_totp_disable(f->st, uid, code, t0 + 30, "me", &err), FH_ECONFLICT);
	assert_string_equal(err.field, "second_factor");

	/* no longer required: off with a current code, an audit event */
	assert_int_equal(store_org_set_second_factor(f->st, "bct", false, "admin", &err), FH_OK);
	assert_int_equal(store_totp_disable(f->st, uid, "000000", t0 + 30, "me", &err), FH_EINVAL);
	assert_int_equal(store_totp_disable(f->st, uid, code, t0 + 30, "me", &err), FH_OK);
	assert_int_equal(one_int(f->st, f->path, "SELECT count(*) FROM events WHERE action = "
				 "'second_factor_disabled'"), 1);
	store_totp_state tf;
	assert_int_equal(store_totp_get(f->st, uid, &tf, &err), FH_OK);
	assert_false(tf.enrolled);
}

static void test_sign_in_challenge_once_and_five_minutes(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	char token[STORE_TOKEN_TEXT_MAX];
	uint8_t hash[STORE_TOKEN_HASH_BYTES];
	store_token_new("fhc_", token, hash);
	time_t t0 = 2000000000;
	int64_t id = 0, uid = 0;
	assert_int_equal(store_challenge_create(f->st, f->complaints, hash, "10.0.0.1", t0, &err),
			 FH_OK);
	assert_int_equal(store_challenge_resolve(f->st, hash, t0 + 299, &id, &uid, &err), FH_OK);
	assert_int_equal(uid, f->complaints);
	assert_int_equal(store_challenge_resolve(f->st, hash, t0 + 300, &id, &uid, &err),
			 FH_ENOTFOUND);
	assert_int_equal(store_challenge_end(f->st, id, t0 + 10, &err), FH_OK);
	assert_int_equal(store_challenge_resolve(f->st, hash, t0 + 11, &id, &uid, &err),
			 FH_ENOTFOUND);
	assert_int_equal(store_challenge_end(f->st, id, t0 + 12, &err), FH_ENOTFOUND);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens_are_random_and_hashed),
		cmocka_unit_test(test_passwords),
		T(test_session_lifetime),
		T(test_password_reset_and_disabling_end_sessions),
		T(test_token_expiry_scope_revocation_issue16_item9),
		T(test_prune_sessions_and_attempts),
		cmocka_unit_test(test_issue16_login_delay_grows_and_is_capped),
		T(test_issue16_account_is_slowed_not_locked),
		T(test_issue16_account_wide_wait_spares_clean_addresses),
		T(test_issue16_address_counts_failures_only),
		T(test_issue16_concurrent_guesses_get_no_more_than_the_limit),
		T(test_principal_lists_grants),
		T(test_query_is_scoped),
		T(test_locate_assign_and_log),
		T(test_issue21_search_order_is_the_lists_across_pages),
		T(test_issue21_search_stays_in_its_organisation),
		T(test_issue21_last_word_alone_is_a_prefix),
		T(test_issue21_received_on_change_keeps_the_case_found),
		cmocka_unit_test(test_rfc6238_appendix_b_sha1_vectors),
		T(test_totp_enrol_replay_recovery_issue18_item5),
		T(test_totp_disable_and_org_requirement_issue18_item5),
		T(test_sign_in_challenge_once_and_five_minutes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
