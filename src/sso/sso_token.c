/*
 * sso_token.c: an ID token verified (sso.h; OpenID Connect Core 1.0
 * §3.1.3.7).  The header's alg is read and judged before libcjose sees the
 * token, so "none" and the HMAC algorithms (whose key would be the
 * provider's public key, which anyone has) are refused by name; the key is
 * chosen from the provider's set by kid and must be of the algorithm's
 * type (RSA for RS256, EC P-256 for ES256).
 */
#include "sso.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjose/cjose.h>
#include <sodium.h>

static const char *const names[] = {
	[SSO_ACCEPTED] = "accepted",         [SSO_MALFORMED] = "malformed",
	[SSO_ALGORITHM] = "algorithm",       [SSO_UNKNOWN_KEY] = "unknown_key",
	[SSO_SIGNATURE] = "signature",       [SSO_ISSUER] = "issuer",
	[SSO_AUDIENCE] = "audience",         [SSO_AZP] = "authorized_party",
	[SSO_EXPIRED] = "expired",           [SSO_ISSUED_LATER] = "issued_in_future",
	[SSO_NONCE] = "nonce",
};

static const char *const texts[] = {
	[SSO_ACCEPTED] = "The sign-in was accepted.",
	[SSO_MALFORMED] = "The identity provider's answer was not a well-formed ID token.",
	[SSO_ALGORITHM] = "The ID token was not signed with RS256 or ES256, so it cannot be "
			  "trusted (an unsigned or HMAC-signed token is always refused).",
	[SSO_UNKNOWN_KEY] = "The ID token was signed with a key the identity provider does not "
			    "publish.",
	[SSO_SIGNATURE] = "The ID token's signature does not verify.",
	[SSO_ISSUER] = "The ID token comes from another identity provider than your "
		       "organisation's.",
	[SSO_AUDIENCE] = "The ID token was not issued for this service (its audience is "
			 "another client).",
	[SSO_AZP] = "The ID token was issued to another client (azp).",
	[SSO_EXPIRED] = "The ID token has expired.",
	[SSO_ISSUED_LATER] = "The ID token says it was issued in the future.",
	[SSO_NONCE] = "The ID token does not belong to this sign-in (its nonce differs).",
};

const char *sso_refusal_name(sso_refusal why)
{
	return (size_t)why < sizeof names / sizeof *names ? names[why] : "unknown";
}

const char *sso_refusal_text(sso_refusal why)
{
	return (size_t)why < sizeof texts / sizeof *texts ? texts[why] : "The sign-in was refused.";
}

/* The JSON object in the base64url text [p, p + n), or NULL. */
static json_t *decode_part(const char *p, size_t n)
{
	size_t cap = n, len = 0;
	unsigned char *raw = malloc(cap + 1);
	if (!raw)
		return NULL;
	json_t *doc = NULL;
	if (sodium_base642bin(raw, cap, p, n, NULL, &len, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0)
		doc = json_loadb((const char *)raw, len, 0, NULL);
	free(raw);
	if (doc && !json_is_object(doc)) {
		json_decref(doc);
		doc = NULL;
	}
	return doc;
}

/* The key in jwks for alg and kid (NULL: the one key of alg's type). */
static const json_t *find_key(const json_t *jwks, const char *alg, const char *kid)
{
	const char *kty = strcmp(alg, "RS256") == 0 ? "RSA" : "EC";
	const json_t *keys = json_object_get(jwks, "keys"), *found = NULL;
	size_t i, fitting = 0;
	const json_t *key;
	json_array_foreach(keys, i, key) {
		const char *k_kty = json_string_value(json_object_get(key, "kty"));
		const char *k_kid = json_string_value(json_object_get(key, "kid"));
		const char *k_use = json_string_value(json_object_get(key, "use"));
		const char *k_alg = json_string_value(json_object_get(key, "alg"));
		const char *k_crv = json_string_value(json_object_get(key, "crv"));
		if (!k_kty || strcmp(k_kty, kty) != 0 || (k_use && strcmp(k_use, "sig") != 0) ||
		    (k_alg && strcmp(k_alg, alg) != 0))
			continue;
		if (!strcmp(kty, "EC") && (!k_crv || strcmp(k_crv, "P-256") != 0))
			continue;
		if (kid && (!k_kid || strcmp(k_kid, kid) != 0))
			continue;
		found = key;
		fitting++;
	}
	/* Without a kid, only a set with one key of the type is unambiguous. */
	return kid || fitting == 1 ? found : NULL;
}

static bool audience_has(const json_t *aud, const char *client_id)
{
	if (json_is_string(aud))
		return strcmp(json_string_value(aud), client_id) == 0;
	size_t i;
	const json_t *a;
	json_array_foreach(aud, i, a)
		if (json_is_string(a) && strcmp(json_string_value(a), client_id) == 0)
			return true;
	return false;
}

/* The signature checked with key; SSO_ACCEPTED when it verifies. */
static sso_refusal check_signature(const char *token, const json_t *key)
{
	cjose_err cerr;
	cjose_jws_t *jws = cjose_jws_import(token, strlen(token), &cerr);
	if (!jws)
		return SSO_MALFORMED;
	cjose_jwk_t *jwk = cjose_jwk_import_json((cjose_header_t *)(uintptr_t)key, &cerr);
	sso_refusal why = SSO_SIGNATURE;
	if (!jwk)
		why = SSO_UNKNOWN_KEY;
	else if (cjose_jws_verify(jws, jwk, &cerr))
		why = SSO_ACCEPTED;
	if (jwk)
		cjose_jwk_release(jwk);
	cjose_jws_release(jws);
	return why;
}

static sso_refusal check_claims(const json_t *c, const sso_expect *want)
{
	const char *iss = json_string_value(json_object_get(c, "iss"));
	const json_t *aud = json_object_get(c, "aud");
	const json_t *azp = json_object_get(c, "azp");
	const json_t *exp = json_object_get(c, "exp"), *iat = json_object_get(c, "iat");
	const char *nonce = json_string_value(json_object_get(c, "nonce"));
	const char *sub = json_string_value(json_object_get(c, "sub"));
	if (!sub || !*sub || strlen(sub) > 255 || !json_is_number(exp) || !json_is_number(iat))
		return SSO_MALFORMED;
	if (!iss || strcmp(iss, want->issuer) != 0)
		return SSO_ISSUER;
	if (!audience_has(aud, want->client_id))
		return SSO_AUDIENCE;
	if (azp && (!json_is_string(azp) || strcmp(json_string_value(azp), want->client_id) != 0))
		return SSO_AZP;
	if (json_number_value(exp) + SSO_SKEW_SECONDS <= (double)want->now)
		return SSO_EXPIRED;
	if (json_number_value(iat) > (double)want->now + SSO_SKEW_SECONDS)
		return SSO_ISSUED_LATER;
	if (!nonce || !want->nonce || strlen(nonce) != strlen(want->nonce) ||
	    sodium_memcmp(nonce, want->nonce, strlen(nonce)) != 0)
		return SSO_NONCE;
	return SSO_ACCEPTED;
}

sso_refusal sso_verify_id_token(const char *token, const json_t *jwks, const sso_expect *want,
				json_t **claims)
{
	*claims = NULL;
	if (!token)
		return SSO_MALFORMED;
	const char *dot1 = strchr(token, '.');
	const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	if (!dot1 || !dot2 || strchr(dot2 + 1, '.') || strlen(token) > 16384)
		return SSO_MALFORMED;
	json_t *header = decode_part(token, (size_t)(dot1 - token));
	json_t *body = decode_part(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	sso_refusal why = SSO_ACCEPTED;
	const char *alg = json_string_value(json_object_get(header, "alg"));
	const char *kid = json_string_value(json_object_get(header, "kid"));
	const json_t *key = NULL;
	if (!header || !body)
		why = SSO_MALFORMED;
	else if (!alg || (strcmp(alg, "RS256") != 0 && strcmp(alg, "ES256") != 0) ||
		 json_object_get(header, "crit"))
		why = SSO_ALGORITHM;
	else if (!(key = find_key(jwks, alg, kid)))
		why = SSO_UNKNOWN_KEY;
	else
		why = check_signature(token, key);
	if (why == SSO_ACCEPTED)
		why = check_claims(body, want);
	if (why == SSO_ACCEPTED)
		*claims = json_incref(body);
	json_decref(header);
	json_decref(body);
	return why;
}
