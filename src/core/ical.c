/*
 * ical: an RFC 5545 feed of all-day events (ical.h).
 */
#include "ical.h"

#include <stdio.h>
#include <string.h>

#include "config.h"

/*
 * Writes one content line, folded: after 75 octets a CRLF and a space start
 * the continuation (which counts the space).  A fold never falls inside a
 * UTF-8 sequence, so a reader that unfolds gets the text back whole.
 */
static void line(html_buf *b, const char *text)
{
	size_t len = strlen(text), used = 0, room = 75;
	char chunk[80];
	while (len - used > room) {
		size_t n = room;
		while (n > 0 && ((unsigned char)text[used + n] & 0xc0) == 0x80)
			n--; /* back to the start of the character */
		memcpy(chunk, text + used, n);
		chunk[n] = '\0';
		html_raw(b, chunk);
		html_raw(b, "\r\n ");
		used += n;
		room = 74; /* the leading space of a continuation is an octet */
	}
	html_raw(b, text + used);
	html_raw(b, "\r\n");
}

/* NAME:value with the value escaped as TEXT (RFC 5545 §3.3.11). */
static void text_line(html_buf *b, const char *name, const char *value)
{
	html_buf v = HTML_BUF_INIT;
	html_raw(&v, name);
	html_raw(&v, ":");
	char one[2] = {0};
	for (const char *p = value ? value : ""; *p; p++) {
		switch (*p) {
		case '\\': html_raw(&v, "\\\\"); break;
		case ';': html_raw(&v, "\\;"); break;
		case ',': html_raw(&v, "\\,"); break;
		case '\n': html_raw(&v, "\\n"); break;
		case '\r': break;
		default:
			/* other control characters are not allowed in TEXT */
			one[0] = (unsigned char)*p < 0x20 ? ' ' : *p;
			html_raw(&v, one);
		}
	}
	line(b, html_buf_str(&v));
	html_buf_free(&v);
}

void ical_begin(html_buf *b, const char *calendar_name)
{
	line(b, "BEGIN:VCALENDAR");
	line(b, "VERSION:2.0");
	line(b, "PRODID:-//Fairhearing//Deadlines " FH_VERSION "//EN");
	line(b, "CALSCALE:GREGORIAN");
	line(b, "METHOD:PUBLISH");
	text_line(b, "X-WR-CALNAME", calendar_name);
}

static void date_line(html_buf *b, const char *name, fh_date d)
{
	int y, m, day;
	date_to_ymd(d, &y, &m, &day);
	char buf[64];
	snprintf(buf, sizeof buf, "%s;VALUE=DATE:%04d%02d%02d", name, y, m, day);
	line(b, buf);
}

void ical_event(html_buf *b, const char *uid, const char *dtstamp, fh_date day,
		const char *summary, const char *description)
{
	line(b, "BEGIN:VEVENT");
	text_line(b, "UID", uid);
	char stamp[64];
	snprintf(stamp, sizeof stamp, "DTSTAMP:%s", dtstamp);
	line(b, stamp);
	date_line(b, "DTSTART", day);
	date_line(b, "DTEND", day + 1);
	text_line(b, "SUMMARY", summary);
	if (description && *description)
		text_line(b, "DESCRIPTION", description);
	line(b, "TRANSP:TRANSPARENT");
	line(b, "END:VEVENT");
}

void ical_end(html_buf *b)
{
	line(b, "END:VCALENDAR");
}
