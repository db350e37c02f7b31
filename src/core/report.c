/*
 * report: tables of cells and the arithmetic of the monitoring report (report.h).
 */
#include "report.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void report_previous_period(fh_date from, fh_date to, fh_date *prev_from, fh_date *prev_to)
{
	assert(from <= to);
	/* Equal length, ending the day before: a quarter compares with the
	 * 91 or 92 days before it, a year with the year before. */
	*prev_to = from - 1;
	*prev_from = *prev_to - (to - from);
}

int report_month_count(fh_date from, fh_date to)
{
	int fy, fm, fd, ty, tm, td;
	assert(from <= to);
	date_to_ymd(from, &fy, &fm, &fd);
	date_to_ymd(to, &ty, &tm, &td);
	return (ty - fy) * 12 + (tm - fm) + 1;
}

report_table *report_add_table(fh_report *report, fh_arena *arena, const char *id,
			       const char *title, const char *note, size_t ncols,
			       const char *const *cols)
{
	assert(report->ntables < REPORT_MAX_TABLES);
	assert(ncols > 0);
	report_table *t = arena_alloc(arena, sizeof *t);
	t->id = arena_strdup(arena, id);
	t->title = arena_strdup(arena, title);
	t->note = arena_strdup(arena, note);
	t->ncols = ncols;
	t->cols = arena_array(arena, ncols, sizeof *t->cols);
	for (size_t i = 0; i < ncols; i++)
		t->cols[i] = arena_strdup(arena, cols[i]);
	report->tables[report->ntables++] = t;
	return t;
}

report_cell *report_add_row(report_table *t, fh_arena *arena)
{
	if (t->nrows == t->cap) {
		/* The arena cannot grow in place: copy into a block twice the size. */
		size_t cap = t->cap ? t->cap * 2 : 8;
		report_cell *cells = arena_array(arena, cap * t->ncols, sizeof *cells);
		if (t->nrows)
			memcpy(cells, t->cells, t->nrows * t->ncols * sizeof *cells);
		t->cells = cells;
		t->cap = cap;
	}
	report_cell *row = t->cells + t->nrows * t->ncols;
	memset(row, 0, t->ncols * sizeof *row);
	t->nrows++;
	return row;
}

report_cell *report_cell_at(const report_table *t, size_t row, size_t col)
{
	assert(row < t->nrows && col < t->ncols);
	return t->cells + row * t->ncols + col;
}

void report_set_text(report_cell *c, fh_arena *arena, const char *text)
{
	c->kind = REPORT_TEXT;
	c->text = arena_strdup(arena, text ? text : "");
}

void report_set_count(report_cell *c, int64_t n)
{
	assert(n >= 0);
	c->kind = REPORT_COUNT;
	c->n = n;
}

void report_set_percent(report_cell *c, int64_t num, int64_t den)
{
	assert(num >= 0 && den >= 0 && num <= den);
	c->kind = REPORT_PERCENT;
	c->n = num;
	c->d = den;
}

void report_set_change(report_cell *c, int64_t current, int64_t previous)
{
	c->kind = REPORT_CHANGE;
	c->n = current;
	c->d = previous;
}

void report_set_number(report_cell *c, int64_t scaled, int decimals, int64_t over)
{
	assert(decimals >= 0 && decimals <= 3);
	c->kind = REPORT_NUMBER;
	c->n = scaled;
	c->d = over;
	c->decimals = decimals;
}

bool report_is_small(int64_t n)
{
	return n >= 1 && n <= 4;
}

int64_t report_permille(int64_t num, int64_t den)
{
	if (den <= 0)
		return -1;
	/* Rounded half up in integers, so 2 of 3 is 66.7% on every machine. */
	return (num * 2000 + den) / (den * 2);
}

const char *report_cell_format(const report_cell *c, bool suppress, char buf[32])
{
	switch (c->kind) {
	case REPORT_TEXT:
		return c->text ? c->text : "";
	case REPORT_COUNT:
		if (suppress && report_is_small(c->n))
			return "<5";
		snprintf(buf, 32, "%" PRId64, c->n);
		return buf;
	case REPORT_NUMBER: {
		/* A mean or a maximum over 1 to 4 cases describes those cases. */
		if (suppress && report_is_small(c->d))
			return "<5";
		int64_t scale = 1;
		for (int i = 0; i < c->decimals; i++)
			scale *= 10;
		if (c->decimals == 0)
			snprintf(buf, 32, "%" PRId64, c->n);
		else
			snprintf(buf, 32, "%s%" PRId64 ".%0*" PRId64, c->n < 0 ? "-" : "",
				 (c->n < 0 ? -c->n : c->n) / scale, c->decimals,
				 (c->n < 0 ? -c->n : c->n) % scale);
		return buf;
	}
	case REPORT_PERCENT: {
		if (c->d == 0)
			return "n/a";
		if (suppress && (report_is_small(c->n) || report_is_small(c->d)))
			return "<5";
		int64_t pm = report_permille(c->n, c->d);
		snprintf(buf, 32, "%" PRId64 ".%" PRId64 "%%", pm / 10, pm % 10);
		return buf;
	}
	case REPORT_CHANGE:
		if (suppress && (report_is_small(c->n) || report_is_small(c->d)))
			return "<5";
		snprintf(buf, 32, "%s%" PRId64, c->n > c->d ? "+" : "", c->n - c->d);
		return buf;
	}
	return "";
}
