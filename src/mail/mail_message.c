/*
 * mail_message: an email's headers and body as the bytes a mail server
 * takes (mail_message.h).
 */
#include "mail_message.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* RFC 5322 §2.1.1: a line is at most 998 octets, without its CRLF. */
enum { LINE_MAX_OCTETS = 998 };

/* RFC 2047 §2: an encoded word is at most 75 characters.  "=?UTF-8?B?" and
 * "?=" leave 63 for the base64, so 60 (a multiple of 4): 45 bytes of text. */
enum { WORD_BYTES = 45 };

bool mail_address_plain(const char *a)
{
	if (!a)
		return false;
	size_t n = strlen(a);
	const char *at = strchr(a, '@');
	return n <= MAIL_ADDRESS_MAX && at && at != a && at[1] &&
	       strcspn(a, " \t\r\n<>,;\"") == n;
}

static bool printable_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			return false;
	return true;
}

/* How many bytes of s, at most max, end on a whole UTF-8 character. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--; /* s[n] continues a character: cut before the character starts */
	return n ? n : max;
}

/*
 * A header's text: printable ASCII as it is; anything else as RFC 2047
 * encoded words (UTF-8, base64) of at most 75 characters each, cut only
 * between characters and folded onto lines of their own.
 */
static void header_text(FILE *out, const char *text)
{
	if (printable_ascii(text)) {
		fputs(text, out);
		return;
	}
	size_t len = strlen(text);
	for (size_t at = 0; at < len;) {
		size_t n = utf8_cut(text + at, len - at, WORD_BYTES);
		char b64[sodium_base64_ENCODED_LEN(WORD_BYTES, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)text + at, n,
				  sodium_base64_VARIANT_ORIGINAL);
		fprintf(out, "%s=?UTF-8?B?%s?=", at ? "\r\n " : "", b64);
		at += n;
	}
}

/* RFC 5322 §3.3, in UTC, with the English names the standard spells. */
static void header_date(FILE *out, time_t when)
{
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	gmtime_r(&when, &tm);
	fprintf(out, "%s, %02d %s %d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The body with CRLF line ends; false when a line is too long for 8bit. */
static bool body_lines(FILE *out, const char *body)
{
	const char *p = body;
	while (*p) {
		size_t n = strcspn(p, "\n");
		size_t text = n && p[n - 1] == '\r' ? n - 1 : n;
		if (text > LINE_MAX_OCTETS)
			return false;
		fwrite(p, 1, text, out);
		fputs("\r\n", out);
		p += n;
		if (*p == '\n')
			p++;
	}
	return true;
}

static fh_status check(const mail_message *m, fh_error *err)
{
	if (!mail_address_plain(m->from))
		return error_set(err, FH_EINVAL, "from", NULL, "'%s' is not an address mail can be "
				 "sent from", m->from ? m->from : "");
	if (!mail_address_plain(m->to))
		return error_set(err, FH_EINVAL, "to", NULL, "'%s' is not an address mail can be "
				 "sent to", m->to ? m->to : "");
	if (!m->subject || strcspn(m->subject, "\r\n") != strlen(m->subject))
		return error_set(err, FH_EINVAL, "subject", NULL, "a subject is one line");
	if (!m->message_id || !printable_ascii(m->message_id) ||
	    strcspn(m->message_id, " <>") != strlen(m->message_id) ||
	    !strchr(m->message_id, '@'))
		return error_set(err, FH_EINVAL, "message_id", NULL,
				 "a Message-ID is left@right in printable ASCII without spaces "
				 "or angle brackets");
	if (!m->body)
		return error_set(err, FH_EINVAL, "body", NULL, "a message needs a body");
	return FH_OK;
}

fh_status mail_message_compose(const mail_message *m, char **out, fh_error *err)
{
	*out = NULL;
	fh_status s = check(m, err);
	if (s)
		return s;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	fprintf(f, "From: %s\r\nTo: %s\r\nDate: ", m->from, m->to);
	header_date(f, m->date);
	fputs("\r\nSubject: ", f);
	header_text(f, m->subject);
	fprintf(f, "\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n"
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n",
		m->message_id);
	if (m->auto_submitted)
		fputs("Auto-Submitted: auto-generated\r\n", f);
	fputs("\r\n", f);
	bool fits = body_lines(f, m->body);
	bool failed = ferror(f) != 0;
	if (fclose(f) != 0)
		failed = true;
	if (failed || !fits) {
		free(text);
		return failed ? error_set(err, FH_ENOMEM, NULL, NULL, "out of memory")
			      : error_set(err, FH_EINVAL, "body", "RFC 5322 §2.1.1",
					  "a line of the body is longer than %d octets",
					  LINE_MAX_OCTETS);
	}
	*out = text;
	return FH_OK;
}
