#include "reference.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool reference_format(const char *prefix, int year, int64_t number, char buf[FH_REFERENCE_MAX])
{
	int n = snprintf(buf, FH_REFERENCE_MAX, "%s-%04d-%05lld", prefix, year, (long long)number);
	return n > 0 && n < FH_REFERENCE_MAX;
}

bool reference_parse(const char *text, char prefix[9], int *year, int64_t *number)
{
	size_t i = 0;
	while (i < 8 && isalpha((unsigned char)text[i])) {
		prefix[i] = (char)toupper((unsigned char)text[i]);
		i++;
	}
	prefix[i] = '\0';
	if (i < 2 || text[i] != '-')
		return false;
	const char *p = text + i + 1;
	int y = 0;
	for (int k = 0; k < 4; k++, p++) {
		if (!isdigit((unsigned char)*p))
			return false;
		y = y * 10 + (*p - '0');
	}
	if (*p++ != '-')
		return false;
	int64_t num = 0;
	int digits = 0;
	for (; isdigit((unsigned char)*p) && digits < 10; p++, digits++)
		num = num * 10 + (*p - '0');
	if (*p != '\0' || digits < 5 || digits > 9)
		return false;
	*year = y;
	*number = num;
	return true;
}
