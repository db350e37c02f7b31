/*
 * store_auth.c: accounts, sessions, API tokens and sign-in throttling.
 */
#include "store_auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store_cache.h"
#include "store_event.h"
#include "store_internal.h"
#include "store_rows.h"

/*
 * NCSC's password guidance: slow guessing down rather than lock accounts,
 * so that knowing someone's email is not enough to keep them out.  Five
 * tries at one account from one address, twenty at one account from all
 * the addresses that have failed on it, thirty from one address at any
 * accounts, before the first wait; each failure after that doubles the
 * wait, from half a minute to a quarter of an hour at most; failures older
 * than an hour no longer count.
 */
const store_login_policy STORE_LOGIN_POLICY_DEFAULT = {
	.pair_free = 5,
	.account_free = 20,
	.ip_free = 30,
	.base_seconds = 30,
	.max_seconds = 15 * 60,
	.forget_seconds = 60 * 60,
};

/* Only bookkeeping writes (last seen) are made this often at most. */
#define TOUCH_SECONDS 60

void store_iso_time(time_t t, char buf[21])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- secrets ----------------------------------------------------------------- */

void store_token_new(const char *prefix, char text[STORE_TOKEN_TEXT_MAX],
		     uint8_t hash[STORE_TOKEN_HASH_BYTES])
{
	uint8_t raw[STORE_TOKEN_BYTES];
	randombytes_buf(raw, sizeof raw);
	size_t plen = strlen(prefix);
	memcpy(text, prefix, plen);
	sodium_bin2base64(text + plen, STORE_TOKEN_TEXT_MAX - plen, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	store_token_hash(text, hash);
}

void store_token_hash(const char *text, uint8_t hash[STORE_TOKEN_HASH_BYTES])
{
	crypto_generichash(hash, STORE_TOKEN_HASH_BYTES, (const unsigned char *)text, strlen(text),
			   NULL, 0);
}

void store_session_csrf(const char *session_text, char out[STORE_CSRF_TEXT_MAX])
{
	unsigned char key[crypto_generichash_BYTES], mac[crypto_generichash_BYTES];
	crypto_generichash(key, sizeof key, (const unsigned char *)session_text,
			   strlen(session_text), NULL, 0);
	static const char label[] = "fairhearing csrf v1";
	crypto_generichash(mac, sizeof mac, (const unsigned char *)label, sizeof label - 1, key,
			   sizeof key);
	_Static_assert(sodium_base64_ENCODED_LEN(crypto_generichash_BYTES,
			       sodium_base64_VARIANT_URLSAFE_NO_PADDING) <= STORE_CSRF_TEXT_MAX,
		       "csrf buffer");
	sodium_bin2base64(out, STORE_CSRF_TEXT_MAX, mac, sizeof mac,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void store_log_digest(const char *secret, size_t len, char out[STORE_LOG_DIGEST_TEXT])
{
	unsigned char d[crypto_generichash_BYTES_MIN];
	crypto_generichash(d, sizeof d, (const unsigned char *)secret, len, NULL, 0);
	sodium_bin2hex(out, STORE_LOG_DIGEST_TEXT, d, 4);
}

fh_status store_password_hash(const char *password, char out[STORE_PASSWORD_HASH_MAX],
			      fh_error *err)
{
	_Static_assert(crypto_pwhash_STRBYTES <= STORE_PASSWORD_HASH_MAX, "hash buffer");
	size_t len = strlen(password);
	if (len < STORE_PASSWORD_MIN)
		return error_set(err, FH_EINVAL, "password", NULL,
				 "must be at least %d characters", STORE_PASSWORD_MIN);
	if (len > STORE_PASSWORD_MAX)
		return error_set(err, FH_EINVAL, "password", NULL, "must be at most %d characters",
				 STORE_PASSWORD_MAX);
	if (sodium_init() < 0)
		return error_set(err, FH_ESTORE, NULL, NULL, "libsodium failed to initialise");
	/* The interactive limits: about 64 MiB and a tenth of a second, enough to
	 * make guessing from a stolen database slow without slowing sign-in. */
	if (crypto_pwhash_str(out, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory hashing the password");
	return FH_OK;
}

bool store_password_verify(const char *hash, const char *password)
{
	if (!hash || !*hash || !password)
		return false;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* ---- helpers ------------------------------------------------------------------ */

/* Runs a prepared statement that returns no rows, then finalises it. */
static fh_status step_done(fh_store *st, db_stmt *stmt, const char *what, fh_error *err)
{
	fh_status s = db_step(stmt) == DB_DONE ? FH_OK : store_fail(st, what, err);
	db_finalize(stmt);
	return s;
}

/* Ends every open session of a user (inside the caller's transaction). */
static fh_status end_sessions(fh_store *st, int64_t user_id, fh_error *err)
{
	char now[21];
	store_now(now);
	db_stmt *stmt;
	fh_status s = store_prepare(st, "UPDATE sessions SET ended_at = ? WHERE user_id = ?"
				    " AND ended_at IS NULL", &stmt, err);
	if (s)
		return s;
	db_bind_text(stmt, 1, now, -1);
	db_bind_int64(stmt, 2, user_id);
	return step_done(st, stmt, "ending sessions", err);
}

/* ---- who someone is ------------------------------------------------------------- */

fh_status store_principal_get(fh_store *st, int64_t user_id, fh_arena *arena,
			      store_principal *out, fh_error *err)
{
	memset(out, 0, sizeof *out);
	db_stmt *stmt;
	fh_status s = store_cache_get(st, CACHE_PRINCIPAL_USER,
		"SELECT id, email, display_name, external, disabled FROM users WHERE id = ?",
		&stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, user_id);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		out->user_id = db_column_int64(stmt, 0);
		out->email = store_column_text(stmt, 1, arena);
		out->display_name = store_column_text(stmt, 2, arena);
		out->external = db_column_int(stmt, 3);
		out->disabled = db_column_int(stmt, 4);
	} else if (rc == DB_DONE) {
		s = error_set(err, FH_ENOTFOUND, "user", NULL, "no user %lld", (long long)user_id);
	} else {
		s = store_fail(st, "reading a user", err);
	}
	store_cache_done(st, CACHE_PRINCIPAL_USER, stmt);
	if (s)
		return s;

	s = store_cache_get(st, CACHE_PRINCIPAL_GRANTS,
		"SELECT r.org_id, o.code, r.role, t.name FROM user_roles r"
		" JOIN organisations o ON o.id = r.org_id LEFT JOIN teams t ON t.id = r.team_id"
		" WHERE r.user_id = ? ORDER BY o.code, r.role", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, user_id);
	size_t cap = 0;
	while ((rc = db_step(stmt)) == DB_ROW) {
		if (out->n_grants == cap) {
			/* Most people hold one or two roles; grow by copying in the arena. */
			store_grant *bigger = arena_array(arena, cap ? cap * 2 : 4, sizeof *bigger);
			if (cap)
				memcpy(bigger, out->grants, cap * sizeof *bigger);
			out->grants = bigger;
			cap = cap ? cap * 2 : 4;
		}
		store_grant *g = &out->grants[out->n_grants++];
		g->org_id = db_column_int64(stmt, 0);
		g->org_code = store_column_text(stmt, 1, arena);
		g->role = store_column_text(stmt, 2, arena);
		g->team = db_column_type(stmt, 3) == DB_NULL ? NULL
								      : store_column_text(stmt, 3, arena);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "reading a user's roles", err);
	store_cache_done(st, CACHE_PRINCIPAL_GRANTS, stmt);
	return s;
}

fh_status store_user_credentials(fh_store *st, const char *email, fh_arena *arena,
				 int64_t *user_id, const char **password_hash, bool *disabled,
				 fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st, "SELECT id, password_hash, disabled FROM users"
				    " WHERE email = ?", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, email);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		*user_id = db_column_int64(stmt, 0);
		*password_hash = db_column_type(stmt, 1) == DB_NULL
					 ? NULL : store_column_text(stmt, 1, arena);
		*disabled = db_column_int(stmt, 2);
	} else if (rc == DB_DONE) {
		s = error_set(err, FH_ENOTFOUND, "email", NULL, "no such user");
	} else {
		s = store_fail(st, "reading a user", err);
	}
	db_finalize(stmt);
	return s;
}

/*
 * The one shape of a change to an account: sets one column of email's user
 * (sql binds the new value at 1, as text or as a number, and the user's id
 * at 2), ends their open sessions when end_them, and appends action naming
 * the user, in one transaction.  The event says that the account changed,
 * never what to (a password's hash stays out of the audit chain).
 */
static fh_status user_change(fh_store *st, const char *email, const char *sql, bool is_text,
			     const char *text, int number, const char *what, bool end_them,
			     const char *action, const char *actor, fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	int64_t uid = 0;
	db_stmt *stmt;
	s = store_user_id(st, email, "email", &uid, err);
	if (!s)
		s = store_prepare(st, sql, &stmt, err);
	if (!s) {
		if (is_text)
			store_bind_text(stmt, 1, text);
		else
			db_bind_int(stmt, 1, number);
		db_bind_int64(stmt, 2, uid);
		s = step_done(st, stmt, what, err);
	}
	if (!s && end_them)
		s = end_sessions(st, uid, err);
	if (!s)
		s = store_event_append_json(st, 0, 0, actor, action, NULL, NULL,
					    json_pack("{sI}", "user_id", (json_int_t)uid), err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_user_set_password(fh_store *st, const char *email, const char *hash,
				  const char *actor, fh_error *err)
{
	return user_change(st, email, "UPDATE users SET password_hash = ? WHERE id = ?", true,
			   hash, 0, "setting the password", true, "password_set", actor, err);
}

fh_status store_user_set_disabled(fh_store *st, const char *email, bool disabled,
				  const char *actor, fh_error *err)
{
	return user_change(st, email, "UPDATE users SET disabled = ? WHERE id = ?", false, NULL,
			   disabled, "disabling the user", disabled,
			   disabled ? "user_disabled" : "user_enabled", actor, err);
}

/* ---- slowing down guessing --------------------------------------------------------- */

int store_login_delay(int64_t failures, int free, const store_login_policy *p)
{
	if (failures < free)
		return 0;
	int64_t wait = p->base_seconds;
	for (int64_t n = free; n < failures && wait < p->max_seconds; n++)
		wait *= 2;
	return wait > p->max_seconds ? p->max_seconds : (int)wait;
}

static time_t parse_iso(const char *at)
{
	struct tm tm = {0};
	if (!at || sscanf(at, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

/*
 * The failures that still count for one key, and when the newest happened.
 * A key is the account from one address (email and ip), the account from
 * anywhere (ip NULL) or the address at any account (email NULL).  For the
 * first two a success on the same key wipes the slate: the owner has shown
 * they know the password.  An address's count is never wiped by a success,
 * or a guesser could mix in sign-ins to an account of their own.
 */
static fh_status key_failures(fh_store *st, const char *email, const char *ip, time_t now,
			      const store_login_policy *p, int64_t *failures, time_t *newest,
			      fh_error *err)
{
	char since[21];
	store_iso_time(now - p->forget_seconds, since);
	const char *sql =
		!ip ? "SELECT count(*), coalesce(max(at), '') FROM login_attempts"
		      " WHERE email = ?1 AND succeeded = 0 AND at >= ?3 AND id > coalesce("
		      " (SELECT max(id) FROM login_attempts WHERE email = ?1 AND succeeded = 1), 0)"
		: !email ? "SELECT count(*), coalesce(max(at), '') FROM login_attempts"
			   " WHERE client_ip = ?2 AND succeeded = 0 AND at >= ?3"
		: "SELECT count(*), coalesce(max(at), '') FROM login_attempts"
		  " WHERE email = ?1 AND client_ip = ?2 AND succeeded = 0 AND at >= ?3 AND id > coalesce("
		  " (SELECT max(id) FROM login_attempts WHERE email = ?1 AND client_ip = ?2"
		  " AND succeeded = 1), 0)";
	db_stmt *stmt;
	fh_status s = store_prepare(st, sql, &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, email ? email : "");
	store_bind_text(stmt, 2, ip ? ip : "");
	store_bind_text(stmt, 3, since);
	*failures = 0;
	*newest = 0;
	if (db_step(stmt) == DB_ROW) {
		*failures = db_column_int64(stmt, 0);
		*newest = parse_iso((const char *)db_column_text(stmt, 1));
	} else {
		s = store_fail(st, "counting sign-in failures", err);
	}
	db_finalize(stmt);
	return s;
}

/* Seconds left of a key's wait at now (0: none). */
static int wait_left(int64_t failures, time_t newest, int free, const store_login_policy *p,
		     time_t now)
{
	int delay = store_login_delay(failures, free, p);
	if (!delay || newest + delay <= now)
		return 0;
	return (int)(newest + delay - now);
}

static fh_status insert_attempt(fh_store *st, const char *email, const char *ip, time_t now,
				bool succeeded, int64_t *id, fh_error *err)
{
	char at[21];
	store_iso_time(now, at);
	db_stmt *stmt;
	fh_status s = store_prepare(st, "INSERT INTO login_attempts (email, client_ip, at, succeeded)"
				    " VALUES (?, ?, ?, ?) RETURNING id", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, email);
	store_bind_text(stmt, 2, ip);
	store_bind_text(stmt, 3, at);
	db_bind_int(stmt, 4, succeeded);
	int64_t unused;
	return store_stmt_run_id(st, stmt, "recording a sign-in attempt", id ? id : &unused, err);
}

fh_status store_login_claim(fh_store *st, const char *email, const char *ip, time_t now,
			    const store_login_policy *p, store_login_verdict *verdict,
			    int *retry_after, int64_t *attempt_id, fh_error *err)
{
	*verdict = STORE_LOGIN_ALLOWED;
	*retry_after = 0;
	*attempt_id = 0;
	/* One transaction, and on PostgreSQL behind the writers' lock: two
	 * servers (or two workers) cannot both read "four failures" and both go
	 * on to a fifth and sixth guess. */
	fh_status s = store_begin(st, err);
	if (s)
		return s;
	int64_t from_ip = 0, pair = 0, account = 0;
	time_t ip_newest = 0, pair_newest = 0, account_newest = 0;
	s = key_failures(st, NULL, ip, now, p, &from_ip, &ip_newest, err);
	if (!s)
		s = key_failures(st, email, ip, now, p, &pair, &pair_newest, err);
	if (!s)
		s = key_failures(st, email, NULL, now, p, &account, &account_newest, err);
	if (s) {
		store_rollback(st);
		return s;
	}
	int ip_wait = wait_left(from_ip, ip_newest, p->ip_free, p, now);
	int pair_wait = wait_left(pair, pair_newest, p->pair_free, p, now);
	/* The account's own count slows every address that has already failed
	 * on it; an address that has not (the owner, at their desk) is not held
	 * back by someone else's guessing. */
	int account_wait = pair > 0 ? wait_left(account, account_newest, p->account_free, p, now) : 0;
	if (ip_wait) {
		*verdict = STORE_LOGIN_THROTTLED;
		*retry_after = ip_wait;
	} else if (pair_wait || account_wait) {
		*verdict = STORE_LOGIN_SLOWED;
		*retry_after = pair_wait > account_wait ? pair_wait : account_wait;
	}
	if (*verdict != STORE_LOGIN_ALLOWED) {
		store_rollback(st);
		return FH_OK;
	}
	/* Counted as a failure until store_login_settle says otherwise, so that
	 * checks still running count towards the next one's wait. */
	s = insert_attempt(st, email, ip, now, false, attempt_id, err);
	if (s) {
		store_rollback(st);
		return s;
	}
	return store_commit(st, err);
}

fh_status store_login_settle(fh_store *st, int64_t attempt_id, const char *email, const char *ip,
			     int64_t user_id, bool succeeded, time_t now,
			     const store_login_policy *p, fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	if (succeeded) {
		db_stmt *stmt;
		s = store_prepare(st, "UPDATE login_attempts SET succeeded = 1 WHERE id = ?", &stmt,
				  err);
		if (!s) {
			db_bind_int64(stmt, 1, attempt_id);
			s = step_done(st, stmt, "recording a sign-in", err);
		}
	} else if (user_id) {
		s = store_event_append_json(st, 0, 0, email, "sign_in_failed", NULL, NULL,
					    json_pack("{sI ss}", "user_id", (json_int_t)user_id, "client_ip",
						      ip), err);
		int64_t pair = 0, account = 0;
		time_t newest;
		if (!s)
			s = key_failures(st, email, ip, now, p, &pair, &newest, err);
		if (!s)
			s = key_failures(st, email, NULL, now, p, &account, &newest, err);
		/* The failure that starts the account's waits is worth an event; the
		 * ones after it are in sign_in_failed already. */
		bool by_pair = pair == p->pair_free;
		if (!s && (by_pair || account == p->account_free)) {
			int seconds = store_login_delay(by_pair ? pair : account,
							by_pair ? p->pair_free : p->account_free, p);
			s = store_event_append_json(st, 0, 0, "system:sign-in", "sign_in_slowed",
						    NULL, NULL,
						    json_pack("{sI ss si}", "user_id", (json_int_t)user_id,
							      "client_ip", ip, "seconds", seconds),
						    err);
		}
	}
	return store_tx_end(st, opened, s, err);
}

fh_status store_login_record(fh_store *st, const char *email, const char *ip, int64_t user_id,
			     bool succeeded, time_t now, const store_login_policy *p,
			     fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	int64_t id = 0;
	s = insert_attempt(st, email, ip, now, false, &id, err);
	if (!s)
		s = store_login_settle(st, id, email, ip, user_id, succeeded, now, p, err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_login_set_aside(fh_store *st, int64_t attempt_id, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st, "DELETE FROM login_attempts WHERE id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, attempt_id);
	return step_done(st, stmt, "setting a sign-in attempt aside", err);
}

/* ---- sessions ---------------------------------------------------------------------- */

fh_status store_session_create(fh_store *st, int64_t user_id, const char *actor,
			       const uint8_t hash[STORE_TOKEN_HASH_BYTES], const char *ip,
			       time_t now, int absolute_seconds, int64_t *session_id,
			       fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	char at[21], expires[21];
	store_iso_time(now, at);
	store_iso_time(now + absolute_seconds, expires);
	db_stmt *stmt;
	int64_t id = 0;
	s = store_prepare(st, "INSERT INTO sessions (user_id, token_hash, created_at, last_seen_at,"
			      " expires_at, client_ip) VALUES (?, ?, ?, ?, ?, ?) RETURNING id", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, user_id);
		db_bind_blob(stmt, 2, hash, STORE_TOKEN_HASH_BYTES);
		store_bind_text(stmt, 3, at);
		store_bind_text(stmt, 4, at);
		store_bind_text(stmt, 5, expires);
		store_bind_text(stmt, 6, ip);
		s = store_stmt_run_id(st, stmt, "starting a session", &id, err);
	}
	if (!s)
		s = store_event_append_json(st, 0, 0, actor, "signed_in", NULL, NULL,
					    json_pack("{sI sI ss}", "user_id", (json_int_t)user_id, "session_id",
						      (json_int_t)id, "client_ip", ip), err);
	if (!s && session_id)
		*session_id = id;
	return store_tx_end(st, opened, s, err);
}

/* Moves a last-seen column when it is older than a minute; a failure here is not fatal. */
static void touch(fh_store *st, const char *sql, int64_t id, time_t now)
{
	char at[21], stale[21];
	store_iso_time(now, at);
	store_iso_time(now - TOUCH_SECONDS, stale);
	db_stmt *stmt;
	if (db_prepare(st->db, sql, &stmt) != DB_OK)
		return;
	db_bind_text(stmt, 1, at, -1);
	db_bind_int64(stmt, 2, id);
	db_bind_text(stmt, 3, stale, -1);
	db_step(stmt);
	db_finalize(stmt);
}

fh_status store_session_resolve(fh_store *st, const uint8_t hash[STORE_TOKEN_HASH_BYTES],
				time_t now, int idle_seconds, int64_t *user_id,
				int64_t *session_id, bool *must_enrol, fh_error *err)
{
	char at[21], idle_since[21];
	store_iso_time(now, at);
	store_iso_time(now - idle_seconds, idle_since);
	db_stmt *stmt;
	fh_status s = store_cache_get(st, CACHE_SESSION_RESOLVE,
		"SELECT s.id, s.user_id, s.last_seen_at < ?3, s.must_enrol FROM sessions s"
		" JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.ended_at IS NULL"
		" AND s.expires_at > ?2 AND s.last_seen_at >= ?4 AND u.disabled = 0", &stmt, err);
	if (s)
		return s;
	char stale[21];
	store_iso_time(now - TOUCH_SECONDS, stale);
	db_bind_blob(stmt, 1, hash, STORE_TOKEN_HASH_BYTES);
	db_bind_text(stmt, 2, at, -1);
	db_bind_text(stmt, 3, stale, -1);
	db_bind_text(stmt, 4, idle_since, -1);
	int rc = db_step(stmt);
	bool needs_touch = false;
	if (rc == DB_ROW) {
		*session_id = db_column_int64(stmt, 0);
		*user_id = db_column_int64(stmt, 1);
		needs_touch = db_column_int(stmt, 2);
		if (must_enrol)
			*must_enrol = db_column_int(stmt, 3);
	} else if (rc == DB_DONE) {
		s = error_set(err, FH_ENOTFOUND, "session", NULL,
			      "the session has ended or expired: sign in again");
	} else {
		s = store_fail(st, "reading a session", err);
	}
	store_cache_done(st, CACHE_SESSION_RESOLVE, stmt);
	if (!s && needs_touch)
		touch(st, "UPDATE sessions SET last_seen_at = ?1 WHERE id = ?2 AND last_seen_at < ?3",
		      *session_id, now);
	return s;
}

fh_status store_session_end(fh_store *st, int64_t session_id, const char *actor,
			    fh_error *err)
{
	bool opened;
	char now[21];
	db_stmt *stmt;
	fh_status s = store_tx_stmt(st, &opened, now,
				    "UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
				    &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, now);
	db_bind_int64(stmt, 2, session_id);
	s = store_stmt_run(st, stmt, "ending a session", err);
	if (!s && db_changes(st->db) == 0)
		s = error_set(err, FH_ENOTFOUND, "session", NULL, "the session has already ended");
	if (!s)
		s = store_event_append_json(st, 0, 0, actor, "signed_out", NULL, NULL,
					    json_pack("{sI}", "session_id", (json_int_t)session_id), err);
	return store_tx_end(st, opened, s, err);
}

/* ---- API tokens ------------------------------------------------------------------ */

const char *store_token_scope_name(store_token_scope scope)
{
	return scope == STORE_SCOPE_FEED ? "feed" : "api";
}

bool store_token_scope_parse(const char *name, store_token_scope *scope)
{
	if (name && !strcmp(name, "api"))
		*scope = STORE_SCOPE_API;
	else if (name && !strcmp(name, "feed"))
		*scope = STORE_SCOPE_FEED;
	else
		return false;
	return true;
}

fh_status store_token_create(fh_store *st, const char *email, const char *name,
			     store_token_scope scope, time_t expires, time_t now,
			     const uint8_t hash[STORE_TOKEN_HASH_BYTES], const char *actor,
			     int64_t *token_id, fh_error *err)
{
	if (name && strlen(name) > MODEL_SHORT_MAX)
		return error_set(err, FH_EINVAL, "name", NULL, "is too long (at most %d characters)",
				 MODEL_SHORT_MAX);
	if (expires <= now)
		return error_set(err, FH_EINVAL, "expires", NULL, "must be after today");
	if (expires - now > (time_t)STORE_TOKEN_DAYS_MAX * 86400)
		return error_set(err, FH_EINVAL, "expires", NULL,
				 "must be at most %d days ahead: a token that never expires is a "
				 "credential nobody remembers to take back", STORE_TOKEN_DAYS_MAX);
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	int64_t uid = 0, id = 0;
	char at[21], until[21];
	store_iso_time(now, at);
	store_iso_time(expires, until);
	db_stmt *stmt;
	s = store_user_id(st, email, "email", &uid, err);
	if (!s)
		s = store_prepare(st, "INSERT INTO api_tokens (user_id, name, token_hash, created_at,"
				      " expires_at, scope) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
				  &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, uid);
		store_bind_text(stmt, 2, name ? name : "");
		db_bind_blob(stmt, 3, hash, STORE_TOKEN_HASH_BYTES);
		store_bind_text(stmt, 4, at);
		store_bind_text(stmt, 5, until);
		store_bind_text(stmt, 6, store_token_scope_name(scope));
		s = store_stmt_run_id(st, stmt, "recording the token", &id, err);
	}
	if (!s)
		s = store_event_append_json(st, 0, 0, actor, "token_created", NULL, NULL,
					    json_pack("{sI sI ss ss ss}", "user_id", (json_int_t)uid, "token_id",
						      (json_int_t)id, "name", name ? name : "", "scope",
						      store_token_scope_name(scope), "expires_at", until),
					    err);
	if (!s && token_id)
		*token_id = id;
	return store_tx_end(st, opened, s, err);
}

fh_status store_token_resolve(fh_store *st, const uint8_t hash[STORE_TOKEN_HASH_BYTES],
			      time_t now, int64_t *user_id, store_token_scope *scope,
			      fh_error *err)
{
	char at[21], stale[21];
	store_iso_time(now, at);
	store_iso_time(now - TOUCH_SECONDS, stale);
	db_stmt *stmt;
	/* A prepared statement is kept (store_cache), never an answer: the
	 * row is read on every request, so a revocation anywhere holds at once. */
	fh_status s = store_cache_get(st, CACHE_TOKEN_RESOLVE,
		"SELECT t.id, t.user_id, t.last_used_at IS NULL OR t.last_used_at < ?3, t.scope"
		" FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1"
		" AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?2)"
		" AND u.disabled = 0", &stmt, err);
	if (s)
		return s;
	db_bind_blob(stmt, 1, hash, STORE_TOKEN_HASH_BYTES);
	db_bind_text(stmt, 2, at, -1);
	db_bind_text(stmt, 3, stale, -1);
	int rc = db_step(stmt);
	int64_t token_id = 0;
	bool needs_touch = false;
	if (rc == DB_ROW) {
		token_id = db_column_int64(stmt, 0);
		*user_id = db_column_int64(stmt, 1);
		needs_touch = db_column_int(stmt, 2);
		const char *sc = (const char *)db_column_text(stmt, 3);
		/* an unknown scope grants nothing more than the feed */
		if (!store_token_scope_parse(sc, scope))
			*scope = STORE_SCOPE_FEED;
	} else if (rc == DB_DONE) {
		s = error_set(err, FH_ENOTFOUND, "token", NULL, "the token is unknown or revoked");
	} else {
		s = store_fail(st, "reading a token", err);
	}
	store_cache_done(st, CACHE_TOKEN_RESOLVE, stmt);
	if (!s && needs_touch)
		touch(st, "UPDATE api_tokens SET last_used_at = ?1 WHERE id = ?2"
			  " AND (last_used_at IS NULL OR last_used_at < ?3)", token_id, now);
	return s;
}

/* A nullable text column: NULL stays NULL. */
static const char *column_or_null(db_stmt *stmt, int col, fh_arena *arena)
{
	return db_column_text(stmt, col) ? store_column_text(stmt, col, arena) : NULL;
}

fh_status store_token_list(fh_store *st, const char *email, fh_arena *arena,
			   store_token_info **rows, size_t *count, fh_error *err)
{
	*rows = NULL;
	*count = 0;
	db_stmt *stmt;
	fh_status s = store_prepare(st,
		"SELECT t.id, u.email, t.name, t.scope, t.created_at, t.last_used_at, t.expires_at,"
		" t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id"
		" WHERE CAST(?1 AS TEXT) IS NULL OR u.email = ?1 COLLATE NOCASE"
		" ORDER BY t.id DESC", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, email);
	size_t room = 0;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		*rows = store_array_room(arena, *rows, *count, &room, 16, sizeof **rows);
		store_token_info *r = &(*rows)[(*count)++];
		r->id = db_column_int64(stmt, 0);
		r->email = store_column_text(stmt, 1, arena);
		r->name = store_column_text(stmt, 2, arena);
		r->scope = store_column_text(stmt, 3, arena);
		r->created_at = store_column_text(stmt, 4, arena);
		r->last_used_at = column_or_null(stmt, 5, arena);
		r->expires_at = column_or_null(stmt, 6, arena);
		r->revoked_at = column_or_null(stmt, 7, arena);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "listing tokens", err);
	db_finalize(stmt);
	return s;
}

fh_status store_token_revoke(fh_store *st, int64_t id, const char *owner_email,
			     const char *actor, time_t now, fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	db_stmt *stmt;
	int64_t uid = 0;
	bool revoked = false;
	s = store_prepare(st, "SELECT t.user_id, t.revoked_at IS NOT NULL FROM api_tokens t"
			      " JOIN users u ON u.id = t.user_id WHERE t.id = ?1"
			      " AND (CAST(?2 AS TEXT) IS NULL OR u.email = ?2 COLLATE NOCASE)",
			  &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, id);
		store_bind_text(stmt, 2, owner_email);
		int rc = db_step(stmt);
		if (rc == DB_ROW) {
			uid = db_column_int64(stmt, 0);
			revoked = db_column_int(stmt, 1);
		} else if (rc == DB_DONE) {
			s = error_set(err, FH_ENOTFOUND, "id", NULL, "no token %lld", (long long)id);
		} else {
			s = store_fail(st, "reading a token", err);
		}
		db_finalize(stmt);
	}
	if (!s && revoked)
		s = error_set(err, FH_ECONFLICT, "id", NULL, "token %lld is already revoked",
			      (long long)id);
	char at[21];
	store_iso_time(now, at);
	if (!s)
		s = store_prepare(st, "UPDATE api_tokens SET revoked_at = ?1 WHERE id = ?2", &stmt,
				  err);
	if (!s) {
		store_bind_text(stmt, 1, at);
		db_bind_int64(stmt, 2, id);
		s = step_done(st, stmt, "revoking a token", err);
	}
	if (!s)
		s = store_event_append_json(st, 0, 0, actor, "token_revoked", NULL, NULL,
					    json_pack("{sI sI}", "user_id", (json_int_t)uid, "token_id",
						      (json_int_t)id), err);
	return store_tx_end(st, opened, s, err);
}

/* ---- pruning ------------------------------------------------------------------- */

fh_status store_auth_prune(fh_store *st, time_t now, int idle_seconds,
			   const store_login_policy *p, int64_t *sessions, int64_t *attempts,
			   fh_error *err)
{
	*sessions = *attempts = 0;
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	char at[21], idle_since[21], attempts_before[21];
	store_iso_time(now, at);
	store_iso_time(now - idle_seconds, idle_since);
	store_iso_time(now - p->forget_seconds, attempts_before);
	db_stmt *stmt;
	/* Exactly the sessions store_session_resolve would refuse for ever. */
	s = store_prepare(st, "DELETE FROM sessions WHERE ended_at IS NOT NULL OR expires_at <= ?1"
			      " OR last_seen_at < ?2", &stmt, err);
	if (!s) {
		store_bind_text(stmt, 1, at);
		store_bind_text(stmt, 2, idle_since);
		s = step_done(st, stmt, "pruning sessions", err);
	}
	if (!s)
		*sessions = db_changes(st->db);
	/* Failures older than the policy's memory no longer count. */
	if (!s)
		s = store_prepare(st, "DELETE FROM login_attempts WHERE at < ?1", &stmt, err);
	if (!s) {
		store_bind_text(stmt, 1, attempts_before);
		s = step_done(st, stmt, "pruning sign-in attempts", err);
	}
	if (!s)
		*attempts = db_changes(st->db);
	/* Sign-ins that waited for a code: used, or past their five minutes. */
	if (!s)
		s = store_prepare(st, "DELETE FROM sign_in_challenges WHERE ended_at IS NOT NULL"
				      " OR expires_at <= ?1", &stmt, err);
	if (!s) {
		store_bind_text(stmt, 1, at);
		s = step_done(st, stmt, "pruning sign-in challenges", err);
	}
	return store_tx_end(st, opened, s, err);
}
