/*
 * reference: the human reference of a case, PREFIX-YEAR-NUMBER, for
 * example BCT-2026-00042.  The year is the year the representation was
 * received; the number counts that organisation's cases in that year from 1
 * and has at least five digits (more once a year passes 99,999).
 */
#ifndef FH_REFERENCE_H
#define FH_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* Writes the reference into buf (FH_REFERENCE_MAX bytes); false if it would not fit. */
bool reference_format(const char *prefix, int year, int64_t number, char buf[FH_REFERENCE_MAX]);

/*
 * Splits a reference; false unless it is PREFIX (2-8 capitals), a four-digit
 * year and a number of 5 to 9 digits, separated by hyphens.  prefix gets the
 * prefix (9 bytes).  Accepts lower case, since people type references.
 */
bool reference_parse(const char *text, char prefix[9], int *year, int64_t *number);

#endif
