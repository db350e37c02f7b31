/*
 * report: the monitoring report as values (001 §4.3, §16; 003 "Monitoring
 * and learning"; DOMAIN §9), and the pure arithmetic on them.
 *
 * A report is a list of tables; a table is a title, a note saying how its
 * numbers are computed, column names and rows of cells.  The store fills
 * the tables (store_report.c); the CLI renders them as HTML or CSV
 * (cmd_report.c).  Keeping the shape generic means one renderer serves every
 * table and a new table is only a new query.
 *
 * Suppression of small numbers: a count of 1 to 4 can identify a child or a
 * family, so the anonymised version (fit to publish under the Freedom of
 * Information Act, DOMAIN §9) shows it as "<5", and a percentage whose
 * numerator or denominator is 1 to 4 as "<5" too, since the count could be
 * worked back from it.  Tables marked always_suppress (the equality
 * monitoring profile) are suppressed in every version, and tables marked
 * personal (officers, case summaries, learning text) are left out of the
 * anonymised version altogether.
 *
 * Everything here is pure: no I/O, no clock.  Strings in a report live in
 * the arena the caller passes.
 */
#ifndef FH_REPORT_H
#define FH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "date.h"

typedef enum report_cell_kind {
	REPORT_TEXT,    /* text: a name, a stage, a month */
	REPORT_COUNT,   /* a count of cases or people: suppressible */
	REPORT_NUMBER,  /* a measure that is not a count of people (days late) */
	REPORT_PERCENT, /* num / den as a percentage; suppressible through either */
	REPORT_CHANGE   /* a signed change between periods, from two counts */
} report_cell_kind;

typedef struct report_cell {
	report_cell_kind kind;
	const char *text;   /* REPORT_TEXT */
	int64_t n;          /* COUNT, NUMBER; PERCENT numerator; CHANGE current */
	int64_t d;          /* PERCENT denominator; CHANGE previous; NUMBER the count it is over */
	int decimals;       /* NUMBER: digits after the point, n scaled by 10^decimals */
} report_cell;

typedef struct report_table {
	const char *id;      /* short name: the CSV section and the HTML anchor */
	const char *title;
	const char *note;    /* how the numbers are computed, and the source rule */
	bool always_suppress;
	bool personal;       /* names people or quotes case text: not in the anonymised version */
	size_t ncols;
	const char **cols;
	size_t nrows;
	size_t cap;
	report_cell *cells;  /* nrows * ncols, row by row */
} report_table;

#define REPORT_MAX_TABLES 24

typedef struct fh_report {
	const char *org_code;
	const char *org_name;
	const char *team;        /* NULL: the whole organisation */
	fh_date from, to;        /* the period, both days included */
	fh_date prev_from, prev_to;
	size_t ntables;
	report_table *tables[REPORT_MAX_TABLES];
	size_t nnotes;
	const char *notes[8];    /* what the report cannot show yet, and why */
} fh_report;

/*
 * The period of equal length just before [from, to]: the trend columns
 * compare against it.  Requires from <= to.
 */
void report_previous_period(fh_date from, fh_date to, fh_date *prev_from, fh_date *prev_to);

/* The number of calendar months from's month to to's month, both included. */
int report_month_count(fh_date from, fh_date to);

/* A new table with ncols columns named by cols (copied), added to report. */
report_table *report_add_table(fh_report *report, fh_arena *arena, const char *id,
			       const char *title, const char *note, size_t ncols,
			       const char *const *cols);

/* A new row of ncols cells, zeroed (each REPORT_TEXT with NULL text). */
report_cell *report_add_row(report_table *t, fh_arena *arena);

/* The cell at (row, col); asserts both are in range. */
report_cell *report_cell_at(const report_table *t, size_t row, size_t col);

/* Cell setters (text copied into arena). */
void report_set_text(report_cell *c, fh_arena *arena, const char *text);
void report_set_count(report_cell *c, int64_t n);
void report_set_percent(report_cell *c, int64_t num, int64_t den);
void report_set_change(report_cell *c, int64_t current, int64_t previous);
/* A measure over `over` cases (a mean, a maximum): suppressed with a small `over`. */
void report_set_number(report_cell *c, int64_t scaled, int decimals, int64_t over);

/* True when n is a small number to hide: 1 to 4 (0 reveals no one). */
bool report_is_small(int64_t n);

/*
 * The cell as text into buf: counts as numbers or "<5" when suppress and
 * small; a percentage with one decimal ("83.3%"), "n/a" for a zero
 * denominator, "<5" when suppressed; a change with its sign ("+3", "-2",
 * "0"), "<5" when suppress and either count is small; a number "<5" when
 * suppress and the count it is over is small.  Returns buf, or the
 * cell's own text for REPORT_TEXT ("" for NULL).
 */
const char *report_cell_format(const report_cell *c, bool suppress, char buf[32]);

/* Percentage num/den*100 rounded to one decimal, times 10 (833 for 83.3%); -1 when den is 0. */
int64_t report_permille(int64_t num, int64_t den);

#endif
