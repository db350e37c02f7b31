/*
 * Fuzz target: dates as they arrive from outside (every received_on,
 * "on", from/to and holiday date goes through date_parse).  The parser
 * must be exact: whatever it accepts is a real day, written back
 * character for character by date_format, and it never touches *out when
 * it refuses.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	const fh_date untouched = -123456789;
	fh_date d = untouched;
	if (date_parse(text, &d)) {
		char back[DATE_ISO_LEN];
		assert(strcmp(date_format(d, back), text) == 0);
		int y, m, day;
		date_to_ymd(d, &y, &m, &day);
		assert(date_valid_ymd(y, m, day));
		assert(date_from_ymd(y, m, day) == d);
	} else {
		assert(d == untouched);
	}
	free(text);
	return 0;
}
