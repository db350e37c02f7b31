/*
 * mail_smtp: a message handed to a mail server with libcurl (mail_smtp.h).
 */
#include "mail_smtp.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "mail_message.h"

fh_status mail_smtp_start(fh_error *err)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return error_set(err, FH_ESTORE, NULL, NULL, "libcurl failed to initialise");
	return FH_OK;
}

void mail_smtp_stop(void)
{
	curl_global_cleanup();
}

bool mail_smtp_server_unusable(mail_smtp_status s)
{
	return s != MAIL_SMTP_SENT && s != MAIL_SMTP_NOT_SENT;
}

/* The message as libcurl reads it: what is left to send. */
typedef struct upload {
	const char *data;
	size_t left;
} upload;

static size_t read_message(char *buf, size_t size, size_t nitems, void *arg)
{
	upload *u = arg;
	size_t n = size * nitems < u->left ? size * nitems : u->left;
	memcpy(buf, u->data, n);
	u->data += n;
	u->left -= n;
	return n;
}

static mail_smtp_status status_of(CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return MAIL_SMTP_SENT;
	case CURLE_LOGIN_DENIED:
	case CURLE_AUTH_ERROR:
		return MAIL_SMTP_LOGIN_DENIED;
	case CURLE_USE_SSL_FAILED:
		return MAIL_SMTP_NO_STARTTLS;
	case CURLE_PEER_FAILED_VERIFICATION:
		return MAIL_SMTP_UNTRUSTED;
	case CURLE_SSL_CACERT_BADFILE:
		return MAIL_SMTP_BAD_CA_FILE;
	case CURLE_SSL_CONNECT_ERROR:
		return MAIL_SMTP_TLS_FAILED;
	default:
		return MAIL_SMTP_NOT_SENT;
	}
}

/* The server's newest answer line, kept as libcurl reports the conversation. */
typedef struct answer {
	char *line;
	size_t size;
} answer;

static int keep_answer(CURL *curl, curl_infotype type, char *data, size_t n, void *arg)
{
	(void)curl;
	answer *a = arg;
	/* the answer to QUIT says nothing about the message */
	if (type != CURLINFO_HEADER_IN || !a->size || (n >= 3 && !memcmp(data, "221", 3)))
		return 0;
	size_t len = strcspn(data, "\r\n");
	if (len > n)
		len = n;
	if (len >= a->size)
		len = a->size - 1;
	memcpy(a->line, data, len);
	a->line[len] = '\0';
	return 0;
}

mail_smtp_status mail_smtp_send(const mail_smtp_server *server, const char *from, const char *to,
				const char *message, char *detail, size_t size)
{
	char reply[256];
	return mail_smtp_send_answered(server, from, to, message, detail, size, reply,
				       sizeof reply);
}

mail_smtp_status mail_smtp_send_answered(const mail_smtp_server *server, const char *from,
					 const char *to, const char *message, char *detail,
					 size_t size, char *reply, size_t reply_size)
{
	if (reply_size)
		reply[0] = '\0';
	answer heard = {reply, reply_size};
	CURL *curl = curl_easy_init();
	if (!curl) {
		snprintf(detail, size, "libcurl failed to start");
		return MAIL_SMTP_NOT_SENT;
	}
	char envelope_from[MAIL_ADDRESS_MAX + 3], envelope_to[MAIL_ADDRESS_MAX + 3];
	snprintf(envelope_from, sizeof envelope_from, "<%s>", from);
	snprintf(envelope_to, sizeof envelope_to, "<%s>", to);
	struct curl_slist *rcpt = curl_slist_append(NULL, envelope_to);
	upload u = {message, strlen(message)};
	char errbuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(curl, CURLOPT_URL, server->url);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, envelope_from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(curl, CURLOPT_READDATA, &u);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	/* the conversation comes to keep_answer only, never to stderr */
	curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, keep_answer);
	curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &heard);
	curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
	if (server->user) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, server->user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, server->password);
	}
	/* a password (or a CA to check the server by) never goes over a plain line */
	if (server->user || server->ca_file)
		curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (server->ca_file)
		curl_easy_setopt(curl, CURLOPT_CAINFO, server->ca_file);
	CURLcode rc = rcpt ? curl_easy_perform(curl) : CURLE_OUT_OF_MEMORY;
	if (rc != CURLE_OK)
		snprintf(detail, size, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	return status_of(rc);
}
