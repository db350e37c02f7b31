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
	if (m->in_reply_to && (!printable_ascii(m->in_reply_to) ||
			       strcspn(m->in_reply_to, " <>") != strlen(m->in_reply_to) ||
			       !strchr(m->in_reply_to, '@')))
		return error_set(err, FH_EINVAL, "in_reply_to", NULL,
				 "a Message-ID is left@right in printable ASCII without spaces "
				 "or angle brackets");
	if (m->attachment &&
	    (!m->attachment_name || !*m->attachment_name || !printable_ascii(m->attachment_name) ||
	     strcspn(m->attachment_name, "\"\\;") != strlen(m->attachment_name) ||
	     !m->attachment_type || !printable_ascii(m->attachment_type) ||
	     strcspn(m->attachment_type, " \";") != strlen(m->attachment_type)))
		return error_set(err, FH_EINVAL, "attachment", NULL,
				 "an attachment needs a plain ASCII file name and a type");
	return FH_OK;
}

/* The attachment in base64, lines of 76 characters (RFC 2045 §6.8). */
static void base64_lines(FILE *out, const unsigned char *data, size_t size)
{
	enum { CHUNK = 57 }; /* 57 bytes make 76 characters */
	char b64[sodium_base64_ENCODED_LEN(CHUNK, sodium_base64_VARIANT_ORIGINAL)];
	for (size_t at = 0; at < size; at += CHUNK) {
		size_t n = size - at < CHUNK ? size - at : CHUNK;
		sodium_bin2base64(b64, sizeof b64, data + at, n, sodium_base64_VARIANT_ORIGINAL);
		fprintf(out, "%s\r\n", b64);
	}
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
	fprintf(f, "\r\nMessage-ID: <%s>\r\n", m->message_id);
	if (m->in_reply_to)
		fprintf(f, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", m->in_reply_to,
			m->in_reply_to);
	fputs("MIME-Version: 1.0\r\n", f);
	/* "=_" never occurs in base64, and the random part is checked against the text */
	char boundary[48] = "";
	const char *text_part = "Content-Type: text/plain; charset=utf-8\r\n"
				"Content-Transfer-Encoding: 8bit\r\n";
	if (m->attachment) {
		unsigned char r[12];
		char hex[sizeof r * 2 + 1];
		randombytes_buf(r, sizeof r);
		sodium_bin2hex(hex, sizeof hex, r, sizeof r);
		snprintf(boundary, sizeof boundary, "=_fairhearing_%s", hex);
		fprintf(f, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n", boundary);
	} else {
		fputs(text_part, f);
	}
	if (m->auto_submitted)
		fprintf(f, "Auto-Submitted: %s\r\n",
			m->auto_replied ? "auto-replied" : "auto-generated");
	fputs("\r\n", f);
	if (m->attachment)
		fprintf(f, "This is a message in MIME format.\r\n\r\n--%s\r\n%s\r\n", boundary,
			text_part);
	bool fits = body_lines(f, m->body) && !(m->attachment && strstr(m->body, boundary));
	if (m->attachment) {
		fprintf(f, "\r\n--%s\r\nContent-Type: %s; name=\"%s\"\r\n"
			"Content-Transfer-Encoding: base64\r\n"
			"Content-Disposition: attachment; filename=\"%s\"\r\n\r\n", boundary,
			m->attachment_type, m->attachment_name, m->attachment_name);
		base64_lines(f, m->attachment, m->attachment_size);
		fprintf(f, "--%s--\r\n", boundary);
	}
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
