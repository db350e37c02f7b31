/*
 * store_report: one prepared statement per table of the monitoring report
 * (store_report.h).  Every statement takes the same numbered parameters:
 *   ?1 organisation id, ?2 team or service id (NULL: the whole organisation),
 *   ?3 ?4 the period, ?5 ?6 the previous period of equal length, ?7 a kind.
 * SCOPE narrows `cases c` to the organisation and, when ?2 is given, to that
 * team, or to that service and its teams (teams.parent_id): one Head of
 * Service's area (001 §16 reports at both levels).
 */
#include "store_report.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "store_calendar.h"
#include "store_internal.h"

#define SCOPE "c.org_id = ?1 AND (?2 IS NULL OR c.team_id IN " \
	"(SELECT id FROM teams WHERE id = ?2 OR parent_id = ?2))"
#define SCOPED_CASES "(SELECT c.id FROM cases c WHERE " SCOPE ")"
#define STAGES "(VALUES (1), (2), (3)) n"

typedef struct scope {
	int64_t org_id;
	int64_t team_id; /* 0: none */
	char from[DATE_ISO_LEN], to[DATE_ISO_LEN];
	char prev_from[DATE_ISO_LEN], prev_to[DATE_ISO_LEN];
	const char *kind;
} scope;

/* Binds the parameters the statement uses (binding one it lacks is an error). */
static void bind_scope(sqlite3_stmt *stmt, const scope *q)
{
	int n = sqlite3_bind_parameter_count(stmt);
	for (int i = 1; i <= n; i++) {
		switch (i) {
		case 1: sqlite3_bind_int64(stmt, i, q->org_id); break;
		case 2:
			if (q->team_id)
				sqlite3_bind_int64(stmt, i, q->team_id);
			else
				sqlite3_bind_null(stmt, i);
			break;
		case 3: store_bind_text(stmt, i, q->from); break;
		case 4: store_bind_text(stmt, i, q->to); break;
		case 5: store_bind_text(stmt, i, q->prev_from); break;
		case 6: store_bind_text(stmt, i, q->prev_to); break;
		case 7: store_bind_text(stmt, i, q->kind); break;
		default: break;
		}
	}
}

/*
 * Runs sql and appends one row per result row to t.  spec has one letter per
 * table column: t text, c count, n number, P a percentage (two result
 * columns: numerator, denominator), D a change (two: current, previous).
 */
static fh_status run_table(fh_store *st, const scope *q, const char *sql, const char *spec,
			   report_table *t, fh_arena *arena, fh_error *err)
{
	sqlite3_stmt *stmt;
	fh_status s = store_prepare(st, sql, &stmt, err);
	if (s)
		return s;
	bind_scope(stmt, q);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		report_cell *row = report_add_row(t, arena);
		int col = 0;
		for (size_t i = 0; spec[i]; i++) {
			switch (spec[i]) {
			case 't':
				report_set_text(&row[i], arena, store_column_text(stmt, col++, arena));
				break;
			case 'c':
				report_set_count(&row[i], sqlite3_column_int64(stmt, col++));
				break;
			case 'n':
				report_set_number(&row[i], sqlite3_column_int64(stmt, col++), 0, 0);
				break;
			case 'P':
				report_set_percent(&row[i], sqlite3_column_int64(stmt, col),
						   sqlite3_column_int64(stmt, col + 1));
				col += 2;
				break;
			case 'D':
				report_set_change(&row[i], sqlite3_column_int64(stmt, col),
						  sqlite3_column_int64(stmt, col + 1));
				col += 2;
				break;
			default:
				break;
			}
		}
	}
	if (rc != SQLITE_DONE)
		s = store_fail(st, t->id, err);
	sqlite3_finalize(stmt);
	return s;
}

/* A last row labelled label in the first column, summing each count column. */
static void add_total_row(report_table *t, fh_arena *arena, const char *label)
{
	size_t rows = t->nrows;
	t->total_row = true;
	t->columns_add_up = true;
	report_cell *total = report_add_row(t, arena);
	for (size_t col = 0; col < t->ncols; col++) {
		const report_cell *first = rows ? report_cell_at(t, 0, col) : NULL;
		if (col == 0) {
			report_set_text(&total[col], arena, label);
			continue;
		}
		int64_t a = 0, b = 0;
		for (size_t r = 0; r < rows; r++) {
			a += report_cell_at(t, r, col)->n;
			b += report_cell_at(t, r, col)->d;
		}
		if (!first || first->kind == REPORT_COUNT)
			report_set_count(&total[col], a);
		else if (first->kind == REPORT_PERCENT)
			report_set_percent(&total[col], a, b);
		else if (first->kind == REPORT_CHANGE)
			report_set_change(&total[col], a, b);
		else
			report_set_text(&total[col], arena, "");
	}
}

/* In every row of t, column col is the sum of the n columns parts (report_suppress). */
static void set_sum(report_table *t, int col, const int *parts, size_t n)
{
	t->sum_col = col;
	t->nparts = n;
	memcpy(t->parts, parts, n * sizeof *parts);
}

#define COLS(...) (sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)), \
	(const char *const[]){__VA_ARGS__}

/* --- the tables, in the order the report shows them ------------------------ */

/* One pass over the two periods' cases (the cases_org_received index), each
 * count split by date: a subquery per kind and period scanned them 8 times. */
static const char SQL_RECEIVED[] =
	"WITH x AS (SELECT c.kind AS kind,"
	"  count(CASE WHEN c.received_on >= ?3 THEN 1 END) AS cur,"
	"  count(CASE WHEN c.received_on <= ?6 THEN 1 END) AS prev"
	" FROM cases c WHERE " SCOPE " AND c.received_on BETWEEN ?5 AND ?4 GROUP BY c.kind)"
	" SELECT k.column2, coalesce(x.cur, 0), coalesce(x.prev, 0), coalesce(x.cur, 0),"
	" coalesce(x.prev, 0) FROM (VALUES (1, 'complaint'), (2, 'comment'), (3, 'compliment'),"
	" (4, 'enquiry')) k LEFT JOIN x ON x.kind = k.column2 ORDER BY k.column1";

static const char SQL_ROUTES[] =
	"SELECT c.route, count(*) FROM cases c WHERE " SCOPE
	" AND c.received_on BETWEEN ?3 AND ?4 GROUP BY c.route ORDER BY c.route";

static const char SQL_STAGES[] =
	"SELECT 'Stage ' || n.column1,"
	" (SELECT count(*) FROM case_stages s WHERE s.stage = n.column1"
	"   AND coalesce(s.requested_on, s.started_on) BETWEEN ?3 AND ?4"
	"   AND s.case_id IN " SCOPED_CASES "),"
	" (SELECT count(*) FROM case_stages s WHERE s.stage = n.column1"
	"   AND s.started_on BETWEEN ?3 AND ?4 AND s.case_id IN " SCOPED_CASES ")"
	" FROM " STAGES " ORDER BY n.column1";

/* 001 §16.1: responded to within the deadline, by the stage's stored due date. */
static const char SQL_RESPONSES[] =
	"SELECT 'Stage ' || n.column1, count(s.id),"
	" count(CASE WHEN s.responded_on <= s.due_on THEN 1 END),"
	" count(CASE WHEN s.responded_on <= s.due_on THEN 1 END), count(s.due_on),"
	" count(CASE WHEN s.responded_on > s.due_on THEN 1 END),"
	" count(s.id) - count(s.due_on)"
	" FROM " STAGES " LEFT JOIN case_stages s ON s.stage = n.column1"
	"   AND s.responded_on BETWEEN ?3 AND ?4 AND s.case_id IN " SCOPED_CASES
	" GROUP BY n.column1 ORDER BY n.column1";

static const char SQL_LATE[] =
	"SELECT s.stage, s.due_on, s.responded_on FROM case_stages s"
	" WHERE s.responded_on BETWEEN ?3 AND ?4 AND s.responded_on > s.due_on"
	" AND s.case_id IN " SCOPED_CASES;

static const char SQL_FINDINGS[] =
	"WITH f AS (SELECT f.stage, f.outcome FROM findings f"
	"  JOIN complaint_points p ON p.id = f.point_id"
	"  JOIN case_stages s ON s.case_id = p.case_id AND s.stage = f.stage"
	"  WHERE s.responded_on BETWEEN ?3 AND ?4 AND p.case_id IN " SCOPED_CASES ")"
	" SELECT 'Stage ' || n.column1,"
	" count(CASE WHEN f.outcome = 'upheld' THEN 1 END),"
	" count(CASE WHEN f.outcome = 'partly_upheld' THEN 1 END),"
	" count(CASE WHEN f.outcome = 'not_upheld' THEN 1 END),"
	" count(CASE WHEN f.outcome = 'not_determined' THEN 1 END),"
	" count(CASE WHEN f.outcome = 'withdrawn' THEN 1 END),"
	" count(f.stage),"
	" count(CASE WHEN f.outcome IN ('upheld', 'partly_upheld') THEN 1 END), count(f.stage)"
	" FROM " STAGES " LEFT JOIN f ON f.stage = n.column1"
	" GROUP BY n.column1 ORDER BY n.column1";

/* Teams in scope with this kind (?7) counted in both periods; a service's
 * own row only when cases are recorded against the service itself. */
static const char SQL_TEAMS[] =
	"WITH x AS (SELECT c.team_id AS team_id,"
	"  count(CASE WHEN c.received_on >= ?3 THEN 1 END) AS cur,"
	"  count(CASE WHEN c.received_on <= ?6 THEN 1 END) AS prev"
	" FROM cases c WHERE c.org_id = ?1 AND c.kind = ?7 AND c.received_on BETWEEN ?5 AND ?4"
	" GROUP BY c.team_id)"
	" SELECT service, team, cur, prev, cur, prev FROM ("
	" SELECT coalesce(sv.name, t.name) AS service,"
	"  CASE WHEN t.level = 'service' THEN '(the service as a whole)' ELSE t.name END AS team,"
	"  t.level AS level, coalesce(x.cur, 0) AS cur, coalesce(x.prev, 0) AS prev"
	" FROM teams t LEFT JOIN teams sv ON sv.id = t.parent_id LEFT JOIN x ON x.team_id = t.id"
	" WHERE t.org_id = ?1 AND (?2 IS NULL OR t.id = ?2 OR t.parent_id = ?2)"
	" UNION ALL SELECT '', '(no team recorded)', 'none', coalesce(x.cur, 0), coalesce(x.prev, 0)"
	"  FROM (SELECT 1) LEFT JOIN x ON x.team_id IS NULL WHERE ?2 IS NULL)"
	" WHERE level = 'team' OR cur + prev > 0 ORDER BY service = '', service, team";

static const char SQL_SERVICES[] =
	"WITH x AS (SELECT coalesce(t.parent_id, t.id) AS service,"
	"  count(CASE WHEN c.received_on >= ?3 THEN 1 END) AS cur,"
	"  count(CASE WHEN c.received_on <= ?6 THEN 1 END) AS prev"
	" FROM cases c JOIN teams t ON t.id = c.team_id WHERE " SCOPE " AND c.kind = 'complaint'"
	" AND c.received_on BETWEEN ?5 AND ?4 GROUP BY 1)"
	" SELECT sv.name, coalesce(x.cur, 0), coalesce(x.prev, 0), coalesce(x.cur, 0),"
	" coalesce(x.prev, 0) FROM teams sv LEFT JOIN x ON x.service = sv.id"
	" WHERE sv.org_id = ?1 AND sv.level = 'service'"
	"  AND (?2 IS NULL OR sv.id = ?2 OR sv.id = (SELECT parent_id FROM teams WHERE id = ?2))"
	" ORDER BY sv.name";

/* What the complaint is about as recorded on the case (004's service field). */
static const char SQL_SUBJECTS[] =
	"SELECT subject, sum(cur), sum(prev), sum(cur), sum(prev) FROM ("
	" SELECT CASE WHEN c.service = '' THEN '(not recorded)' ELSE c.service END AS subject,"
	"  c.received_on BETWEEN ?3 AND ?4 AS cur, c.received_on BETWEEN ?5 AND ?6 AS prev"
	" FROM cases c WHERE " SCOPE " AND c.kind = 'complaint' AND c.received_on BETWEEN ?5 AND ?4)"
	" GROUP BY subject ORDER BY subject";

static const char SQL_MONTHLY[] =
	"SELECT substr(c.received_on, 1, 7), count(*) FROM cases c WHERE " SCOPE
	" AND c.kind = 'complaint' AND c.received_on BETWEEN ?3 AND ?4 GROUP BY 1";

/* instr() skips, without parsing, every document holding no extension: each
 * extension entry has a "clock" key and nothing else in the document does
 * (false positives would only be parsed, never miscounted). */
static const char SQL_EXTENSIONS[] =
	"SELECT 'Stage ' || json_extract(st.value, '$.number'),"
	" coalesce(json_extract(e.value, '$.because'), '(not given)'), count(*)"
	" FROM cases c JOIN case_lifecycle l ON l.case_id = c.id,"
	"  json_each(l.state, '$.stages') st, json_each(st.value, '$.extensions') e"
	" WHERE " SCOPE " AND instr(l.state, '\"clock\"') > 0"
	" AND json_extract(e.value, '$.on') BETWEEN ?3 AND ?4"
	" GROUP BY 1, 2 ORDER BY 1, 2";

/* Of the stage 1 (2) responses in the period, how many cases have a stage 2 (3). */
static const char SQL_ESCALATION[] =
	"SELECT 'Stage ' || n.column1 || ' to stage ' || (n.column1 + 1), count(s.id),"
	" count(nx.id), count(nx.id), count(s.id)"
	" FROM (VALUES (1), (2)) n LEFT JOIN case_stages s ON s.stage = n.column1"
	"  AND s.responded_on BETWEEN ?3 AND ?4 AND s.case_id IN " SCOPED_CASES
	" LEFT JOIN case_stages nx ON nx.case_id = s.case_id AND nx.stage = n.column1 + 1"
	" GROUP BY n.column1 ORDER BY n.column1";

/* As for extensions: only documents naming an "enquiry_on" are parsed. */
static const char SQL_OMBUDSMAN[] =
	"SELECT coalesce(json_extract(o.value, '$.outcome'), 'awaiting outcome'), count(*)"
	" FROM cases c JOIN case_lifecycle l ON l.case_id = c.id,"
	"  json_each(l.state, '$.ombudsman') o"
	" WHERE " SCOPE " AND instr(l.state, '\"enquiry_on\"') > 0"
	" AND json_extract(o.value, '$.enquiry_on') BETWEEN ?3 AND ?4"
	" GROUP BY 1 ORDER BY 1";

/* Stage responses sent in the period, read from the lifecycle document,
 * where the response's learning and actions are kept.  Only the cases whose
 * case_stages projection shows a response in the period are parsed: parsing
 * every case's document made this the slowest table (docs/performance.md). */
#define RESPONSES_JSON \
	"SELECT c.reference AS reference, json_extract(st.value, '$.number') AS stage," \
	" json_extract(st.value, '$.responded_on') AS responded_on," \
	" coalesce(json_extract(st.value, '$.response.learning'), '') AS learning," \
	" json_extract(st.value, '$.response.actions') AS actions" \
	" FROM cases c JOIN case_lifecycle l ON l.case_id = c.id," \
	"  json_each(l.state, '$.stages') st" \
	" WHERE " SCOPE " AND c.id IN (SELECT case_id FROM case_stages" \
	"  WHERE responded_on BETWEEN ?3 AND ?4)" \
	" AND json_extract(st.value, '$.responded_on') BETWEEN ?3 AND ?4"

static const char SQL_LEARNING[] =
	"WITH r AS (" RESPONSES_JSON ")"
	" SELECT 'Stage ' || n.column1, count(r.stage),"
	" count(CASE WHEN r.learning <> '' THEN 1 END),"
	" coalesce(sum(json_array_length(r.actions)), 0),"
	" coalesce(sum((SELECT count(*) FROM json_each(r.actions) a"
	"   WHERE json_extract(a.value, '$.done_on') IS NOT NULL)), 0)"
	" FROM " STAGES " LEFT JOIN r ON r.stage = n.column1"
	" GROUP BY n.column1 ORDER BY n.column1";

static const char SQL_LEARNING_LIST[] =
	"WITH r AS (" RESPONSES_JSON ")"
	" SELECT reference, 'Stage ' || stage, responded_on, learning FROM r"
	" WHERE learning <> '' ORDER BY responded_on DESC, reference LIMIT 500";

static const char SQL_COMPLIMENT_LIST[] =
	"SELECT c.reference, c.received_on, coalesce(t.name, ''), c.summary"
	" FROM cases c LEFT JOIN teams t ON t.id = c.team_id WHERE " SCOPE
	" AND c.kind = 'compliment' AND c.received_on BETWEEN ?3 AND ?4"
	" ORDER BY c.received_on DESC, c.reference LIMIT 500";

static const char SQL_OFFICERS[] =
	"SELECT coalesce((SELECT group_concat(a.user_email, ', ') FROM case_assignments a"
	"   WHERE a.case_id = s.case_id AND a.stage = s.stage AND a.ended_at IS NULL"
	"   AND a.role IN ('adjudicating_officer', 'investigating_officer', 'reviewing_officer')),"
	"  '(no officer assigned)'), count(*),"
	" count(CASE WHEN s.responded_on <= s.due_on THEN 1 END), count(s.due_on)"
	" FROM case_stages s"
	" WHERE s.responded_on BETWEEN ?3 AND ?4 AND s.case_id IN " SCOPED_CASES
	" GROUP BY 1 ORDER BY 1";

/* Distinct complainants of the complaints received in the period, each
 * answer of the equality-monitoring form (000) counted once per person. */
#define EQ_ANSWER(col) "CASE WHEN coalesce(" col ", '') = '' THEN 'not answered' ELSE " col " END"
#define EQ_ROW(question, col) \
	" UNION ALL SELECT '" question "', " EQ_ANSWER(col) ", count(*) FROM e GROUP BY 2"
#define AGE "((strftime('%Y', ?4) - strftime('%Y', e.date_of_birth))" \
	" - (strftime('%m-%d', ?4) < strftime('%m-%d', e.date_of_birth)))"
static const char SQL_EQUALITY[] =
	"WITH p AS (SELECT DISTINCT cp.person_id AS person_id FROM case_parties cp"
	"  JOIN cases c ON c.id = cp.case_id WHERE " SCOPE " AND c.kind = 'complaint'"
	"  AND c.received_on BETWEEN ?3 AND ?4 AND cp.role = 'complainant'),"
	" e AS (SELECT em.* FROM p LEFT JOIN equality_monitoring em ON em.person_id = p.person_id)"
	" SELECT 'Age at the end of the period', CASE WHEN e.date_of_birth IS NULL THEN 'not answered'"
	"  WHEN " AGE " < 18 THEN 'under 18' WHEN " AGE " < 25 THEN '18 to 24'"
	"  WHEN " AGE " < 45 THEN '25 to 44' WHEN " AGE " < 65 THEN '45 to 64'"
	"  ELSE '65 and over' END, count(*) FROM e GROUP BY 2"
	EQ_ROW("Disability", "e.disability")
	EQ_ROW("Preferred language", "e.preferred_language")
	EQ_ROW("Racial identity", "e.racial_identity")
	EQ_ROW("Religion", "e.religion")
	EQ_ROW("Sex", "e.sex")
	" ORDER BY 1, 2";

/* Late responses by how many working days late, under the org's calendar. */
static fh_status late_table(fh_store *st, const scope *q, const fh_calendar *cal,
			    report_table *t, fh_arena *arena, fh_error *err)
{
	enum { BUCKETS = 4 };
	static const int upper[BUCKETS] = {5, 10, 20, 1 << 30};
	int64_t count[4] = {0}, sum[4] = {0}, max[4] = {0}, bucket[4][BUCKETS] = {{0}};
	sqlite3_stmt *stmt;
	fh_status s = store_prepare(st, SQL_LATE, &stmt, err);
	if (s)
		return s;
	bind_scope(stmt, q);
	int rc;
	while (!s && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int stage = sqlite3_column_int(stmt, 0);
		fh_date due, done;
		int days;
		if (stage < 1 || stage > 3 || !date_parse(store_column_text(stmt, 1, arena), &due) ||
		    !date_parse(store_column_text(stmt, 2, arena), &done))
			continue; /* the schema's CHECKs make this unreachable */
		if ((s = calendar_working_days_between(cal, due, done, &days, err)))
			break;
		/* A response after the due date on a non-working day is late by 0
		 * working days; it still counts as late, in the first band. */
		count[stage]++;
		sum[stage] += days;
		if (days > max[stage])
			max[stage] = days;
		for (int b = 0; b < BUCKETS; b++)
			if (days <= upper[b]) {
				bucket[stage][b]++;
				break;
			}
	}
	if (!s && rc != SQLITE_DONE)
		s = store_fail(st, "late responses", err);
	sqlite3_finalize(stmt);
	if (s)
		return s;
	for (int stage = 1; stage <= 3; stage++) {
		report_cell *row = report_add_row(t, arena);
		report_set_text(&row[0], arena, arena_printf(arena, "Stage %d", stage));
		report_set_count(&row[1], count[stage]);
		/* The mean to one decimal, rounded half up. */
		int64_t mean10 = count[stage] ? (sum[stage] * 20 + count[stage]) / (count[stage] * 2) : 0;
		report_set_number(&row[2], mean10, 1, count[stage]);
		report_set_number(&row[3], max[stage], 0, count[stage]);
		for (int b = 0; b < BUCKETS; b++)
			report_set_count(&row[4 + b], bucket[stage][b]);
	}
	return FH_OK;
}

/* Every month of the period, with none left out for having no complaints. */
static fh_status monthly_table(fh_store *st, const scope *q, fh_date from, fh_date to,
			       report_table *t, fh_arena *arena, fh_error *err)
{
	int months = report_month_count(from, to);
	int y, m, d;
	date_to_ymd(from, &y, &m, &d);
	for (int i = 0; i < months; i++) {
		report_cell *row = report_add_row(t, arena);
		report_set_text(&row[0], arena, arena_printf(arena, "%04d-%02d", y, m));
		report_set_count(&row[1], 0);
		if (++m > 12)
			m = 1, y++;
	}
	sqlite3_stmt *stmt;
	fh_status s = store_prepare(st, SQL_MONTHLY, &stmt, err);
	if (s)
		return s;
	bind_scope(stmt, q);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *month = (const char *)sqlite3_column_text(stmt, 0);
		for (size_t r = 0; month && r < t->nrows; r++)
			if (!strcmp(report_cell_at(t, r, 0)->text, month))
				report_set_count(report_cell_at(t, r, 1), sqlite3_column_int64(stmt, 1));
	}
	if (rc != SQLITE_DONE)
		s = store_fail(st, "monthly", err);
	sqlite3_finalize(stmt);
	return s;
}

static fh_status build(fh_store *st, const scope *q0, const fh_calendar *cal, fh_report *r,
		       fh_arena *arena, fh_error *err)
{
	scope q = *q0;
	report_table *t;
	fh_status s;

	t = report_add_table(r, arena, "received", "Representations received, by kind",
			     "Cases whose received date falls in the period, against the "
			     "previous period of the same length (001 §16.1).",
			     COLS("Kind", "Received", "Previous period", "Change"));
	if ((s = run_table(st, &q, SQL_RECEIVED, "tccD", t, arena, err)))
		return s;
	add_total_row(t, arena, "all representations");

	t = report_add_table(r, arena, "routes", "Representations received, by how they are handled",
			     "The route triage chose for each case received in the period "
			     "(statutory, non-statutory, not considered, recorded ...).",
			     COLS("Route", "Received"));
	if ((s = run_table(st, &q, SQL_ROUTES, "tc", t, arena, err)))
		return s;
	t->columns_add_up = true; /* to the received table's totals */

	t = report_add_table(r, arena, "stages", "Requests at each stage",
			     "Stages requested (or, with no request date, started) in the period, "
			     "and stages whose clock started in the period (001 §16.1).",
			     COLS("Stage", "Requested", "Started"));
	if ((s = run_table(st, &q, SQL_STAGES, "tcc", t, arena, err)))
		return s;

	t = report_add_table(r, arena, "responses", "Responses within the deadline",
			     "Stage responses sent in the period; within the deadline when sent on "
			     "or before the stage's due date as extended (001 §16.1).",
			     COLS("Stage", "Responses", "Within deadline", "% within deadline",
				  "Late", "No deadline recorded"));
	if ((s = run_table(st, &q, SQL_RESPONSES, "tccPcc", t, arena, err)))
		return s;
	add_total_row(t, arena, "all stages");
	set_sum(t, 1, (const int[]){2, 4, 5}, 3); /* responses = within + late + no deadline */

	t = report_add_table(r, arena, "late", "How late the late responses were",
			     "Working days after the due date up to the response, under the "
			     "organisation's calendar (bank holidays and closure days excluded).",
			     COLS("Stage", "Late responses", "Mean working days late",
				  "Most working days late", "Up to 5", "6 to 10", "11 to 20",
				  "More than 20"));
	if ((s = late_table(st, &q, cal, t, arena, err)))
		return s;
	set_sum(t, 1, (const int[]){4, 5, 6, 7}, 4); /* late = the four bands */
	r->links[r->nlinks++] = (report_link){"late", "responses", 1, 4};

	t = report_add_table(r, arena, "findings", "Findings at each stage",
			     "Findings on complaint points at stages responded to in the period; "
			     "one finding per point per stage (001 §16.1 'number upheld').",
			     COLS("Stage", "Upheld", "Partly upheld", "Not upheld", "Not determined",
				  "Withdrawn", "Points decided", "% upheld or partly upheld"));
	if ((s = run_table(st, &q, SQL_FINDINGS, "tccccccP", t, arena, err)))
		return s;
	set_sum(t, 6, (const int[]){1, 2, 3, 4, 5}, 5); /* points decided = the five outcomes */

	t = report_add_table(r, arena, "services", "Complaints by service area",
			     "Complaints received, by the service area of the team recorded on the "
			     "case, against the previous period (001 §16.2 'types and trends').",
			     COLS("Service area", "Complaints", "Previous period", "Change"));
	if ((s = run_table(st, &q, SQL_SERVICES, "tccD", t, arena, err)))
		return s;
	t->columns_add_up = true; /* to the received table's totals */

	t = report_add_table(r, arena, "subjects", "Complaints by subject",
			     "Complaints received, by the service the case says it is about "
			     "(the case's service field), against the previous period.",
			     COLS("Subject", "Complaints", "Previous period", "Change"));
	if ((s = run_table(st, &q, SQL_SUBJECTS, "tccD", t, arena, err)))
		return s;
	t->columns_add_up = true; /* to the received table's totals */

	q.kind = "complaint";
	t = report_add_table(r, arena, "teams", "Complaints by team",
			     "Complaints received, by the team recorded on the case, against the "
			     "previous period (001 §16: Head of Service and Team Manager level).",
			     COLS("Service area", "Team", "Complaints", "Previous period", "Change"));
	if ((s = run_table(st, &q, SQL_TEAMS, "ttccD", t, arena, err)))
		return s;
	t->columns_add_up = true; /* to the received table's totals */

	t = report_add_table(r, arena, "monthly", "Complaints received each month",
			     "Complaints by month of receipt across the period (the trend line).",
			     COLS("Month", "Complaints"));
	if ((s = monthly_table(st, &q, r->from, r->to, t, arena, err)))
		return s;
	t->columns_add_up = true; /* to the complaints received */

	t = report_add_table(r, arena, "extensions", "Extensions used",
			     "Extensions of a response clock agreed in the period, by stage and "
			     "the reason recorded.",
			     COLS("Stage", "Reason", "Extensions"));
	if ((s = run_table(st, &q, SQL_EXTENSIONS, "ttc", t, arena, err)))
		return s;
	add_total_row(t, arena, "all extensions");

	t = report_add_table(r, arena, "escalation", "Escalation between stages",
			     "Of the stage responses sent in the period, how many cases have since "
			     "gone on to the next stage (requested, started or finished).",
			     COLS("Between", "Responses", "Escalated", "Escalation rate"));
	if ((s = run_table(st, &q, SQL_ESCALATION, "tccP", t, arena, err)))
		return s;
	r->links[r->nlinks++] = (report_link){"escalation", "responses", 1, 1};

	t = report_add_table(r, arena, "ombudsman", "Ombudsman enquiries and outcomes",
			     "Enquiries from the Ombudsman recorded in the period, by the outcome "
			     "recorded so far.",
			     COLS("Outcome", "Enquiries"));
	if ((s = run_table(st, &q, SQL_OMBUDSMAN, "tc", t, arena, err)))
		return s;
	add_total_row(t, arena, "all enquiries");

	t = report_add_table(r, arena, "learning", "Learning and service improvements",
			     "Stage responses sent in the period, those stating what was learnt, "
			     "and the actions they agreed with how many are done (003 'Monitoring "
			     "and learning').",
			     COLS("Stage", "Responses", "With a learning statement", "Actions agreed",
				  "Actions done"));
	if ((s = run_table(st, &q, SQL_LEARNING, "tcccc", t, arena, err)))
		return s;
	r->links[r->nlinks++] = (report_link){"learning", "responses", 1, 1};

	q.kind = "compliment";
	t = report_add_table(r, arena, "compliments", "Compliments by team",
			     "Compliments received, by the team recorded on the case, against the "
			     "previous period.",
			     COLS("Service area", "Team", "Compliments", "Previous period", "Change"));
	if ((s = run_table(st, &q, SQL_TEAMS, "ttccD", t, arena, err)))
		return s;
	t->columns_add_up = true; /* to the received table's totals */

	t = report_add_table(r, arena, "equality", "Equality monitoring of complainants",
			     "Each complainant of a complaint received in the period counted once, "
			     "by their answers on the monitoring form. Counts of 1 to 4 are always "
			     "shown as <5, in every version of the report.",
			     COLS("Question", "Answer", "Complainants"));
	t->always_suppress = true;
	t->group_col = 0; /* each question's answers add up to the complainants */
	if ((s = run_table(st, &q, SQL_EQUALITY, "ttc", t, arena, err)))
		return s;

	t = report_add_table(r, arena, "officers", "Responses by officer",
			     "Stage responses sent in the period by the officers assigned to the "
			     "stage (adjudicating, investigating or reviewing). Not in the anonymised version.",
			     COLS("Officer", "Responses", "% within deadline"));
	t->personal = true;
	if ((s = run_table(st, &q, SQL_OFFICERS, "tcP", t, arena, err)))
		return s;

	t = report_add_table(r, arena, "learning_statements", "What was learnt",
			     "The learning statements of the stage responses sent in the period, "
			     "newest first (at most 500). Not in the anonymised version.",
			     COLS("Case", "Stage", "Responded", "Learning"));
	t->personal = true;
	if ((s = run_table(st, &q, SQL_LEARNING_LIST, "tttt", t, arena, err)))
		return s;

	t = report_add_table(r, arena, "compliment_list", "Compliments received",
			     "Compliments received in the period, newest first (at most 500), to "
			     "pass on to the staff they are about. Not in the anonymised version.",
			     COLS("Case", "Received", "Team", "Summary"));
	t->personal = true;
	if ((s = run_table(st, &q, SQL_COMPLIMENT_LIST, "tttt", t, arena, err)))
		return s;

	r->notes[r->nnotes++] = "Remedies and payments: not shown, because Fairhearing does not "
				"record remedies or payments yet (there is no remedies table).";
	return FH_OK;
}

fh_status store_report_build(fh_store *st, const store_report_query *in, fh_arena *arena,
			     fh_report *out, fh_error *err)
{
	memset(out, 0, sizeof *out);
	if (in->from > in->to)
		return error_set(err, FH_EINVAL, "from", NULL,
				 "the period starts after it ends");
	if (!calendar_in_range(in->from) || !calendar_in_range(in->to))
		return error_set(err, FH_EINVAL, "from", NULL,
				 "the period lies outside the calendar's years");
	scope q = {0};
	fh_date prev_from, prev_to;
	report_previous_period(in->from, in->to, &prev_from, &prev_to);
	date_format(in->from, q.from);
	date_format(in->to, q.to);
	date_format(prev_from, q.prev_from);
	date_format(prev_to, q.prev_to);

	/* A deferred transaction of our own rather than store_tx_begin, which
	 * writes: reports run on a read-only handle, and every table must still
	 * see the same database. */
	bool opened = st->depth == 0;
	fh_calendar *cal = NULL;
	if (opened && sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, "starting the report", err);
	fh_status s = FH_OK;
	if (!(s = store_org_id(st, in->org_code, &q.org_id, err)) && in->team)
		s = store_team_lookup(st, q.org_id, in->team, &q.team_id, err);
	if (!s)
		s = store_calendar_for_org(st, in->org_code, &cal, err);
	if (!s) {
		sqlite3_stmt *stmt;
		if (!(s = store_prepare(st, "SELECT name FROM organisations WHERE id = ?1", &stmt, err))) {
			sqlite3_bind_int64(stmt, 1, q.org_id);
			if (sqlite3_step(stmt) == SQLITE_ROW)
				out->org_name = store_column_text(stmt, 0, arena);
			sqlite3_finalize(stmt);
		}
	}
	if (!s) {
		out->org_code = arena_strdup(arena, in->org_code);
		out->team = in->team ? arena_strdup(arena, in->team) : NULL;
		out->from = in->from;
		out->to = in->to;
		out->prev_from = prev_from;
		out->prev_to = prev_to;
		s = build(st, &q, cal, out, arena, err);
	}
	if (cal)
		calendar_free(cal);
	if (opened)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	return s;
}
