/*
 * store_calendar.c: imported bank holidays and closure days (migration 002).
 *
 * Dates are stored as ISO text like every other date in the schema and turn
 * into fh_date at this door, so the rest of the program only sees the one
 * date type.
 */
#include "store_calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store_event.h"
#include "store_internal.h"
#include "store_rows.h"

static bool region_name_ok(const char *region)
{
	size_t len = region ? strlen(region) : 0;
	if (len < 2 || len >= CALENDAR_REGION_MAX || region[0] < 'a' || region[0] > 'z')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((region[i] >= 'a' && region[i] <= 'z') || region[i] == '-'))
			return false;
	return true;
}

static int year_of(fh_date date)
{
	int y, m, d;
	date_to_ymd(date, &y, &m, &d);
	return y;
}

fh_status store_calendar_import(fh_store *st, const char *region, const calendar_day *days,
				const char *const *notes, size_t count, const char *actor,
				fh_error *err)
{
	if (!region_name_ok(region))
		return error_set(err, FH_EINVAL, "region", NULL,
				 "a region is named in lower-case letters and hyphens, "
				 "like 'england-and-wales'");
	for (size_t i = 0; i < count; i++)
		if (days[i].name && strlen(days[i].name) > STORE_CALENDAR_TEXT_MAX)
			return error_set(err, FH_EINVAL, "imported", NULL,
					 "a holiday's name is at most %d bytes",
					 STORE_CALENDAR_TEXT_MAX);
	/*
	 * The list must be one calendar_create accepts as an import: checking it
	 * against a region with no rules tests exactly the imported days.
	 */
	const calendar_region bare = {region, NULL, 0, NULL, 0};
	const calendar_extra extra = {.imported = days, .imported_count = count};
	fh_calendar *check;
	fh_status s = calendar_create(&bare, &extra, &check, err);
	if (s)
		return s;
	calendar_free(check);

	bool covered[CALENDAR_LAST_YEAR - CALENDAR_FIRST_YEAR + 1] = {false};
	int first = 0, last = 0;
	for (size_t i = 0; i < count; i++) {
		int y = year_of(days[i].date);
		covered[y - CALENDAR_FIRST_YEAR] = true;
		first = first == 0 || y < first ? y : first;
		last = y > last ? y : last;
	}

	bool opened;
	char now[21];
	s = store_tx_begin_at(st, &opened, now, err);
	if (s)
		return s;
	db_stmt *del = NULL, *ins = NULL;
	s = store_prepare(st, "DELETE FROM imported_holidays WHERE region = ?"
			  " AND date >= ? AND date <= ?", &del, err);
	if (!s)
		s = store_prepare(st, "INSERT INTO imported_holidays (region, date, name, notes,"
				  " imported_at) VALUES (?, ?, ?, ?, ?)", &ins, err);
	json_t *years = json_array();
	for (int y = CALENDAR_FIRST_YEAR; !s && y <= CALENDAR_LAST_YEAR; y++) {
		if (!covered[y - CALENDAR_FIRST_YEAR])
			continue;
		char from[DATE_ISO_LEN], to[DATE_ISO_LEN];
		snprintf(from, sizeof from, "%04d-01-01", y);
		snprintf(to, sizeof to, "%04d-12-31", y);
		db_reset(del);
		store_bind_text(del, 1, region);
		store_bind_text(del, 2, from);
		store_bind_text(del, 3, to);
		if (db_step(del) != DB_DONE)
			s = store_fail(st, "replacing imported holidays", err);
		json_array_append_new(years, json_integer(y));
	}
	for (size_t i = 0; !s && i < count; i++) {
		char iso[DATE_ISO_LEN];
		db_reset(ins);
		store_bind_text(ins, 1, region);
		store_bind_text(ins, 2, date_format(days[i].date, iso));
		store_bind_text(ins, 3, days[i].name);
		store_bind_text(ins, 4, notes && notes[i] ? notes[i] : "");
		store_bind_text(ins, 5, now);
		if (db_step(ins) != DB_DONE)
			s = store_fail(st, "storing an imported holiday", err);
	}
	db_finalize(del);
	db_finalize(ins);
	if (!s)
		s = store_event_append_json(st, 0, 0, actor, "calendar_imported", NULL, NULL,
					    json_pack("{ss sI so si si}", "region", region,
						      "days", (json_int_t)count, "years", years,
						      "first_year", first, "last_year", last), err);
	else
		json_decref(years);
	return store_tx_end(st, opened, s, err);
}

/* Reads (date, text) rows into calendar_days in arena. */
static fh_status read_days(fh_store *st, db_stmt *stmt, const char *what, fh_arena *arena,
			   calendar_day **days, size_t *count, fh_error *err)
{
	size_t room = 0;
	*days = NULL;
	*count = 0;
	int rc;
	fh_status s = FH_OK;
	while (!s && (rc = db_step(stmt)) == DB_ROW) {
		*days = store_array_room(arena, *days, *count, &room, 64, sizeof **days);
		const char *iso = (const char *)db_column_text(stmt, 0);
		fh_date d;
		if (!iso || !date_parse(iso, &d))
			s = error_set(err, FH_ESTORE, NULL, NULL, "%s: a stored date is malformed",
				      what);
		else
			(*days)[(*count)++] = (calendar_day){d, store_column_text(stmt, 1, arena)};
	}
	if (!s && rc != DB_DONE)
		s = store_fail(st, what, err);
	return s;
}

fh_status store_calendar_imported(fh_store *st, const char *region, fh_arena *arena,
				  calendar_day **days, size_t *count, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st, "SELECT date, name FROM imported_holidays"
				    " WHERE region = ? ORDER BY date", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, region);
	s = read_days(st, stmt, "reading imported holidays", arena, days, count, err);
	db_finalize(stmt);
	return s;
}

static fh_status closure_check(fh_date date, const char *reason, fh_error *err)
{
	if (!calendar_in_range(date)) {
		char buf[DATE_ISO_LEN];
		return error_set(err, FH_EINVAL, "date", NULL,
				 "%s is outside the calendar's range %d-01-01..%d-12-31",
				 calendar_format_date(date, buf), CALENDAR_FIRST_YEAR,
				 CALENDAR_LAST_YEAR);
	}
	if (reason && strlen(reason) > STORE_CALENDAR_TEXT_MAX)
		return error_set(err, FH_EINVAL, "reason", NULL,
				 "a closure day's reason is at most %d bytes", STORE_CALENDAR_TEXT_MAX);
	return FH_OK;
}

/*
 * The start of a change to an organisation's closure days: checks the day
 * (and reason), finds the organisation, opens the transaction and writes the
 * day as text into iso.
 */
static fh_status closure_begin(fh_store *st, const char *org_code, fh_date date,
			       const char *reason, int64_t *org_id, char iso[DATE_ISO_LEN],
			       bool *opened, fh_error *err)
{
	fh_status s = closure_check(date, reason, err);
	if (!s)
		s = store_org_id(st, org_code, org_id, err);
	if (!s)
		s = store_tx_begin(st, opened, err);
	if (!s)
		date_format(date, iso);
	return s;
}

fh_status store_calendar_closure_add(fh_store *st, const char *org_code, fh_date date,
				     const char *reason, const char *actor, fh_error *err)
{
	int64_t org_id;
	bool opened;
	char now[21], iso[DATE_ISO_LEN];
	fh_status s = closure_begin(st, org_code, date, reason, &org_id, iso, &opened, err);
	if (s)
		return s;
	store_now(now);
	db_stmt *stmt;
	s = store_prepare(st, "INSERT INTO closure_days (org_id, date, reason, created_at,"
			  " created_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, org_id);
		store_bind_text(stmt, 2, iso);
		store_bind_text(stmt, 3, reason ? reason : "");
		store_bind_text(stmt, 4, now);
		store_bind_text(stmt, 5, actor);
		if (db_step(stmt) != DB_DONE)
			s = store_fail(st, "adding a closure day", err);
		else if (db_changes(st->db) == 0)
			s = error_set(err, FH_ECONFLICT, "date", NULL,
				      "%s is already a closure day of '%s'", iso, org_code);
		db_finalize(stmt);
	}
	if (!s)
		s = store_event_append_json(st, org_id, 0, actor, "closure_day_added", NULL, NULL,
					    json_pack("{ss ss}", "date", iso, "reason",
						      reason ? reason : ""), err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_calendar_closure_remove(fh_store *st, const char *org_code, fh_date date,
					const char *actor, fh_error *err)
{
	int64_t org_id;
	bool opened;
	char iso[DATE_ISO_LEN];
	fh_status s = closure_begin(st, org_code, date, NULL, &org_id, iso, &opened, err);
	if (s)
		return s;
	db_stmt *stmt;
	s = store_prepare(st, "DELETE FROM closure_days WHERE org_id = ? AND date = ?", &stmt,
			  err);
	if (!s) {
		db_bind_int64(stmt, 1, org_id);
		store_bind_text(stmt, 2, iso);
		if (db_step(stmt) != DB_DONE)
			s = store_fail(st, "removing a closure day", err);
		else if (db_changes(st->db) == 0)
			s = error_set(err, FH_ENOTFOUND, "date", NULL,
				      "%s is not a closure day of '%s'", iso, org_code);
		db_finalize(stmt);
	}
	if (!s)
		s = store_event_append_json(st, org_id, 0, actor, "closure_day_removed", NULL,
					    NULL,
					    json_pack("{ss}", "date", iso), err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_calendar_closures(fh_store *st, const char *org_code, fh_arena *arena,
				  calendar_day **days, size_t *count, fh_error *err)
{
	int64_t org_id;
	fh_status s = store_org_id(st, org_code, &org_id, err);
	if (s)
		return s;
	db_stmt *stmt;
	s = store_prepare(st, "SELECT date, reason FROM closure_days WHERE org_id = ?"
			  " ORDER BY date", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	s = read_days(st, stmt, "reading closure days", arena, days, count, err);
	db_finalize(stmt);
	return s;
}

/* The calendar of region with its imports, plus closures when org_code is given. */
static fh_status load(fh_store *st, const char *region, const char *org_code,
		      fh_calendar **cal, fh_error *err)
{
	*cal = NULL;
	fh_arena arena = ARENA_INIT;
	calendar_extra extra = {0};
	calendar_day *imported = NULL, *closures = NULL;
	fh_status s = FH_OK;
	if (org_code) {
		fh_org org;
		s = store_org_get(st, org_code, &arena, &org, err);
		region = s ? NULL : org.region;
		if (!s)
			s = store_calendar_closures(st, org_code, &arena, &closures,
						    &extra.closure_count, err);
	}
	if (!s)
		s = store_calendar_imported(st, region, &arena, &imported, &extra.imported_count,
					    err);
	extra.imported = imported;
	extra.closures = closures;
	if (!s)
		s = calendar_create_named(region, &extra, cal, err);
	arena_free(&arena); /* the calendar copied every name it keeps */
	return s;
}

fh_status store_calendar_for_org(fh_store *st, const char *org_code, fh_calendar **cal,
				 fh_error *err)
{
	return load(st, NULL, org_code ? org_code : "", cal, err);
}

fh_status store_calendar_for_org_working(fh_store *st, const char *org_code, fh_calendar **cal,
					 fh_error *err)
{
	fh_arena arena = ARENA_INIT;
	fh_org org;
	*cal = NULL;
	fh_status s = store_org_get(st, org_code ? org_code : "", &arena, &org, err);
	if (!s)
		s = load(st, org.region ? org.region : "", NULL, cal, err);
	arena_free(&arena);
	return s;
}

fh_status store_calendar_for_region(fh_store *st, const char *region, fh_calendar **cal,
				    fh_error *err)
{
	return load(st, region ? region : "", NULL, cal, err);
}
