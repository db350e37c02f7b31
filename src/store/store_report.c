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
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "calendar.h"
#include "store_advocacy.h"
#include "store_calendar.h"
#include "store_internal.h"
#include "store_rows.h"
#include "store_redress.h"

#define SCOPE "c.org_id = ?1 AND (CAST(?2 AS BIGINT) IS NULL OR c.team_id IN " \
	"(SELECT id FROM teams WHERE id = ?2 OR parent_id = ?2))"
#define SCOPED_CASES "(SELECT c.id FROM cases c WHERE " SCOPE ")"
/* The same for a report projection r, which carries its case's team. */
#define RSCOPE "r.org_id = ?1 AND (CAST(?2 AS BIGINT) IS NULL OR r.team_id IN " \
	"(SELECT id FROM teams WHERE id = ?2 OR parent_id = ?2))"

typedef struct scope {
	int64_t org_id;
	int64_t team_id; /* 0: none */
	char from[DATE_ISO_LEN], to[DATE_ISO_LEN];
	char prev_from[DATE_ISO_LEN], prev_to[DATE_ISO_LEN];
	const char *kind;
} scope;

/* Binds the parameters the statement uses (binding one it lacks is an error). */
static void bind_scope(db_stmt *stmt, const scope *q)
{
	int n = db_bind_parameter_count(stmt);
	for (int i = 1; i <= n; i++) {
		switch (i) {
		case 1: db_bind_int64(stmt, i, q->org_id); break;
		case 2:
			if (q->team_id)
				db_bind_int64(stmt, i, q->team_id);
			else
				db_bind_null(stmt, i);
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
	db_stmt *stmt;
	fh_status s = store_prepare(st, sql, &stmt, err);
	if (s)
		return s;
	bind_scope(stmt, q);
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		report_cell *row = report_add_row(t, arena);
		int col = 0;
		for (size_t i = 0; spec[i]; i++) {
			switch (spec[i]) {
			case 't':
				report_set_text(&row[i], arena, store_column_text(stmt, col++, arena));
				break;
			case 'c':
				report_set_count(&row[i], db_column_int64(stmt, col++));
				break;
			case 'n':
				report_set_number(&row[i], db_column_int64(stmt, col++), 0, 0);
				break;
			case 'P':
				report_set_percent(&row[i], db_column_int64(stmt, col),
						   db_column_int64(stmt, col + 1));
				col += 2;
				break;
			case 'D':
				report_set_change(&row[i], db_column_int64(stmt, col),
						  db_column_int64(stmt, col + 1));
				col += 2;
				break;
			default:
				break;
			}
		}
	}
	if (rc != DB_DONE)
		s = store_fail(st, t->id, err);
	db_finalize(stmt);
	return s;
}

/* A code as people read it: "financial_payment" -> "Financial payment". */
static const char *code_words(fh_arena *arena, const char *code)
{
	char *out = arena_strdup(arena, code ? code : "");
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = ' ';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
	return out;
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

/* --- the tables that stay SQL ------------------------------------------------- */

/* cases_report is (organisation, kind, received): only the compliments'
 * own rows are read, newest first. */
static const char SQL_COMPLIMENT_LIST[] =
	"SELECT c.reference, c.received_on, coalesce(t.name, ''), c.summary"
	" FROM cases c INDEXED BY cases_report LEFT JOIN teams t ON t.id = c.team_id WHERE " SCOPE
	" AND c.kind = 'compliment' AND c.received_on BETWEEN ?3 AND ?4"
	" ORDER BY c.received_on DESC, c.reference LIMIT 500";

/* Distinct complainants of the complaints received in the period, each
 * answer of the equality-monitoring form (000) counted once per person;
 * the complainants come from report_complainants (migration 009_report),
 * one index range, rather than a join of every case to its parties. */
#define EQ_ANSWER(col) "CASE WHEN coalesce(" col ", '') = '' THEN 'not answered' ELSE " col " END"
#define EQ_ROW(question, col) \
	" UNION ALL SELECT '" question "', " EQ_ANSWER(col) ", count(*) FROM e GROUP BY 2"
#define AGE "((CAST(substr(?4, 1, 4) AS INTEGER) - CAST(substr(e.date_of_birth, 1, 4) AS INTEGER))" \
	" - CASE WHEN substr(?4, 6, 5) < substr(e.date_of_birth, 6, 5) THEN 1 ELSE 0 END)"
static const char SQL_EQUALITY[] =
	"WITH p AS (SELECT DISTINCT r.person_id AS person_id FROM report_complainants r"
	"  WHERE " RSCOPE " AND r.kind = 'complaint' AND r.received_on BETWEEN ?3 AND ?4),"
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

/* --- the passes over the report's rows --------------------------------------- */

/*
 * The counts are made in C, in one pass over each kind of row, rather than
 * one SQL statement per table: a statement per table read the same period's
 * rows a dozen times (docs/performance.md).  And the rows are daily counts
 * kept by triggers (migration 009_report): the case pass reads
 * report_case_days (cases by day, kind, team, route and subject), the
 * stage pass report_response_days (responses by day, stage, due date,
 * team and officers, with their findings, learning and actions summed) and
 * report_stage_days, so a year costs its distinct days and groups, not its
 * cases; no case row or lifecycle document is read for them.
 */

enum { KINDS = 4 };
static const char *const KIND_NAMES[KINDS] = {"complaint", "comment", "compliment", "enquiry"};
/* The routes of migration 001, in the order the report lists them (by name). */
static const char *const ROUTE_NAMES[] = {"anonymous", "enquiry", "non_statutory",
					  "not_considered", "provider_redirect", "recorded",
					  "statutory", "untriaged"};
enum { ROUTES = sizeof ROUTE_NAMES / sizeof ROUTE_NAMES[0] };

typedef struct team_row {
	int64_t id, parent;  /* parent 0: none */
	const char *name;
	bool service;        /* level = 'service' */
	bool in_scope;
	int64_t complaints[2], compliments[2]; /* [0] this period, [1] the previous */
	int64_t service_complaints[2];         /* as a service: its own and its teams' */
} team_row;

typedef struct subject_row {
	const char *name;
	int64_t n[2];
} subject_row;

typedef struct officer_row {
	const char *name;
	int64_t responses, within, with_due;
} officer_row;

typedef struct passes {
	/* teams of the organisation, and a slot per team id for the case pass */
	team_row *teams;
	size_t nteams;
	int *slot; /* team id -> index in teams, -1 none */
	int64_t max_team_id;
	int64_t no_team[2];                  /* complaints with no team */
	int64_t no_team_compliments[2];
	int64_t kinds[KINDS][2];
	int64_t routes[ROUTES];
	subject_row *subjects;
	size_t nsubjects, subjects_cap;
	int64_t *monthly;
	int months;
	/* per stage 1..3 */
	int64_t responses[4], within[4], late[4], with_due[4];
	int64_t late_days_sum[4], late_days_max[4], late_band[4][4];
	int64_t findings[4][5];
	int64_t escalated[4];
	int64_t learning[4], actions[4], actions_done[4];
	int64_t requested[4], started[4];
	officer_row *officers;
	size_t nofficers, officers_cap;
} passes;

static void passes_free(passes *p)
{
	free(p->teams);
	free(p->slot);
	free(p->subjects);
	free(p->monthly);
	free(p->officers);
}

static bool team_in_scope(const passes *p, int64_t team_id, bool scoped)
{
	if (!scoped)
		return true;
	if (team_id <= 0 || team_id > p->max_team_id || p->slot[team_id] < 0)
		return false;
	return p->teams[p->slot[team_id]].in_scope;
}

static fh_status load_teams(fh_store *st, const scope *q, passes *p, fh_arena *arena,
			    fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st, "SELECT id, name, level = 'service', coalesce(parent_id, 0)"
				    " FROM teams WHERE org_id = ?1 ORDER BY id", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, q->org_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		if (p->nteams == cap) {
			cap = cap ? cap * 2 : 32;
			team_row *t = realloc(p->teams, cap * sizeof *t);
			if (!t)
				abort();
			p->teams = t;
		}
		team_row *t = &p->teams[p->nteams++];
		memset(t, 0, sizeof *t);
		t->id = db_column_int64(stmt, 0);
		t->name = store_column_text(stmt, 1, arena);
		t->service = db_column_int(stmt, 2);
		t->parent = db_column_int64(stmt, 3);
		t->in_scope = !q->team_id || t->id == q->team_id || t->parent == q->team_id;
		if (t->id > p->max_team_id)
			p->max_team_id = t->id;
	}
	if (rc != DB_DONE)
		s = store_fail(st, "teams", err);
	db_finalize(stmt);
	p->slot = malloc(((size_t)p->max_team_id + 1) * sizeof *p->slot);
	if (!p->slot)
		abort();
	for (int64_t i = 0; i <= p->max_team_id; i++)
		p->slot[i] = -1;
	for (size_t i = 0; i < p->nteams; i++)
		p->slot[p->teams[i].id] = (int)i;
	return s;
}

static team_row *team_of(passes *p, int64_t id)
{
	return id > 0 && id <= p->max_team_id && p->slot[id] >= 0 ? &p->teams[p->slot[id]] : NULL;
}

/* "YYYY-MM-DD" to the month's index in the period (from's month is 0). */
static int month_index(const char *iso, int fy, int fm)
{
	int y = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 + (iso[3] - '0');
	int m = (iso[5] - '0') * 10 + (iso[6] - '0');
	return (y - fy) * 12 + (m - fm);
}

static int index_of(const char *const *names, size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], v))
			return (int)i;
	return -1;
}

/* Cases received in the period and the previous one: their daily counts. */
static fh_status case_pass(fh_store *st, const scope *q, fh_date from, passes *p, fh_arena *arena,
			   fh_error *err)
{
	int fy, fm, fd;
	date_to_ymd(from, &fy, &fm, &fd);
	db_stmt *stmt;
	fh_status s = store_prepare(st, "SELECT received_on, kind, team_id, route, subject, n"
				    " FROM report_case_days WHERE org_id = ?1"
				    " AND received_on BETWEEN ?5 AND ?4 AND n > 0", &stmt, err);
	if (s)
		return s;
	bind_scope(stmt, q);
	int rc;
	size_t last_subject = 0;
	while ((rc = db_step(stmt)) == DB_ROW) {
		int64_t team_id = db_column_int64(stmt, 2); /* 0: no team */
		int64_t n = db_column_int64(stmt, 5);
		if (!team_in_scope(p, team_id, q->team_id != 0))
			continue;
		const char *on = (const char *)db_column_text(stmt, 0);
		int period = strcmp(on, q->from) >= 0 ? 0 : 1;
		int kind = index_of(KIND_NAMES, KINDS, (const char *)db_column_text(stmt, 1));
		if (kind < 0)
			continue; /* the schema's CHECK makes this unreachable */
		p->kinds[kind][period] += n;
		team_row *team = team_of(p, team_id);
		if (period == 0) {
			int route = index_of(ROUTE_NAMES, ROUTES, (const char *)db_column_text(stmt, 3));
			if (route >= 0)
				p->routes[route] += n;
		}
		if (kind == 2) { /* compliment */
			if (team)
				team->compliments[period] += n;
			else
				p->no_team_compliments[period] += n;
			continue;
		}
		if (kind != 0)
			continue;
		/* complaints: by team, by service area, by subject, by month */
		if (team) {
			team->complaints[period] += n;
			team_row *service = team->parent ? team_of(p, team->parent) : team;
			if (service)
				service->service_complaints[period] += n;
		} else {
			p->no_team[period] += n;
		}
		const char *subject = (const char *)db_column_text(stmt, 4);
		if (!subject || !subject[0])
			subject = "(not recorded)";
		if (!(last_subject < p->nsubjects && !strcmp(p->subjects[last_subject].name, subject))) {
			for (last_subject = 0; last_subject < p->nsubjects; last_subject++)
				if (!strcmp(p->subjects[last_subject].name, subject))
					break;
			if (last_subject == p->nsubjects) {
				if (p->nsubjects == p->subjects_cap) {
					p->subjects_cap = p->subjects_cap ? p->subjects_cap * 2 : 16;
					subject_row *grown = realloc(p->subjects, p->subjects_cap * sizeof *grown);
					if (!grown)
						abort();
					p->subjects = grown;
				}
				p->subjects[p->nsubjects++] = (subject_row){arena_strdup(arena, subject), {0, 0}};
			}
		}
		p->subjects[last_subject].n[period] += n;
		if (period == 0) {
			int m = month_index(on, fy, fm);
			if (m >= 0 && m < p->months)
				p->monthly[m] += n;
		}
	}
	if (rc != DB_DONE)
		s = store_fail(st, "cases received", err);
	db_finalize(stmt);
	return s;
}

static officer_row *officer(passes *p, const char *name, fh_arena *arena)
{
	for (size_t i = 0; i < p->nofficers; i++)
		if (!strcmp(p->officers[i].name, name))
			return &p->officers[i];
	if (p->nofficers == p->officers_cap) {
		p->officers_cap = p->officers_cap ? p->officers_cap * 2 : 16;
		officer_row *n = realloc(p->officers, p->officers_cap * sizeof *n);
		if (!n)
			abort();
		p->officers = n;
	}
	p->officers[p->nofficers] = (officer_row){arena_strdup(arena, name), 0, 0, 0};
	return &p->officers[p->nofficers++];
}

/*
 * Stage responses sent in the period (001 §16.1): within the deadline when
 * responded_on <= due_on (the due date as extended); late ones counted in
 * working days under the organisation's calendar, with the O(1) calendar
 * (calendar_working_days_between), not in SQL.
 */
static fh_status stage_pass(fh_store *st, const scope *q, const fh_calendar *cal, passes *p,
			    fh_arena *arena, fh_error *err)
{
	static const int upper[4] = {5, 10, 20, 1 << 30};
	db_stmt *stmt;
	fh_status s = store_prepare(st,
		"SELECT stage, due_on, responded_on, team_id, upheld, partly_upheld, not_upheld,"
		" not_determined, withdrawn, learning, actions, actions_done, escalated, officers, n"
		" FROM report_response_days WHERE org_id = ?1 AND responded_on BETWEEN ?3 AND ?4"
		" AND n > 0", &stmt, err);
	if (s)
		return s;
	bind_scope(stmt, q);
	int rc;
	while (!s && (rc = db_step(stmt)) == DB_ROW) {
		int stage = db_column_int(stmt, 0);
		if (stage < 1 || stage > 3 ||
		    !team_in_scope(p, db_column_int64(stmt, 3), q->team_id != 0))
			continue;
		const char *due = (const char *)db_column_text(stmt, 1);
		const char *done = (const char *)db_column_text(stmt, 2);
		int64_t n = db_column_int64(stmt, 14);
		if (due && !due[0])
			due = NULL; /* '': no due date recorded */
		p->responses[stage] += n;
		bool within = due && strcmp(done, due) <= 0;
		if (due) {
			p->with_due[stage] += n;
			if (within) {
				p->within[stage] += n;
			} else {
				fh_date d_due, d_done;
				int days;
				p->late[stage] += n;
				if (!date_parse(due, &d_due) || !date_parse(done, &d_done))
					continue; /* the schema's CHECKs make this unreachable */
				if ((s = calendar_working_days_between(cal, d_due, d_done, &days, err)))
					break;
				/* After the due date on a non-working day is late by 0 working
				 * days; it still counts as late, in the first band. */
				p->late_days_sum[stage] += (int64_t)days * n;
				if (days > p->late_days_max[stage])
					p->late_days_max[stage] = days;
				for (int b = 0; b < 4; b++)
					if (days <= upper[b]) {
						p->late_band[stage][b] += n;
						break;
					}
			}
		}
		for (int o = 0; o < 5; o++)
			p->findings[stage][o] += db_column_int64(stmt, 4 + o);
		p->learning[stage] += db_column_int64(stmt, 9);
		p->actions[stage] += db_column_int64(stmt, 10);
		p->actions_done[stage] += db_column_int64(stmt, 11);
		p->escalated[stage] += db_column_int64(stmt, 12);
		const char *who = (const char *)db_column_text(stmt, 13);
		officer_row *o = officer(p, who && who[0] ? who : "(no officer assigned)", arena);
		o->responses += n;
		o->within += within ? n : 0;
		o->with_due += due ? n : 0;
	}
	if (!s && rc != DB_DONE)
		s = store_fail(st, "stage responses", err);
	db_finalize(stmt);
	if (s)
		return s;
	/* Requests (or starts, with no request date) and starts in the period. */
	static const char *const sql[2] = {
		"SELECT stage, team_id, n FROM report_stage_days WHERE org_id = ?1"
		" AND what = 'requested' AND day BETWEEN ?3 AND ?4",
		"SELECT stage, team_id, n FROM report_stage_days WHERE org_id = ?1"
		" AND what = 'started' AND day BETWEEN ?3 AND ?4"};
	for (int k = 0; k < 2 && !s; k++) {
		if ((s = store_prepare(st, sql[k], &stmt, err)))
			break;
		bind_scope(stmt, q);
		int64_t *into = k ? p->started : p->requested;
		while ((rc = db_step(stmt)) == DB_ROW) {
			int stage = db_column_int(stmt, 0);
			if (stage >= 1 && stage <= 3 &&
			    team_in_scope(p, db_column_int64(stmt, 1), q->team_id != 0))
				into[stage] += db_column_int64(stmt, 2);
		}
		if (rc != DB_DONE)
			s = store_fail(st, "stage requests", err);
		db_finalize(stmt);
	}
	return s;
}

static int cmp_subject(const void *a, const void *b)
{
	return strcmp(((const subject_row *)a)->name, ((const subject_row *)b)->name);
}

static int cmp_officer(const void *a, const void *b)
{
	return strcmp(((const officer_row *)a)->name, ((const officer_row *)b)->name);
}

/* Team rows in the order of the report: by service area, then team, the
 * cases with no team last. */
typedef struct team_line {
	const char *service, *team;
	int64_t n[2];
} team_line;

static int cmp_team_line(const void *a, const void *b)
{
	const team_line *x = a, *y = b;
	bool xn = !x->service[0], yn = !y->service[0];
	if (xn != yn)
		return xn - yn;
	int c = strcmp(x->service, y->service);
	return c ? c : strcmp(x->team, y->team);
}

/* Complaints (or compliments) by team: every team in scope, a service's own
 * row only when cases are recorded against the service itself. */
static void teams_rows(const passes *p, const scope *q, bool compliments, report_table *t,
		       fh_arena *arena)
{
	team_line *lines = arena_array(arena, p->nteams + 1, sizeof *lines);
	size_t n = 0;
	for (size_t i = 0; i < p->nteams; i++) {
		const team_row *tm = &p->teams[i];
		if (!tm->in_scope)
			continue;
		const int64_t *c = compliments ? tm->compliments : tm->complaints;
		if (tm->service && c[0] + c[1] == 0)
			continue;
		const team_row *sv = tm->parent && tm->parent <= p->max_team_id &&
				     p->slot[tm->parent] >= 0 ? &p->teams[p->slot[tm->parent]] : NULL;
		lines[n++] = (team_line){sv ? sv->name : tm->name,
					 tm->service ? "(the service as a whole)" : tm->name,
					 {c[0], c[1]}};
	}
	const int64_t *none = compliments ? p->no_team_compliments : p->no_team;
	if (!q->team_id && none[0] + none[1] > 0)
		lines[n++] = (team_line){"", "(no team recorded)", {none[0], none[1]}};
	qsort(lines, n, sizeof *lines, cmp_team_line);
	for (size_t i = 0; i < n; i++) {
		report_cell *row = report_add_row(t, arena);
		report_set_text(&row[0], arena, lines[i].service);
		report_set_text(&row[1], arena, lines[i].team);
		report_set_count(&row[2], lines[i].n[0]);
		report_set_count(&row[3], lines[i].n[1]);
		report_set_change(&row[4], lines[i].n[0], lines[i].n[1]);
	}
}

static void stage_label(report_cell *c, fh_arena *arena, int stage)
{
	report_set_text(c, arena, arena_printf(arena, "Stage %d", stage));
}

static const char SQL_EXTENSIONS[] =
	"SELECT 'Stage ' || r.stage, r.because, count(*) FROM report_extensions r WHERE " RSCOPE
	" AND r.on_date BETWEEN ?3 AND ?4 GROUP BY 1, 2 ORDER BY 1, 2";

static const char SQL_OMBUDSMAN[] =
	"SELECT coalesce(r.outcome, 'awaiting outcome'), count(*) FROM report_ombudsman r WHERE "
	RSCOPE " AND r.enquiry_on BETWEEN ?3 AND ?4 GROUP BY 1 ORDER BY 1";

/* The learning statements themselves, newest first: the index gives the
 * order of responded_on, so only the newest rows are read, and the text is
 * read from the lifecycle documents of the 500 shown only (MATERIALIZED
 * keeps SQLite from reading it for every row it sorts). */
#define LEARNING_TOP \
	"WITH top AS MATERIALIZED (SELECT r.case_id AS case_id, r.stage AS stage," \
	"  r.responded_on AS responded_on, c.reference AS reference" \
	"  FROM report_stages r JOIN cases c ON c.id = r.case_id WHERE " RSCOPE \
	"  AND r.responded_on BETWEEN ?3 AND ?4 AND r.learning = 1" \
	"  ORDER BY r.responded_on DESC, c.reference LIMIT 500)" \
	" SELECT reference, 'Stage ' || stage, responded_on,"
static const char SQL_LEARNING_LIST[] = LEARNING_TOP
	" coalesce((SELECT json_extract(st.value, '$.response.learning')"
	"   FROM case_lifecycle l, json_each(l.state, '$.stages') st WHERE l.case_id = top.case_id"
	"   AND json_extract(st.value, '$.number') = top.stage), '')"
	" FROM top ORDER BY responded_on DESC, reference";
/* The same on PostgreSQL, whose JSON functions are spelt differently. */
static const char SQL_LEARNING_LIST_PG[] = LEARNING_TOP
	" coalesce((SELECT st.value->'response'->>'learning'"
	"   FROM case_lifecycle l, jsonb_array_elements(CAST(l.state AS jsonb)->'stages') st"
	"   WHERE l.case_id = top.case_id AND CAST(st.value->>'number' AS BIGINT) = top.stage), '')"
	" FROM top ORDER BY responded_on DESC, reference";
#undef LEARNING_TOP

/* A code such as phone_call_limit as words: "Phone call limit". */
#define WORDS(x) "upper(substr(" x ", 1, 1)) || replace(substr(" x ", 2), '_', ' ')"

/*
 * Unreasonably persistent behaviour (001 §19, Appendix A): warnings given,
 * restrictions started (by kind), reviews held (by outcome) and appeals
 * received (by the outcome so far), each by its own date in the period;
 * the organisation is the person's.  The last column only orders the rows.
 */
static const char SQL_BEHAVIOUR[] =
	"SELECT m, d, n, o FROM ("
	" SELECT 1 AS o, 'Warnings given' AS m, '' AS d, count(*) AS n"
	"  FROM behaviour_warnings w JOIN people p ON p.id = w.person_id"
	"  WHERE p.org_id = ?1 AND w.issued_on BETWEEN ?3 AND ?4"
	" UNION ALL SELECT 2, 'Restrictions started', " WORDS("x.kind") ", count(*)"
	"  FROM behaviour_restrictions x JOIN people p ON p.id = x.person_id"
	"  WHERE p.org_id = ?1 AND x.starts_on BETWEEN ?3 AND ?4 GROUP BY x.kind"
	" UNION ALL SELECT 3, 'Restriction reviews held', " WORDS("v.outcome") ", count(*)"
	"  FROM behaviour_reviews v JOIN behaviour_restrictions x ON x.id = v.restriction_id"
	"  JOIN people p ON p.id = x.person_id"
	"  WHERE p.org_id = ?1 AND v.reviewed_on BETWEEN ?3 AND ?4 GROUP BY v.outcome"
	" UNION ALL SELECT 4, 'Appeals received', coalesce(" WORDS("a.outcome") ","
	"  'Awaiting an answer'), count(*)"
	"  FROM behaviour_appeals a JOIN behaviour_restrictions x ON x.id = a.restriction_id"
	"  JOIN people p ON p.id = x.person_id"
	"  WHERE p.org_id = ?1 AND a.received_on BETWEEN ?3 AND ?4 GROUP BY a.outcome"
	") AS rows ORDER BY o, d";

/*
 * Freezing decisions (001 §11): requests received in the period, those
 * escalated because the two deciders disagreed (§11.4), and the decisions
 * made in the period, frozen or not.
 */
static const char SQL_FREEZING[] =
	"SELECT m, n, o FROM ("
	" SELECT 1 AS o, 'Requests received' AS m, count(*) AS n"
	"  FROM freeze_requests f JOIN cases c ON c.id = f.case_id"
	"  WHERE c.org_id = ?1 AND f.requested_on BETWEEN ?3 AND ?4"
	" UNION ALL SELECT 2, 'Escalated: the deciders disagreed', count(*)"
	"  FROM freeze_requests f JOIN cases c ON c.id = f.case_id"
	"  WHERE c.org_id = ?1 AND f.requested_on BETWEEN ?3 AND ?4 AND f.escalated = 1"
	" UNION ALL SELECT 3, 'Decided: frozen', count(*)"
	"  FROM freeze_requests f JOIN cases c ON c.id = f.case_id"
	"  WHERE c.org_id = ?1 AND f.decided_on BETWEEN ?3 AND ?4 AND f.outcome = 'frozen'"
	" UNION ALL SELECT 4, 'Decided: not frozen', count(*)"
	"  FROM freeze_requests f JOIN cases c ON c.id = f.case_id"
	"  WHERE c.org_id = ?1 AND f.decided_on BETWEEN ?3 AND ?4 AND f.outcome = 'not_frozen'"
	") AS rows ORDER BY o";

/*
 * Joint complaints (001 §12, §13): contributions asked of other teams and
 * received, each by its own date in the period, and liaisons with other
 * organisations, by who responds; with the number of cases of each.
 */
static const char SQL_JOINT[] =
	"SELECT m, d, n, k, o FROM ("
	" SELECT 1 AS o, 'Team contributions requested' AS m, '' AS d, count(*) AS n,"
	"  count(DISTINCT j.case_id) AS k"
	"  FROM case_contributions j JOIN cases c ON c.id = j.case_id"
	"  WHERE c.org_id = ?1 AND j.requested_on BETWEEN ?3 AND ?4"
	" UNION ALL SELECT 2, 'Team contributions received', '', count(*), count(DISTINCT j.case_id)"
	"  FROM case_contributions j JOIN cases c ON c.id = j.case_id"
	"  WHERE c.org_id = ?1 AND j.received_on BETWEEN ?3 AND ?4"
	" UNION ALL SELECT 3, 'Liaisons with other organisations', " WORDS("l.responder") ","
	"  count(*), count(DISTINCT l.case_id)"
	"  FROM case_liaisons l JOIN cases c ON c.id = l.case_id"
	"  WHERE c.org_id = ?1 AND l.liaised_on BETWEEN ?3 AND ?4 GROUP BY l.responder"
	") AS rows ORDER BY o, d";

/*
 * Remedies and payments (001 §18, Appendix B) and advocacy and access
 * (DOMAIN §7), from the policy's own tables (store_redress_totals,
 * store_advocacy_counts).  Those count the whole organisation, so a team's
 * or a service's report leaves them out and says so rather than show the
 * organisation's numbers under a team's name.  Remedies count by the day
 * each was recorded; advocacy and access needs by the day the case was
 * received.  Amounts are in pounds, over the approved remedies: a total
 * over 1 to 4 of them is suppressed like a mean of days late.
 */
static fh_status policy_tables(fh_store *st, const scope *q, fh_report *r, fh_arena *arena,
			       fh_error *err)
{
	if (q->team_id) {
		r->notes[r->nnotes++] = "Remedies and payments, advocacy and access needs, "
					"unreasonably persistent behaviour, freezing decisions and "
					"joint complaints: recorded for the whole organisation only, "
					"so not in a team's or a service's report.";
		return FH_OK;
	}
	store_redress_total *rem = NULL;
	size_t nrem = 0;
	fh_status s = store_redress_totals(st, r->org_code, q->from, q->to, arena, &rem, &nrem, err);
	if (s)
		return s;
	report_table *t = report_add_table(
		r, arena, "remedies", "Remedies and payments",
		"Remedies recorded in the period, by type and category, with how many were "
		"approved and delivered, and the amount approved in pounds (001 §18, Appendix B).",
		COLS("Type", "Category", "Recorded", "Approved", "Delivered", "Amount approved (£)"));
	int64_t pence = 0, approved = 0;
	for (size_t i = 0; i < nrem; i++) {
		report_cell *row = report_add_row(t, arena);
		report_set_text(&row[0], arena, code_words(arena, rem[i].type));
		report_set_text(&row[1], arena, code_words(arena, rem[i].category));
		report_set_count(&row[2], rem[i].recorded);
		report_set_count(&row[3], rem[i].approved);
		report_set_count(&row[4], rem[i].delivered);
		report_set_number(&row[5], rem[i].approved_pence, 2, rem[i].approved);
		pence += rem[i].approved_pence;
		approved += rem[i].approved;
	}
	if (nrem) { /* a table with no rows says "none in the period" instead */
		add_total_row(t, arena, "all remedies");
		report_set_text(report_cell_at(t, t->nrows - 1, 1), arena, "");
		report_set_number(report_cell_at(t, t->nrows - 1, 5), pence, 2, approved);
	}

	json_t *counts = NULL;
	if ((s = store_advocacy_counts(st, r->org_code, q->from, q->to, &counts, err)))
		return s;

	t = report_add_table(r, arena, "advocacy", "Advocacy",
			     "Advocacy offered on the cases received in the period, by service: "
			     "referred, taken up, declined, and referrals that extended a response "
			     "clock (DOMAIN §7).",
			     COLS("Service", "Offered", "Referred", "Taken up", "Declined",
				  "Clock extended"));
	static const char *const adv_keys[] = {"offered", "referred", "taken_up", "declined",
					       "clock_extended"};
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(counts, "advocacy"), i, v) {
		report_cell *row = report_add_row(t, arena);
		const char *service = json_string_value(json_object_get(v, "service"));
		report_set_text(&row[0], arena, service && *service ? service : "(not named)");
		for (size_t k = 0; k < 5; k++)
			report_set_count(&row[k + 1],
					 json_integer_value(json_object_get(v, adv_keys[k])));
	}
	if (t->nrows)
		add_total_row(t, arena, "all advocacy");

	t = report_add_table(r, arena, "access", "Access needs",
			     "Needs for access recorded on the cases received in the period "
			     "(an interpreter, a signer, another format ...), and on how many "
			     "cases (DOMAIN §7). A case with two needs counts in both rows.",
			     COLS("Need", "Recorded", "Cases"));
	json_array_foreach(json_object_get(counts, "access_needs"), i, v) {
		report_cell *row = report_add_row(t, arena);
		report_set_text(&row[0], arena,
				code_words(arena, json_string_value(json_object_get(v, "need"))));
		report_set_count(&row[1], json_integer_value(json_object_get(v, "count")));
		report_set_count(&row[2], json_integer_value(json_object_get(v, "cases")));
	}
	json_decref(counts);

	t = report_add_table(r, arena, "behaviour", "Unreasonably persistent behaviour",
			     "Warnings given, restrictions started (by kind), restriction reviews "
			     "held (by outcome) and appeals received (by outcome so far), each by "
			     "its own date in the period (001 §19, Appendix A).",
			     COLS("Measure", "Kind or outcome", "Number"));
	if ((s = run_table(st, q, SQL_BEHAVIOUR, "ttc", t, arena, err)))
		return s;

	t = report_add_table(r, arena, "freezing", "Freezing decisions",
			     "Requests to freeze a change of placement or service received in the "
			     "period, those escalated because the deciders disagreed, and the "
			     "decisions made in the period (001 §11).",
			     COLS("Measure", "Number"));
	if ((s = run_table(st, q, SQL_FREEZING, "tc", t, arena, err)))
		return s;

	t = report_add_table(r, arena, "joint", "Joint complaints",
			     "Contributions requested from and received by other teams in the "
			     "period, and liaisons with other organisations by who responds, "
			     "with how many cases (001 §12, §13).",
			     COLS("Measure", "Who responds", "Number", "Cases"));
	return run_table(st, q, SQL_JOINT, "ttcc", t, arena, err);
}

/* The organisation's service areas' names and "(not recorded)": the
 * closed list of subjects (NULL-ended, in arena). */
static fh_status service_names(fh_store *st, const scope *q, fh_arena *arena,
			       const char *const **out, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st, "SELECT t.name FROM teams t JOIN organisations o"
				    " ON o.id = t.org_id WHERE o.id = ?1 AND t.level = 'service'"
				    " ORDER BY t.name", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, q->org_id);
	size_t n = 0, cap = 8;
	const char **names = arena_array(arena, cap, sizeof *names);
	names[n++] = "(not recorded)";
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		if (n + 1 >= cap) {
			const char **bigger = arena_array(arena, cap * 2, sizeof *bigger);
			memcpy(bigger, names, n * sizeof *names);
			names = bigger;
			cap *= 2;
		}
		names[n++] = store_column_text(stmt, 0, arena);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "reading the service areas", err);
	db_finalize(stmt);
	names[n] = NULL;
	*out = names;
	return s;
}

/* How many representations came in, by kind and by route, and the stages
 * asked for (001 §16.1). */
static void volume_tables(fh_report *r, const passes *p, fh_arena *arena)
{
	report_table *t;
	report_cell *row;

	t = report_add_table(r, arena, "received", "Representations received, by kind",
			     "Cases whose received date falls in the period, against the "
			     "previous period of the same length (001 §16.1).",
			     COLS("Kind", "Received", "Previous period", "Change"));
	for (int k = 0; k < KINDS; k++) {
		row = report_add_row(t, arena);
		report_set_text(&row[0], arena, KIND_NAMES[k]);
		report_set_count(&row[1], p->kinds[k][0]);
		report_set_count(&row[2], p->kinds[k][1]);
		report_set_change(&row[3], p->kinds[k][0], p->kinds[k][1]);
	}
	add_total_row(t, arena, "all representations");

	t = report_add_table(r, arena, "routes", "Representations received, by how they are handled",
			     "The route triage chose for each case received in the period "
			     "(statutory, non-statutory, not considered, recorded ...).",
			     COLS("Route", "Received"));
	for (int k = 0; k < ROUTES; k++)
		if (p->routes[k]) {
			row = report_add_row(t, arena);
			report_set_text(&row[0], arena, ROUTE_NAMES[k]);
			report_set_count(&row[1], p->routes[k]);
		}
	t->columns_add_up = true; /* to the received table's totals */
	t = report_add_table(r, arena, "stages", "Requests at each stage",
			     "Stages requested (or, with no request date, started) in the period, "
			     "and stages whose clock started in the period (001 §16.1).",
			     COLS("Stage", "Requested", "Started"));
	for (int n = 1; n <= 3; n++) {
		row = report_add_row(t, arena);
		stage_label(&row[0], arena, n);
		report_set_count(&row[1], p->requested[n]);
		report_set_count(&row[2], p->started[n]);
	}
}

/* The stage responses: on time or how late, and what they found (001 §16.1). */
static void response_tables(fh_report *r, const passes *p, fh_arena *arena)
{
	report_table *t;
	report_cell *row;

	t = report_add_table(r, arena, "responses", "Responses within the deadline",
			     "Stage responses sent in the period; within the deadline when sent on "
			     "or before the stage's due date as extended (001 §16.1).",
			     COLS("Stage", "Responses", "Within deadline", "% within deadline",
				  "Late", "No deadline recorded"));
	for (int n = 1; n <= 3; n++) {
		row = report_add_row(t, arena);
		stage_label(&row[0], arena, n);
		report_set_count(&row[1], p->responses[n]);
		report_set_count(&row[2], p->within[n]);
		report_set_percent(&row[3], p->within[n], p->with_due[n]);
		report_set_count(&row[4], p->late[n]);
		report_set_count(&row[5], p->responses[n] - p->with_due[n]);
	}
	add_total_row(t, arena, "all stages");
	set_sum(t, 1, (const int[]){2, 4, 5}, 3); /* responses = within + late + no deadline */
	t = report_add_table(r, arena, "late", "How late the late responses were",
			     "Working days after the due date up to the response, under the "
			     "organisation's calendar (bank holidays and closure days excluded).",
			     COLS("Stage", "Late responses", "Mean working days late",
				  "Most working days late", "Up to 5", "6 to 10", "11 to 20",
				  "More than 20"));
	for (int n = 1; n <= 3; n++) {
		row = report_add_row(t, arena);
		stage_label(&row[0], arena, n);
		int64_t c = p->late[n];
		report_set_count(&row[1], c);
		/* The mean to one decimal, rounded half up. */
		report_set_number(&row[2], c ? (p->late_days_sum[n] * 20 + c) / (c * 2) : 0, 1, c);
		report_set_number(&row[3], p->late_days_max[n], 0, c);
		for (int b = 0; b < 4; b++)
			report_set_count(&row[4 + b], p->late_band[n][b]);
	}
	set_sum(t, 1, (const int[]){4, 5, 6, 7}, 4); /* late = the four bands */
	r->links[r->nlinks++] = (report_link){"late", "responses", 1, 4};

	t = report_add_table(r, arena, "findings", "Findings at each stage",
			     "Findings on complaint points at stages responded to in the period; "
			     "one finding per point per stage (001 §16.1 'number upheld').",
			     COLS("Stage", "Upheld", "Partly upheld", "Not upheld", "Not determined",
				  "Withdrawn", "Points decided", "% upheld or partly upheld"));
	for (int n = 1; n <= 3; n++) {
		row = report_add_row(t, arena);
		stage_label(&row[0], arena, n);
		int64_t all = 0;
		for (int o = 0; o < 5; o++) {
			report_set_count(&row[1 + o], p->findings[n][o]);
			all += p->findings[n][o];
		}
		report_set_count(&row[6], all);
		report_set_percent(&row[7], p->findings[n][0] + p->findings[n][1], all);
	}
	set_sum(t, 6, (const int[]){1, 2, 3, 4, 5}, 5); /* points decided = the five outcomes */
}

/* What the complaints are about: by service area, subject and team, and
 * month by month (001 §16.2 "types and trends"). */
static fh_status service_tables(fh_store *st, const scope *q, fh_report *r, passes *p,
				fh_arena *arena, fh_error *err)
{
	report_table *t;
	report_cell *row;
	fh_status s;

	t = report_add_table(r, arena, "services", "Complaints by service area",
			     "Complaints received, by the service area of the team recorded on the "
			     "case, against the previous period (001 §16.2 'types and trends').",
			     COLS("Service area", "Complaints", "Previous period", "Change"));
	{
		/* every service in scope (a team's report shows its service), by name */
		team_line *lines = arena_array(arena, p->nteams + 1, sizeof *lines);
		size_t n = 0;
		const team_row *scoped = q->team_id ? team_of(p, q->team_id) : NULL;
		for (size_t i = 0; i < p->nteams; i++) {
			const team_row *sv = &p->teams[i];
			if (!sv->service || (q->team_id && sv->id != q->team_id &&
					     !(scoped && scoped->parent == sv->id)))
				continue;
			lines[n++] = (team_line){sv->name, "", {sv->service_complaints[0],
								sv->service_complaints[1]}};
		}
		qsort(lines, n, sizeof *lines, cmp_team_line);
		for (size_t i = 0; i < n; i++) {
			row = report_add_row(t, arena);
			report_set_text(&row[0], arena, lines[i].service);
			report_set_count(&row[1], lines[i].n[0]);
			report_set_count(&row[2], lines[i].n[1]);
			report_set_change(&row[3], lines[i].n[0], lines[i].n[1]);
		}
	}
	t->columns_add_up = true; /* to the received table's totals */
	t = report_add_table(r, arena, "subjects", "Complaints by subject",
			     "Complaints received, by the service the case says it is about "
			     "(the case's service field), against the previous period.",
			     COLS("Subject", "Complaints", "Previous period", "Change"));
	if (p->nsubjects)
		qsort(p->subjects, p->nsubjects, sizeof *p->subjects, cmp_subject);
	for (size_t i = 0; i < p->nsubjects; i++) {
		row = report_add_row(t, arena);
		report_set_text(&row[0], arena, p->subjects[i].name);
		report_set_count(&row[1], p->subjects[i].n[0]);
		report_set_count(&row[2], p->subjects[i].n[1]);
		report_set_change(&row[3], p->subjects[i].n[0], p->subjects[i].n[1]);
	}
	t->columns_add_up = true; /* to the received table's totals */
	/* a subject is typed on the case; the anonymised
	 * version names only the organisation's service areas (its teams
	 * table, a closed list) and "(not recorded)". */
	if ((s = service_names(st, q, arena, &t->closed[0].values, err)))
		return s;
	t->label_col = 0;
	t->nclosed = 1;

	t = report_add_table(r, arena, "teams", "Complaints by team",
			     "Complaints received, by the team recorded on the case, against the "
			     "previous period (001 §16: Head of Service and Team Manager level).",
			     COLS("Service area", "Team", "Complaints", "Previous period", "Change"));
	teams_rows(p, q, false, t, arena);
	t->columns_add_up = true; /* to the received table's totals */
	t = report_add_table(r, arena, "monthly", "Complaints received each month",
			     "Complaints by month of receipt across the period (the trend line).",
			     COLS("Month", "Complaints"));
	{
		int y, m, dd;
		date_to_ymd(r->from, &y, &m, &dd);
		for (int i = 0; i < p->months; i++) {
			row = report_add_row(t, arena);
			report_set_text(&row[0], arena, arena_printf(arena, "%04d-%02d", y, m));
			report_set_count(&row[1], p->monthly[i]);
			if (++m > 12)
				m = 1, y++;
		}
	}
	t->columns_add_up = true; /* to the complaints received */
	return FH_OK;
}

/* What followed: extensions, escalation to the next stage, the Ombudsman,
 * and the learning the responses stated. */
static fh_status follow_up_tables(fh_store *st, const scope *q, fh_report *r, passes *p,
				fh_arena *arena, fh_error *err)
{
	report_table *t;
	report_cell *row;
	fh_status s;

	t = report_add_table(r, arena, "extensions", "Extensions used",
			     "Extensions of a response clock agreed in the period, by stage and "
			     "the reason recorded.",
			     COLS("Stage", "Reason", "Extensions"));
	if ((s = run_table(st, q, SQL_EXTENSIONS, "ttc", t, arena, err)))
		return s;
	add_total_row(t, arena, "all extensions");

	t = report_add_table(r, arena, "escalation", "Escalation between stages",
			     "Of the stage responses sent in the period, how many cases have since "
			     "gone on to the next stage (requested, started or finished).",
			     COLS("Between", "Responses", "Escalated", "Escalation rate"));
	for (int n = 1; n <= 2; n++) {
		row = report_add_row(t, arena);
		report_set_text(&row[0], arena, arena_printf(arena, "Stage %d to stage %d", n, n + 1));
		report_set_count(&row[1], p->responses[n]);
		report_set_count(&row[2], p->escalated[n]);
		report_set_percent(&row[3], p->escalated[n], p->responses[n]);
	}
	r->links[r->nlinks++] = (report_link){"escalation", "responses", 1, 1};

	t = report_add_table(r, arena, "ombudsman", "Ombudsman enquiries and outcomes",
			     "Enquiries from the Ombudsman recorded in the period, by the outcome "
			     "recorded so far.",
			     COLS("Outcome", "Enquiries"));
	if ((s = run_table(st, q, SQL_OMBUDSMAN, "tc", t, arena, err)))
		return s;
	add_total_row(t, arena, "all enquiries");

	t = report_add_table(r, arena, "learning", "Learning and service improvements",
			     "Stage responses sent in the period, those stating what was learnt, "
			     "and the actions they agreed with how many are done (003 'Monitoring "
			     "and learning').",
			     COLS("Stage", "Responses", "With a learning statement", "Actions agreed",
				  "Actions done"));
	for (int n = 1; n <= 3; n++) {
		row = report_add_row(t, arena);
		stage_label(&row[0], arena, n);
		report_set_count(&row[1], p->responses[n]);
		report_set_count(&row[2], p->learning[n]);
		report_set_count(&row[3], p->actions[n]);
		report_set_count(&row[4], p->actions_done[n]);
	}
	r->links[r->nlinks++] = (report_link){"learning", "responses", 1, 1};
	return FH_OK;
}

/* The people: compliments by team, equality monitoring, and the named
 * lists (officers, learning, compliments) the anonymised version leaves out. */
static fh_status people_tables(fh_store *st, const scope *q, fh_report *r, passes *p,
				fh_arena *arena, fh_error *err)
{
	report_table *t;
	report_cell *row;
	fh_status s;

	t = report_add_table(r, arena, "compliments", "Compliments by team",
			     "Compliments received, by the team recorded on the case, against the "
			     "previous period.",
			     COLS("Service area", "Team", "Compliments", "Previous period", "Change"));
	teams_rows(p, q, true, t, arena);
	t->columns_add_up = true; /* to the received table's totals */
	t = report_add_table(r, arena, "equality", "Equality monitoring of complainants",
			     "Each complainant of a complaint received in the period counted once, "
			     "by their answers on the monitoring form. Counts of 1 to 4 are always "
			     "shown as <5, in every version of the report.",
			     COLS("Question", "Answer", "Complainants"));
	t->always_suppress = true;
	t->group_col = 0; /* each question's answers add up to the complainants */
	/* the answers published are those from the form's
	 * closed lists (the age bands, the disability and sex choices); the
	 * questions answered in a person's own words (language, religion,
	 * racial identity) show only how many answered, as "Other". */
	static const char *const AGE_BANDS[] = {"not answered", "under 18", "18 to 24", "25 to 44",
						"45 to 64", "65 and over", NULL};
	static const char *const DISABILITY[] = {"not answered", "yes", "no", "prefer_not_to_say",
						 NULL};
	static const char *const SEX[] = {"not answered", "Female", "Male",
					  "I describe myself another way", "I prefer not to say",
					  NULL};
	static const char *const UNANSWERED[] = {"not answered", NULL};
	t->label_col = 1;
	t->nclosed = 6;
	t->closed[0].group = "Age at the end of the period", t->closed[0].values = AGE_BANDS;
	t->closed[1].group = "Disability", t->closed[1].values = DISABILITY;
	t->closed[2].group = "Sex", t->closed[2].values = SEX;
	t->closed[3].group = "Preferred language", t->closed[3].values = UNANSWERED;
	t->closed[4].group = "Racial identity", t->closed[4].values = UNANSWERED;
	t->closed[5].group = "Religion", t->closed[5].values = UNANSWERED;
	if ((s = run_table(st, q, SQL_EQUALITY, "ttc", t, arena, err)))
		return s;

	t = report_add_table(r, arena, "officers", "Responses by officer",
			     "Stage responses sent in the period by the officers assigned to the "
			     "stage (adjudicating, investigating or reviewing). Not in the anonymised version.",
			     COLS("Officer", "Responses", "% within deadline"));
	t->personal = true;
	if (p->nofficers) /* qsort's array must not be NULL, even empty */
		qsort(p->officers, p->nofficers, sizeof *p->officers, cmp_officer);
	for (size_t i = 0; i < p->nofficers; i++) {
		row = report_add_row(t, arena);
		report_set_text(&row[0], arena, p->officers[i].name);
		report_set_count(&row[1], p->officers[i].responses);
		report_set_percent(&row[2], p->officers[i].within, p->officers[i].with_due);
	}

	t = report_add_table(r, arena, "learning_statements", "What was learnt",
			     "The learning statements of the stage responses sent in the period, "
			     "newest first (at most 500). Not in the anonymised version.",
			     COLS("Case", "Stage", "Responded", "Learning"));
	t->personal = true;
	if ((s = run_table(st, q, store_is_postgresql(st) ? SQL_LEARNING_LIST_PG : SQL_LEARNING_LIST, "tttt", t, arena, err)))
		return s;

	t = report_add_table(r, arena, "compliment_list", "Compliments received",
			     "Compliments received in the period, newest first (at most 500), to "
			     "pass on to the staff they are about. Not in the anonymised version.",
			     COLS("Case", "Received", "Team", "Summary"));
	t->personal = true;
	if ((s = run_table(st, q, SQL_COMPLIMENT_LIST, "tttt", t, arena, err)))
		return s;
	return FH_OK;
}

static fh_status build(fh_store *st, const scope *q0, const fh_calendar *cal, fh_report *r,
		       fh_arena *arena, fh_error *err)
{
	scope q = *q0;
	fh_status s;
	passes p;
	memset(&p, 0, sizeof p);
	p.months = report_month_count(r->from, r->to);
	p.monthly = calloc((size_t)p.months, sizeof *p.monthly);
	if (!p.monthly)
		abort();
	if ((s = load_teams(st, &q, &p, arena, err)) ||
	    (s = case_pass(st, &q, r->from, &p, arena, err)) ||
	    (s = stage_pass(st, &q, cal, &p, arena, err))) {
		passes_free(&p);
		return s;
	}
	volume_tables(r, &p, arena);
	response_tables(r, &p, arena);
	if (!(s = service_tables(st, &q, r, &p, arena, err)) &&
	    !(s = follow_up_tables(st, &q, r, &p, arena, err)) &&
	    !(s = people_tables(st, &q, r, &p, arena, err)))
		s = policy_tables(st, &q, r, arena, err);
	passes_free(&p);
	return s;
}

fh_status store_report_build(fh_store *st, const store_report_query *in, fh_arena *arena,
			     fh_report *out, fh_error *err)
{
	memset(out, 0, sizeof *out);
	if (in->kind == REPORT_KIND_ANNUAL && in->team)
		return error_set(err, FH_EINVAL, "team", NULL,
				 "the annual report is of the whole organisation: give no team");
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
	const char *snapshot = store_is_postgresql(st)
		? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN";
	if (opened && db_exec(st->db, snapshot) != DB_OK)
		return store_fail(st, "starting the report", err);
	fh_status s = FH_OK;
	if (!(s = store_org_id(st, in->org_code, &q.org_id, err)) && in->team)
		s = store_team_lookup(st, q.org_id, in->team, &q.team_id, err);
	if (!s)
		s = store_calendar_for_org(st, in->org_code, &cal, err);
	if (!s) {
		db_stmt *stmt;
		if (!(s = store_prepare(st, "SELECT name FROM organisations WHERE id = ?1", &stmt, err))) {
			db_bind_int64(stmt, 1, q.org_id);
			if (db_step(stmt) == DB_ROW)
				out->org_name = store_column_text(stmt, 0, arena);
			db_finalize(stmt);
		}
	}
	if (!s) {
		out->org_code = arena_strdup(arena, in->org_code);
		out->team = in->team ? arena_strdup(arena, in->team) : NULL;
		out->from = in->from;
		out->to = in->to;
		out->prev_from = prev_from;
		out->prev_to = prev_to;
		out->kind = in->kind;
		if (in->kind == REPORT_KIND_ANNUAL)
			s = store_report_annual_tables(st, q.org_id, q.from, q.to, out, arena, err);
		else
			s = build(st, &q, cal, out, arena, err);
	}
	if (cal)
		calendar_free(cal);
	if (opened)
		db_exec(st->db, "COMMIT");
	return s;
}

/* --- the report's projections (migration 009_report) ------------------------- */

/* One row per stage, from case_stages, findings and case_assignments as
 * project() has just written them: the same rows the report once joined. */
/* A finding count of one outcome at the stage, by the case's points (the
 * indexes on complaint_points (case_id) and findings (point_id, stage)). */
#define FINDINGS(outcome) \
	" (SELECT count(*) FROM complaint_points p JOIN findings x ON x.point_id = p.id" \
	"   WHERE p.case_id = s.case_id AND x.stage = s.stage AND x.outcome = '" outcome "'),"
static const char SQL_PROJECT_STAGES[] =
	"INSERT INTO report_stages (case_id, stage, org_id, team_id, requested_on, started_on,"
	" due_on, responded_on, upheld, partly_upheld, not_upheld, not_determined, withdrawn,"
	" escalated, officers)"
	" SELECT s.case_id, s.stage, c.org_id, c.team_id, coalesce(s.requested_on, s.started_on),"
	" s.started_on, s.due_on, s.responded_on,"
	FINDINGS("upheld") FINDINGS("partly_upheld") FINDINGS("not_upheld")
	FINDINGS("not_determined") FINDINGS("withdrawn")
	" CASE WHEN EXISTS (SELECT 1 FROM case_stages nx WHERE nx.case_id = s.case_id"
	"  AND nx.stage = s.stage + 1) THEN 1 ELSE 0 END,"
	" coalesce((SELECT group_concat(a.user_email, ', ') FROM case_assignments a"
	"   WHERE a.case_id = s.case_id AND a.stage = s.stage AND a.ended_at IS NULL"
	"   AND a.role IN ('adjudicating_officer', 'investigating_officer', 'reviewing_officer')), '')"
	" FROM case_stages s JOIN cases c ON c.id = s.case_id WHERE s.case_id = ?1";

static fh_status exec_case(fh_store *st, const char *sql, int64_t case_id, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, sql, &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	return store_stmt_run(st, stmt, "projecting the case for the report", err);
}

fh_status store_report_project(fh_store *st, int64_t case_id, const json_t *state, fh_error *err)
{
	fh_status s = exec_case(st, "DELETE FROM report_stages WHERE case_id = ?1", case_id, err);
	if (!s)
		s = exec_case(st, "DELETE FROM report_extensions WHERE case_id = ?1", case_id, err);
	if (!s)
		s = exec_case(st, "DELETE FROM report_ombudsman WHERE case_id = ?1", case_id, err);
	if (!s)
		s = exec_case(st, SQL_PROJECT_STAGES, case_id, err);
	size_t i, j;
	json_t *stage, *x;
	db_stmt *stmt;
	json_array_foreach(json_object_get(state, "stages"), i, stage) {
		if (s)
			break;
		json_int_t n = json_integer_value(json_object_get(stage, "number"));
		/* 003 "Monitoring and learning": what the response says was learnt,
		 * the actions it agreed and how many are done. */
		json_t *response = json_object_get(stage, "response");
		const char *learning = json_string_value(json_object_get(response, "learning"));
		json_t *actions = json_object_get(response, "actions");
		int64_t done = 0;
		json_array_foreach(actions, j, x) {
			json_t *on = json_object_get(x, "done_on");
			done += on && !json_is_null(on);
		}
		if ((learning && learning[0]) || json_array_size(actions)) {
			s = store_stmt(st, "UPDATE report_stages SET learning = ?3, actions = ?4,"
					   " actions_done = ?5 WHERE case_id = ?1 AND stage = ?2", &stmt, err);
			if (s)
				break;
			db_bind_int64(stmt, 1, case_id);
			db_bind_int64(stmt, 2, n);
			db_bind_int(stmt, 3, learning && learning[0]);
			db_bind_int64(stmt, 4, (int64_t)json_array_size(actions));
			db_bind_int64(stmt, 5, done);
			s = store_stmt_run(st, stmt, "projecting a response for the report", err);
		}
		json_array_foreach(json_object_get(stage, "extensions"), j, x) {
			const char *on = json_string_value(json_object_get(x, "on"));
			const char *because = json_string_value(json_object_get(x, "because"));
			if (s || !on)
				continue;
			s = store_stmt(st, "INSERT INTO report_extensions (case_id, stage, org_id, team_id,"
					   " on_date, because) SELECT id, ?2, org_id, team_id, ?3, ?4"
					   " FROM cases WHERE id = ?1", &stmt, err);
			if (s)
				break;
			db_bind_int64(stmt, 1, case_id);
			db_bind_int64(stmt, 2, n);
			store_bind_text(stmt, 3, on);
			store_bind_text(stmt, 4, because ? because : "(not given)");
			s = store_stmt_run(st, stmt, "projecting an extension for the report", err);
		}
	}
	json_array_foreach(json_object_get(state, "ombudsman"), i, x) {
		const char *on = json_string_value(json_object_get(x, "enquiry_on"));
		if (s || !on)
			continue;
		s = store_stmt(st, "INSERT INTO report_ombudsman (case_id, org_id, team_id, enquiry_on,"
				   " outcome) SELECT id, org_id, team_id, ?2, ?3 FROM cases WHERE id = ?1",
			       &stmt, err);
		if (s)
			break;
		db_bind_int64(stmt, 1, case_id);
		store_bind_text(stmt, 2, on);
		store_bind_text(stmt, 3, json_string_value(json_object_get(x, "outcome")));
		s = store_stmt_run(st, stmt, "projecting an Ombudsman enquiry for the report", err);
	}
	return s;
}

fh_status store_report_projection_ready(fh_store *st, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st, "SELECT built FROM report_projection WHERE id = 1", &stmt, err);
	if (s) {
		/* No table: a schema from before the projections (store_open_version). */
		error_clear(err);
		return FH_OK;
	}
	bool built = db_step(stmt) != DB_ROW || db_column_int(stmt, 0) == 1;
	db_finalize(stmt);
	if (built)
		return FH_OK;
	bool opened;
	if ((s = store_tx_begin(st, &opened, err)))
		return s;
	if (!(s = store_prepare(st, "SELECT case_id, state FROM case_lifecycle ORDER BY case_id",
				&stmt, err))) {
		int rc;
		while (!s && (rc = db_step(stmt)) == DB_ROW) {
			json_t *state = json_loads((const char *)db_column_text(stmt, 1), 0, NULL);
			if (!state) {
				s = error_set(err, FH_ESTORE, "db", NULL, "case %lld: its lifecycle state is "
					      "not JSON", (long long)db_column_int64(stmt, 0));
				break;
			}
			s = store_report_project(st, db_column_int64(stmt, 0), state, err);
			json_decref(state);
		}
		if (!s && rc != DB_DONE)
			s = store_fail(st, "reading the cases for the report", err);
		db_finalize(stmt);
	}
	if (!s && !(s = store_stmt(st, "UPDATE report_projection SET built = 1", &stmt, err)))
		s = store_stmt_run(st, stmt, "marking the report's rows built", err);
	return store_tx_end(st, opened, s, err);
}
