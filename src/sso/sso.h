/*
 * sso: the OpenID Connect relying party's own work (docs/sso.md, issue 18):
 * the provider's discovery document and keys fetched over HTTPS (libcurl),
 * the code exchanged at its token endpoint, and the ID token verified
 * (libcjose): its signature against the provider's JWKS, then iss, aud,
 * azp, exp, iat and nonce (OpenID Connect Core 1.0 §3.1.3.7).
 *
 * Nothing here knows the database or HTTP requests: the store keeps the
 * settings and the sign-ins under way, the web layer drives the flow.
 * Discovery documents and key sets are cached per address for the life of
 * the process (a key set is fetched again, once, when a token names a key
 * it does not hold, so a provider's key rotation needs no restart).
 */
#ifndef FH_SSO_H
#define FH_SSO_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "error.h"

/* What discovery says (OpenID Connect Discovery 1.0 §3); strings owned by doc. */
typedef struct sso_discovery {
	json_t *doc;
	const char *issuer, *authorization_endpoint, *token_endpoint, *jwks_uri;
	const char *end_session_endpoint; /* NULL: no RP-initiated logout */
	bool secret_post_only;            /* the token endpoint takes no client_secret_basic */
} sso_discovery;

/*
 * The issuer's discovery document (issuer + "/.well-known/openid-configuration"),
 * cached for an hour; its "issuer" must be issuer exactly (§4.3) and each
 * endpoint an allowed URL.  Free with sso_discovery_free.
 */
fh_status sso_discover(const char *issuer, sso_discovery *out, fh_error *err);
void sso_discovery_free(sso_discovery *d);

/*
 * The key set at uri (a new reference): the cached one, or fetched when
 * refresh is true or none is cached.
 */
fh_status sso_jwks(const char *uri, bool refresh, json_t **out, fh_error *err);

/*
 * The client secret from its source: "file:/path" (the file's first line)
 * or "env:NAME".  FH_EINVAL (field "secret") for another form, a missing
 * file or variable, or an empty secret.
 */
fh_status sso_read_secret(const char *source, char *out, size_t size, fh_error *err);

/*
 * Random text for a state, a nonce or a PKCE code verifier: 32 random
 * bytes in base64url (43 characters; RFC 7636 §4.1).
 */
enum { SSO_RANDOM_TEXT = 44, SSO_CHALLENGE_TEXT = 44 };
void sso_random_text(char out[SSO_RANDOM_TEXT]);

/* The PKCE S256 code challenge of verifier: base64url(SHA-256) (RFC 7636 §4.2). */
void sso_pkce_challenge(const char *verifier, char out[SSO_CHALLENGE_TEXT]);

/*
 * Exchanges code at the token endpoint (authorization_code grant, with the
 * PKCE verifier), authenticating with client_secret_basic unless the
 * provider takes only client_secret_post.  *id_token gets the ID token
 * (malloc'd).  FH_EINVAL (field "code") when the provider refuses the code
 * (its error named in the message) or cannot be reached.
 */
fh_status sso_exchange(const sso_discovery *d, const char *client_id, const char *secret,
		       const char *code, const char *redirect_uri, const char *verifier,
		       char **id_token, fh_error *err);

/* Why an ID token was refused (each its own audit reason, sso_refusal_name). */
typedef enum sso_refusal {
	SSO_ACCEPTED = 0,
	SSO_MALFORMED,     /* not a compact JWS with a JSON header and claims */
	SSO_ALGORITHM,     /* alg other than RS256 or ES256: none, HS256 ... */
	SSO_UNKNOWN_KEY,   /* no key in the set fits the header's kid and alg */
	SSO_SIGNATURE,     /* the signature does not verify */
	SSO_ISSUER,        /* iss is not the provider's */
	SSO_AUDIENCE,      /* aud does not contain our client id */
	SSO_AZP,           /* azp is present and not our client id */
	SSO_EXPIRED,       /* exp has passed (beyond the skew) */
	SSO_ISSUED_LATER,  /* iat is in the future (beyond the skew) */
	SSO_NONCE,         /* nonce is not the one this sign-in sent */
} sso_refusal;

const char *sso_refusal_name(sso_refusal why);
/* A sentence for the person signing in. */
const char *sso_refusal_text(sso_refusal why);

/* Seconds of clock difference allowed for exp and iat. */
enum { SSO_SKEW_SECONDS = 60 };

typedef struct sso_expect {
	const char *issuer, *client_id, *nonce;
	time_t now;
} sso_expect;

/*
 * Verifies the compact ID token against the key set and what is expected.
 * *why says what was wrong (SSO_ACCEPTED: nothing); *claims (a new
 * reference) is set only when accepted.  No I/O: a caller that gets
 * SSO_UNKNOWN_KEY fetches the key set again and tries once more.
 */
sso_refusal sso_verify_id_token(const char *token, const json_t *jwks, const sso_expect *want,
				json_t **claims);

#endif
