/*
 * Unit tests for single sign-on's pure parts (docs/sso.md, issue 18): the
 * settings rules (src/core/oidc.c), the PKCE challenge (RFC 7636 §4.2) and
 * the ID token verifier (src/sso/sso_token.c, OpenID Connect Core 1.0
 * §3.1.3.7) on a fixed JWKS and fixed tokens made once with node's crypto
 * (tests/data/sso/make_tokens.js, tokens.json), at a fixed "now".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oidc.h"
#include "sso.h"

static json_t *fixture;

static int load(void **state)
{
	(void)state;
	const char *dir = getenv("FH_TEST_DATA");
	char path[1024];
	snprintf(path, sizeof path, "%s/sso/tokens.json", dir ? dir : "tests/data");
	fixture = json_load_file(path, 0, NULL);
	return fixture ? 0 : -1;
}

static int unload(void **state)
{
	(void)state;
	json_decref(fixture);
	return 0;
}

static sso_refusal verify(const char *name, json_t **claims)
{
	const char *token = json_string_value(json_object_get(json_object_get(fixture, "tokens"), name));
	assert_non_null(token);
	sso_expect want = {
		.issuer = json_string_value(json_object_get(fixture, "issuer")),
		.client_id = json_string_value(json_object_get(fixture, "client_id")),
		.nonce = json_string_value(json_object_get(fixture, "nonce")),
		.now = (time_t)json_integer_value(json_object_get(fixture, "now")),
	};
	return sso_verify_id_token(token, json_object_get(fixture, "jwks"), &want, claims);
}

static void expect(const char *name, sso_refusal want)
{
	json_t *claims = NULL;
	sso_refusal got = verify(name, &claims);
	if (got != want)
		fail_msg("token %s: got %s, want %s", name, sso_refusal_name(got), sso_refusal_name(want));
	if (want == SSO_ACCEPTED)
		assert_string_equal(json_string_value(json_object_get(claims, "sub")), "u-1");
	else
		assert_null(claims);
	json_decref(claims);
}

/* issue 18 item 2: RS256 and ES256, aud as a list with azp. */
static void test_well_signed_tokens_accepted(void **state)
{
	(void)state;
	expect("rs256", SSO_ACCEPTED);
	expect("es256", SSO_ACCEPTED);
	expect("aud_list", SSO_ACCEPTED);
}

/* issue 18 item 2: alg none and HMAC keyed with the public key, refused by name. */
static void test_none_and_hs256_refused(void **state)
{
	(void)state;
	expect("none", SSO_ALGORITHM);
	expect("hs256", SSO_ALGORITHM);
	/* An ES256 header naming the RSA key: no key of that type fits. */
	expect("alg_key_mismatch", SSO_UNKNOWN_KEY);
}

/* OIDC Core §3.1.3.7: each claim check. */
static void test_claims_checked(void **state)
{
	(void)state;
	expect("expired", SSO_EXPIRED);
	expect("audience", SSO_AUDIENCE);
	expect("azp", SSO_AZP);
	expect("issuer", SSO_ISSUER);
	expect("future", SSO_ISSUED_LATER);
	expect("nonce", SSO_NONCE);
	expect("signature", SSO_SIGNATURE);
	/* An unknown kid is the caller's cue to fetch the key set again (rotation). */
	expect("unknown_kid", SSO_UNKNOWN_KEY);
}

static void test_expiry_skew(void **state)
{
	(void)state;
	const char *token = json_string_value(json_object_get(json_object_get(fixture, "tokens"), "rs256"));
	time_t now = (time_t)json_integer_value(json_object_get(fixture, "now"));
	sso_expect want = {.issuer = "https://idp.example.test", .client_id = "client-a",
			   .nonce = "n-123", .now = now + 300 + SSO_SKEW_SECONDS - 1};
	json_t *claims = NULL;
	/* exp is now + 300: within the allowance a second before its end, refused at it. */
	assert_int_equal(sso_verify_id_token(token, json_object_get(fixture, "jwks"), &want, &claims),
			 SSO_ACCEPTED);
	json_decref(claims);
	want.now++;
	assert_int_equal(sso_verify_id_token(token, json_object_get(fixture, "jwks"), &want, &claims),
			 SSO_EXPIRED);
	assert_int_equal(sso_verify_id_token("not.a-token", json_object_get(fixture, "jwks"), &want,
					     &claims), SSO_MALFORMED);
}

/* RFC 7636 §4.2: S256 is base64url(SHA-256(verifier)), computed apart with node's crypto. */
static void test_pkce_challenge(void **state)
{
	(void)state;
	char out[SSO_CHALLENGE_TEXT];
	sso_pkce_challenge("dBjftJeZ4CVP-mJ92K9qe-4jn3vXc3W2O0e4jnK4Q2E", out);
	assert_string_equal(out, "pwznN-c6lCGdg2OW1xTrcYz7xK5nija7LOoD8CbSjdY");
	char a[SSO_RANDOM_TEXT], b[SSO_RANDOM_TEXT];
	sso_random_text(a);
	sso_random_text(b);
	assert_int_equal(strlen(a), 43); /* RFC 7636 §4.1: 43 to 128 characters */
	assert_string_not_equal(a, b);
}

/* issue 18 item 1: https only, plain http to loopback alone; the secret's two sources. */
static void test_settings_rules(void **state)
{
	(void)state;
	assert_true(oidc_url_allowed("https://login.microsoftonline.com/t/v2.0"));
	assert_true(oidc_url_allowed("http://127.0.0.1:4000"));
	assert_true(oidc_url_allowed("http://localhost/x"));
	assert_false(oidc_url_allowed("http://idp.example.com"));
	assert_false(oidc_url_allowed("http://127.0.0.1.evil.example/"));
	assert_false(oidc_url_allowed("https:///path"));
	assert_false(oidc_url_allowed("ftp://x"));
	assert_false(oidc_url_allowed("https://a b"));
	assert_true(oidc_secret_source_valid("file:/etc/fh/secret"));
	assert_true(oidc_secret_source_valid("env:FH_SECRET"));
	assert_false(oidc_secret_source_valid("file:relative"));
	assert_false(oidc_secret_source_valid("env:"));
	assert_false(oidc_secret_source_valid("env:A-B"));
	assert_false(oidc_secret_source_valid("the-secret-itself"));
	assert_true(oidc_domains_valid(""));
	assert_true(oidc_domains_valid("bct.demo,birmingham.gov.uk"));
	assert_false(oidc_domains_valid("bct.demo,"));
	assert_false(oidc_domains_valid("BCT.demo"));
	assert_false(oidc_domains_valid("a, b"));
	assert_true(oidc_domain_allowed("", "x@anything.example"));
	assert_true(oidc_domain_allowed("a.example,bct.demo", "X@BCT.demo"));
	assert_false(oidc_domain_allowed("bct.demo", "x@evilbct.demo"));
	assert_false(oidc_domain_allowed("bct.demo", "x@bct.demo.evil"));
	assert_false(oidc_domain_allowed("bct.demo", "no-at-sign"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_well_signed_tokens_accepted),
		cmocka_unit_test(test_none_and_hs256_refused),
		cmocka_unit_test(test_claims_checked),
		cmocka_unit_test(test_expiry_skew),
		cmocka_unit_test(test_pkce_challenge),
		cmocka_unit_test(test_settings_rules),
	};
	return cmocka_run_group_tests(tests, load, unload);
}
