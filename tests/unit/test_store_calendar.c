/*
 * Unit tests for src/store/store_calendar.c: imported bank holidays replaced
 * year by year and all-or-nothing, closure days per organisation (DOMAIN §3),
 * each change with its audit event.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_calendar.h"
#include "store_event.h"
#include "test_helpers.h"

typedef struct fixture {
	char *path;
	fh_store *st;
} fixture;

static fh_date D(const char *iso)
{
	fh_date d = 0;
	if (!date_parse(iso, &d))
		fail_msg("bad date in a test: %s", iso);
	return d;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->st = test_store_open(&f->path);
	test_seed_orgs(f->st, NULL, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	test_store_close(f->st, f->path);
	free(f);
	return 0;
}

static size_t imported_count(fh_store *st, const char *region)
{
	fh_arena arena = ARENA_INIT;
	calendar_day *days;
	size_t n;
	assert_int_equal(store_calendar_imported(st, region, &arena, &days, &n, NULL), FH_OK);
	arena_free(&arena);
	return n;
}

static int64_t audit_events(fh_store *st)
{
	store_audit_report r;
	assert_int_equal(store_audit_verify(st, &r, NULL), FH_OK);
	return r.events_checked;
}

/* An import replaces the years it covers and keeps the others. */
static void test_import_replaces_by_year(void **state)
{
	fixture *f = *state;
	fh_error err;
	calendar_day first[] = {{D("2026-01-01"), "New Year\u2019s Day"},
				{D("2026-12-25"), "Christmas Day"},
				{D("2027-01-01"), "New Year\u2019s Day"}};
	int64_t before = audit_events(f->st);
	assert_int_equal(store_calendar_import(f->st, "england-and-wales", first, NULL, 3, "admin",
					       &err), FH_OK);
	assert_int_equal(audit_events(f->st), before + 1);
	assert_int_equal(imported_count(f->st, "england-and-wales"), 3);
	/* a new list for 2027 alone: 2026 stays as it was */
	calendar_day second[] = {{D("2027-01-01"), "New Year\u2019s Day"},
				 {D("2027-06-07"), "Announced later"}};
	const char *notes[] = {"", "a note"};
	assert_int_equal(store_calendar_import(f->st, "england-and-wales", second, notes, 2, "admin",
					       &err), FH_OK);
	fh_arena arena = ARENA_INIT;
	calendar_day *days;
	size_t n;
	assert_int_equal(store_calendar_imported(f->st, "england-and-wales", &arena, &days, &n, &err),
			 FH_OK);
	assert_int_equal(n, 4);
	assert_int_equal(days[0].date, D("2026-01-01"));
	assert_int_equal(days[3].date, D("2027-06-07"));
	assert_string_equal(days[3].name, "Announced later");
	arena_free(&arena);
	assert_int_equal(imported_count(f->st, "scotland"), 0);
	/* the region's calendar uses the import for 2027 and the rules elsewhere */
	fh_calendar *cal;
	assert_int_equal(store_calendar_for_region(f->st, "england-and-wales", &cal, &err), FH_OK);
	assert_false(calendar_is_working_day(cal, D("2027-06-07")));
	assert_true(calendar_is_working_day(cal, D("2027-12-27"))); /* not in the 2027 import */
	assert_false(calendar_is_working_day(cal, D("2028-12-25")));
	calendar_free(cal);
}

/* A bad list stores nothing; in the caller's transaction, neither do the good ones. */
static void test_import_all_or_nothing(void **state)
{
	fixture *f = *state;
	fh_error err;
	calendar_day weekend[] = {{D("2026-01-01"), "New Year"}, {D("2026-01-03"), "Saturday"}};
	int64_t before = audit_events(f->st);
	assert_int_equal(store_calendar_import(f->st, "england-and-wales", weekend, NULL, 2, "admin",
					       &err), FH_EINVAL);
	assert_string_equal(err.field, "imported");
	assert_int_equal(imported_count(f->st, "england-and-wales"), 0);
	calendar_day good[] = {{D("2026-01-01"), "New Year"}};
	assert_int_equal(store_calendar_import(f->st, "Bad Region", good, NULL, 1, "admin", &err),
			 FH_EINVAL);
	assert_string_equal(err.field, "region");

	assert_int_equal(store_begin(f->st, &err), FH_OK);
	assert_int_equal(store_calendar_import(f->st, "scotland", good, NULL, 1, "admin", &err),
			 FH_OK);
	assert_int_equal(store_calendar_import(f->st, "northern-ireland", weekend, NULL, 2, "admin",
					       &err), FH_EINVAL);
	store_rollback(f->st);
	assert_int_equal(imported_count(f->st, "scotland"), 0);
	assert_int_equal(audit_events(f->st), before);
}

/* DOMAIN §3: closure days count for the organisation that declares them only. */
static void test_closure_days(void **state)
{
	fixture *f = *state;
	fh_error err;
	int64_t before = audit_events(f->st);
	assert_int_equal(store_calendar_closure_add(f->st, "bct", D("2026-12-24"), "Christmas shutdown",
						    "admin", &err), FH_OK);
	assert_int_equal(store_calendar_closure_add(f->st, "bct", D("2026-12-29"), NULL, "admin",
						    &err), FH_OK);
	assert_int_equal(store_calendar_closure_add(f->st, "bct", D("2026-12-24"), "again", "admin",
						    &err), FH_ECONFLICT);
	assert_int_equal(store_calendar_closure_add(f->st, "nosuch", D("2026-12-24"), NULL, "admin",
						    &err), FH_ENOTFOUND);
	assert_string_equal(err.field, "org");
	assert_int_equal(store_calendar_closure_add(f->st, "bct", D("2100-01-04"), NULL, "admin",
						    &err), FH_EINVAL);
	char long_reason[STORE_CALENDAR_TEXT_MAX + 2];
	memset(long_reason, 'x', sizeof long_reason - 1);
	long_reason[sizeof long_reason - 1] = '\0';
	assert_int_equal(store_calendar_closure_add(f->st, "bct", D("2026-12-30"), long_reason,
						    "admin", &err), FH_EINVAL);
	assert_int_equal(audit_events(f->st), before + 2);

	fh_calendar *bct, *bcp;
	assert_int_equal(store_calendar_for_org(f->st, "bct", &bct, &err), FH_OK);
	assert_int_equal(store_calendar_for_org(f->st, "bcp", &bcp, &err), FH_OK);
	fh_date d;
	assert_int_equal(calendar_add_working_days(bct, D("2026-12-23"), 1, &d, NULL), FH_OK);
	assert_int_equal(d, D("2026-12-30"));
	assert_int_equal(calendar_add_working_days(bcp, D("2026-12-23"), 1, &d, NULL), FH_OK);
	assert_int_equal(d, D("2026-12-24"));
	assert_string_equal(calendar_holiday_on(bct, D("2026-12-24"))->name, "Christmas shutdown");
	calendar_free(bct);
	calendar_free(bcp);
	assert_int_equal(store_calendar_for_org(f->st, "nosuch", &bct, &err), FH_ENOTFOUND);

	assert_int_equal(store_calendar_closure_remove(f->st, "bct", D("2026-12-24"), "admin", &err),
			 FH_OK);
	assert_int_equal(store_calendar_closure_remove(f->st, "bct", D("2026-12-24"), "admin", &err),
			 FH_ENOTFOUND);
	fh_arena arena = ARENA_INIT;
	calendar_day *days;
	size_t n;
	assert_int_equal(store_calendar_closures(f->st, "bct", &arena, &days, &n, &err), FH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(days[0].date, D("2026-12-29"));
	assert_string_equal(days[0].name, "");
	assert_int_equal(store_calendar_closures(f->st, "bcp", &arena, &days, &n, &err), FH_OK);
	assert_int_equal(n, 0);
	arena_free(&arena);
	assert_int_equal(audit_events(f->st), before + 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_import_replaces_by_year, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closure_days, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
