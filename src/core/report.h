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

/* Whether a cell is hidden in a suppressed table (report_suppress). */
enum report_hidden {
	REPORT_SHOWN = 0,
	REPORT_PRIMARY,   /* a count of 1 to 4: shown as "<5" */
	REPORT_SECONDARY, /* hidden so that a "<5" cannot be worked out from a sum: "*" */
};

typedef struct report_cell {
	report_cell_kind kind;
	unsigned char hidden; /* enum report_hidden; set by report_suppress */
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
	/* What a reader can add up, for secondary suppression (report_suppress). */
	bool columns_add_up; /* each count column's sum is shown (a total row, or another table) */
	bool total_row;      /* the last row is the sum of the rows above */
	int sum_col;         /* in every row, column sum_col = the sum of parts[]; -1: none */
	size_t nparts;
	int parts[8];
	int group_col;       /* rows with the same text here sum to one known total; -1: none */
	/* A column whose text may have been typed by a person (an equality
	 * answer, a case's subject): in the anonymised version a value not in
	 * its closed list reads REPORT_OTHER, and rows that then read alike
	 * are added together.  The list is chosen by the
	 * row's group_col text (group NULL: every row); a group with no list
	 * has none of its values published.  label_col -1: none. */
	int label_col;
	size_t nclosed;
	struct {
		const char *group;
		const char *const *values; /* NULL-ended */
	} closed[8];
} report_table;

/* What a value outside a closed list reads in the anonymised version. */
#define REPORT_OTHER "Other"

/* Two columns of two tables that hold the same counts row by row (the
 * late responses of each stage in "responses" and in "late"). */
typedef struct report_link {
	const char *a, *b; /* table ids */
	size_t acol, bcol;
} report_link;

#define REPORT_MAX_TABLES 32

/*
 * Which report: the monitoring report (001 §4.3, §16) or the annual
 * complaints performance and service improvement report the Ombudsman's
 * Complaint Handling Code asks councils to publish (issue 19 item 3;
 * docs/reports.md "The annual report").  Both are tables of the same shape
 * and go through the same renderers.
 */
typedef enum report_kind {
	REPORT_KIND_MONITORING = 0,
	REPORT_KIND_ANNUAL,
} report_kind;

/* "monitoring" or "annual"; false, with nothing set, for any other name. */
bool report_kind_parse(const char *name, report_kind *out);
const char *report_kind_name(report_kind k);

typedef struct fh_report {
	report_kind kind;
	const char *title;       /* what the report is called; NULL: the monitoring report's */
	const char *sources;     /* the rules it answers to; NULL: the monitoring report's */
	const char *org_code;
	const char *org_name;
	const char *team;        /* NULL: the whole organisation */
	fh_date from, to;        /* the period, both days included */
	fh_date prev_from, prev_to;
	size_t ntables;
	report_table *tables[REPORT_MAX_TABLES];
	size_t nnotes;
	const char *notes[8];    /* what the report cannot show yet, and why */
	size_t nlinks;
	report_link links[8];
} fh_report;

/*
 * The period of equal length just before [from, to]: the trend columns
 * compare against it.  Requires from <= to.
 */
void report_previous_period(fh_date from, fh_date to, fh_date *prev_from, fh_date *prev_to);

/*
 * The period a preset names around the day `on` (001 §4.3: "weekly,
 * quarterly and annual reports"): "week" Monday to Sunday, "quarter" the
 * calendar quarter (January to March ...), "year" the financial year,
 * 1 April to 31 March, the year councils and the Ombudsman report by.
 * False, with nothing set, for any other name.
 */
bool report_preset(const char *name, fh_date on, fh_date *from, fh_date *to);

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

/*
 * Marks the cells to hide in every table that is suppressed in this version
 * (each table when anonymised, the always_suppress ones always), in two
 * steps (DOMAIN §9: publishable without identifying anyone):
 *
 *  1. primary: every count of 1 to 4;
 *  2. secondary: wherever a reader can add cells up to a known total, one
 *     hidden cell alone could be worked back by subtraction, so a second
 *     cell is hidden with it: the smallest count of 5 or more among the
 *     others, or, when the others are all 0, the total itself where the
 *     table shows it.  The sums a reader has: each count column of a table
 *     marked columns_add_up (its total row, or the same total printed in
 *     another table: the months add up to the complaints received), each
 *     row's parts to its sum
 *     column (responses = within + late + no deadline), each group of rows
 *     (the answers to one equality question add up to the complainants),
 *     and the columns two tables share (links).  Repeated until nothing
 *     changes, since hiding a cell for its column can expose its row.
 *
 * A percentage or a change is hidden too when a count of its row is.  A
 * zero is never hidden: it identifies no one, and hiding it beside a
 * primary cell would give that cell away (their sum is known, and one is 0).
 */
void report_suppress(fh_report *r, bool anonymised);
/*
 * (report_suppress does this first when anonymised.)  Replaces every
 * label_col value outside its closed list with REPORT_OTHER and adds
 * together the rows that then have the same group and label.
 */
void report_close_labels(report_table *t);

/* True when n is a small number to hide: 1 to 4 (0 reveals no one). */
bool report_is_small(int64_t n);

/*
 * The cell as text into buf: "*" when suppress and report_suppress hid it
 * as a secondary cell; counts as numbers or "<5" when suppress and small; a percentage with one decimal ("83.3%"), "n/a" for a zero
 * denominator, "<5" when suppressed; a change with its sign ("+3", "-2",
 * "0"), "<5" when suppress and either count is small; a number "<5" when
 * suppress and the count it is over is small.  Returns buf, or the
 * cell's own text for REPORT_TEXT ("" for NULL).
 */
const char *report_cell_format(const report_cell *c, bool suppress, char buf[32]);

/* Percentage num/den*100 rounded to one decimal, times 10 (833 for 83.3%); -1 when den is 0. */
int64_t report_permille(int64_t num, int64_t den);

#endif
