/* oidc.c: single sign-on's settings rules (oidc.h). */
#include "oidc.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

bool oidc_url_allowed(const char *url)
{
	if (!url || strlen(url) > 1000)
		return false;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return false;
	if (strncmp(url, "https://", 8) == 0)
		return url[8] != '\0' && url[8] != '/';
	if (strncmp(url, "http://", 7) != 0)
		return false;
	const char *host = url + 7;
	static const char *const loopback[] = {"127.0.0.1", "localhost", "[::1]"};
	for (size_t i = 0; i < sizeof loopback / sizeof *loopback; i++) {
		size_t n = strlen(loopback[i]);
		if (strncmp(host, loopback[i], n) == 0 &&
		    (host[n] == ':' || host[n] == '/' || host[n] == '\0'))
			return true;
	}
	return false;
}

bool oidc_secret_source_valid(const char *source)
{
	if (!source || strlen(source) > 1000)
		return false;
	if (strncmp(source, "file:/", 6) == 0)
		return true;
	if (strncmp(source, "env:", 4) != 0 || !source[4])
		return false;
	for (const char *p = source + 4; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_'))
			return false;
	return true;
}

bool oidc_domains_valid(const char *list)
{
	if (!list)
		return false;
	size_t run = 0;
	for (const char *p = list;; p++) {
		if (*p == ',' || *p == '\0') {
			if (run == 0 && (*p == ',' || p != list))
				return false;
			if (*p == '\0')
				return true;
			run = 0;
			continue;
		}
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-' ||
		      *p == '.'))
			return false;
		run++;
	}
}

bool oidc_domain_allowed(const char *list, const char *email)
{
	if (!list || !*list)
		return true;
	const char *at = email ? strrchr(email, '@') : NULL;
	if (!at || !at[1])
		return false;
	const char *domain = at + 1;
	size_t n = strlen(domain);
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncasecmp(p, domain, n) == 0)
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}
