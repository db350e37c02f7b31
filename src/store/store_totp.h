/*
 * store_totp: the second factor for password sign-in (docs/security.md,
 * "Second factor").
 *
 * A user enrols a TOTP key (RFC 6238: HMAC-SHA-1, 30-second steps, six
 * digits) made here from 160 random bits, confirms it with a code, and is
 * given ten one-time recovery codes.  At sign-in a code of the current step
 * or either neighbour is accepted, once: the step of the newest accepted
 * code is kept and a code of that step or an earlier one is refused.  A
 * recovery code (80 random bits, shown as four groups of four base32
 * letters) is kept only as its BLAKE2b-256 digest and is good once.
 *
 * The key itself is kept in the database as it is (it must be, to compute
 * codes) and is shown only on the enrolment page before it is confirmed:
 * never in the audit chain, an API answer or a page after that.
 *
 * An organisation requires a second factor by its file's
 * policy.second_factor = "required" (docs/organisations.md); a user with a
 * role in such an organisation who signs in by password without one gets a
 * session that may only enrol (store_session_enrol_only).
 *
 * A right password for an enrolled user makes a sign-in challenge: a random
 * token the browser holds for five minutes and may use once, which has no
 * rights of its own; the session is made only when its code is right.
 *
 * Every change (enrolment, disabling, a recovery code used, codes renewed,
 * an administrator's reset) is one transaction with its audit event.
 */
#ifndef FH_STORE_TOTP_H
#define FH_STORE_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store.h"
#include "store_auth.h"

enum {
	STORE_TOTP_SECRET_BYTES = 20,  /* 160 bits, RFC 4226's recommended length */
	STORE_TOTP_STEP_SECONDS = 30,
	STORE_TOTP_DIGITS = 6,
	STORE_TOTP_BASE32_MAX = 40,    /* 32 letters for 20 bytes, and a NUL */
	STORE_RECOVERY_CODES = 10,
	STORE_RECOVERY_BYTES = 10,     /* 80 bits: 16 base32 letters */
	STORE_RECOVERY_TEXT_MAX = 24,  /* "ABCD-EFGH-IJKL-MNOP" and a NUL */
	STORE_CHALLENGE_SECONDS = 300, /* a right password waits this long for its code */
};

/* ---- the codes (no database) ------------------------------------------------- */

/*
 * The RFC 6238 code (HMAC-SHA-1, 30-second steps from the epoch) of secret
 * at time t, digits long (6 to 8), into out; false when liboath refuses.
 */
bool store_totp_code(const uint8_t *secret, size_t len, time_t t, int digits, char *out,
		     size_t out_size);

/*
 * The step (t / 30) of now, or of the step before or after it, whose
 * six-digit code is code and which is later than last_step; 0 when none is.
 */
int64_t store_totp_match(const uint8_t secret[STORE_TOTP_SECRET_BYTES], time_t now,
			 const char *code, int64_t last_step);

/* bytes as RFC 4648 base32 without padding; false when out is too small. */
bool store_totp_base32(const uint8_t *bytes, size_t len, char *out, size_t out_size);

/* A new random key (libsodium randombytes). */
void store_totp_secret_new(uint8_t secret[STORE_TOTP_SECRET_BYTES]);

/* ---- a user's second factor ----------------------------------------------------- */

typedef struct store_totp_state {
	bool enrolled;     /* confirmed with a code */
	bool pending;      /* begun, not confirmed: secret is the one being set up */
	uint8_t secret[STORE_TOTP_SECRET_BYTES];
	int64_t last_step; /* the newest step a code was accepted for */
	int recovery_left; /* unused recovery codes */
} store_totp_state;

/* The user's state; all false and zero when they have none. */
fh_status store_totp_get(fh_store *st, int64_t user_id, store_totp_state *out, fh_error *err);

/*
 * Starts (or starts again) setting up a key for user_id: secret is kept,
 * unconfirmed.  FH_ECONFLICT when the user is enrolled already.  Not an
 * audit event: nothing changes about signing in until store_totp_confirm.
 */
fh_status store_totp_begin(fh_store *st, int64_t user_id,
			   const uint8_t secret[STORE_TOTP_SECRET_BYTES], time_t now, fh_error *err);

typedef char store_recovery_codes[STORE_RECOVERY_CODES][STORE_RECOVERY_TEXT_MAX];

/*
 * Confirms the key being set up with a code of it: the user is enrolled,
 * ten new recovery codes go into codes (shown once: only digests are kept),
 * their sessions may do more than enrol, and "second_factor_enrolled" is
 * written.  FH_EINVAL (field "code") for a wrong code, FH_ECONFLICT when
 * nothing is being set up.
 */
fh_status store_totp_confirm(fh_store *st, int64_t user_id, const char *code, time_t now,
			     const char *actor, store_recovery_codes codes, fh_error *err);

/*
 * The second factor at sign-in: a six-digit code of the user's key (not
 * used before) or an unused recovery code.  Moves the key's last step, or
 * spends the recovery code and writes "recovery_code_used"; *recovery says
 * which it was.  FH_EINVAL (field "code") when it is neither; FH_ECONFLICT
 * when the user is not enrolled.  Joins the caller's transaction.
 */
fh_status store_totp_verify(fh_store *st, int64_t user_id, const char *actor, const char *code,
			    time_t now, bool *recovery, fh_error *err);

/*
 * New recovery codes in place of the old (all of them stop working), for
 * a current six-digit code; writes "recovery_codes_renewed".  Errors as
 * store_totp_verify, a recovery code not accepted here.
 */
fh_status store_totp_recovery_renew(fh_store *st, int64_t user_id, const char *code,
				    time_t now, const char *actor, store_recovery_codes codes,
				    fh_error *err);

/*
 * The user turns their second factor off, with a current six-digit code;
 * writes "second_factor_disabled".  FH_ECONFLICT (field "second_factor")
 * when an organisation of theirs requires one.
 */
fh_status store_totp_disable(fh_store *st, int64_t user_id, const char *code, time_t now,
			     const char *actor, fh_error *err);

/*
 * An administrator removes email's key and recovery codes (a lost phone),
 * so their next password sign-in sets up a new one where their
 * organisation requires it; writes "totp_reset" naming who did it.
 * FH_ENOTFOUND (field "email") for an unknown user, FH_ECONFLICT when they
 * have no second factor.
 */
fh_status store_totp_reset(fh_store *st, const char *email, const char *actor, fh_error *err);

/* Whether an organisation user_id holds a role in requires a second factor. */
fh_status store_second_factor_required(fh_store *st, int64_t user_id, bool *required,
				       fh_error *err);

/*
 * Sets the organisation's policy.second_factor ("required" or, when not
 * required, removed) through its file, as the admin page's save does, so
 * the file exported afterwards says it; one "organisation_applied" event.
 */
fh_status store_org_set_second_factor(fh_store *st, const char *code, bool required,
				      const char *actor, fh_error *err);

/* ---- between the password and the code --------------------------------------------- */

/* A challenge for user_id with this token digest, good for STORE_CHALLENGE_SECONDS. */
fh_status store_challenge_create(fh_store *st, int64_t user_id,
				 const uint8_t hash[STORE_TOKEN_HASH_BYTES], const char *ip,
				 time_t now, fh_error *err);

/* The live challenge with this digest: FH_ENOTFOUND when none, used or expired. */
fh_status store_challenge_resolve(fh_store *st, const uint8_t hash[STORE_TOKEN_HASH_BYTES],
				  time_t now, int64_t *challenge_id, int64_t *user_id,
				  fh_error *err);

/* Ends a challenge (its code was right); joins the caller's transaction. */
fh_status store_challenge_end(fh_store *st, int64_t challenge_id, time_t now, fh_error *err);

/* Marks a session as one that may only set up a second factor; joins the caller's transaction. */
fh_status store_session_enrol_only(fh_store *st, int64_t session_id, fh_error *err);

#endif
