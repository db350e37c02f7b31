/*
 * holidays_feed: reads the GOV.UK bank-holidays.json feed
 * (https://www.gov.uk/bank-holidays.json) into checked lists of days, one
 * per division (england-and-wales, scotland, northern-ireland).
 *
 * The file comes from outside, so every entry is checked before anything
 * can be stored: an object of divisions, each {"division": its own key,
 * "events": [{"title", "date", "notes"?}]}, every date real, on a weekday,
 * inside the calendar's range, named once per division, every title
 * non-empty and, with " (substitute day)" added when the notes say
 * "Substitute day", at most max_name bytes.  One refusal names the
 * division and the entry.  Pure: no I/O; the caller reads the file.
 */
#ifndef FH_HOLIDAYS_FEED_H
#define FH_HOLIDAYS_FEED_H

#include <stddef.h>

#include "calendar.h"
#include "error.h"

typedef struct holidays_division {
	const char *region;  /* the division's key */
	calendar_day *days;  /* in the feed's order; each name owned */
	const char **notes;  /* the feed's notes per day ("" when none) */
	size_t count;
	int first_year, last_year;
} holidays_division;

typedef struct holidays_feed {
	holidays_division *divisions;
	size_t count;
	void *doc; /* the parsed JSON the regions and notes point into */
} holidays_feed;

/*
 * Parses len bytes of text.  On success *feed owns its memory (free it
 * with holidays_feed_free); on a refusal (FH_EINVAL, field "import") it is
 * left empty and err says which entry and why.
 */
fh_status holidays_feed_parse(const char *text, size_t len, size_t max_name,
			      holidays_feed *feed, fh_error *err);
void holidays_feed_free(holidays_feed *feed);

#endif
