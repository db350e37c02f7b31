/*
 * sso_http.c: what the relying party fetches from the provider (sso.h):
 * discovery, key sets and the token exchange, over libcurl; and the
 * random values of a sign-in.
 */
#include "sso.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "oidc.h"

enum {
	BODY_MAX = 256 * 1024,     /* a discovery document, key set or token answer */
	CACHE_SLOTS = 16,
	DISCOVERY_SECONDS = 3600,
};

/* ---- HTTP ------------------------------------------------------------------------------ */

typedef struct body {
	char *data;
	size_t len;
	bool too_big;
} body;

static size_t collect(char *ptr, size_t size, size_t n, void *ctx)
{
	body *b = ctx;
	size_t add = size * n;
	if (b->len + add > BODY_MAX) {
		b->too_big = true;
		return 0;
	}
	char *grown = realloc(b->data, b->len + add + 1);
	if (!grown)
		return 0;
	b->data = grown;
	memcpy(b->data + b->len, ptr, add);
	b->len += add;
	b->data[b->len] = '\0';
	return add;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void start_curl(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/*
 * GET (form NULL) or POST form to url; *out the answer as JSON, *status its
 * HTTP status.  Redirects are not followed.
 */
static fh_status request(const char *url, const char *form, const char *user, const char *password,
			 json_t **out, long *status, const char *field, fh_error *err)
{
	*out = NULL;
	if (!oidc_url_allowed(url))
		return error_set(err, FH_EINVAL, field, NULL,
				 "%s is not an https:// address (plain http is allowed only to "
				 "this machine's loopback)", url ? url : "(none)");
	pthread_once(&curl_once, start_curl);
	CURL *curl = curl_easy_init();
	if (!curl)
		return error_set(err, FH_ENOMEM, field, NULL, "libcurl failed to start");
	body b = {0};
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "fairhearing");
	if (form) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
	}
	if (user) {
		curl_easy_setopt(curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(curl, CURLOPT_USERNAME, user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, password);
	}
	CURLcode rc = curl_easy_perform(curl);
	*status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	fh_status s = FH_OK;
	if (b.too_big)
		s = error_set(err, FH_EINVAL, field, NULL, "%s answered with more than %d bytes", url,
			      BODY_MAX);
	else if (rc != CURLE_OK)
		s = error_set(err, FH_EINVAL, field, NULL, "%s could not be reached: %s", url,
			      errbuf[0] ? errbuf : curl_easy_strerror(rc));
	else if (!(*out = json_loadb(b.data ? b.data : "", b.len, 0, NULL)) || !json_is_object(*out))
		s = error_set(err, FH_EINVAL, field, NULL,
			      "%s answered (HTTP %ld) with something that is not a JSON object", url,
			      *status);
	if (s) {
		json_decref(*out);
		*out = NULL;
	}
	if (b.data)
		sodium_memzero(b.data, b.len);
	free(b.data);
	return s;
}

/* ---- the caches ------------------------------------------------------------------------- */

typedef struct slot {
	char *url;
	json_t *doc;
	time_t fetched;
} slot;

typedef struct cache {
	pthread_mutex_t lock;
	slot slots[CACHE_SLOTS];
	size_t next; /* the slot a new address replaces when all are taken */
} cache;

static cache discoveries = {.lock = PTHREAD_MUTEX_INITIALIZER};
static cache key_sets = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The cached document for url younger than max_age seconds (0: any age), a new reference. */
static json_t *cache_get(cache *c, const char *url, time_t now, int max_age)
{
	json_t *doc = NULL;
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (c->slots[i].url && strcmp(c->slots[i].url, url) == 0 &&
		    (max_age == 0 || now - c->slots[i].fetched < max_age))
			doc = json_incref(c->slots[i].doc);
	pthread_mutex_unlock(&c->lock);
	return doc;
}

static void cache_put(cache *c, const char *url, json_t *doc, time_t now)
{
	pthread_mutex_lock(&c->lock);
	slot *at = NULL;
	for (size_t i = 0; i < CACHE_SLOTS && !at; i++)
		if (c->slots[i].url && strcmp(c->slots[i].url, url) == 0)
			at = &c->slots[i];
	for (size_t i = 0; i < CACHE_SLOTS && !at; i++)
		if (!c->slots[i].url)
			at = &c->slots[i];
	if (!at) {
		at = &c->slots[c->next];
		c->next = (c->next + 1) % CACHE_SLOTS;
	}
	char *copy = strdup(url);
	if (copy) {
		free(at->url);
		json_decref(at->doc);
		at->url = copy;
		at->doc = json_incref(doc);
		at->fetched = now;
	}
	pthread_mutex_unlock(&c->lock);
}

/* ---- discovery and keys ----------------------------------------------------------------- */

static const char *endpoint(json_t *doc, const char *name, bool required, fh_error *err,
			    fh_status *s)
{
	const char *url = json_string_value(json_object_get(doc, name));
	if (*s)
		return url;
	if (!url && required)
		*s = error_set(err, FH_EINVAL, "issuer", "OpenID Connect Discovery 1.0 §3",
			       "the provider's discovery document has no %s", name);
	else if (url && !oidc_url_allowed(url))
		*s = error_set(err, FH_EINVAL, "issuer", NULL,
			       "the provider's %s (%s) is not an https:// address", name, url);
	return url;
}

fh_status sso_discover(const char *issuer, sso_discovery *out, fh_error *err)
{
	memset(out, 0, sizeof *out);
	if (!oidc_url_allowed(issuer))
		return error_set(err, FH_EINVAL, "issuer", NULL,
				 "must be an https:// address (plain http only to loopback)");
	size_t n = strlen(issuer);
	char url[1100];
	if (n > 1000)
		return error_set(err, FH_EINVAL, "issuer", NULL, "is longer than 1000 characters");
	/* OpenID Connect Discovery 1.0 §4: the path appended to the issuer. */
	snprintf(url, sizeof url, "%.*s/.well-known/openid-configuration",
		 (int)(issuer[n - 1] == '/' ? n - 1 : n), issuer);
	time_t now = time(NULL);
	json_t *doc = cache_get(&discoveries, url, now, DISCOVERY_SECONDS);
	fh_status s = FH_OK;
	if (!doc) {
		long status = 0;
		s = request(url, NULL, NULL, NULL, &doc, &status, "issuer", err);
		if (!s && status != 200)
			s = error_set(err, FH_EINVAL, "issuer", NULL, "%s answered HTTP %ld", url, status);
		const char *said = json_string_value(json_object_get(doc, "issuer"));
		if (!s && (!said || strcmp(said, issuer) != 0))
			s = error_set(err, FH_EINVAL, "issuer", "OpenID Connect Discovery 1.0 §4.3",
				      "the provider calls itself %s, not %s", said ? said : "(nothing)",
				      issuer);
		if (!s)
			cache_put(&discoveries, url, doc, now);
	}
	if (!s) {
		out->doc = doc;
		out->issuer = json_string_value(json_object_get(doc, "issuer"));
		out->authorization_endpoint = endpoint(doc, "authorization_endpoint", true, err, &s);
		out->token_endpoint = endpoint(doc, "token_endpoint", true, err, &s);
		out->jwks_uri = endpoint(doc, "jwks_uri", true, err, &s);
		out->end_session_endpoint = endpoint(doc, "end_session_endpoint", false, err, &s);
		/* §3: client_secret_basic when the list is absent. */
		json_t *methods = json_object_get(doc, "token_endpoint_auth_methods_supported");
		if (json_is_array(methods)) {
			bool basic = false, post = false;
			size_t i;
			json_t *m;
			json_array_foreach(methods, i, m) {
				basic |= json_is_string(m) && !strcmp(json_string_value(m),
								     "client_secret_basic");
				post |= json_is_string(m) && !strcmp(json_string_value(m),
								    "client_secret_post");
			}
			out->secret_post_only = post && !basic;
		}
	}
	if (s) {
		json_decref(doc);
		memset(out, 0, sizeof *out);
	}
	return s;
}

void sso_discovery_free(sso_discovery *d)
{
	json_decref(d->doc);
	memset(d, 0, sizeof *d);
}

fh_status sso_jwks(const char *uri, bool refresh, json_t **out, fh_error *err)
{
	time_t now = time(NULL);
	*out = refresh ? NULL : cache_get(&key_sets, uri, now, 0);
	if (*out)
		return FH_OK;
	long status = 0;
	fh_status s = request(uri, NULL, NULL, NULL, out, &status, "jwks_uri", err);
	if (!s && (status != 200 || !json_is_array(json_object_get(*out, "keys"))))
		s = error_set(err, FH_EINVAL, "jwks_uri", "RFC 7517 §5",
			      "%s did not answer with a key set (HTTP %ld)", uri, status);
	if (s) {
		json_decref(*out);
		*out = NULL;
		return s;
	}
	cache_put(&key_sets, uri, *out, now);
	return FH_OK;
}

/* ---- the client secret ----------------------------------------------------------------- */

fh_status sso_read_secret(const char *source, char *out, size_t size, fh_error *err)
{
	out[0] = '\0';
	if (!oidc_secret_source_valid(source))
		return error_set(err, FH_EINVAL, "secret", NULL,
				 "the client secret's source must be file:/PATH or env:NAME");
	if (strncmp(source, "env:", 4) == 0) {
		const char *value = getenv(source + 4);
		if (!value || !*value)
			return error_set(err, FH_EINVAL, "secret", NULL,
					 "the environment variable %s holding the client secret is "
					 "not set", source + 4);
		if (strlen(value) >= size)
			return error_set(err, FH_EINVAL, "secret", NULL, "the client secret is too long");
		snprintf(out, size, "%s", value);
		return FH_OK;
	}
	FILE *f = fopen(source + 5, "r");
	if (!f)
		return error_set(err, FH_EINVAL, "secret", NULL,
				 "the client secret's file %s cannot be read", source + 5);
	bool got = fgets(out, (int)size, f) != NULL;
	fclose(f);
	out[got ? strcspn(out, "\r\n") : 0] = '\0';
	if (!out[0])
		return error_set(err, FH_EINVAL, "secret", NULL, "the client secret's file %s is empty",
				 source + 5);
	return FH_OK;
}

/* ---- random values ------------------------------------------------------------------------ */

void sso_random_text(char out[SSO_RANDOM_TEXT])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, SSO_RANDOM_TEXT, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void sso_pkce_challenge(const char *verifier, char out[SSO_CHALLENGE_TEXT])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)verifier, strlen(verifier));
	sodium_bin2base64(out, SSO_CHALLENGE_TEXT, digest, sizeof digest,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* ---- the token endpoint ----------------------------------------------------------------- */

/* Appends name=value, form-encoded, to the form in buf (malloc'd, grown). */
static bool form_add(CURL *curl, char **buf, const char *name, const char *value)
{
	char *escaped = curl_easy_escape(curl, value, 0);
	if (!escaped)
		return false;
	size_t have = *buf ? strlen(*buf) : 0;
	size_t need = have + strlen(name) + strlen(escaped) + 3;
	char *grown = realloc(*buf, need);
	if (grown)
		snprintf(grown + have, need - have, "%s%s=%s", have ? "&" : "", name, escaped);
	curl_free(escaped);
	if (!grown)
		return false;
	*buf = grown;
	return true;
}

fh_status sso_exchange(const sso_discovery *d, const char *client_id, const char *secret,
		       const char *code, const char *redirect_uri, const char *verifier,
		       char **id_token, fh_error *err)
{
	*id_token = NULL;
	pthread_once(&curl_once, start_curl);
	CURL *curl = curl_easy_init();
	if (!curl)
		return error_set(err, FH_ENOMEM, "code", NULL, "libcurl failed to start");
	char *form = NULL, *user = NULL, *password = NULL;
	bool ok = form_add(curl, &form, "grant_type", "authorization_code") &&
		  form_add(curl, &form, "code", code) &&
		  form_add(curl, &form, "redirect_uri", redirect_uri) &&
		  form_add(curl, &form, "code_verifier", verifier);
	if (ok && d->secret_post_only) {
		ok = form_add(curl, &form, "client_id", client_id) &&
		     form_add(curl, &form, "client_secret", secret);
	} else if (ok) {
		/* RFC 6749 §2.3.1: both form-encoded before they go in Basic. */
		user = curl_easy_escape(curl, client_id, 0);
		password = curl_easy_escape(curl, secret, 0);
		ok = user && password;
	}
	curl_easy_cleanup(curl);
	fh_status s = FH_OK;
	json_t *answer = NULL;
	long status = 0;
	if (!ok)
		s = error_set(err, FH_ENOMEM, "code", NULL, "out of memory writing the token request");
	else
		s = request(d->token_endpoint, form, user, password, &answer, &status, "code", err);
	if (form)
		sodium_memzero(form, strlen(form));
	free(form);
	if (password) {
		sodium_memzero(password, strlen(password));
		curl_free(password);
	}
	curl_free(user);
	if (s)
		return s;
	const char *token = json_string_value(json_object_get(answer, "id_token"));
	if (status != 200) {
		const char *why = json_string_value(json_object_get(answer, "error"));
		s = error_set(err, FH_EINVAL, "code", "RFC 6749 §5.2",
			      "the provider refused the code (HTTP %ld: %s)", status,
			      why ? why : "no error named");
	} else if (!token) {
		s = error_set(err, FH_EINVAL, "code", "OpenID Connect Core 1.0 §3.1.3.3",
			      "the provider's token answer has no id_token");
	} else if (!(*id_token = strdup(token))) {
		s = error_set(err, FH_ENOMEM, "code", NULL, "out of memory");
	}
	json_decref(answer);
	return s;
}
