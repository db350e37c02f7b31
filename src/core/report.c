/*
 * report: tables of cells and the arithmetic of the monitoring report (report.h).
 */
#include "report.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void report_previous_period(fh_date from, fh_date to, fh_date *prev_from, fh_date *prev_to)
{
	assert(from <= to);
	/* Equal length, ending the day before: a quarter compares with the
	 * 91 or 92 days before it, a year with the year before. */
	*prev_to = from - 1;
	*prev_from = *prev_to - (to - from);
}

static const char *const KIND_NAMES[] = {
	[REPORT_KIND_MONITORING] = "monitoring",
	[REPORT_KIND_ANNUAL] = "annual",
};

bool report_kind_parse(const char *name, report_kind *out)
{
	for (size_t i = 0; name && i < sizeof KIND_NAMES / sizeof KIND_NAMES[0]; i++)
		if (!strcmp(KIND_NAMES[i], name)) {
			*out = (report_kind)i;
			return true;
		}
	return false;
}

const char *report_kind_name(report_kind k)
{
	return KIND_NAMES[k];
}

bool report_preset(const char *name, fh_date on, fh_date *from, fh_date *to)
{
	int y, m, d;
	date_to_ymd(on, &y, &m, &d);
	if (!strcmp(name, "week")) {
		/* date_weekday: 0 Monday .. 6 Sunday */
		*from = on - date_weekday(on);
		*to = *from + 6;
	} else if (!strcmp(name, "quarter")) {
		int first = (m - 1) / 3 * 3 + 1;
		*from = date_from_ymd(y, first, 1);
		*to = date_from_ymd(y, first + 2, date_days_in_month(y, first + 2));
	} else if (!strcmp(name, "year")) {
		int start = m >= 4 ? y : y - 1;
		*from = date_from_ymd(start, 4, 1);
		*to = date_from_ymd(start + 1, 3, 31);
	} else {
		return false;
	}
	return true;
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
	t->sum_col = -1;
	t->group_col = -1;
	t->label_col = -1;
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

/* Hides a second cell of a sum that has exactly one hidden: the smallest
 * count of 5 or more among cells; when there is none (the others are all
 * 0, so the hidden one equals the total), the total itself when the table
 * shows it (NULL: it does not). */
static bool protect(report_cell **cells, size_t n, report_cell *total)
{
	size_t hidden = 0;
	report_cell *pick = NULL;
	for (size_t i = 0; i < n; i++) {
		if (cells[i]->hidden) {
			hidden++;
		} else if (cells[i]->n > 0 && (!pick || cells[i]->n < pick->n)) {
			pick = cells[i];
		}
	}
	if (hidden != 1)
		return false;
	if (!pick && total && !total->hidden && total->n > 0)
		pick = total;
	if (!pick)
		return false;
	pick->hidden = REPORT_SECONDARY;
	return true;
}

static const report_table *table_by_id(const fh_report *r, const char *id)
{
	for (size_t i = 0; i < r->ntables; i++)
		if (!strcmp(r->tables[i]->id, id))
			return r->tables[i];
	return NULL;
}

static bool suppressed(const report_table *t, bool anonymised)
{
	return anonymised || t->always_suppress;
}

/* One pass of the secondary rules over t; true when it hid anything.
 * cells has room for a pointer to every cell of t. */
static bool secondary_pass(report_table *t, report_cell **cells)
{
	bool changed = false;
	size_t body = t->total_row && t->nrows ? t->nrows - 1 : t->nrows;
	/* each count column adds up to a total the reader has */
	for (size_t c = 0; t->columns_add_up && c < t->ncols; c++) {
		size_t n = 0;
		for (size_t r = 0; r < body; r++)
			if (report_cell_at(t, r, c)->kind == REPORT_COUNT)
				cells[n++] = report_cell_at(t, r, c);
		report_cell *total = body < t->nrows ? report_cell_at(t, body, c) : NULL;
		changed |= protect(cells, n, total && total->kind == REPORT_COUNT ? total : NULL);
	}
	/* each row's parts add up to its sum column */
	if (t->sum_col >= 0)
		for (size_t r = 0; r < t->nrows; r++) {
			size_t n = 0;
			for (size_t i = 0; i < t->nparts; i++)
				cells[n++] = report_cell_at(t, r, (size_t)t->parts[i]);
			report_cell *sum = report_cell_at(t, r, (size_t)t->sum_col);
			/* the sum is known when shown; when hidden it is one more unknown */
			if (sum->hidden)
				cells[n++] = sum;
			changed |= protect(cells, n, sum);
		}
	/* each group of rows (the same text in group_col) adds up to one known total */
	if (t->group_col >= 0)
		for (size_t r = 0; r < t->nrows;) {
			const char *g = report_cell_at(t, r, (size_t)t->group_col)->text;
			size_t n = 0, end = r;
			for (; end < t->nrows; end++) {
				const char *e = report_cell_at(t, end, (size_t)t->group_col)->text;
				if (strcmp(e ? e : "", g ? g : ""))
					break;
				for (size_t c = 0; c < t->ncols; c++)
					if (report_cell_at(t, end, c)->kind == REPORT_COUNT)
						cells[n++] = report_cell_at(t, end, c);
			}
			changed |= protect(cells, n, NULL);
			r = end;
		}
	return changed;
}

static bool in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list && list[i]; i++)
		if (s && !strcmp(list[i], s))
			return true;
	return false;
}

static bool same_text(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

void report_close_labels(report_table *t)
{
	if (t->label_col < 0)
		return;
	size_t lc = (size_t)t->label_col;
	for (size_t row = 0; row < t->nrows; row++) {
		const char *group = t->group_col >= 0
			? report_cell_at(t, row, (size_t)t->group_col)->text : NULL;
		const char *const *list = NULL;
		for (size_t k = 0; k < t->nclosed; k++)
			if (!t->closed[k].group || same_text(t->closed[k].group, group))
				list = t->closed[k].values;
		report_cell *label = report_cell_at(t, row, lc);
		if (!in_list(list, label->text))
			label->text = REPORT_OTHER;
	}
	/* Rows that now read alike become one, where the first of them was. */
	for (size_t row = 0; row < t->nrows;) {
		report_cell *cur = report_cell_at(t, row, 0);
		size_t into = row;
		for (size_t j = 0; j < row && into == row; j++) {
			bool alike = same_text(report_cell_at(t, j, lc)->text, cur[lc].text) &&
				     (t->group_col < 0 ||
				      same_text(report_cell_at(t, j, (size_t)t->group_col)->text,
						cur[t->group_col].text));
			if (alike)
				into = j;
		}
		if (into == row) {
			row++;
			continue;
		}
		report_cell *dst = report_cell_at(t, into, 0);
		for (size_t c = 0; c < t->ncols; c++)
			if (cur[c].kind == REPORT_COUNT || cur[c].kind == REPORT_PERCENT ||
			    cur[c].kind == REPORT_CHANGE) {
				dst[c].n += cur[c].n;
				dst[c].d += cur[c].d;
			}
		memmove(cur, cur + t->ncols, (t->nrows - row - 1) * t->ncols * sizeof *cur);
		t->nrows--;
	}
}

void report_suppress(fh_report *r, bool anonymised)
{
	/* Only values from closed lists are published. */
	for (size_t i = 0; anonymised && i < r->ntables; i++)
		report_close_labels(r->tables[i]);
	for (size_t i = 0; i < r->ntables; i++) {
		report_table *t = r->tables[i];
		bool on = suppressed(t, anonymised);
		for (size_t k = 0; k < t->nrows * t->ncols; k++) {
			report_cell *c = &t->cells[k];
			c->hidden = on && c->kind == REPORT_COUNT && report_is_small(c->n) ? REPORT_PRIMARY
											     : REPORT_SHOWN;
		}
	}
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < r->ntables; i++) {
			report_table *t = r->tables[i];
			if (!suppressed(t, anonymised) || !t->nrows)
				continue;
			report_cell **cells = malloc(t->nrows * t->ncols * sizeof *cells);
			if (!cells)
				abort(); /* as the arena does: a report is never half suppressed */
			changed |= secondary_pass(t, cells);
			free(cells);
		}
		for (size_t i = 0; i < r->nlinks; i++) {
			const report_table *a = table_by_id(r, r->links[i].a);
			const report_table *b = table_by_id(r, r->links[i].b);
			if (!a || !b || !suppressed(a, anonymised) || !suppressed(b, anonymised))
				continue;
			size_t rows = a->nrows < b->nrows ? a->nrows : b->nrows;
			for (size_t row = 0; row < rows; row++) {
				report_cell *x = report_cell_at(a, row, r->links[i].acol);
				report_cell *y = report_cell_at(b, row, r->links[i].bcol);
				if (x->hidden != y->hidden && (x->hidden == REPORT_SHOWN || y->hidden == REPORT_SHOWN)) {
					report_cell *shown = x->hidden ? y : x;
					shown->hidden = REPORT_SECONDARY;
					changed = true;
				}
			}
		}
	}
	/* A percentage or change beside a hidden count would give it back. */
	for (size_t i = 0; i < r->ntables; i++) {
		report_table *t = r->tables[i];
		if (!suppressed(t, anonymised))
			continue;
		for (size_t row = 0; row < t->nrows; row++) {
			bool any = false;
			for (size_t c = 0; c < t->ncols; c++)
				any |= report_cell_at(t, row, c)->hidden != REPORT_SHOWN;
			for (size_t c = 0; any && c < t->ncols; c++) {
				report_cell *cell = report_cell_at(t, row, c);
				if ((cell->kind == REPORT_PERCENT || cell->kind == REPORT_CHANGE) && !cell->hidden)
					cell->hidden = REPORT_SECONDARY;
			}
		}
	}
}

const char *report_cell_format(const report_cell *c, bool suppress, char buf[32])
{
	if (suppress && c->hidden == REPORT_SECONDARY) {
		/* A derived cell that its own rule already hides says "<5" as before. */
		char tmp[32];
		report_cell plain = *c;
		plain.hidden = REPORT_SHOWN;
		const char *own = report_cell_format(&plain, true, tmp);
		if (!strcmp(own, "<5") || !strcmp(own, "n/a"))
			return own[0] == '<' ? "<5" : "n/a";
		return "*";
	}
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
