/*
 * store_sso: single sign-on's rows (migration 029, docs/sso.md, issue 18):
 * an organisation's OpenID Connect provider, the provider identities
 * (iss, sub) bound to users, the sign-ins sent to a provider and not yet
 * back (each state and each code accepted once), and which sessions began
 * there.  The client secret is never stored: only where the server reads it.
 */
#ifndef FH_STORE_SSO_H
#define FH_STORE_SSO_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "arena.h"
#include "store.h"
#include "store_auth.h"

enum {
	STORE_SSO_TEXT_MAX = 1000,     /* issuer, client id, secret source, domains */
	STORE_SSO_LABEL_MAX = 120,
	STORE_SSO_PENDING_SECONDS = 600, /* a sign-in must come back within ten minutes */
};

typedef struct store_sso_provider {
	int64_t org_id;
	const char *org_code, *org_name;
	const char *issuer;          /* https:// (or loopback http://) */
	const char *client_id;
	const char *secret_source;   /* "file:/PATH" or "env:NAME" */
	const char *allowed_domains; /* "a.gov.uk,b.org.uk"; "" allows any */
	const char *label;           /* the sign-in button's words */
	bool password_sign_in;       /* password sign-in stays on for the organisation */
	bool create_users;           /* unknown verified emails get an account, no role */
	const char *match_claim;     /* "email" (with email_verified), "preferred_username"
				      * or "upn" (trusted as verified); NULL: "email" */
	const char *updated_at;
} store_sso_provider;

/* A provider's settings where they are not given (docs/sso.md), for the
 * command, the API and the admin page alike: password sign-in stays on, no
 * accounts are given, a first sign-in is matched on the verified email. */
#define STORE_SSO_DEFAULT_PASSWORD_SIGN_IN true
#define STORE_SSO_DEFAULT_CREATE_USERS false
#define STORE_SSO_DEFAULT_MATCH_CLAIM "email"

/*
 * Sets (adds or replaces) org_code's provider and writes "sso_configured"
 * (without the secret's source, which names a place on the server).
 * FH_EINVAL naming the field for an issuer that is not https:// (or http://
 * to loopback), an empty client id, a secret source that is not
 * file:/PATH or env:NAME, a domain list that is not domains, an empty or
 * over-long label, or a match claim that is not email, preferred_username
 * or upn.
 */
fh_status store_sso_set(fh_store *st, const char *org_code, const store_sso_provider *p,
			const char *actor, fh_error *err);

/* org_code's provider, strings in arena: FH_ENOTFOUND (field "sso") when it has none. */
fh_status store_sso_get(fh_store *st, const char *org_code, fh_arena *arena,
			store_sso_provider *out, fh_error *err);

/* Every organisation's provider, by organisation code (for the sign-in page's buttons). */
fh_status store_sso_list(fh_store *st, fh_arena *arena, store_sso_provider **rows, size_t *n,
			 fh_error *err);

/* Removes org_code's provider (bound identities stay) and writes "sso_removed". */
fh_status store_sso_remove(fh_store *st, const char *org_code, const char *actor, fh_error *err);

/* The provider as JSON for the API and `sso show`, the secret's source as a kind only. */
struct json_t *store_sso_json(const store_sso_provider *p);

/* ---- a sign-in under way ------------------------------------------------------------------ */

/* Records a sign-in sent to org_id's provider (the state's digest, its nonce and verifier). */
fh_status store_sso_pending_create(fh_store *st, int64_t org_id,
				   const uint8_t state_hash[STORE_TOKEN_HASH_BYTES],
				   const char *nonce, const char *verifier, const char *next,
				   time_t now, fh_error *err);

typedef struct store_sso_pending {
	int64_t org_id;
	const char *org_code, *nonce, *verifier, *next;
} store_sso_pending;

/*
 * Takes the sign-in with this state's digest as answered with code (its
 * digest kept, unique), in one transaction: FH_ENOTFOUND (field "state")
 * when there is none or it is older than STORE_SSO_PENDING_SECONDS,
 * FH_ECONFLICT (field "state") when it has been used already, FH_ECONFLICT
 * (field "code") when the code has answered another sign-in.
 */
fh_status store_sso_pending_take(fh_store *st, const uint8_t state_hash[STORE_TOKEN_HASH_BYTES],
				 const uint8_t code_hash[STORE_TOKEN_HASH_BYTES], time_t now,
				 fh_arena *arena, store_sso_pending *out, fh_error *err);

/*
 * A refused single sign-on as its own audit event ("sso_refused"), with
 * the reason's name and what it is about (org_id 0: unknown).
 */
fh_status store_sso_refused(fh_store *st, int64_t org_id, const char *reason, const char *detail,
			    const char *ip, fh_error *err);

/* ---- who it is ----------------------------------------------------------------------------- */

/* What the provider says of the person, from a verified ID token. */
typedef struct store_sso_claims {
	const char *issuer, *subject, *email, *name;
	bool email_verified;
} store_sso_claims;

/*
 * The user a verified sign-in through p is, inside the caller's
 * transaction: the user bound to (iss, sub) if any (their email now does
 * not matter), else an enabled user with a role in the organisation whose
 * verified email of an allowed domain matches, bound now
 * ("sso_identity_bound"), else, when p->create_users, a new user with no
 * role ("user_created" and "sso_identity_bound").  FH_EFORBIDDEN with the
 * reason's name in err->field ("disabled", "email_unverified",
 * "domain_not_allowed", "no_account", "other_organisation") when no one may
 * sign in.
 */
fh_status store_sso_user(fh_store *st, const store_sso_provider *p, const store_sso_claims *c,
			 time_t now, int64_t *user_id, fh_error *err);

/*
 * Marks a new session as begun through org_id's provider, with its ID token
 * and the provider's end_session_endpoint (NULL: none).
 */
fh_status store_sso_session_mark(fh_store *st, int64_t session_id, int64_t org_id,
				 const char *id_token, const char *end_session, fh_error *err);

/*
 * Of a session begun through a provider: its ID token and the provider's
 * end_session_endpoint; *end_session NULL when it was not begun so or the
 * provider offers none.
 */
fh_status store_sso_session(fh_store *st, int64_t session_id, fh_arena *arena,
			    const char **end_session, const char **id_token, fh_error *err);

/*
 * False when an organisation user_id holds a role in has turned password
 * sign-in off (its staff sign in through its provider).
 */
fh_status store_sso_password_allowed(fh_store *st, int64_t user_id, bool *allowed,
				     fh_error *err);

#endif
