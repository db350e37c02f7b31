/*
 * store_report_annual: the tables of the annual complaints performance and
 * service improvement report (issue 19 item 3; docs/reports.md "The annual
 * report"), which the Ombudsman's Complaint Handling Code asks a council to
 * publish and report to its elected members.
 *
 * Every figure is put beside the same figure for the statutory children's
 * procedures, and for any other non-statutory procedure the organisation
 * ran in the period (a council's corporate procedure before it adopted the
 * Code), so each table's rows are a stage (or a measure) and a procedure
 * group.  A case belongs to the Code's group when its procedure is the
 * shipped Code (procedures/lgsco-code.json) or the organisation's own copy
 * of it (organisation_procedures.based_on), whatever its code.
 *
 * In time or late is decided by each case's own clocks as its lifecycle
 * document holds them (the due date each clock had when it finished, with
 * any extension), never by a number of days written here: the Code's 5, 10
 * and 20 working days come from the procedure file, a statutory case's 2
 * and 10 from its own.  So the numbers are read from the lifecycle
 * documents, one pass over the organisation's complaints, rather than from
 * the monitoring report's daily projections, which keep no acknowledgement.
 * An annual report is made a few times a year; the pass reads each
 * complaint's document once.
 */
#include "store_report.h"

#include <stdlib.h>
#include <string.h>

#include <strings.h>

#include <jansson.h>

#include "html.h"
#include "store_assessment.h"
#include "store_internal.h"
#include "store_rows.h"

/* The shipped Code's procedure code: an organisation adopting it names it
 * in its file's procedures[].based_on (docs/organisations.md). */
#define CODE_PROCEDURE "lgsco-code"

enum { CODE, STATUTORY, OTHER, GROUPS };
static const char *const GROUP_NAMES[GROUPS] = {
	"Complaint Handling Code", "Statutory (children's)", "Other non-statutory"};

enum { STAGES = 3 };
/* The outcomes of a finding (DOMAIN §4), in the order the table shows them. */
static const char *const OUTCOMES[] = {"upheld", "partly_upheld", "not_upheld",
				       "not_determined", "withdrawn"};
enum { N_OUTCOMES = sizeof OUTCOMES / sizeof OUTCOMES[0] };

typedef struct reason_row {
	int stage, group;
	const char *reason;
	int64_t n, good;
} reason_row;

typedef struct ombudsman_row {
	int group;
	const char *outcome;
	int64_t n;
} ombudsman_row;

typedef struct case_group {
	int64_t id;
	int group;
} case_group;

typedef struct annual {
	const char *from, *to;
	int64_t received[STAGES + 1][GROUPS];
	int64_t acked[STAGES + 1][GROUPS], acked_in_time[STAGES + 1][GROUPS];
	int64_t responses[STAGES + 1][GROUPS], answered_in_time[STAGES + 1][GROUPS];
	int64_t extended[STAGES + 1][GROUPS];
	int64_t outcomes[STAGES + 1][GROUPS][N_OUTCOMES];
	int64_t learning[STAGES + 1][GROUPS], actions[STAGES + 1][GROUPS];
	int64_t actions_done[STAGES + 1][GROUPS];
	/* responses at a later stage by no one who had a hand in the stage
	 * before (LGSCO Code §6, Stage 2) */
	int64_t separate[STAGES + 1][GROUPS];
	int64_t enquiries[GROUPS];
	reason_row *reasons;
	size_t nreasons, reasons_cap;
	ombudsman_row *decisions;
	size_t ndecisions, decisions_cap;
	case_group *cases; /* by id, for the remedies */
	size_t ncases, cases_cap;
	const char **code_procs; /* the organisation's copies of the Code */
	size_t ncode_procs;
	report_table *improvements, *extension_list; /* the personal lists */
} annual;

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 16;
	void *bigger = realloc(p, *cap * size);
	if (!bigger)
		abort();
	return bigger;
}

static bool in_period(const annual *a, const char *iso)
{
	return iso && strcmp(iso, a->from) >= 0 && strcmp(iso, a->to) <= 0;
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The procedure codes of the organisation that are the Code's. */
static fh_status load_code_procedures(fh_store *st, int64_t org_id, annual *a, fh_arena *arena,
				      fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st, "SELECT DISTINCT procedure_code FROM organisation_procedures"
				    " WHERE org_id = ?1 AND based_on = ?2 ORDER BY 1", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	store_bind_text(stmt, 2, CODE_PROCEDURE);
	size_t cap = 4;
	a->code_procs = arena_array(arena, cap + 1, sizeof *a->code_procs);
	a->code_procs[a->ncode_procs++] = CODE_PROCEDURE;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		if (a->ncode_procs == cap) {
			const char **bigger = arena_array(arena, cap * 2 + 1, sizeof *bigger);
			memcpy(bigger, a->code_procs, a->ncode_procs * sizeof *bigger);
			a->code_procs = bigger;
			cap *= 2;
		}
		a->code_procs[a->ncode_procs++] = store_column_text(stmt, 0, arena);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "reading the organisation's procedures", err);
	db_finalize(stmt);
	return s;
}

static int group_of(const annual *a, const char *route, const char *procedure)
{
	if (!strcmp(route, "statutory"))
		return STATUTORY;
	for (size_t i = 0; i < a->ncode_procs; i++)
		if (!strcmp(a->code_procs[i], procedure))
			return CODE;
	return OTHER;
}

/* A finished clock: counted when it finished in the period, in time when on
 * or before the due date it had (as extended). */
static bool clock_in_period(const annual *a, const json_t *clock, bool *in_time)
{
	const char *done = jstr(clock, "done_on"), *due = jstr(clock, "due");
	if (!in_period(a, done))
		return false;
	*in_time = due && strcmp(done, due) <= 0;
	return true;
}

static void add_reason(annual *a, int stage, int group, const char *reason, bool good)
{
	for (size_t i = 0; i < a->nreasons; i++) {
		reason_row *r = &a->reasons[i];
		if (r->stage == stage && r->group == group && !strcmp(r->reason, reason)) {
			r->n++;
			r->good += good;
			return;
		}
	}
	a->reasons = grow(a->reasons, &a->reasons_cap, a->nreasons, sizeof *a->reasons);
	a->reasons[a->nreasons++] = (reason_row){stage, group, reason, 1, good};
}

static void add_decision(annual *a, int group, const char *outcome)
{
	for (size_t i = 0; i < a->ndecisions; i++)
		if (a->decisions[i].group == group && !strcmp(a->decisions[i].outcome, outcome)) {
			a->decisions[i].n++;
			return;
		}
	a->decisions = grow(a->decisions, &a->decisions_cap, a->ndecisions, sizeof *a->decisions);
	a->decisions[a->ndecisions++] = (ombudsman_row){group, outcome, 1};
}

/* A code as people read it: "partly_upheld" -> "Partly upheld". */
static const char *words(fh_arena *arena, const char *code)
{
	char *out = arena_strdup(arena, code);
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = ' ';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
	return out;
}

/* Whether user is among the people who handled stage: who issued its
 * response, and everyone assigned to it in one of its handling roles. */
static bool handled(const json_t *stage, const char *user)
{
	static const char *const ROLES[] = {"adjudicating_officer", "investigating_officer",
					    "reviewing_officer"};
	const char *by = jstr(json_object_get(stage, "response"), "by");
	if (by && !strcasecmp(by, user))
		return true;
	size_t i;
	json_t *as;
	json_array_foreach(json_object_get(stage, "assignments"), i, as) {
		const char *role = jstr(as, "role"), *who = jstr(as, "user");
		for (size_t r = 0; role && who && r < sizeof ROLES / sizeof ROLES[0]; r++)
			if (!strcmp(role, ROLES[r]) && !strcasecmp(who, user))
				return true;
	}
	return false;
}

/* Whether no one who handled stage had handled the stage before it
 * (number n - 1) of the same case. */
static bool separate_from_before(const json_t *state, const json_t *stage, int n)
{
	const json_t *before = NULL;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(state, "stages"), i, x)
		if (json_integer_value(json_object_get(x, "number")) == n - 1)
			before = x;
	if (!before)
		return true;
	const char *by = jstr(json_object_get(stage, "response"), "by");
	if (by && handled(before, by))
		return false;
	json_array_foreach(json_object_get(stage, "assignments"), i, x) {
		const char *who = jstr(x, "user");
		if (who && handled(before, who))
			return false;
	}
	return true;
}

/* One stage of one case: its acknowledgement, response, extensions,
 * findings and learning, each by its own date in the period. */
static void stage_figures(annual *a, const char *reference, int group, const json_t *state,
			  const json_t *stage, fh_arena *arena)
{
	int n = (int)json_integer_value(json_object_get(stage, "number"));
	if (n < 1 || n > STAGES)
		return;
	const json_t *clocks = json_object_get(stage, "clocks");
	/* the stage's own acknowledgement, or for Stage 1 the case's */
	const json_t *ack = json_object_get(clocks, "acknowledge");
	if (!ack && n == 1)
		ack = json_object_get(json_object_get(state, "clocks"), "acknowledge");
	bool in_time;
	if (ack && clock_in_period(a, ack, &in_time)) {
		a->acked[n][group]++;
		a->acked_in_time[n][group] += in_time;
	}
	if (n >= 2 && (in_period(a, jstr(stage, "requested_on")) ||
		       (!jstr(stage, "requested_on") && in_period(a, jstr(stage, "accepted_on")))))
		a->received[n][group]++;
	const json_t *response = json_object_get(clocks, "response");
	const char *responded = jstr(stage, "responded_on");
	if (in_period(a, responded)) {
		const char *due = jstr(response, "due");
		a->responses[n][group]++;
		a->answered_in_time[n][group] += due && strcmp(responded, due) <= 0;
		a->extended[n][group] += json_integer_value(json_object_get(response, "extended_to")) > 0 ||
					 jstr(response, "due_override") != NULL;
		if (n >= 2)
			a->separate[n][group] += separate_from_before(state, stage, n);
		const char *key;
		json_t *f;
		json_object_foreach(json_object_get(stage, "findings"), key, f) {
			const char *outcome = jstr(f, "outcome");
			for (int o = 0; outcome && o < N_OUTCOMES; o++)
				if (!strcmp(OUTCOMES[o], outcome))
					a->outcomes[n][group][o]++;
		}
		const json_t *r = json_object_get(stage, "response");
		const char *learning = jstr(r, "learning");
		json_t *acts = json_object_get(r, "actions");
		size_t i;
		json_t *x;
		html_buf list = HTML_BUF_INIT;
		json_array_foreach(acts, i, x) {
			json_t *done = json_object_get(x, "done_on");
			a->actions_done[n][group] += done && !json_is_null(done);
			const char *what = jstr(x, "action"), *owner = jstr(x, "owner");
			const char *by = jstr(x, "due_on");
			html_rawf(&list, "%s%s (%s, by %s)", i ? "; " : "", what ? what : "",
				  owner ? owner : "no owner", by ? by : "no date");
		}
		a->actions[n][group] += (int64_t)json_array_size(acts);
		a->learning[n][group] += learning && learning[0];
		if ((learning && learning[0]) || json_array_size(acts)) {
			report_cell *row = report_add_row(a->improvements, arena);
			report_set_text(&row[0], arena, reference);
			report_set_text(&row[1], arena, GROUP_NAMES[group]);
			report_set_text(&row[2], arena, arena_printf(arena, "Stage %d", n));
			report_set_text(&row[3], arena, responded);
			report_set_text(&row[4], arena, learning ? learning : "");
			report_set_text(&row[5], arena, list.data ? list.data : "");
		}
		html_buf_free(&list);
	}
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(stage, "extensions"), i, x) {
		const char *on = jstr(x, "on");
		if (!in_period(a, on))
			continue;
		const char *because = jstr(x, "because"), *good = jstr(x, "good_reason");
		/* the reason in the person's words may name people: the table of
		 * counts shows the procedure's reason code, the words only the
		 * personal list */
		add_reason(a, n, group, because && because[0] ? words(arena, because)
							      : "A reason in words (see the list)",
			   good && good[0]);
		report_cell *row = report_add_row(a->extension_list, arena);
		report_set_text(&row[0], arena, reference);
		report_set_text(&row[1], arena, GROUP_NAMES[group]);
		report_set_text(&row[2], arena, arena_printf(arena, "Stage %d", n));
		report_set_text(&row[3], arena, on);
		report_set_text(&row[4], arena, jstr(x, "reason") ? jstr(x, "reason") : "");
		report_set_text(&row[5], arena, good ? good : "");
	}
}

/* The pass over the organisation's complaints: every one handled under a
 * procedure and received by the end of the period. */
static fh_status case_pass(fh_store *st, int64_t org_id, annual *a, fh_arena *arena,
			   fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st,
		"SELECT c.id, c.reference, c.route, coalesce(c.procedure_code, ''), c.received_on,"
		" l.state FROM cases c JOIN case_lifecycle l ON l.case_id = c.id"
		" WHERE c.org_id = ?1 AND c.kind = 'complaint'"
		" AND c.route IN ('statutory', 'non_statutory') AND c.received_on <= ?2"
		" ORDER BY c.id", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	store_bind_text(stmt, 2, a->to);
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		int64_t id = db_column_int64(stmt, 0);
		const char *reference = store_column_text(stmt, 1, arena);
		int group = group_of(a, (const char *)db_column_text(stmt, 2),
				     (const char *)db_column_text(stmt, 3));
		const char *received = (const char *)db_column_text(stmt, 4);
		json_t *state = json_loads((const char *)db_column_text(stmt, 5), 0, NULL);
		if (!state) {
			s = error_set(err, FH_ESTORE, "db", NULL, "case %s: its lifecycle state is "
				      "not JSON", reference);
			break;
		}
		a->cases = grow(a->cases, &a->cases_cap, a->ncases, sizeof *a->cases);
		a->cases[a->ncases++] = (case_group){id, group};
		/* Stage 1 is the complaint itself, received on the case's date */
		a->received[1][group] += in_period(a, received);
		size_t i;
		json_t *x;
		json_array_foreach(json_object_get(state, "stages"), i, x)
			stage_figures(a, reference, group, state, x, arena);
		json_array_foreach(json_object_get(state, "ombudsman"), i, x) {
			a->enquiries[group] += in_period(a, jstr(x, "enquiry_on"));
			if (jstr(x, "outcome") && in_period(a, jstr(x, "outcome_on")))
				add_decision(a, group, words(arena, jstr(x, "outcome")));
		}
		json_decref(state);
	}
	if (!s && rc != DB_DONE)
		s = store_fail(st, "reading the complaints for the annual report", err);
	db_finalize(stmt);
	return s;
}

static int cmp_case(const void *x, const void *y)
{
	int64_t a = ((const case_group *)x)->id, b = ((const case_group *)y)->id;
	return (a > b) - (a < b);
}

#define COLS(...) (sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)), \
	(const char *const[]){__VA_ARGS__}

/*
 * Remedies approved in the period (001 §18, Appendix B; the Code's
 * "putting things right"), by type, beside each other by procedure group,
 * with the amount approved: the redress subsystem's own table.
 */
static fh_status remedies_table(fh_store *st, int64_t org_id, annual *a, fh_report *r,
				fh_arena *arena, fh_error *err)
{
	static const char *const TYPES[] = {"apology", "policy_review", "provide_service",
					    "staff_training", "financial", "delay_payment"};
	enum { N_TYPES = sizeof TYPES / sizeof TYPES[0] };
	int64_t approved[GROUPS][N_TYPES] = {{0}}, delivered[GROUPS][N_TYPES] = {{0}};
	int64_t pence[GROUPS][N_TYPES] = {{0}};
	db_stmt *stmt;
	fh_status s = store_prepare(st,
		"SELECT r.case_id, r.type, r.amount_pence, r.delivered_on IS NOT NULL"
		" FROM remedies r JOIN cases c ON c.id = r.case_id"
		" WHERE c.org_id = ?1 AND r.approved_on BETWEEN ?2 AND ?3", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	store_bind_text(stmt, 2, a->from);
	store_bind_text(stmt, 3, a->to);
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		case_group key = {db_column_int64(stmt, 0), 0};
		const case_group *c = a->ncases ? bsearch(&key, a->cases, a->ncases, sizeof *a->cases,
							  cmp_case) : NULL;
		const char *type = (const char *)db_column_text(stmt, 1);
		int g = c ? c->group : OTHER;
		for (int t = 0; t < N_TYPES; t++)
			if (!strcmp(TYPES[t], type)) {
				approved[g][t]++;
				delivered[g][t] += db_column_int(stmt, 3);
				pence[g][t] += db_column_int64(stmt, 2);
			}
	}
	if (rc != DB_DONE)
		s = store_fail(st, "reading the remedies", err);
	db_finalize(stmt);
	if (s)
		return s;
	report_table *t = report_add_table(
		r, arena, "annual_remedies", "Remedies approved",
		"Remedies approved in the period on the organisation's complaints, by type, with how "
		"many of them have been delivered and the amount approved in pounds (001 §18, "
		"Appendix B; LGSCO Code, putting things right).",
		COLS("Procedure", "Remedy", "Approved", "Delivered", "Amount approved (£)"));
	for (int g = 0; g < GROUPS; g++) {
		int64_t n = 0, d = 0, p = 0;
		for (int k = 0; k < N_TYPES; k++) {
			if (!approved[g][k])
				continue;
			report_cell *row = report_add_row(t, arena);
			report_set_text(&row[0], arena, GROUP_NAMES[g]);
			report_set_text(&row[1], arena, words(arena, TYPES[k]));
			report_set_count(&row[2], approved[g][k]);
			report_set_count(&row[3], delivered[g][k]);
			report_set_number(&row[4], pence[g][k], 2, approved[g][k]);
			n += approved[g][k], d += delivered[g][k], p += pence[g][k];
		}
		if (n) {
			report_cell *row = report_add_row(t, arena);
			report_set_text(&row[0], arena, GROUP_NAMES[g]);
			report_set_text(&row[1], arena, "All remedies");
			report_set_count(&row[2], n);
			report_set_count(&row[3], d);
			report_set_number(&row[4], p, 2, n);
		}
	}
	return FH_OK;
}

static const char *stage_name(fh_arena *arena, int n)
{
	return arena_printf(arena, "Stage %d", n);
}

/* The rows (stage, group) that have anything to show. */
static bool stage_row_used(const annual *a, int n, int g)
{
	return a->received[n][g] || a->acked[n][g] || a->responses[n][g];
}

static void figure_tables(annual *a, fh_report *r, fh_arena *arena)
{
	report_table *t;
	report_cell *row;

	t = report_add_table(r, arena, "annual_received", "Complaints at each stage",
			     "Stage 1: complaints received in the period; later stages: the "
			     "requests to escalate received in the period, by the procedure "
			     "each case is handled under (issue 19 item 3).",
			     COLS("Stage", GROUP_NAMES[CODE], GROUP_NAMES[STATUTORY],
				  GROUP_NAMES[OTHER], "All"));
	for (int n = 1; n <= STAGES; n++) {
		int64_t all = a->received[n][CODE] + a->received[n][STATUTORY] + a->received[n][OTHER];
		if (n == STAGES && !all)
			continue; /* the Code has two stages; a third only where one ran */
		row = report_add_row(t, arena);
		report_set_text(&row[0], arena, stage_name(arena, n));
		for (int g = 0; g < GROUPS; g++)
			report_set_count(&row[1 + g], a->received[n][g]);
		report_set_count(&row[4], all);
	}
	t->sum_col = 4; /* all = the three groups */
	t->nparts = 3;
	t->parts[0] = 1, t->parts[1] = 2, t->parts[2] = 3;

	t = report_add_table(
		r, arena, "annual_timescales", "Acknowledged and answered within the timescales",
		"Acknowledgements and responses made in the period, in time when made on or before "
		"the due date of the case's own clock, under its own procedure file: for the Code "
		"acknowledged within 5 working days (LGSCO Code §6.2) and answered within 10 "
		"working days of the acknowledgement at Stage 1 (§6.3-§6.5) and 20 at Stage 2 "
		"(LGSCO Code §6, Stage 2), or by the date of an extension the procedure allows; "
		"for the statutory procedures their own timescales.",
		COLS("Stage", "Procedure", "Acknowledged", "Acknowledged in time",
		     "% acknowledged in time", "Answered", "Answered in time", "% answered in time",
		     "Answered late", "Answered after an extension"));
	for (int n = 1; n <= STAGES; n++)
		for (int g = 0; g < GROUPS; g++) {
			if (!stage_row_used(a, n, g))
				continue;
			row = report_add_row(t, arena);
			report_set_text(&row[0], arena, stage_name(arena, n));
			report_set_text(&row[1], arena, GROUP_NAMES[g]);
			report_set_count(&row[2], a->acked[n][g]);
			report_set_count(&row[3], a->acked_in_time[n][g]);
			report_set_percent(&row[4], a->acked_in_time[n][g], a->acked[n][g]);
			report_set_count(&row[5], a->responses[n][g]);
			report_set_count(&row[6], a->answered_in_time[n][g]);
			report_set_percent(&row[7], a->answered_in_time[n][g], a->responses[n][g]);
			report_set_count(&row[8], a->responses[n][g] - a->answered_in_time[n][g]);
			report_set_count(&row[9], a->extended[n][g]);
		}
	t->sum_col = 5; /* answered = in time + late */
	t->nparts = 2;
	t->parts[0] = 6;
	t->parts[1] = 8;

	t = report_add_table(r, arena, "annual_extensions", "Extensions and their reasons",
			     "Extensions of a response's timescale made in the period, by the "
			     "reason the procedure names (a reason given only in words is counted "
			     "as such and listed in the unpublished version), and how many went "
			     "past the usual limit with a good reason recorded (LGSCO Code §6.4).",
			     COLS("Stage", "Procedure", "Reason", "Extensions",
				  "Past the usual limit with a good reason"));
	for (int n = 1; n <= STAGES; n++)
		for (int g = 0; g < GROUPS; g++)
			for (size_t i = 0; i < a->nreasons; i++) {
				const reason_row *x = &a->reasons[i];
				if (x->stage != n || x->group != g)
					continue;
				row = report_add_row(t, arena);
				report_set_text(&row[0], arena, stage_name(arena, n));
				report_set_text(&row[1], arena, GROUP_NAMES[g]);
				report_set_text(&row[2], arena, x->reason);
				report_set_count(&row[3], x->n);
				report_set_count(&row[4], x->good);
			}

	t = report_add_table(r, arena, "annual_outcomes", "Outcomes",
			     "Findings on the complaint points of the responses made in the period, "
			     "one per point per stage (DOMAIN §4; issue 19 item 3: upheld, partly "
			     "upheld, not upheld).",
			     COLS("Stage", "Procedure", "Upheld", "Partly upheld", "Not upheld",
				  "Not determined", "Withdrawn", "% upheld or partly upheld"));
	for (int n = 1; n <= STAGES; n++)
		for (int g = 0; g < GROUPS; g++) {
			if (!a->responses[n][g])
				continue;
			row = report_add_row(t, arena);
			report_set_text(&row[0], arena, stage_name(arena, n));
			report_set_text(&row[1], arena, GROUP_NAMES[g]);
			int64_t all = 0;
			for (int o = 0; o < N_OUTCOMES; o++) {
				report_set_count(&row[2 + o], a->outcomes[n][g][o]);
				all += a->outcomes[n][g][o];
			}
			report_set_percent(&row[7], a->outcomes[n][g][0] + a->outcomes[n][g][1], all);
		}

	t = report_add_table(r, arena, "annual_learning", "Service improvements from learning",
			     "The responses made in the period, those saying what was learnt, and "
			     "the actions they agreed, with how many are done (003 'Monitoring and "
			     "learning'; LGSCO Code, learning from complaints).",
			     COLS("Stage", "Procedure", "Responses", "With a learning statement",
				  "Actions agreed", "Actions done"));
	for (int n = 1; n <= STAGES; n++)
		for (int g = 0; g < GROUPS; g++) {
			if (!a->responses[n][g])
				continue;
			row = report_add_row(t, arena);
			report_set_text(&row[0], arena, stage_name(arena, n));
			report_set_text(&row[1], arena, GROUP_NAMES[g]);
			report_set_count(&row[2], a->responses[n][g]);
			report_set_count(&row[3], a->learning[n][g]);
			report_set_count(&row[4], a->actions[n][g]);
			report_set_count(&row[5], a->actions_done[n][g]);
		}

	t = report_add_table(r, arena, "annual_ombudsman", "The Ombudsman",
			     "Enquiries from the Ombudsman received in the period, and its decisions "
			     "recorded in the period by outcome (issue 19 item 3).",
			     COLS("Procedure", "Measure", "Number"));
	for (int g = 0; g < GROUPS; g++) {
		bool any = a->enquiries[g] > 0;
		for (size_t i = 0; i < a->ndecisions; i++)
			any |= a->decisions[i].group == g;
		if (!any)
			continue;
		row = report_add_row(t, arena);
		report_set_text(&row[0], arena, GROUP_NAMES[g]);
		report_set_text(&row[1], arena, "Enquiries received");
		report_set_count(&row[2], a->enquiries[g]);
		for (size_t i = 0; i < a->ndecisions; i++) {
			if (a->decisions[i].group != g)
				continue;
			row = report_add_row(t, arena);
			report_set_text(&row[0], arena, GROUP_NAMES[g]);
			report_set_text(&row[1], arena, arena_printf(arena, "Decided: %s",
								     a->decisions[i].outcome));
			report_set_count(&row[2], a->decisions[i].n);
		}
	}
}

/* The Code's figures the self-assessment reads (assessment.h), from the
 * same counts as the tables. */
static void code_figures(const annual *a, assessment_value *f)
{
	f[FIGURE_STAGE1_ACKNOWLEDGED_IN_TIME] = (assessment_value){a->acked_in_time[1][CODE],
								   a->acked[1][CODE]};
	f[FIGURE_STAGE1_ANSWERED_IN_TIME] = (assessment_value){a->answered_in_time[1][CODE],
							       a->responses[1][CODE]};
	f[FIGURE_STAGE2_ACKNOWLEDGED_IN_TIME] = (assessment_value){a->acked_in_time[2][CODE],
								   a->acked[2][CODE]};
	f[FIGURE_STAGE2_ANSWERED_IN_TIME] = (assessment_value){a->answered_in_time[2][CODE],
							       a->responses[2][CODE]};
	f[FIGURE_STAGE1_EXTENDED] = (assessment_value){a->extended[1][CODE], a->responses[1][CODE]};
	f[FIGURE_STAGE2_EXTENDED] = (assessment_value){a->extended[2][CODE], a->responses[2][CODE]};
	f[FIGURE_STAGE2_SEPARATE_HANDLER] = (assessment_value){a->separate[2][CODE],
							       a->responses[2][CODE]};
	int64_t learnt = 0, answered = 0;
	for (int n = 1; n <= STAGES; n++)
		learnt += a->learning[n][CODE], answered += a->responses[n][CODE];
	f[FIGURE_LEARNING_RECORDED] = (assessment_value){learnt, answered};
}

/*
 * The pass over the organisation's complaints for [from, to]: the counts in
 * *a, and the personal lists in tables of lists (the caller's report of
 * lists, in arena).  a->reasons, decisions and cases are the caller's to free.
 */
static fh_status annual_pass(fh_store *st, int64_t org_id, const char *from, const char *to,
			     annual *a, fh_report *lists, fh_arena *arena, fh_error *err)
{
	memset(a, 0, sizeof *a);
	a->from = from;
	a->to = to;
	static const char *const improvement_cols[] = {"Case", "Procedure", "Stage", "Responded",
						       "Learning", "Actions (owner, by)"};
	static const char *const extension_cols[] = {"Case", "Procedure", "Stage", "Extended on",
						     "Reason", "Good reason"};
	a->improvements = report_add_table(
		lists, arena, "annual_improvements", "What was learnt and the actions agreed",
		"Each response made in the period that says what was learnt or agrees an action. "
		"Not in the anonymised version.", 6, improvement_cols);
	a->improvements->personal = true;
	a->extension_list = report_add_table(
		lists, arena, "annual_extension_list", "The extensions, with their reasons",
		"Each extension made in the period with the reason given and any good reason "
		"recorded (LGSCO Code §6.4). Not in the anonymised version.", 6, extension_cols);
	a->extension_list->personal = true;
	fh_status s = load_code_procedures(st, org_id, a, arena, err);
	if (!s)
		s = case_pass(st, org_id, a, arena, err);
	return s;
}

static void annual_free(annual *a)
{
	free(a->reasons);
	free(a->decisions);
	free(a->cases);
}

fh_status store_annual_figures(fh_store *st, int64_t org_id, const char *from, const char *to,
			       assessment_value *figures, fh_arena *arena, fh_error *err)
{
	annual a;
	fh_report lists = {0};
	fh_status s = annual_pass(st, org_id, from, to, &a, &lists, arena, err);
	if (!s)
		code_figures(&a, figures);
	annual_free(&a);
	return s;
}

fh_status store_report_annual_tables(fh_store *st, int64_t org_id, const char *from,
				     const char *to, fh_report *r, fh_arena *arena, fh_error *err)
{
	annual a;
	r->title = "Annual complaints performance and service improvement report";
	r->sources = "LGSCO Code (the Ombudsman's Complaint Handling Code), self-assessment and "
		     "reporting; procedures/lgsco-code.json; issue 19 item 3";
	/* The personal lists are made during the pass and added after the
	 * tables of numbers, which come first in every format. */
	fh_report lists = {0};
	fh_status s = annual_pass(st, org_id, from, to, &a, &lists, arena, err);
	if (!s) {
		figure_tables(&a, r, arena);
		s = remedies_table(st, org_id, &a, r, arena, err);
	}
	if (!s) {
		/* the self-assessment against the Code (issue 19 item 4), its
		 * computed evidence from the same counts */
		assessment_value figures[FIGURE_COUNT];
		code_figures(&a, figures);
		fh_date day;
		if (!date_parse(from, &day))
			day = 0;
		s = store_assessment_table(st, org_id, assessment_year_of(day), figures, r, arena,
					   err);
	}
	if (!s) {
		r->tables[r->ntables++] = a.improvements;
		r->tables[r->ntables++] = a.extension_list;
		r->notes[r->nnotes++] =
			"Whether the Ombudsman's remedies were complied with in time: the records "
			"keep each Ombudsman enquiry, its decision and the date of the decision, but "
			"not the remedies the Ombudsman asked for or the date it set for them, so "
			"this report cannot show compliance with them.";
		r->notes[r->nnotes++] =
			"Acknowledgements and responses still outstanding at the end of the period "
			"are not counted here; the monitoring report and the dashboard show the "
			"clocks still running.";
	}
	annual_free(&a);
	return s;
}
