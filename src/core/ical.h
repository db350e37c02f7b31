/*
 * ical: an iCalendar (RFC 5545) feed of all-day events, written into an
 * html_buf (used here as a plain byte buffer).
 *
 * Only what a deadline feed needs: VCALENDAR with VEVENTs that each have a
 * UID, a DTSTAMP, an all-day DTSTART/DTEND (VALUE=DATE; DTEND is the day
 * after, as RFC 5545 §3.6.1 makes it exclusive), a SUMMARY and a
 * DESCRIPTION.  Every line ends CRLF and is folded so that no line is longer
 * than 75 octets (§3.1), never inside a UTF-8 sequence; text values are
 * escaped as §3.3.11 asks (backslash, semicolon, comma, newline), so no
 * value can start a property of its own.
 */
#ifndef FH_ICAL_H
#define FH_ICAL_H

#include "date.h"
#include "html.h"

/* BEGIN:VCALENDAR with its VERSION, PRODID and a display name. */
void ical_begin(html_buf *b, const char *calendar_name);

/* One all-day event on day; dtstamp is YYYYMMDDTHHMMSSZ. */
void ical_event(html_buf *b, const char *uid, const char *dtstamp, fh_date day,
		const char *summary, const char *description);

void ical_end(html_buf *b);

#endif
