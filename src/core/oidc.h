/*
 * oidc: the pure rules of single sign-on's settings (docs/sso.md), shared
 * by the store, which checks them when they are set, and the sso layer,
 * which checks every address before it fetches it.
 */
#ifndef FH_OIDC_H
#define FH_OIDC_H

#include <stdbool.h>

/*
 * True when url may be fetched or sent to: https://HOST..., or http:// to
 * a loopback host (127.0.0.1, localhost, [::1]), which only a provider on
 * this machine (the tests') uses.
 */
bool oidc_url_allowed(const char *url);

/* True when source is "file:/PATH" or "env:NAME" (NAME letters, digits, '_'). */
bool oidc_secret_source_valid(const char *source);

/*
 * True when list is "" or comma-separated domains (letters, digits, '-'
 * and '.', lower case, no spaces).
 */
bool oidc_domains_valid(const char *list);

/* True when email's domain (after its last '@') is in list, any case; "" allows any. */
bool oidc_domain_allowed(const char *list, const char *email);

#endif
