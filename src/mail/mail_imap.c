/*
 * mail_imap: an IMAP mailbox read with libcurl (mail_imap.h).
 *
 * libcurl selects the mailbox a URL names before a custom command, and
 * checks ";UIDVALIDITY=" in a URL against the server's, so every command
 * here is a URL plus, where libcurl has no verb of its own, a custom request
 * whose untagged answers come back through the write callback.
 */
#include "mail_imap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

struct mail_imap {
	CURL *curl;
	char base[1024];      /* scheme://host[:port]/ */
	char mailbox_url[1024]; /* the mailbox as the URL wrote it */
	char mailbox[512];    /* decoded */
	uint32_t uidvalidity;
	bool folder_ready;    /* the folder to move to is known to exist */
	char errbuf[CURL_ERROR_SIZE];
};

/* What a command's answer collects; past max, the transfer stops. */
typedef struct answer {
	unsigned char *data;
	size_t len, cap, max;
	bool over;
} answer;

static size_t collect(char *ptr, size_t size, size_t nmemb, void *arg)
{
	answer *a = arg;
	size_t n = size * nmemb;
	if (a->len + n > a->max) {
		a->over = true;
		return 0;
	}
	if (a->len + n + 1 > a->cap) {
		size_t cap = a->cap ? a->cap : 4096;
		while (cap < a->len + n + 1)
			cap *= 2;
		unsigned char *grown = realloc(a->data, cap);
		if (!grown)
			return 0;
		a->data = grown, a->cap = cap;
	}
	memcpy(a->data + a->len, ptr, n);
	a->len += n;
	a->data[a->len] = '\0';
	return n;
}

/* host[len] is HOST[:PORT] or [V6]:PORT */
static bool loopback(const char *host, size_t len)
{
	for (size_t i = len; i-- > 0 && host[i] != ']';)
		if (host[i] == ':') {
			len = i;
			break;
		}
	static const char *const names[] = {"127.0.0.1", "localhost", "[::1]", NULL};
	for (size_t i = 0; names[i]; i++)
		if (len == strlen(names[i]) && !strncasecmp(host, names[i], len))
			return true;
	return false;
}

mail_imap *mail_imap_open(const mail_imap_account *account, char *why, size_t size)
{
	const char *url = account->url;
	bool tls = !strncmp(url, "imaps://", 8);
	if (!tls && strncmp(url, "imap://", 7) != 0) {
		snprintf(why, size, "must be an imaps:// or imap:// URL");
		return NULL;
	}
	const char *host = url + (tls ? 8 : 7);
	size_t host_len = strcspn(host, "/?#");
	if (!host_len || memchr(host, '@', host_len)) {
		snprintf(why, size, "must name the server and no user or password "
				    "(imaps://HOST/MAILBOX)");
		return NULL;
	}
	const char *path = host + host_len;
	if (*path == '/')
		path++;
	if (strpbrk(path, "?#;")) {
		snprintf(why, size, "must end with the mailbox's name (imaps://HOST/MAILBOX)");
		return NULL;
	}
	mail_imap *im = calloc(1, sizeof *im);
	if (!im) {
		snprintf(why, size, "out of memory");
		return NULL;
	}
	size_t hostport_len = (size_t)(path - url);
	if (hostport_len + 2 > sizeof im->base || strlen(path) + 1 > sizeof im->mailbox_url) {
		free(im);
		snprintf(why, size, "is too long");
		return NULL;
	}
	snprintf(im->base, sizeof im->base, "%.*s%s", (int)(host + host_len - url), url, "/");
	snprintf(im->mailbox_url, sizeof im->mailbox_url, "%s", *path ? path : "INBOX");
	im->curl = curl_easy_init();
	int decoded_len = 0;
	char *decoded = im->curl ? curl_easy_unescape(im->curl, im->mailbox_url, 0, &decoded_len)
				 : NULL;
	if (!decoded || (size_t)decoded_len >= sizeof im->mailbox ||
	    memchr(decoded, '\0', (size_t)decoded_len) || strpbrk(decoded, "\r\n\"\\")) {
		snprintf(why, size, "has a mailbox name that cannot be used");
		curl_free(decoded);
		mail_imap_close(im);
		return NULL;
	}
	memcpy(im->mailbox, decoded, (size_t)decoded_len + 1);
	curl_free(decoded);

	CURL *c = im->curl;
	curl_easy_setopt(c, CURLOPT_USERNAME, account->user);
	if (account->bearer)
		curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, account->bearer);
	else
		curl_easy_setopt(c, CURLOPT_PASSWORD, account->password);
	/* a login never goes over a plain line, except to this machine */
	if (!tls && !loopback(host, host_len))
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (account->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, account->ca_file);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
	/* a large message on a slow line may take minutes; a stalled one may not */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, im->errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	return im;
}

void mail_imap_close(mail_imap *im)
{
	if (!im)
		return;
	if (im->curl)
		curl_easy_cleanup(im->curl);
	free(im);
}

const char *mail_imap_mailbox(const mail_imap *im)
{
	return im->mailbox;
}

bool mail_imap_session_unusable(mail_imap_status s)
{
	return s != MAIL_IMAP_OK && s != MAIL_IMAP_TOO_BIG;
}

static mail_imap_status status_of(CURLcode rc, const answer *a)
{
	switch (rc) {
	case CURLE_OK:
		return MAIL_IMAP_OK;
	case CURLE_LOGIN_DENIED:
	case CURLE_AUTH_ERROR:
		return MAIL_IMAP_LOGIN_DENIED;
	case CURLE_USE_SSL_FAILED:
		return MAIL_IMAP_NO_STARTTLS;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CONNECT_ERROR:
		return MAIL_IMAP_UNTRUSTED;
	case CURLE_QUOTE_ERROR:
	case CURLE_REMOTE_FILE_NOT_FOUND:
	case CURLE_REMOTE_ACCESS_DENIED:
		return MAIL_IMAP_REFUSED;
	case CURLE_WRITE_ERROR:
		return a && a->over ? MAIL_IMAP_TOO_BIG : MAIL_IMAP_UNREACHABLE;
	default:
		return MAIL_IMAP_UNREACHABLE;
	}
}

/* One command: url (after the base), with a custom request or none; its answer in *a. */
static mail_imap_status run(mail_imap *im, const char *url, const char *request, answer *a,
			    char *detail, size_t size)
{
	char full[2048];
	if ((size_t)snprintf(full, sizeof full, "%s%s", im->base, url) >= sizeof full) {
		snprintf(detail, size, "the URL is too long");
		return MAIL_IMAP_REFUSED;
	}
	im->errbuf[0] = '\0';
	curl_easy_setopt(im->curl, CURLOPT_URL, full);
	curl_easy_setopt(im->curl, CURLOPT_CUSTOMREQUEST, request);
	curl_easy_setopt(im->curl, CURLOPT_WRITEDATA, a);
	CURLcode rc = curl_easy_perform(im->curl);
	mail_imap_status s = status_of(rc, a);
	if (s == MAIL_IMAP_TOO_BIG)
		snprintf(detail, size, "the message is larger than %zu bytes", a->max);
	else if (s != MAIL_IMAP_OK)
		snprintf(detail, size, "%s", im->errbuf[0] ? im->errbuf : curl_easy_strerror(rc));
	return s;
}

/* The number after word in an untagged answer ("UIDVALIDITY 1796690959"). */
static bool number_after(const unsigned char *text, const char *word, uint32_t *out)
{
	const char *p = text ? strstr((const char *)text, word) : NULL;
	if (!p)
		return false;
	char *end;
	unsigned long v = strtoul(p + strlen(word), &end, 10);
	if (end == p + strlen(word) || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int by_value(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

mail_imap_status mail_imap_list(mail_imap *im, uint32_t *uidvalidity, uint32_t **uids,
				size_t *count, char *detail, size_t size)
{
	*uids = NULL;
	*count = 0;
	char request[640];
	snprintf(request, sizeof request, "STATUS \"%s\" (UIDVALIDITY)", im->mailbox);
	answer a = {.max = 1 << 16};
	mail_imap_status s = run(im, "", request, &a, detail, size);
	if (!s && !number_after(a.data, "UIDVALIDITY ", &im->uidvalidity)) {
		snprintf(detail, size, "the server did not give the mailbox's UIDVALIDITY");
		s = MAIL_IMAP_REFUSED;
	}
	free(a.data);
	if (s)
		return s;
	*uidvalidity = im->uidvalidity;

	answer found = {.max = 64 << 20};
	s = run(im, im->mailbox_url, "UID SEARCH UNDELETED", &found, detail, size);
	if (s) {
		free(found.data);
		return s;
	}
	/* "* SEARCH 3 7 9", possibly over several lines */
	size_t cap = 0;
	for (const char *line = (const char *)found.data; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len >= 8 && !strncasecmp(line, "* SEARCH", 8)) {
			const char *p = line + 8;
			while (p < line + len) {
				char *next;
				unsigned long v = strtoul(p, &next, 10);
				if (next == p)
					break;
				if (v && v <= UINT32_MAX) {
					if (*count == cap) {
						cap = cap ? cap * 2 : 64;
						uint32_t *grown = realloc(*uids, cap * sizeof **uids);
						if (!grown) {
							free(found.data);
							snprintf(detail, size, "out of memory");
							return MAIL_IMAP_UNREACHABLE;
						}
						*uids = grown;
					}
					(*uids)[(*count)++] = (uint32_t)v;
				}
				p = next;
			}
		}
		line = end ? end + 1 : NULL;
	}
	free(found.data);
	if (*count)
		qsort(*uids, *count, sizeof **uids, by_value);
	return MAIL_IMAP_OK;
}

/* The URL of one message, with the UIDVALIDITY libcurl checks. */
static void message_url(const mail_imap *im, uint32_t uid, char *out, size_t size)
{
	snprintf(out, size, "%s;UIDVALIDITY=%u/;UID=%u", im->mailbox_url, im->uidvalidity, uid);
}

mail_imap_status mail_imap_fetch(mail_imap *im, uint32_t uid, size_t max, unsigned char **raw,
				 size_t *raw_size, char *detail, size_t size)
{
	char url[1200];
	message_url(im, uid, url, sizeof url);
	answer a = {.max = max};
	mail_imap_status s = run(im, url, NULL, &a, detail, size);
	if (s == MAIL_IMAP_REFUSED && strstr(detail, "UIDVALIDITY"))
		s = MAIL_IMAP_CHANGED;
	if (s) {
		free(a.data);
		return s;
	}
	*raw = a.data ? a.data : calloc(1, 1);
	*raw_size = a.len;
	return *raw ? MAIL_IMAP_OK : MAIL_IMAP_UNREACHABLE;
}

/* The folder exists, made now if it did not. */
static mail_imap_status folder_made(mail_imap *im, const char *folder, char *detail, size_t size)
{
	if (im->folder_ready)
		return MAIL_IMAP_OK;
	char request[640];
	snprintf(request, sizeof request, "LIST \"\" \"%s\"", folder);
	answer a = {.max = 1 << 16};
	mail_imap_status s = run(im, "", request, &a, detail, size);
	bool exists = !s && a.data && strstr((const char *)a.data, "* LIST");
	free(a.data);
	if (s)
		return s;
	if (!exists) {
		snprintf(request, sizeof request, "CREATE \"%s\"", folder);
		answer made = {.max = 1 << 16};
		s = run(im, "", request, &made, detail, size);
		free(made.data);
		if (s)
			return s;
	}
	im->folder_ready = true;
	return MAIL_IMAP_OK;
}

mail_imap_status mail_imap_move(mail_imap *im, uint32_t uid, const char *folder, char *detail,
				size_t size)
{
	mail_imap_status s = folder_made(im, folder, detail, size);
	if (s)
		return s;
	char url[1200], request[640];
	snprintf(url, sizeof url, "%s;UIDVALIDITY=%u", im->mailbox_url, im->uidvalidity);
	snprintf(request, sizeof request, "UID MOVE %u \"%s\"", uid, folder);
	answer a = {.max = 1 << 16};
	s = run(im, url, request, &a, detail, size);
	free(a.data);
	if (s != MAIL_IMAP_REFUSED)
		return s;
	/* no MOVE: a copy, then the original marked deleted (the listing skips it) */
	for (int step = 0; step < 2; step++) {
		if (step == 0)
			snprintf(request, sizeof request, "UID COPY %u \"%s\"", uid, folder);
		else
			snprintf(request, sizeof request, "UID STORE %u +FLAGS.SILENT (\\Deleted)", uid);
		answer done = {.max = 1 << 16};
		s = run(im, url, request, &done, detail, size);
		free(done.data);
		if (s)
			return s;
	}
	/* gone from the mailbox where the server can expunge one message (UIDPLUS) */
	snprintf(request, sizeof request, "UID EXPUNGE %u", uid);
	answer gone = {.max = 1 << 16};
	char ignored[256];
	run(im, url, request, &gone, ignored, sizeof ignored);
	free(gone.data);
	return MAIL_IMAP_OK;
}
