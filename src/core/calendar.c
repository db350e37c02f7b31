/*
 * calendar.c: bank holidays by rule, and O(1) working-day arithmetic.
 *
 * The design in one paragraph.  Building a calendar walks every day of the
 * supported range once (about 43,800 days), marks the non-working ones, and
 * records two tables: before[i], the number of working days in the range
 * strictly before day i, and nth[k], the day of the k-th working day (k from
 * 0).  Then "working days after d1 up to and including d2" is
 * before[d2 + 1] - before[d1 + 1], and "the n-th working day after d" is
 * nth[before[d + 1] + n - 1]: two reads, no loop, whatever the span.  Both
 * tables fit in 16-bit entries (fewer than 65,536 days), about 175 KB a
 * calendar, which stays in a core's L2 cache during a report.
 *
 * Holidays are generated year by year from the region's data: rules first,
 * then the one-off changes of that year, then weekend substitutes in the
 * order of the days they replace, each taking the next weekday that is not
 * already a holiday.  That one walk gives every pattern England and Wales
 * has had since 1971: Christmas on a Saturday gives Monday 27 and Tuesday 28
 * December, Christmas on a Sunday keeps Boxing Day on Monday 26 and moves
 * Christmas to Tuesday 27 (Banking and Financial Dealings Act 1971, Sch. 1:
 * "27th December in a year in which 25th or 26th December is a Sunday"), and
 * Boxing Day on a Saturday moves to Monday 28 (by proclamation).
 */
#include "calendar.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* 1980-01-01 and 2100-01-01 as days since 1970-01-01 (checked in calendar_create). */
#define CAL_FIRST 3652
#define CAL_END 47482
#define CAL_DAYS (CAL_END - CAL_FIRST)
#define CAL_YEARS (CALENDAR_LAST_YEAR - CALENDAR_FIRST_YEAR + 1)

/* A generous bound on the days one year's rules and changes can produce. */
#define MAX_PER_YEAR 64

#define SUBSTITUTE_SUFFIX " (substitute day)"

struct fh_calendar {
	char region[CALENDAR_REGION_MAX];
	int working_count;
	/* before[i]: working days in [CAL_FIRST, CAL_FIRST + i), i = 0..CAL_DAYS */
	uint16_t before[CAL_DAYS + 1];
	/* nth[k]: the offset from CAL_FIRST of the k-th working day, k = 0.. */
	uint16_t nth[CAL_DAYS];
	/* the non-working weekdays, by date, and where each year's start */
	calendar_holiday *days;
	size_t day_count;
	size_t year_start[CAL_YEARS + 1];
	char *names; /* one block holding every name in days */
};

/* ---- England and Wales --------------------------------------------------------------
 *
 * New Year's Day has been a bank holiday in England and Wales by annual
 * proclamation since 1974 and the Early May bank holiday since 1978; the
 * Spring and Summer bank holidays are the last Mondays of May and August
 * since the 1971 Act (Whit Monday and the first Monday of August before).
 * Good Friday and Christmas Day are common-law holidays.  The names are the
 * titles the GOV.UK feed uses, so an imported list and a computed one read
 * alike.
 */
#define NEW_YEARS_DAY "New Year\u2019s Day"

static const calendar_rule ew_rules[] = {
	{.name = NEW_YEARS_DAY, .kind = CALENDAR_FIXED, .month = 1, .day = 1,
	 .substitute = true, .from_year = 1974},
	{.name = "Good Friday", .kind = CALENDAR_EASTER, .easter_offset = -2},
	{.name = "Easter Monday", .kind = CALENDAR_EASTER, .easter_offset = 1},
	{.name = "Early May bank holiday", .kind = CALENDAR_NTH_WEEKDAY, .month = 5,
	 .weekday = 0, .nth = 1, .from_year = 1978},
	{.name = "Spring bank holiday", .kind = CALENDAR_NTH_WEEKDAY, .month = 5,
	 .weekday = 0, .nth = -1, .from_year = 1971},
	{.name = "Summer bank holiday", .kind = CALENDAR_NTH_WEEKDAY, .month = 8,
	 .weekday = 0, .nth = -1, .from_year = 1971},
	{.name = "Christmas Day", .kind = CALENDAR_FIXED, .month = 12, .day = 25,
	 .substitute = true},
	{.name = "Boxing Day", .kind = CALENDAR_FIXED, .month = 12, .day = 26,
	 .substitute = true},
};

/*
 * The one-off changes proclaimed since 1980, each checked against the
 * proclamation of its year (and, from 2019, the GOV.UK feed).
 */
static const calendar_change ew_changes[] = {
	/* Wedding of the Prince of Wales, Wednesday 29 July 1981 */
	{1981, 7, 29, NULL, "Wedding of Prince Charles and Lady Diana Spencer"},
	/* 50th anniversary of VE Day: the May Day holiday moved from 1 May */
	{1995, 5, 8, "Early May bank holiday", "Early May bank holiday (VE day)"},
	/* the Millennium: Friday 31 December 1999 */
	{1999, 12, 31, NULL, "Millennium Day"},
	/* Golden Jubilee: Spring moved from 27 May to Tuesday 4 June, plus Monday 3 June */
	{2002, 6, 4, "Spring bank holiday", NULL},
	{2002, 6, 3, NULL, "Golden Jubilee bank holiday"},
	/* Wedding of Prince William, Friday 29 April 2011 */
	{2011, 4, 29, NULL, "Wedding of Prince William and Catherine Middleton"},
	/* Diamond Jubilee: Spring moved from 28 May to Monday 4 June, plus Tuesday 5 June */
	{2012, 6, 4, "Spring bank holiday", NULL},
	{2012, 6, 5, NULL, "Diamond Jubilee bank holiday"},
	/* 75th anniversary of VE Day: the Early May holiday moved from 4 May to Friday 8 May */
	{2020, 5, 8, "Early May bank holiday", "Early May bank holiday (VE day)"},
	/* Platinum Jubilee: Spring moved from 30 May to Thursday 2 June, plus Friday 3 June */
	{2022, 6, 2, "Spring bank holiday", NULL},
	{2022, 6, 3, NULL, "Platinum Jubilee bank holiday"},
	/* State Funeral of Queen Elizabeth II, Monday 19 September 2022 */
	{2022, 9, 19, NULL, "Bank Holiday for the State Funeral of Queen Elizabeth II"},
	/* Coronation of King Charles III, Monday 8 May 2023 */
	{2023, 5, 8, NULL, "Bank holiday for the coronation of King Charles III"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const calendar_region regions[] = {
	{"england-and-wales", ew_rules, COUNT(ew_rules), ew_changes, COUNT(ew_changes)},
};

const calendar_region *calendar_region_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < COUNT(regions); i++)
		if (strcmp(regions[i].name, name) == 0)
			return &regions[i];
	return NULL;
}

const calendar_region *calendar_regions(size_t *count)
{
	*count = COUNT(regions);
	return regions;
}

/* ---- the rules ------------------------------------------------------------------------ */

/*
 * Easter Sunday by the anonymous Gregorian computation: the golden number
 * places the year in the 19-year lunar cycle, the century terms correct the
 * epact for the Gregorian leap-year and lunar adjustments, and the last step
 * finds the Sunday after the ecclesiastical full moon.
 */
fh_date calendar_easter(int year)
{
	assert(year >= 1583 && year <= 9999);
	int golden = year % 19;
	int century = year / 100, in_century = year % 100;
	int leap_skips = century / 4, century_rest = century % 4;
	int moon_fix = (century + 8) / 25;
	int moon_shift = (century - moon_fix + 1) / 3;
	int epact = (19 * golden + century - leap_skips - moon_shift + 15) % 30;
	int quarter = in_century / 4, quarter_rest = in_century % 4;
	int to_sunday = (32 + 2 * century_rest + 2 * quarter - epact - quarter_rest) % 7;
	int late = (golden + 11 * epact + 22 * to_sunday) / 451;
	int x = epact + to_sunday - 7 * late + 114;
	return date_from_ymd(year, x / 31, x % 31 + 1);
}

static bool rule_applies(const calendar_rule *rule, int year)
{
	return (rule->from_year == 0 || year >= rule->from_year) &&
	       (rule->to_year == 0 || year <= rule->to_year);
}

/* The rule's own date in year; false when it has none that year (a 5th Monday, 29 February). */
static bool rule_date(const calendar_rule *rule, int year, fh_date *out)
{
	switch (rule->kind) {
	case CALENDAR_FIXED:
		if (rule->day > date_days_in_month(year, rule->month))
			return false;
		*out = date_from_ymd(year, rule->month, rule->day);
		return true;
	case CALENDAR_NTH_WEEKDAY: {
		int last = date_days_in_month(year, rule->month);
		if (rule->nth > 0) {
			fh_date first = date_from_ymd(year, rule->month, 1);
			int ahead = (rule->weekday - date_weekday(first) + 7) % 7;
			int day = 1 + ahead + 7 * (rule->nth - 1);
			if (day > last)
				return false;
			*out = first + ahead + 7 * (rule->nth - 1);
		} else {
			fh_date end = date_from_ymd(year, rule->month, last);
			*out = end - (date_weekday(end) - rule->weekday + 7) % 7;
		}
		return true;
	}
	case CALENDAR_EASTER:
		*out = calendar_easter(year) + rule->easter_offset;
		return true;
	}
	return false;
}

static fh_status region_check(const calendar_region *region, fh_error *err)
{
	if (!region || !region->name || !*region->name ||
	    strlen(region->name) >= CALENDAR_REGION_MAX)
		return error_set(err, FH_EINVAL, "region", NULL, "a region needs a short name");
	if (region->rule_count + region->change_count > MAX_PER_YEAR)
		return error_set(err, FH_EINVAL, "region", NULL,
				 "region '%s' has more than %d rules and changes", region->name,
				 MAX_PER_YEAR);
	for (size_t i = 0; i < region->rule_count; i++) {
		const calendar_rule *r = &region->rules[i];
		bool ok = r->name && *r->name;
		switch (r->kind) {
		case CALENDAR_FIXED:
			ok = ok && r->month >= 1 && r->month <= 12 && r->day >= 1 &&
			     r->day <= date_days_in_month(2000, r->month);
			break;
		case CALENDAR_NTH_WEEKDAY:
			ok = ok && r->month >= 1 && r->month <= 12 && r->weekday >= 0 &&
			     r->weekday <= 6 && ((r->nth >= 1 && r->nth <= 5) || r->nth == -1);
			break;
		case CALENDAR_EASTER:
			ok = ok && r->easter_offset >= -60 && r->easter_offset <= 60;
			break;
		default:
			ok = false;
		}
		if (!ok)
			return error_set(err, FH_EINVAL, "region", NULL,
					 "region '%s': rule %zu is malformed", region->name, i + 1);
	}
	for (size_t i = 0; i < region->change_count; i++) {
		const calendar_change *c = &region->changes[i];
		bool ok = date_valid_ymd(c->year, c->month, c->day) && (c->rule || c->name);
		if (ok && c->rule) {
			ok = false;
			for (size_t j = 0; j < region->rule_count; j++)
				ok = ok || strcmp(region->rules[j].name, c->rule) == 0;
		}
		if (!ok)
			return error_set(err, FH_EINVAL, "region", NULL,
					 "region '%s': change %zu is malformed or names no rule",
					 region->name, i + 1);
	}
	return FH_OK;
}

/* One generated day before the names are laid out. */
typedef struct gen_day {
	fh_date date;
	const char *name;
	bool substitute;     /* name + SUBSTITUTE_SUFFIX */
	calendar_day_kind kind;
} gen_day;

static bool gen_taken(const gen_day *days, size_t n, fh_date date)
{
	for (size_t i = 0; i < n; i++)
		if (days[i].date == date)
			return true;
	return false;
}

static int gen_compare(const void *a, const void *b)
{
	const gen_day *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	/* on one date, a bank holiday outranks a closure day; names keep the order stable */
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return strcmp(x->name, y->name);
}

/*
 * The region's holidays of one year into out (room for MAX_PER_YEAR), in
 * date order; returns how many.  Weekend days without a substitute are
 * dropped: only weekdays are holidays, as in the official list.
 */
static size_t region_year(const calendar_region *region, int year, gen_day *out)
{
	size_t n = 0;
	const calendar_rule *waiting[MAX_PER_YEAR];
	fh_date waiting_on[MAX_PER_YEAR];
	size_t n_waiting = 0;

	for (size_t i = 0; i < region->rule_count; i++) {
		const calendar_rule *rule = &region->rules[i];
		if (!rule_applies(rule, year))
			continue;
		const calendar_change *moved = NULL;
		for (size_t j = 0; j < region->change_count; j++) {
			const calendar_change *c = &region->changes[j];
			if (c->year == year && c->rule && strcmp(c->rule, rule->name) == 0)
				moved = c;
		}
		fh_date date;
		if (moved) {
			/* a proclaimed move replaces the rule's date outright, substitute and all */
			date = date_from_ymd(moved->year, moved->month, moved->day);
			if (!date_is_weekend(date))
				out[n++] = (gen_day){date, moved->name ? moved->name : rule->name,
						     false, CALENDAR_COMPUTED};
		} else if (rule_date(rule, year, &date)) {
			if (!date_is_weekend(date))
				out[n++] = (gen_day){date, rule->name, false, CALENDAR_COMPUTED};
			else if (rule->substitute) {
				waiting[n_waiting] = rule;
				waiting_on[n_waiting++] = date;
			}
		}
	}
	for (size_t j = 0; j < region->change_count; j++) {
		const calendar_change *c = &region->changes[j];
		if (c->year != year || c->rule)
			continue;
		fh_date date = date_from_ymd(c->year, c->month, c->day);
		if (!date_is_weekend(date) && !gen_taken(out, n, date))
			out[n++] = (gen_day){date, c->name, false, CALENDAR_COMPUTED};
	}
	/*
	 * Substitutes in the order of the days they stand for, so that
	 * Christmas (25th) claims its Monday before Boxing Day (26th) does.
	 */
	for (size_t a = 1; a < n_waiting; a++)
		for (size_t b = a; b > 0 && waiting_on[b - 1] > waiting_on[b]; b--) {
			fh_date td = waiting_on[b];
			waiting_on[b] = waiting_on[b - 1];
			waiting_on[b - 1] = td;
			const calendar_rule *tr = waiting[b];
			waiting[b] = waiting[b - 1];
			waiting[b - 1] = tr;
		}
	for (size_t i = 0; i < n_waiting; i++) {
		fh_date date = waiting_on[i] + 1;
		while (date_is_weekend(date) || gen_taken(out, n, date))
			date++;
		out[n++] = (gen_day){date, waiting[i]->name, true, CALENDAR_COMPUTED};
	}
	assert(n <= MAX_PER_YEAR);
	qsort(out, n, sizeof *out, gen_compare);
	return n;
}

/* ---- building a calendar ------------------------------------------------------------- */

fh_date calendar_first_date(void)
{
	return CAL_FIRST;
}

fh_date calendar_last_date(void)
{
	return CAL_END - 1;
}

bool calendar_in_range(fh_date date)
{
	return (uint32_t)date - (uint32_t)CAL_FIRST < (uint32_t)CAL_DAYS;
}

char *calendar_format_date(fh_date date, char buf[DATE_ISO_LEN])
{
	/* date_format's arithmetic is only meant for four-digit years */
	if (date < date_from_ymd(1000, 1, 1) || date > date_from_ymd(9999, 12, 31)) {
		memcpy(buf, date < 0 ? "0000-00-00" : "9999-99-99", DATE_ISO_LEN);
		return buf;
	}
	return date_format(date, buf);
}

static fh_status out_of_range(fh_error *err, const char *field, fh_date date)
{
	char buf[DATE_ISO_LEN];
	return error_set(err, FH_EINVAL, field, NULL,
			 "%s is outside the calendar's range %d-01-01..%d-12-31",
			 calendar_format_date(date, buf), CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
}

static int year_of(fh_date date)
{
	int y, m, d;
	date_to_ymd(date, &y, &m, &d);
	return y;
}

/* Checks a list of outside days: in range, named if required, weekdays and distinct if imported. */
static fh_status check_days(const calendar_day *days, size_t count, bool imported,
			    fh_error *err)
{
	const char *field = imported ? "imported" : "closures";
	if (count && !days)
		return error_set(err, FH_EINVAL, field, NULL, "the list of days is missing");
	for (size_t i = 0; i < count; i++) {
		char buf[DATE_ISO_LEN];
		if (!calendar_in_range(days[i].date))
			return out_of_range(err, field, days[i].date);
		if (!imported)
			continue;
		if (!days[i].name || !*days[i].name)
			return error_set(err, FH_EINVAL, field, NULL, "the holiday on %s has no name",
					 date_format(days[i].date, buf));
		if (date_is_weekend(days[i].date))
			return error_set(err, FH_EINVAL, field, NULL,
					 "%s (%s) is a weekend day: an official list names only "
					 "weekdays", date_format(days[i].date, buf), days[i].name);
	}
	return FH_OK;
}

/* A growing array of gen_day. */
typedef struct gen_list {
	gen_day *items;
	size_t count, room;
} gen_list;

static bool gen_push(gen_list *list, gen_day day)
{
	if (list->count == list->room) {
		size_t room = list->room ? list->room * 2 : 1024;
		gen_day *items = realloc(list->items, room * sizeof *items);
		if (!items)
			return false;
		list->items = items;
		list->room = room;
	}
	list->items[list->count++] = day;
	return true;
}

/* Lays the generated days out as the calendar's holiday list, names in one block. */
static fh_status lay_out_days(fh_calendar *cal, gen_list *list, fh_error *err)
{
	qsort(list->items, list->count, sizeof *list->items, gen_compare);
	/* one entry a date: a closure on a bank holiday adds nothing */
	size_t kept = 0;
	for (size_t i = 0; i < list->count; i++)
		if (kept == 0 || list->items[kept - 1].date != list->items[i].date)
			list->items[kept++] = list->items[i];
	list->count = kept;

	size_t bytes = 1;
	for (size_t i = 0; i < kept; i++)
		bytes += strlen(list->items[i].name) + 1 +
			 (list->items[i].substitute ? strlen(SUBSTITUTE_SUFFIX) : 0);
	cal->days = kept ? calloc(kept, sizeof *cal->days) : NULL;
	cal->names = malloc(bytes);
	if ((kept && !cal->days) || !cal->names)
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory building a calendar");
	char *p = cal->names;
	for (size_t i = 0; i < kept; i++) {
		const gen_day *g = &list->items[i];
		size_t len = strlen(g->name);
		memcpy(p, g->name, len);
		if (g->substitute) {
			memcpy(p + len, SUBSTITUTE_SUFFIX, strlen(SUBSTITUTE_SUFFIX));
			len += strlen(SUBSTITUTE_SUFFIX);
		}
		p[len] = '\0';
		cal->days[i] = (calendar_holiday){g->date, p, g->kind};
		p += len + 1;
	}
	cal->day_count = kept;
	size_t at = 0;
	for (int y = 0; y <= CAL_YEARS; y++) {
		fh_date start = date_from_ymd(CALENDAR_FIRST_YEAR + y, 1, 1);
		while (at < kept && cal->days[at].date < start)
			at++;
		cal->year_start[y] = at;
	}
	return FH_OK;
}

static fh_status generate(fh_calendar *cal, const calendar_region *region,
			  const calendar_extra *extra, gen_list *list, fh_error *err)
{
	bool covered[CAL_YEARS] = {false};
	for (size_t i = 0; i < extra->imported_count; i++)
		covered[year_of(extra->imported[i].date) - CALENDAR_FIRST_YEAR] = true;

	/* one year either side, so a substitute that crosses New Year is not lost */
	for (int y = CALENDAR_FIRST_YEAR - 1; y <= CALENDAR_LAST_YEAR + 1; y++) {
		gen_day year_days[MAX_PER_YEAR];
		size_t n = region_year(region, y, year_days);
		for (size_t i = 0; i < n; i++) {
			fh_date d = year_days[i].date;
			if (!calendar_in_range(d) || covered[year_of(d) - CALENDAR_FIRST_YEAR])
				continue;
			if (!gen_push(list, year_days[i]))
				return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
		}
	}
	for (size_t i = 0; i < extra->imported_count; i++) {
		const calendar_day *d = &extra->imported[i];
		if (!gen_push(list, (gen_day){d->date, d->name, false, CALENDAR_IMPORTED}))
			return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	}
	/* an import that names one date twice is not an official list */
	qsort(list->items, list->count, sizeof *list->items, gen_compare);
	for (size_t i = 1; i < list->count; i++)
		if (list->items[i].date == list->items[i - 1].date &&
		    list->items[i].kind == CALENDAR_IMPORTED &&
		    list->items[i - 1].kind == CALENDAR_IMPORTED) {
			char buf[DATE_ISO_LEN];
			return error_set(err, FH_EINVAL, "imported", NULL,
					 "the imported list names %s twice",
					 date_format(list->items[i].date, buf));
		}
	for (size_t i = 0; i < extra->closure_count; i++) {
		const calendar_day *d = &extra->closures[i];
		if (date_is_weekend(d->date))
			continue;
		const char *name = d->name && *d->name ? d->name : "Closure day";
		if (!gen_push(list, (gen_day){d->date, name, false, CALENDAR_CLOSURE}))
			return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	}
	fh_status s = lay_out_days(cal, list, err);
	if (s)
		return s;

	/* the prefix count and its inverse */
	size_t h = 0;
	int count = 0;
	for (int i = 0; i < CAL_DAYS; i++) {
		fh_date date = CAL_FIRST + i;
		cal->before[i] = (uint16_t)count;
		bool holiday = h < cal->day_count && cal->days[h].date == date;
		if (holiday)
			h++;
		if (!holiday && !date_is_weekend(date))
			cal->nth[count++] = (uint16_t)i;
	}
	cal->before[CAL_DAYS] = (uint16_t)count;
	cal->working_count = count;
	return FH_OK;
}

fh_status calendar_create(const calendar_region *region, const calendar_extra *extra,
			  fh_calendar **out, fh_error *err)
{
	/* the constants above must name 1980-01-01 and 2100-01-01 */
	assert(date_from_ymd(CALENDAR_FIRST_YEAR, 1, 1) == CAL_FIRST);
	assert(date_from_ymd(CALENDAR_LAST_YEAR + 1, 1, 1) == CAL_END);
	*out = NULL;
	static const calendar_extra none = {0};
	if (!extra)
		extra = &none;
	fh_status s = region_check(region, err);
	if (!s)
		s = check_days(extra->imported, extra->imported_count, true, err);
	if (!s)
		s = check_days(extra->closures, extra->closure_count, false, err);
	if (s)
		return s;
	fh_calendar *cal = calloc(1, sizeof *cal);
	if (!cal)
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory building a calendar");
	strcpy(cal->region, region->name);
	gen_list list = {0};
	s = generate(cal, region, extra, &list, err);
	free(list.items);
	if (s) {
		calendar_free(cal);
		return s;
	}
	*out = cal;
	return FH_OK;
}

fh_status calendar_create_named(const char *region, const calendar_extra *extra,
				fh_calendar **out, fh_error *err)
{
	const calendar_region *r = calendar_region_find(region);
	if (!r) {
		*out = NULL;
		return error_set(err, FH_ENOTFOUND, "region", NULL,
				 "no calendar for the region '%s' (known: england-and-wales)",
				 region ? region : "");
	}
	return calendar_create(r, extra, out, err);
}

void calendar_free(fh_calendar *cal)
{
	if (!cal)
		return;
	free(cal->days);
	free(cal->names);
	free(cal);
}

const char *calendar_region_name(const fh_calendar *cal)
{
	return cal->region;
}

/* ---- queries: O(1) each ------------------------------------------------------------------ */

bool calendar_is_working_day(const fh_calendar *cal, fh_date date)
{
	if (!calendar_in_range(date))
		return false;
	uint32_t i = (uint32_t)date - CAL_FIRST;
	return cal->before[i + 1] != cal->before[i];
}

fh_status calendar_add_working_days(const fh_calendar *cal, fh_date date, int n,
				    fh_date *out, fh_error *err)
{
	uint32_t i = (uint32_t)date - (uint32_t)CAL_FIRST;
	if (i >= (uint32_t)CAL_DAYS)
		return out_of_range(err, "date", date);
	if (n == 0) {
		*out = date;
		return FH_OK;
	}
	/*
	 * before[i + 1] working days lie on or before date, so the n-th after it
	 * has index before[i + 1] + n - 1; before[i] lie strictly before it, so
	 * the |n|-th before it has index before[i] - |n|.
	 */
	int64_t k = n > 0 ? (int64_t)cal->before[i + 1] + n - 1 : (int64_t)cal->before[i] + n;
	if (k < 0 || k >= cal->working_count) {
		char buf[DATE_ISO_LEN];
		return error_set(err, FH_EINVAL, "n", NULL,
				 "%d working days from %s falls outside the calendar's range "
				 "%d-01-01..%d-12-31", n, calendar_format_date(date, buf),
				 CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
	}
	*out = CAL_FIRST + cal->nth[k];
	/* the n-th working day after a date is a working day after it (before, for n < 0) */
	assert(n > 0 ? *out > date : *out < date);
	assert(calendar_is_working_day(cal, *out));
	return FH_OK;
}

fh_status calendar_working_days_between(const fh_calendar *cal, fh_date d1, fh_date d2,
					int *out, fh_error *err)
{
	uint32_t i = (uint32_t)d1 - (uint32_t)CAL_FIRST;
	uint32_t j = (uint32_t)d2 - (uint32_t)CAL_FIRST;
	if (i >= (uint32_t)CAL_DAYS)
		return out_of_range(err, "d1", d1);
	if (j >= (uint32_t)CAL_DAYS)
		return out_of_range(err, "d2", d2);
	/* (d1, d2] holds before[j + 1] - before[i + 1] working days; reversed, the sign flips */
	*out = (int)cal->before[j + 1] - (int)cal->before[i + 1];
	assert(d1 > d2 ? *out <= 0 : *out >= 0);
	return FH_OK;
}

fh_status calendar_holidays(const fh_calendar *cal, int year, const calendar_holiday **days,
			    size_t *count, fh_error *err)
{
	if (year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR)
		return error_set(err, FH_EINVAL, "year", NULL,
				 "the year %d is outside the calendar's range %d..%d", year,
				 CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
	size_t from = cal->year_start[year - CALENDAR_FIRST_YEAR];
	size_t to = cal->year_start[year - CALENDAR_FIRST_YEAR + 1];
	*days = cal->days + from;
	*count = to - from;
	return FH_OK;
}

const calendar_holiday *calendar_holiday_on(const fh_calendar *cal, fh_date date)
{
	size_t lo = 0, hi = cal->day_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->days[mid].date < date)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cal->day_count && cal->days[lo].date == date ? &cal->days[lo] : NULL;
}
