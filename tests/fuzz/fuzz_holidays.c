/*
 * Fuzz target: the GOV.UK bank-holidays.json feed, as `fairhearing calendar
 * import` reads it.  What the feed reader accepts must be a list the
 * calendar takes (weekdays in range, no repeats): the calendar is built from
 * each accepted division and must not refuse it.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "holidays_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	holidays_feed feed;
	fh_error err = {0};
	if (holidays_feed_parse((const char *)data, size, 200, &feed, &err)) {
		assert(err.message[0] != '\0');
		assert(feed.count == 0 && feed.divisions == NULL);
		return 0;
	}
	for (size_t i = 0; i < feed.count; i++) {
		const holidays_division *div = &feed.divisions[i];
		calendar_extra extra = {.imported = div->days, .imported_count = div->count};
		fh_calendar *cal = NULL;
		fh_status s = calendar_create_named("england-and-wales", &extra, &cal, &err);
		assert(s == FH_OK);
		for (size_t j = 0; j < div->count; j++)
			assert(!calendar_is_working_day(cal, div->days[j].date));
		calendar_free(cal);
	}
	holidays_feed_free(&feed);
	return 0;
}
