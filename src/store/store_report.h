/*
 * store_report: the queries behind the monitoring report (001 §4.3, §16;
 * 003 "Monitoring and learning"; DOMAIN §9; docs/reports.md).
 *
 * Fills an fh_report (report.h) for one organisation, optionally narrowed to
 * one team, or to one Head of Service's service area (the service and every
 * team whose parent it is), over a period [from, to] with both days
 * included.  Each table comes from one prepared statement (late responses
 * also count working days with the organisation's calendar); the tables
 * that name people or quote case text are marked personal, and the
 * equality-monitoring profile always_suppress, for the renderer to honour.
 *
 * Reads only: it opens a read transaction so every table sees the same
 * database.
 */
#ifndef FH_STORE_REPORT_H
#define FH_STORE_REPORT_H

#include "assessment.h"
#include "report.h"
#include "store.h"

typedef struct store_report_query {
	const char *org_code;
	const char *team;   /* a team's or a service's name, or NULL for the whole organisation */
	fh_date from, to;   /* from <= to */
	report_kind kind;   /* the monitoring report (0) or the annual one; the annual
			     * report is of the whole organisation (team NULL) */
} store_report_query;

/*
 * Builds the report into *out, its strings and tables in arena.
 * FH_ENOTFOUND naming "org" or "team" when either is unknown; FH_EINVAL
 * naming "from" when from > to or a date is outside the calendar's range,
 * naming "team" when one is given for the annual report.
 */
fh_status store_report_build(fh_store *st, const store_report_query *q, fh_arena *arena,
			     fh_report *out, fh_error *err);

/*
 * The annual report's tables (store_report_annual.c), added to r for the
 * organisation org_id over [from, to] (ISO dates): called by
 * store_report_build inside its read transaction.
 */
fh_status store_report_annual_tables(fh_store *st, int64_t org_id, const char *from,
				     const char *to, fh_report *r, fh_arena *arena, fh_error *err);

/*
 * The figures of the Code's cases over [from, to] (ISO dates) that the
 * self-assessment's evidence reads (assessment.h), from the same pass as
 * the annual report's tables: one count, read by both.
 */
fh_status store_annual_figures(fh_store *st, int64_t org_id, const char *from, const char *to,
			       assessment_value *figures, fh_arena *arena, fh_error *err);

#endif
