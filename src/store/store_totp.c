/*
 * store_totp.c: TOTP keys, recovery codes and sign-in challenges
 * (store_totp.h).  The codes themselves are liboath's (RFC 4226/6238).
 */
#include "store_totp.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <liboath/oath.h>
#include <sodium.h>

#include "orgfile.h"
#include "store_event.h"
#include "store_internal.h"
#include "store_orgfile.h"
#include "store_rows.h"

/* ---- the codes ---------------------------------------------------------------------- */

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static bool oath_ready;

static void start_oath(void)
{
	oath_ready = oath_init() == OATH_OK;
}

bool store_totp_code(const uint8_t *secret, size_t len, time_t t, int digits, char *out,
		     size_t out_size)
{
	pthread_once(&oath_once, start_oath);
	if (!oath_ready || digits < 6 || digits > 8 || out_size < (size_t)digits + 1)
		return false;
	return oath_totp_generate((const char *)secret, len, t, STORE_TOTP_STEP_SECONDS, 0, digits,
				  out) == OATH_OK;
}

int64_t store_totp_match(const uint8_t secret[STORE_TOTP_SECRET_BYTES], time_t now,
			 const char *code, int64_t last_step)
{
	if (!code || strlen(code) != STORE_TOTP_DIGITS)
		return 0;
	for (const char *p = code; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	int64_t here = (int64_t)now / STORE_TOTP_STEP_SECONDS;
	int64_t found = 0;
	/* Every candidate is computed and compared, so the time taken does not
	 * say which step (if any) matched. */
	for (int64_t step = here - 1; step <= here + 1; step++) {
		char want[STORE_TOTP_DIGITS + 1];
		if (!store_totp_code(secret, STORE_TOTP_SECRET_BYTES,
				     (time_t)(step * STORE_TOTP_STEP_SECONDS), STORE_TOTP_DIGITS, want,
				     sizeof want))
			return 0;
		if (sodium_memcmp(want, code, STORE_TOTP_DIGITS) == 0 && step > last_step && !found)
			found = step;
		sodium_memzero(want, sizeof want);
	}
	return found;
}

bool store_totp_base32(const uint8_t *bytes, size_t len, char *out, size_t out_size)
{
	char *text = NULL;
	size_t n = 0;
	if (oath_base32_encode((const char *)bytes, len, &text, &n) != OATH_OK)
		return false;
	while (n && text[n - 1] == '=')
		n--;
	bool fits = n < out_size;
	if (fits) {
		memcpy(out, text, n);
		out[n] = '\0';
	}
	sodium_memzero(text, n);
	free(text);
	return fits;
}

void store_totp_secret_new(uint8_t secret[STORE_TOTP_SECRET_BYTES])
{
	randombytes_buf(secret, STORE_TOTP_SECRET_BYTES);
}

/* ---- helpers ---------------------------------------------------------------------------- */

static fh_status run(fh_store *st, db_stmt *stmt, const char *what, fh_error *err)
{
	return store_stmt_run(st, stmt, what, err);
}

/* A recovery code as typed ("abcd efgh-ijkl mnop") as its 16 letters in upper case;
 * false when it is not one. */
static bool recovery_normalise(const char *typed, char out[STORE_RECOVERY_TEXT_MAX])
{
	size_t n = 0;
	for (const char *p = typed; *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		char c = (char)toupper((unsigned char)*p);
		if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')) || n == 16)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == 16;
}

/* Replaces user_id's recovery codes with ten new ones, into codes as shown. */
static fh_status new_recovery_codes(fh_store *st, int64_t user_id, const char *at,
				    store_recovery_codes codes, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "DELETE FROM recovery_codes WHERE user_id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, user_id);
	s = run(st, stmt, "removing recovery codes", err);
	for (int i = 0; !s && i < STORE_RECOVERY_CODES; i++) {
		uint8_t raw[STORE_RECOVERY_BYTES];
		char letters[STORE_RECOVERY_TEXT_MAX];
		randombytes_buf(raw, sizeof raw);
		bool ok = store_totp_base32(raw, sizeof raw, letters, sizeof letters);
		sodium_memzero(raw, sizeof raw);
		if (!ok)
			return error_set(err, FH_ESTORE, NULL, NULL, "could not write a recovery code");
		uint8_t hash[STORE_TOKEN_HASH_BYTES];
		store_token_hash(letters, hash);
		snprintf(codes[i], STORE_RECOVERY_TEXT_MAX, "%.4s-%.4s-%.4s-%.4s", letters,
			 letters + 4, letters + 8, letters + 12);
		sodium_memzero(letters, sizeof letters);
		s = store_stmt(st, "INSERT INTO recovery_codes (user_id, code_hash, created_at)"
			       " VALUES (?, ?, ?)", &stmt, err);
		if (s)
			break;
		db_bind_int64(stmt, 1, user_id);
		db_bind_blob(stmt, 2, hash, sizeof hash);
		store_bind_text(stmt, 3, at);
		s = run(st, stmt, "keeping a recovery code", err);
	}
	return s;
}

static fh_status event(fh_store *st, const char *actor, const char *action, json_t *data,
		       fh_error *err)
{
	return store_event_append_json(st, 0, 0, actor, action, NULL, NULL, data, err);
}

/* ---- a user's second factor ------------------------------------------------------------- */

fh_status store_totp_get(fh_store *st, int64_t user_id, store_totp_state *out, fh_error *err)
{
	memset(out, 0, sizeof *out);
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT secret, enrolled_at IS NOT NULL, last_step,"
				 " (SELECT count(*) FROM recovery_codes r WHERE r.user_id = t.user_id"
				 " AND r.used_at IS NULL) FROM user_totp t WHERE t.user_id = ?",
				 &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, user_id);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		if (db_column_bytes(stmt, 0) == STORE_TOTP_SECRET_BYTES)
			memcpy(out->secret, db_column_blob(stmt, 0), STORE_TOTP_SECRET_BYTES);
		out->enrolled = db_column_int(stmt, 1);
		out->pending = !out->enrolled;
		out->last_step = db_column_int64(stmt, 2);
		out->recovery_left = db_column_int(stmt, 3);
	} else if (rc != DB_DONE) {
		s = store_fail(st, "reading a second factor", err);
	}
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_totp_begin(fh_store *st, int64_t user_id,
			   const uint8_t secret[STORE_TOTP_SECRET_BYTES], time_t now, fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	store_totp_state have;
	s = store_totp_get(st, user_id, &have, err);
	sodium_memzero(have.secret, sizeof have.secret);
	if (!s && have.enrolled)
		s = error_set(err, FH_ECONFLICT, "second_factor", NULL,
			      "a second factor is set up already: turn it off first");
	char at[21];
	store_iso_time(now, at);
	db_stmt *stmt;
	if (!s)
		s = store_stmt(st, "DELETE FROM user_totp WHERE user_id = ?", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, user_id);
		s = run(st, stmt, "replacing a second factor being set up", err);
	}
	if (!s)
		s = store_stmt(st, "INSERT INTO user_totp (user_id, secret, created_at) VALUES (?, ?, ?)",
			       &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, user_id);
		db_bind_blob(stmt, 2, secret, STORE_TOTP_SECRET_BYTES);
		store_bind_text(stmt, 3, at);
		s = run(st, stmt, "keeping a second factor being set up", err);
	}
	return store_tx_end(st, opened, s, err);
}

/* Moves user_id's last accepted step to step (only forwards). */
static fh_status accept_step(fh_store *st, int64_t user_id, int64_t step, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "UPDATE user_totp SET last_step = ? WHERE user_id = ?"
				 " AND last_step < ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, step);
	db_bind_int64(stmt, 2, user_id);
	db_bind_int64(stmt, 3, step);
	s = run(st, stmt, "recording a code's step", err);
	/* Two sign-ins racing with one code: the second moves nothing. */
	if (!s && db_changes(st->db) == 0)
		s = error_set(err, FH_EINVAL, "code", NULL, "has been used already");
	return s;
}

static fh_status wrong_code(fh_error *err)
{
	return error_set(err, FH_EINVAL, "code", NULL,
			 "is not right: enter the 6-digit code your app shows now");
}

fh_status store_totp_confirm(fh_store *st, int64_t user_id, const char *code, time_t now,
			     const char *actor, store_recovery_codes codes, fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	store_totp_state have;
	s = store_totp_get(st, user_id, &have, err);
	if (!s && !have.pending)
		s = error_set(err, FH_ECONFLICT, "second_factor", NULL,
			      have.enrolled ? "a second factor is set up already"
					    : "no second factor is being set up: start again");
	int64_t step = 0;
	if (!s && !(step = store_totp_match(have.secret, now, code, 0)))
		s = wrong_code(err);
	sodium_memzero(have.secret, sizeof have.secret);
	char at[21];
	store_iso_time(now, at);
	db_stmt *stmt;
	if (!s)
		s = store_stmt(st, "UPDATE user_totp SET enrolled_at = ?, last_step = ? WHERE user_id = ?",
			       &stmt, err);
	if (!s) {
		store_bind_text(stmt, 1, at);
		db_bind_int64(stmt, 2, step);
		db_bind_int64(stmt, 3, user_id);
		s = run(st, stmt, "confirming a second factor", err);
	}
	if (!s)
		s = new_recovery_codes(st, user_id, at, codes, err);
	if (!s)
		s = store_stmt(st, "UPDATE sessions SET must_enrol = 0 WHERE user_id = ?"
			       " AND must_enrol = 1", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, user_id);
		s = run(st, stmt, "letting the user's sessions go on", err);
	}
	if (!s)
		s = event(st, actor, "second_factor_enrolled",
			  json_pack("{sI ss si}", "user_id", (json_int_t)user_id, "method", "totp",
				    "recovery_codes", STORE_RECOVERY_CODES), err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_totp_verify(fh_store *st, int64_t user_id, const char *actor, const char *code,
			    time_t now, bool *recovery, fh_error *err)
{
	*recovery = false;
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	store_totp_state have;
	s = store_totp_get(st, user_id, &have, err);
	if (!s && !have.enrolled)
		s = error_set(err, FH_ECONFLICT, "second_factor", NULL, "no second factor is set up");
	int64_t step = 0;
	if (!s)
		step = store_totp_match(have.secret, now, code, have.last_step);
	sodium_memzero(have.secret, sizeof have.secret);
	if (!s && step) {
		s = accept_step(st, user_id, step, err);
		return store_tx_end(st, opened, s, err);
	}
	char letters[STORE_RECOVERY_TEXT_MAX];
	if (!s && !recovery_normalise(code ? code : "", letters))
		s = wrong_code(err);
	if (s)
		return store_tx_end(st, opened, s, err);
	uint8_t hash[STORE_TOKEN_HASH_BYTES];
	store_token_hash(letters, hash);
	sodium_memzero(letters, sizeof letters);
	char at[21];
	store_iso_time(now, at);
	db_stmt *stmt;
	s = store_stmt(st, "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ?"
		       " AND used_at IS NULL", &stmt, err);
	if (!s) {
		store_bind_text(stmt, 1, at);
		db_bind_int64(stmt, 2, user_id);
		db_bind_blob(stmt, 3, hash, sizeof hash);
		s = run(st, stmt, "spending a recovery code", err);
	}
	if (!s && db_changes(st->db) == 0)
		s = error_set(err, FH_EINVAL, "code", NULL,
			      "is not right, or is a recovery code used already");
	if (!s) {
		*recovery = true;
		s = event(st, actor, "recovery_code_used",
			  json_pack("{sI si}", "user_id", (json_int_t)user_id, "recovery_codes_left",
				    have.recovery_left - 1), err);
	}
	return store_tx_end(st, opened, s, err);
}

/* The shared start of renewing and disabling: a current code of an enrolled key. */
static fh_status current_code(fh_store *st, int64_t user_id, const char *code, time_t now,
			      fh_error *err)
{
	store_totp_state have;
	fh_status s = store_totp_get(st, user_id, &have, err);
	if (!s && !have.enrolled)
		s = error_set(err, FH_ECONFLICT, "second_factor", NULL, "no second factor is set up");
	int64_t step = 0;
	if (!s && !(step = store_totp_match(have.secret, now, code, have.last_step)))
		s = wrong_code(err);
	sodium_memzero(have.secret, sizeof have.secret);
	if (!s)
		s = accept_step(st, user_id, step, err);
	return s;
}

fh_status store_totp_recovery_renew(fh_store *st, int64_t user_id, const char *code,
				    time_t now, const char *actor, store_recovery_codes codes,
				    fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	char at[21];
	store_iso_time(now, at);
	s = current_code(st, user_id, code, now, err);
	if (!s)
		s = new_recovery_codes(st, user_id, at, codes, err);
	if (!s)
		s = event(st, actor, "recovery_codes_renewed",
			  json_pack("{sI si}", "user_id", (json_int_t)user_id, "recovery_codes",
				    STORE_RECOVERY_CODES), err);
	return store_tx_end(st, opened, s, err);
}

/* Removes user_id's key and recovery codes (inside the caller's transaction). */
static fh_status remove_factor(fh_store *st, int64_t user_id, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "DELETE FROM recovery_codes WHERE user_id = ?", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, user_id);
		s = run(st, stmt, "removing recovery codes", err);
	}
	if (!s)
		s = store_stmt(st, "DELETE FROM user_totp WHERE user_id = ?", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, user_id);
		s = run(st, stmt, "removing a second factor", err);
	}
	return s;
}

fh_status store_totp_disable(fh_store *st, int64_t user_id, const char *code, time_t now,
			     const char *actor, fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	bool required = false;
	s = store_second_factor_required(st, user_id, &required, err);
	if (!s && required)
		s = error_set(err, FH_ECONFLICT, "second_factor", NULL,
			      "your organisation requires a second factor: it cannot be turned off");
	if (!s)
		s = current_code(st, user_id, code, now, err);
	if (!s)
		s = remove_factor(st, user_id, err);
	if (!s)
		s = event(st, actor, "second_factor_disabled",
			  json_pack("{sI}", "user_id", (json_int_t)user_id), err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_totp_reset(fh_store *st, const char *email, const char *actor, fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	int64_t uid = 0;
	store_totp_state have = {0};
	s = store_user_id(st, email, "email", &uid, err);
	if (!s)
		s = store_totp_get(st, uid, &have, err);
	sodium_memzero(have.secret, sizeof have.secret);
	if (!s && !have.enrolled && !have.pending)
		s = error_set(err, FH_ECONFLICT, "email", NULL, "%s has no second factor to reset",
			      email);
	if (!s)
		s = remove_factor(st, uid, err);
	if (!s)
		s = event(st, actor, "totp_reset",
			  json_pack("{sI ss ss}", "user_id", (json_int_t)uid, "email", email, "by",
				    actor), err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_second_factor_required(fh_store *st, int64_t user_id, bool *required,
				       fh_error *err)
{
	*required = false;
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT settings FROM organisations WHERE id IN"
				 " (SELECT org_id FROM user_roles WHERE user_id = ?)", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, user_id);
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW && !*required) {
		json_t *settings = json_loads((const char *)db_column_text(stmt, 0), 0, NULL);
		const char *want = json_string_value(
			json_object_get(json_object_get(settings, "policy"), "second_factor"));
		*required = want && !strcmp(want, "required");
		json_decref(settings);
	}
	if (rc != DB_DONE && rc != DB_ROW)
		s = store_fail(st, "reading whether a second factor is required", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_org_set_second_factor(fh_store *st, const char *code, bool required,
				      const char *actor, fh_error *err)
{
	json_t *doc = NULL;
	fh_status s = store_org_export(st, code, &doc, err);
	if (s)
		return s;
	json_t *policy = json_object_get(doc, "policy");
	if (!policy) {
		policy = json_object();
		json_object_set_new(doc, "policy", policy);
	}
	if (required)
		json_object_set_new(policy, "second_factor", json_string("required"));
	else
		json_object_del(policy, "second_factor");
	if (!json_object_size(policy))
		json_object_del(doc, "policy");
	fh_orgfile *f = NULL;
	proc_problems problems;
	s = orgfile_from_json(doc, &f, &problems, err);
	if (!s) {
		store_org_apply_opts opts = {.actor = actor, .installed_only = true};
		s = store_org_apply(st, f, &opts, NULL, NULL, err);
	}
	orgfile_free(f);
	return s;
}

/* ---- between the password and the code ----------------------------------------------------- */

fh_status store_challenge_create(fh_store *st, int64_t user_id,
				 const uint8_t hash[STORE_TOKEN_HASH_BYTES], const char *ip,
				 time_t now, fh_error *err)
{
	char at[21], until[21];
	store_iso_time(now, at);
	store_iso_time(now + STORE_CHALLENGE_SECONDS, until);
	db_stmt *stmt;
	fh_status s = store_stmt(st, "INSERT INTO sign_in_challenges (user_id, token_hash, client_ip,"
				 " created_at, expires_at) VALUES (?, ?, ?, ?, ?)", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, user_id);
	db_bind_blob(stmt, 2, hash, STORE_TOKEN_HASH_BYTES);
	store_bind_text(stmt, 3, ip ? ip : "");
	store_bind_text(stmt, 4, at);
	store_bind_text(stmt, 5, until);
	return run(st, stmt, "recording a sign-in waiting for its code", err);
}

fh_status store_challenge_resolve(fh_store *st, const uint8_t hash[STORE_TOKEN_HASH_BYTES],
				  time_t now, int64_t *challenge_id, int64_t *user_id,
				  fh_error *err)
{
	char at[21];
	store_iso_time(now, at);
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT c.id, c.user_id FROM sign_in_challenges c"
				 " JOIN users u ON u.id = c.user_id WHERE c.token_hash = ?"
				 " AND c.ended_at IS NULL AND c.expires_at > ? AND u.disabled = 0",
				 &stmt, err);
	if (s)
		return s;
	db_bind_blob(stmt, 1, hash, STORE_TOKEN_HASH_BYTES);
	store_bind_text(stmt, 2, at);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		*challenge_id = db_column_int64(stmt, 0);
		*user_id = db_column_int64(stmt, 1);
	} else if (rc == DB_DONE) {
		s = error_set(err, FH_ENOTFOUND, "code", NULL,
			      "the sign-in has expired: enter your email and password again");
	} else {
		s = store_fail(st, "reading a sign-in waiting for its code", err);
	}
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_challenge_end(fh_store *st, int64_t challenge_id, time_t now, fh_error *err)
{
	char at[21];
	store_iso_time(now, at);
	db_stmt *stmt;
	fh_status s = store_stmt(st, "UPDATE sign_in_challenges SET ended_at = ? WHERE id = ?"
				 " AND ended_at IS NULL", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, at);
	db_bind_int64(stmt, 2, challenge_id);
	s = run(st, stmt, "ending a sign-in challenge", err);
	if (!s && db_changes(st->db) == 0)
		s = error_set(err, FH_ENOTFOUND, "code", NULL,
			      "the sign-in has been used: enter your email and password again");
	return s;
}

fh_status store_session_enrol_only(fh_store *st, int64_t session_id, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "UPDATE sessions SET must_enrol = 1 WHERE id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, session_id);
	return run(st, stmt, "limiting a session to setting up a second factor", err);
}
