/*
 * store_auth: who may sign in, and how they prove it.
 *
 * Passwords are kept as argon2id strings (libsodium crypto_pwhash_str).
 * Sessions and API tokens are 32 random bytes that only the client holds,
 * sent as text ("fhs_..." for a session cookie, "fht_..." for an API token,
 * so a leaked one is recognisable in a log or a secret scanner); the
 * database keeps only their BLAKE2b-256 digest, so reading the database does
 * not let anyone sign in.
 *
 * Every change here (a sign-in, a sign-out, a token, a password reset, an
 * account disabled, sign-ins slowed) is written with its audit event in one
 * transaction.  Bookkeeping that is not a change of anyone's rights (a
 * session's last-seen time, a failed attempt's row) is not an event.
 *
 * Times are UTC, passed in as time_t so that expiry is testable and the
 * module reads no clock of its own.
 */
#ifndef FH_STORE_AUTH_H
#define FH_STORE_AUTH_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "store.h"

/* ---- secrets -------------------------------------------------------------- */

enum {
	STORE_TOKEN_BYTES = 32,  /* random bytes in a session or API token */
	STORE_TOKEN_HASH_BYTES = 32,
	STORE_TOKEN_TEXT_MAX = 64, /* "fhs_" + base64url of 32 bytes + NUL fits */
};

/*
 * A new random token as text (prefix "fhs_" or "fht_") and its digest, the
 * only part that is stored.
 */
void store_token_new(const char *prefix, char text[STORE_TOKEN_TEXT_MAX],
		     uint8_t hash[STORE_TOKEN_HASH_BYTES]);

/* The digest of a token as the client sent it. */
void store_token_hash(const char *text, uint8_t hash[STORE_TOKEN_HASH_BYTES]);

/*
 * A session's CSRF token (base64url, 43 characters): a keyed digest of the
 * session cookie's text, which only its holder knows (the cookie is
 * HttpOnly), so another site cannot compute it and nothing is stored.  The
 * staff pages put it in their forms; a cookie-authenticated API write sends
 * it as X-CSRF-Token.
 */
enum { STORE_CSRF_TEXT_MAX = 44 };
void store_session_csrf(const char *session_text, char out[STORE_CSRF_TEXT_MAX]);

/*
 * What a log may say in place of a secret (a tracking link's token, an API
 * token, a session): the first 8 hex digits of its BLAKE2b digest, enough
 * to match two lines of one log, useless to sign in or to track a case
 *.
 */
enum { STORE_LOG_DIGEST_TEXT = 9 };
void store_log_digest(const char *secret, size_t len, char out[STORE_LOG_DIGEST_TEXT]);

/*
 * An argon2id hash of password into out (crypto_pwhash_STRBYTES bytes);
 * FH_EINVAL when it is shorter than STORE_PASSWORD_MIN characters, FH_ENOMEM
 * when the memory the hash needs is not there.
 */
enum { STORE_PASSWORD_MIN = 12, STORE_PASSWORD_MAX = 1024, STORE_PASSWORD_HASH_MAX = 128 };
fh_status store_password_hash(const char *password, char out[STORE_PASSWORD_HASH_MAX],
			      fh_error *err);
/* True when password matches the argon2id string hash (constant time). */
bool store_password_verify(const char *hash, const char *password);

/* ---- who someone is -------------------------------------------------------- */

typedef struct store_grant {
	int64_t org_id;
	const char *org_code;
	const char *role; /* a name from MODEL_USER_ROLES */
	const char *team; /* NULL: the whole organisation */
} store_grant;

typedef struct store_principal {
	int64_t user_id;
	const char *email, *display_name;
	bool external, disabled;
	size_t n_grants;
	store_grant *grants;
} store_principal;

/* The user and every role they hold, in every organisation; strings in arena. */
fh_status store_principal_get(fh_store *st, int64_t user_id, fh_arena *arena,
			      store_principal *out, fh_error *err);

/*
 * What a password sign-in needs: the user's id, argon2id string (NULL when
 * the account has none) and whether it is disabled.  FH_ENOTFOUND for an
 * unknown email.
 */
fh_status store_user_credentials(fh_store *st, const char *email, fh_arena *arena,
				 int64_t *user_id, const char **password_hash, bool *disabled,
				 fh_error *err);

/*
 * Sets a user's password (hash from store_password_hash) and ends their
 * sessions, so whoever knew the old one is signed out.
 */
fh_status store_user_set_password(fh_store *st, const char *email, const char *hash,
				  const char *actor, fh_error *err);

/* Disables (or enables) an account; disabling ends its sessions at once. */
fh_status store_user_set_disabled(fh_store *st, const char *email, bool disabled,
				  const char *actor, fh_error *err);

/* ---- slowing down guessing -------------------------------------------------- */

/*
 * No account is ever locked (NCSC password guidance): failures make the
 * next attempt wait, growing with each failure, on three keys at once:
 *  - the account from one address: pair_free failures, then waits;
 *  - the address at any accounts: ip_free failures, then waits;
 *  - the account from every address: account_free failures, then waits,
 *    but only for an address that has itself failed on the account, so
 *    that the owner signing in from a clean address is never held back by
 *    someone else's guessing.
 * A key's wait after n >= free failures is base_seconds * 2^(n - free), at
 * most max_seconds, counted from its newest failure; failures older than
 * forget_seconds no longer count, and a success on an account (from one
 * address, or at all) wipes that key's slate.  Only failures count.
 */
typedef struct store_login_policy {
	int pair_free;      /* failures at one account from one address before waits */
	int account_free;   /* failures at one account from all addresses */
	int ip_free;        /* failures from one address at any accounts */
	int base_seconds;   /* the first wait */
	int max_seconds;    /* the longest */
	int forget_seconds; /* failures older than this no longer count */
} store_login_policy;

extern const store_login_policy STORE_LOGIN_POLICY_DEFAULT;

typedef enum store_login_verdict {
	STORE_LOGIN_ALLOWED = 0,
	STORE_LOGIN_SLOWED,    /* this account has failed too often from here: wait */
	STORE_LOGIN_THROTTLED, /* this address has failed too often: wait */
} store_login_verdict;

/* The wait, in seconds, after failures on a key that allows free of them. */
int store_login_delay(int64_t failures, int free, const store_login_policy *policy);

/*
 * Before a password is checked: whether an attempt for email from ip may
 * be checked now, and if not, how many seconds to wait (nothing is
 * recorded then).  When it may, the attempt is recorded as a failure at
 * once, in the same transaction as the check (*attempt_id), so that checks
 * still running count towards the next attempt's wait: twenty guesses at
 * once get no more checks than the policy allows one after another.
 * store_login_settle then says how it went.
 */
fh_status store_login_claim(fh_store *st, const char *email, const char *ip, time_t now,
			    const store_login_policy *policy, store_login_verdict *verdict,
			    int *retry_after, int64_t *attempt_id, fh_error *err);

/*
 * After the check: a success turns the claimed attempt into one (it then
 * never counts); a failure against a real account (user_id, 0 for none) is
 * an audit event ("sign_in_failed"), and the one that starts the account's
 * waits another ("sign_in_slowed").  Joins the caller's transaction.
 */
fh_status store_login_settle(fh_store *st, int64_t attempt_id, const char *email, const char *ip,
			     int64_t user_id, bool succeeded, time_t now,
			     const store_login_policy *policy, fh_error *err);

/*
 * A right password of a user who has a second factor: the claimed attempt
 * is neither a failure nor a success (which would wipe the slate, letting a
 * guesser who knows the password try codes for ever); the code's own
 * attempt, claimed and settled like a password's, decides.  Joins the
 * caller's transaction.
 */
fh_status store_login_set_aside(fh_store *st, int64_t attempt_id, fh_error *err);

/* An attempt claimed and settled at once (for tests and tools). */
fh_status store_login_record(fh_store *st, const char *email, const char *ip, int64_t user_id,
			     bool succeeded, time_t now, const store_login_policy *policy,
			     fh_error *err);

/* ---- sessions ------------------------------------------------------------------ */

/*
 * Starts a session for user_id that ends after idle_seconds without use or
 * absolute_seconds after now, whichever is first; writes "signed_in".
 */
fh_status store_session_create(fh_store *st, int64_t user_id, const char *actor,
			       const uint8_t hash[STORE_TOKEN_HASH_BYTES], const char *ip,
			       time_t now, int absolute_seconds, int64_t *session_id,
			       fh_error *err);

/*
 * The live session with this digest: FH_ENOTFOUND when there is none, or it
 * has ended, expired (absolute) or been idle longer than idle_seconds, or its
 * user is disabled.  Moves last_seen_at when it is a minute or more old, so a
 * busy session costs one write a minute, not one a request.  *must_enrol (may
 * be NULL) says the session may only set up a second factor
 * (store_session_enrol_only, store_totp.h).
 */
fh_status store_session_resolve(fh_store *st, const uint8_t hash[STORE_TOKEN_HASH_BYTES],
				time_t now, int idle_seconds, int64_t *user_id,
				int64_t *session_id, bool *must_enrol, fh_error *err);

/* Ends a session (sign-out) and writes "signed_out". */
fh_status store_session_end(fh_store *st, int64_t session_id, const char *actor,
			    fh_error *err);

/* ---- API tokens ---------------------------------------------------------------- */

/*
 * What a token may do.  STORE_SCOPE_API acts with all
 * its user's roles through the API; STORE_SCOPE_FEED reads only the
 * user's deadlines feed (GET /api/v1/calendar/deadlines.ics), the one
 * route a calendar app reaches with the token in its address.
 */
typedef enum store_token_scope { STORE_SCOPE_API = 0, STORE_SCOPE_FEED = 1 } store_token_scope;
const char *store_token_scope_name(store_token_scope scope);
/* False for a name that is not a scope ("api", "feed"). */
bool store_token_scope_parse(const char *name, store_token_scope *scope);

/* How long a token lives when no expiry is given (docs/security.md). */
enum { STORE_TOKEN_DAYS_DEFAULT = 90, STORE_TOKEN_DAYS_MAX = 366 };

/*
 * Records a token for the user with this email, with its scope and the
 * moment it stops working (expires, later than now); writes
 * "token_created".  FH_EINVAL (field "expires") for an expiry not after
 * now or more than STORE_TOKEN_DAYS_MAX days ahead.
 */
fh_status store_token_create(fh_store *st, const char *email, const char *name,
			     store_token_scope scope, time_t expires, time_t now,
			     const uint8_t hash[STORE_TOKEN_HASH_BYTES], const char *actor,
			     int64_t *token_id, fh_error *err);

/*
 * The user a live token belongs to, and its scope: FH_ENOTFOUND when it is
 * unknown, revoked, expired, or its user is disabled.  Read from the
 * database on every call (no cache), so a revocation takes effect at once
 * on every server.  Moves last_used_at at most once a minute.
 */
fh_status store_token_resolve(fh_store *st, const uint8_t hash[STORE_TOKEN_HASH_BYTES],
			      time_t now, int64_t *user_id, store_token_scope *scope,
			      fh_error *err);

typedef struct store_token_info {
	int64_t id;
	const char *email, *name, *scope; /* scope: "api" or "feed" */
	const char *created_at, *last_used_at, *expires_at, *revoked_at; /* NULL: never */
} store_token_info;

/*
 * The tokens of the user with this email (NULL: of everyone), newest
 * first, never their secrets (only a digest is kept).  Strings in arena.
 */
fh_status store_token_list(fh_store *st, const char *email, fh_arena *arena,
			   store_token_info **rows, size_t *count, fh_error *err);

/*
 * Revokes token id (owned by owner_email; NULL: anyone's) and writes
 * "token_revoked".  FH_ENOTFOUND when there is no such token (or it is
 * someone else's), FH_ECONFLICT when it is already revoked.
 */
fh_status store_token_revoke(fh_store *st, int64_t id, const char *owner_email,
			     const char *actor, time_t now, fh_error *err);

/* ---- pruning -------------------------------------------------------------------- */

/*
 * Deletes the rows that would otherwise grow for ever and can never count
 * again: sessions that have ended, expired, or been idle longer than
 * idle_seconds at now (store_session_resolve refuses them, and nothing
 * revives one), and sign-in attempts older than the policy's
 * forget_seconds (no wait looks that far back).  Not audit events: the
 * sign-ins, sign-outs and slow-downs themselves are events and stay, as do the access log and API tokens.  *sessions and *attempts get
 * how many were deleted.
 */
fh_status store_auth_prune(fh_store *st, time_t now, int idle_seconds,
			   const store_login_policy *p, int64_t *sessions, int64_t *attempts,
			   fh_error *err);

/* "YYYY-MM-DDTHH:MM:SSZ" for t; the format of every timestamp in the schema. */
void store_iso_time(time_t t, char buf[21]);

#endif
