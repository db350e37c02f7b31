/*
 * store_case.c: recording a representation, reading it back, finding a case
 * by its reference and who is assigned to it, and the counts monitoring needs.
 */
#include "store_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "reference.h"
#include "store_cache.h"
#include "store_event.h"
#include "store_page.h"
#include "store_rows.h"

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* Runs a prepared INSERT to completion; the row's id in *id. */
static fh_status step_insert(fh_store *st, db_stmt *stmt, const char *what, int64_t *id,
			     fh_error *err)
{
	return store_stmt_run_id(st, stmt, what, id, err);
}

/*
 * The next number in an organisation's year.  The counter row is updated in
 * the caller's transaction, which holds the write lock, so two cases never
 * get one number and a rolled-back case leaves no gap.
 */
static fh_status next_reference(fh_store *st, int64_t org_id, int year, int64_t *number,
				fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st,
		"INSERT INTO reference_counters (org_id, year, last) VALUES (?, ?, 1)"
		" ON CONFLICT (org_id, year) DO UPDATE SET last = reference_counters.last + 1 RETURNING last",
		&stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	db_bind_int(stmt, 2, year);
	if (db_step(stmt) == DB_ROW)
		*number = db_column_int64(stmt, 0);
	else
		s = store_fail(st, "allocating a reference", err);
	store_stmt_done(st, stmt);
	return s;
}

/*
 * An imported historical case keeps its reference, which must be the
 * organisation's and of the year it was received; the year's counter is
 * moved past it, so a case recorded later never gets its number.
 */
static fh_status take_reference(fh_store *st, const fh_org *org, int year, const char *given,
				int64_t *number, fh_error *err)
{
	char prefix[9];
	int ref_year;
	if (!reference_parse(given, prefix, &ref_year, number))
		return error_set(err, FH_EINVAL, "reference", NULL, "'%s' is not a reference "
				 "like %s-%d-00042", given, org->ref_prefix, year);
	if (strcasecmp(prefix, org->ref_prefix) != 0)
		return error_set(err, FH_EINVAL, "reference", NULL, "'%s' is not %s's (its "
				 "references begin %s-)", given, org->code, org->ref_prefix);
	if (ref_year != year)
		return error_set(err, FH_EINVAL, "reference", NULL, "'%s' is of %d but the case "
				 "was received in %d", given, ref_year, year);
	db_stmt *stmt;
	fh_status s = store_stmt(st,
		"INSERT INTO reference_counters (org_id, year, last) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (org_id, year) DO UPDATE SET"
		" last = CASE WHEN reference_counters.last > ?3 THEN reference_counters.last ELSE ?3 END",
		&stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org->id);
	db_bind_int(stmt, 2, year);
	db_bind_int64(stmt, 3, *number);
	return store_stmt_run(st, stmt, "keeping an imported reference", err);
}

/*
 * On PostgreSQL a new person's id is not read back: the statements after
 * the person's INSERT name it as currval('people_id_seq') (the session's
 * last id from that sequence), so the INSERT goes ahead in the pipeline
 * with them instead of waiting for its answer (issue 21).  *id is then 0.
 */
#define PEOPLE_INSERT \
	"INSERT INTO people (org_id, title, given_name, family_name, organisation, address," \
	" postcode, phone, email, preferred_contact, date_of_birth, needs, created_at)" \
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define NEW_PERSON_ID_PG "coalesce(?, currval('people_id_seq'))"

static fh_status insert_person(fh_store *st, int64_t org_id, const fh_person *p,
			       const char *now, bool read_id, int64_t *id, fh_error *err)
{
	db_stmt *stmt;
	/* a caller that binds the id itself (store_party_add) has it read back */
	bool pg = store_is_postgresql(st) && !read_id;
	*id = 0;
	fh_status s = store_stmt(st, pg ? PEOPLE_INSERT : PEOPLE_INSERT " RETURNING id", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	store_bind_text(stmt, 2, or_empty(p->title));
	store_bind_text(stmt, 3, or_empty(p->given_name));
	store_bind_text(stmt, 4, or_empty(p->family_name));
	store_bind_text(stmt, 5, or_empty(p->organisation));
	store_bind_text(stmt, 6, or_empty(p->address));
	store_bind_text(stmt, 7, or_empty(p->postcode));
	store_bind_text(stmt, 8, or_empty(p->phone));
	store_bind_text(stmt, 9, or_empty(p->email));
	store_bind_text(stmt, 10, or_empty(p->preferred_contact));
	store_bind_text(stmt, 11, p->date_of_birth && *p->date_of_birth ? p->date_of_birth : NULL);
	store_bind_text(stmt, 12, or_empty(p->needs));
	store_bind_text(stmt, 13, now);
	s = pg ? store_stmt_run(st, stmt, "adding a person", err)
	       : step_insert(st, stmt, "adding a person", id, err);
	if (s || !p->equality)
		return s;

	const fh_equality *e = p->equality;
	s = store_stmt(st, pg
		? "INSERT INTO equality_monitoring (person_id, date_of_birth, preferred_language,"
		  " religion, racial_identity, sex, disability, disability_nature, recorded_at)"
		  " VALUES (" NEW_PERSON_ID_PG ", ?, ?, ?, ?, ?, ?, ?, ?)"
		: "INSERT INTO equality_monitoring (person_id, date_of_birth, preferred_language,"
		  " religion, racial_identity, sex, disability, disability_nature, recorded_at)"
		  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &stmt, err);
	if (s)
		return s;
	if (*id)
		db_bind_int64(stmt, 1, *id);
	store_bind_text(stmt, 2, e->date_of_birth && *e->date_of_birth ? e->date_of_birth : NULL);
	store_bind_text(stmt, 3, or_empty(e->preferred_language));
	store_bind_text(stmt, 4, or_empty(e->religion));
	store_bind_text(stmt, 5, or_empty(e->racial_identity));
	store_bind_text(stmt, 6, or_empty(e->sex));
	store_bind_text(stmt, 7, or_empty(e->disability));
	store_bind_text(stmt, 8, or_empty(e->disability_nature));
	store_bind_text(stmt, 9, now);
	return step_insert(st, stmt, "recording equality-monitoring answers", NULL, err);
}

/* An existing person may join a new case only within their own organisation. */
static fh_status check_person_org(fh_store *st, int64_t person_id, int64_t org_id, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT 1 FROM people WHERE id = ? AND org_id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, person_id);
	db_bind_int64(stmt, 2, org_id);
	if (db_step(stmt) != DB_ROW)
		s = error_set(err, FH_ENOTFOUND, "person_id", NULL,
			      "no person %lld in this organisation", (long long)person_id);
	store_stmt_done(st, stmt);
	return s;
}

/*
 * Consent defaults: when someone other than the child speaks for a child,
 * the child's agreement is always checked (000 "Friends or relatives";
 * 001 §7.4), so it starts as not_asked; otherwise it is not needed.
 */
static const char *default_consent(const fh_case_input *in, const fh_party *p)
{
	if (p->consent && *p->consent)
		return p->consent;
	bool has_child = false;
	for (size_t i = 0; i < in->n_parties; i++)
		has_child |= strcmp(in->parties[i].role, "child") == 0;
	bool speaks_for_child = strcmp(p->role, "representative") == 0 ||
				(strcmp(p->role, "complainant") == 0 && p->relationship &&
				 *p->relationship && strcmp(p->relationship, "self") != 0);
	return has_child && speaks_for_child ? "not_asked" : "not_needed";
}

/*
 * A case cannot have been received before its
 * organisation was set up (organisations.set_up_on, from the
 * organisation's data), nor, where that is not recorded, before
 * 1 September 2006, when the Children Act 1989 Representations Procedure
 * (England) Regulations (SI 2006/1738) that every procedure here follows
 * came into force.  (After today is refused by case_input_validate.)
 */
static fh_status check_received_after_set_up(fh_store *st, const fh_org *org, fh_date received,
					     fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT set_up_on FROM organisations WHERE id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org->id);
	char set_up[DATE_ISO_LEN] = "2006-09-01";
	int rc = db_step(stmt);
	if (rc == DB_ROW && db_column_text(stmt, 0))
		snprintf(set_up, sizeof set_up, "%s", (const char *)db_column_text(stmt, 0));
	else if (rc != DB_ROW && rc != DB_DONE)
		s = store_fail(st, "reading when the organisation was set up", err);
	store_stmt_done(st, stmt);
	fh_date floor;
	if (!s && date_parse(set_up, &floor) && received < floor) {
		char text[DATE_ISO_LEN];
		s = error_set(err, FH_EINVAL, "received_on", NULL,
			      "'%s' is before %s was set up (%s): check the date",
			      date_format(received, text), org->name, set_up);
	}
	return s;
}

fh_status store_case_create(fh_store *st, const fh_case_input *in, const char *actor,
			    char reference_out[FH_REFERENCE_MAX], fh_error *err)
{
	int year = 0, month, day;
	fh_date received;
	if (!date_parse(or_empty(in->received_on), &received))
		return error_set(err, FH_EINVAL, "received_on", NULL, "is not a date (YYYY-MM-DD)");
	date_to_ymd(received, &year, &month, &day);

	bool opened;
	fh_arena arena = ARENA_INIT;
	fh_org org;
	fh_status s = store_tx_begin_org(st, in->org_code, &opened, &arena, &org, err);
	if (s) {
		arena_free(&arena);
		return s;
	}
	int64_t team_id = 0, number = 0, case_id = 0;
	char now[21], reference[FH_REFERENCE_MAX];
	store_now(now);
	/* On PostgreSQL the case's rowless writes go ahead in one pipeline
	 * with the reads between them (db_defer_writes): any failure fails
	 * the whole case, which is rolled back, as one failure did before. */
	db_defer_writes(st->db, true);
	s = check_received_after_set_up(st, &org, received, err);
	if (!s && in->team && *in->team)
		s = store_team_lookup(st, org.id, in->team, &team_id, err);
	if (!s)
		s = in->imported_reference
			? take_reference(st, &org, year, in->imported_reference, &number, err)
			: next_reference(st, org.id, year, &number, err);
	if (!s && !reference_format(org.ref_prefix, year, number, reference))
		s = error_set(err, FH_ESTORE, NULL, NULL, "the reference does not fit");

	db_stmt *stmt = NULL;
	if (!s)
		s = store_stmt(st,
			"INSERT INTO cases (org_id, reference, kind, channel, received_on, received_by,"
			" service, team_id, summary, details, anonymous, confidential, route, state,"
			" created_at, updated_at)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?) RETURNING id", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, org.id);
		store_bind_text(stmt, 2, reference);
		store_bind_text(stmt, 3, in->kind);
		store_bind_text(stmt, 4, in->channel);
		store_bind_text(stmt, 5, in->received_on);
		store_bind_text(stmt, 6, or_empty(in->received_by));
		store_bind_text(stmt, 7, or_empty(in->service));
		if (team_id)
			db_bind_int64(stmt, 8, team_id);
		store_bind_text(stmt, 9, in->summary);
		store_bind_text(stmt, 10, or_empty(in->details));
		db_bind_int(stmt, 11, in->anonymous);
		db_bind_int(stmt, 12, in->confidential);
		/* Compliments, comments and enquiries are recorded, not triaged;
		 * anonymous complaints are outside the statutory procedure (001 §7.7). */
		const char *route = strcmp(in->kind, "enquiry") == 0 ? "enquiry"
				    : strcmp(in->kind, "complaint") != 0 ? "recorded"
				    : in->anonymous			  ? "anonymous"
									  : "untriaged";
		store_bind_text(stmt, 13, route);
		store_bind_text(stmt, 14, now);
		store_bind_text(stmt, 15, now);
		s = step_insert(st, stmt, "recording the case", &case_id, err);
	}

	json_t *roles = json_array();
	for (size_t i = 0; !s && i < in->n_parties; i++) {
		const fh_party *p = &in->parties[i];
		int64_t person_id = p->person.id;
		if (person_id)
			s = check_person_org(st, person_id, org.id, err);
		else
			s = insert_person(st, org.id, &p->person, now, false, &person_id, err);
		if (!s)
			s = store_stmt(st, store_is_postgresql(st)
				? "INSERT INTO case_parties (case_id, person_id, role, relationship,"
				  " child_status, consent, consent_on, correspond)"
				  " VALUES (?, " NEW_PERSON_ID_PG ", ?, ?, ?, ?, ?, ?)"
				: "INSERT INTO case_parties (case_id, person_id, role, relationship,"
				  " child_status, consent, consent_on, correspond)"
				  " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &stmt, err);
		if (s)
			break;
		db_bind_int64(stmt, 1, case_id);
		if (person_id) /* 0: the person just added, on PostgreSQL */
			db_bind_int64(stmt, 2, person_id);
		store_bind_text(stmt, 3, p->role);
		store_bind_text(stmt, 4, or_empty(p->relationship));
		store_bind_text(stmt, 5, or_empty(p->child_status));
		store_bind_text(stmt, 6, default_consent(in, p));
		store_bind_text(stmt, 7, p->consent_on && *p->consent_on ? p->consent_on : NULL);
		db_bind_int(stmt, 8, p->correspond);
		s = step_insert(st, stmt, "adding a party", NULL, err);
		json_array_append_new(roles, json_string(p->role));
	}
	for (size_t i = 0; !s && i < in->n_points; i++) {
		s = store_stmt(st, "INSERT INTO complaint_points (case_id, seq, summary,"
				      " desired_outcome) VALUES (?, ?, ?, ?)", &stmt, err);
		if (s)
			break;
		db_bind_int64(stmt, 1, case_id);
		db_bind_int64(stmt, 2, (int64_t)i + 1);
		store_bind_text(stmt, 3, in->points[i].summary);
		store_bind_text(stmt, 4, or_empty(in->points[i].desired_outcome));
		s = step_insert(st, stmt, "adding a complaint point", NULL, err);
	}
	/* The search row, once, with the names and points just written (the
	 * same text migration 004's triggers build; 017 says why it is here),
	 * on SQLite at its key in the list's order with its organisation's
	 * scope (025). */
	if (!s && store_is_postgresql(st))
		s = store_stmt(st,
			"INSERT INTO cases_fts (case_id, reference, names, body)"
			" SELECT c.id, c.reference, fh_fts_names(c.id),"
			" c.summary || ' ' || c.details || ' ' || fh_fts_points(c.id)"
			" FROM cases c WHERE c.id = ?", &stmt, err);
	else if (!s && case_id > STORE_KEY_ID_MASK) /* the search key holds the id in 32 bits */
		s = error_set(err, FH_ECONFLICT, NULL, NULL,
			      "case ids have reached 2^32, more than the search index can order");
	else if (!s)
		s = store_stmt(st,
			"INSERT INTO cases_fts (rowid, reference, names, body, scope)"
			" SELECT k.key, c.reference,"
			" coalesce((SELECT group_concat(trim(p.title || ' ' || p.given_name || ' ' ||"
			" p.family_name || ' ' || p.organisation), ' ')"
			" FROM case_parties cp JOIN people p ON p.id = cp.person_id"
			" WHERE cp.case_id = c.id), ''),"
			" c.summary || ' ' || c.details || ' ' ||"
			" coalesce((SELECT group_concat(summary || ' ' || desired_outcome, ' ')"
			" FROM complaint_points WHERE case_id = c.id), ''), k.scope"
			" FROM cases c JOIN case_search_keys k ON k.case_id = c.id"
			" WHERE c.id = ?", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, case_id);
		s = store_stmt_run(st, stmt, "indexing the case for search", err);
	}
	if (!s) {
		/* The event names what was recorded, never who: personal data stays in
		 * the tables where retention and access rules can reach it. */
		json_t *data = json_pack("{ss ss ss so sI sb}", "kind", in->kind, "channel",
					 in->channel, "received_on", in->received_on, "parties",
					 roles, "points", (json_int_t)in->n_points, "anonymous",
					 in->anonymous);
		if (in->imported_reference)
			json_object_set_new(data, "imported", json_true());
		roles = NULL;
		char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(data);
		s = store_event_append(st, org.id, case_id, actor, "recorded", NULL, in->received_on,
				       text, err);
		free(text);
	}
	json_decref(roles);
	if (!s)
		s = store_lifecycle_seed(st, case_id, in->org_code, in->kind, received, err);
	db_defer_writes(st->db, false);
	/* The answers are read here, so that a failure is this case's and
	 * keeps its kind (a conflict is a conflict, not a failed commit). */
	if (!s && db_flush(st->db) != DB_OK)
		s = store_fail(st, "recording the case", err);
	arena_free(&arena);
	s = store_tx_end(st, opened, s, err);
	if (!s)
		memcpy(reference_out, reference, FH_REFERENCE_MAX);
	return s;
}

/* ---- reading ------------------------------------------------------------- */

#define CASE_COLUMNS \
	"c.id, c.reference, o.code, o.name, c.kind, c.channel, c.received_on, c.received_by," \
	" c.service, t.name, c.summary, c.details, c.anonymous, c.confidential, c.route," \
	" c.procedure_code, c.procedure_version, c.state, c.stage, c.closed_on, c.created_at," \
	" c.updated_at"
#define CASE_FROM \
	" FROM cases c JOIN organisations o ON o.id = c.org_id" \
	" LEFT JOIN teams t ON t.id = c.team_id"

static void read_case_row(db_stmt *stmt, fh_arena *a, fh_case *c)
{
	memset(c, 0, sizeof *c);
	c->id = db_column_int64(stmt, 0);
	c->reference = store_column_text(stmt, 1, a);
	c->org_code = store_column_text(stmt, 2, a);
	c->org_name = store_column_text(stmt, 3, a);
	c->kind = store_column_text(stmt, 4, a);
	c->channel = store_column_text(stmt, 5, a);
	c->received_on = store_column_text(stmt, 6, a);
	c->received_by = store_column_text(stmt, 7, a);
	c->service = store_column_text(stmt, 8, a);
	c->team = db_column_type(stmt, 9) == DB_NULL ? NULL : store_column_text(stmt, 9, a);
	c->summary = store_column_text(stmt, 10, a);
	c->details = store_column_text(stmt, 11, a);
	c->anonymous = db_column_int(stmt, 12);
	c->confidential = db_column_int(stmt, 13);
	c->route = store_column_text(stmt, 14, a);
	c->procedure_code = db_column_type(stmt, 15) == DB_NULL
				    ? NULL : store_column_text(stmt, 15, a);
	c->procedure_version = db_column_int(stmt, 16);
	c->state = store_column_text(stmt, 17, a);
	c->stage = db_column_int(stmt, 18);
	c->closed_on = db_column_type(stmt, 19) == DB_NULL
			       ? NULL : store_column_text(stmt, 19, a);
	c->created_at = store_column_text(stmt, 20, a);
	c->updated_at = store_column_text(stmt, 21, a);
}

/* Runs a per-case query and counts its rows first so one array holds them. */
static fh_status query_rows(fh_store *st, const char *sql, int64_t case_id, db_stmt **stmt,
			    size_t *rows, fh_error *err)
{
	char count_sql[1024];
	snprintf(count_sql, sizeof count_sql, "SELECT count(*) FROM (%s) AS counted", sql);
	fh_status s = store_stmt(st, count_sql, stmt, err);
	if (s)
		return s;
	db_bind_int64(*stmt, 1, case_id);
	*rows = db_step(*stmt) == DB_ROW ? (size_t)db_column_int64(*stmt, 0) : 0;
	store_stmt_done(st, *stmt);
	s = store_stmt(st, sql, stmt, err);
	if (!s)
		db_bind_int64(*stmt, 1, case_id);
	return s;
}

/*
 * Reads the rows of a per-case query into a new array of n items of size
 * bytes each, one read_row call an item: the one loop behind each list of a
 * case (its parties, points, stages, findings and events).
 */
typedef void (*row_reader)(db_stmt *stmt, fh_arena *a, void *item);

static fh_status read_list(fh_store *st, fh_arena *a, const char *sql, int64_t case_id,
			   size_t size, row_reader read_row, void **items, size_t *count,
			   fh_error *err)
{
	db_stmt *stmt;
	size_t n;
	fh_status s = query_rows(st, sql, case_id, &stmt, &n, err);
	if (s)
		return s;
	char *array = arena_array(a, n, size);
	*items = array;
	*count = 0;
	while (*count < n && db_step(stmt) == DB_ROW)
		read_row(stmt, a, array + size * (*count)++);
	store_stmt_done(st, stmt);
	return FH_OK;
}

static void read_party(db_stmt *stmt, fh_arena *a, void *item)
{
	fh_party *p = item;
	p->id = db_column_int64(stmt, 0);
	p->role = store_column_text(stmt, 1, a);
	p->relationship = store_column_text(stmt, 2, a);
	p->child_status = store_column_text(stmt, 3, a);
	p->consent = store_column_text(stmt, 4, a);
	p->consent_on = store_column_text_or_null(stmt, 5, a);
	p->correspond = db_column_int(stmt, 6);
	p->person.id = db_column_int64(stmt, 7);
	p->person.title = store_column_text(stmt, 8, a);
	p->person.given_name = store_column_text(stmt, 9, a);
	p->person.family_name = store_column_text(stmt, 10, a);
	p->person.organisation = store_column_text(stmt, 11, a);
	p->person.address = store_column_text(stmt, 12, a);
	p->person.postcode = store_column_text(stmt, 13, a);
	p->person.phone = store_column_text(stmt, 14, a);
	p->person.email = store_column_text(stmt, 15, a);
	p->person.preferred_contact = store_column_text(stmt, 16, a);
	p->person.date_of_birth = store_column_text_or_null(stmt, 17, a);
	p->person.needs = store_column_text(stmt, 18, a);
}

static void read_point(db_stmt *stmt, fh_arena *a, void *item)
{
	fh_point *p = item;
	p->id = db_column_int64(stmt, 0);
	p->seq = db_column_int(stmt, 1);
	p->summary = store_column_text(stmt, 2, a);
	p->desired_outcome = store_column_text(stmt, 3, a);
	p->withdrawn = db_column_int(stmt, 4);
}

static void read_stage(db_stmt *stmt, fh_arena *a, void *item)
{
	fh_stage *g = item;
	g->stage = db_column_int(stmt, 0);
	g->state = store_column_text(stmt, 1, a);
	g->requested_on = store_column_text_or_null(stmt, 2, a);
	g->started_on = store_column_text_or_null(stmt, 3, a);
	g->due_on = store_column_text_or_null(stmt, 4, a);
	g->responded_on = store_column_text_or_null(stmt, 5, a);
	g->officer_email = store_column_text_or_null(stmt, 6, a);
}

static void read_finding(db_stmt *stmt, fh_arena *a, void *item)
{
	fh_finding *f = item;
	f->point_seq = db_column_int(stmt, 0);
	f->stage = db_column_int(stmt, 1);
	f->outcome = store_column_text(stmt, 2, a);
	f->reasoning = store_column_text(stmt, 3, a);
	f->outcome_response = store_column_text(stmt, 4, a);
	f->recorded_at = store_column_text(stmt, 5, a);
}

static void read_event(db_stmt *stmt, fh_arena *a, void *item)
{
	fh_event *e = item;
	e->id = db_column_int64(stmt, 0);
	e->seq = db_column_int64(stmt, 1);
	e->at = store_column_text(stmt, 2, a);
	e->effective_on = store_column_text(stmt, 3, a);
	e->actor = store_column_text(stmt, 4, a);
	e->action = store_column_text(stmt, 5, a);
	e->reason = store_column_text(stmt, 6, a);
	e->data = store_column_text(stmt, 7, a);
	e->erased_on = store_column_text(stmt, 8, a);
}

/*
 * The lists of a case that store_case_get reads, each into its array and
 * count in fh_case: one row of this table a list.
 */
static const struct case_list {
	const char *sql;          /* ? is the case's id */
	size_t size;              /* one item */
	size_t items, count;      /* where its array and its count are in fh_case */
	row_reader read_row;
} case_lists[] = {
	{
	  "SELECT cp.id, cp.role, cp.relationship, cp.child_status, cp.consent, cp.consent_on,"
	  " cp.correspond, p.id, p.title, p.given_name, p.family_name, p.organisation,"
	  " p.address, p.postcode, p.phone, p.email, p.preferred_contact, p.date_of_birth,"
	  " p.needs FROM case_parties cp JOIN people p ON p.id = cp.person_id"
	  " WHERE cp.case_id = ? ORDER BY cp.id",
	  sizeof(fh_party), offsetof(fh_case, parties), offsetof(fh_case, n_parties),
	  read_party },
	{
	  "SELECT id, seq, summary, desired_outcome, withdrawn FROM complaint_points"
	  " WHERE case_id = ? ORDER BY seq",
	  sizeof(fh_point), offsetof(fh_case, points), offsetof(fh_case, n_points),
	  read_point },
	{
	  "SELECT s.stage, s.state, s.requested_on, s.started_on, s.due_on, s.responded_on,"
	  " u.email FROM case_stages s LEFT JOIN users u ON u.id = s.officer_id"
	  " WHERE s.case_id = ? ORDER BY s.stage",
	  sizeof(fh_stage), offsetof(fh_case, stages), offsetof(fh_case, n_stages),
	  read_stage },
	{
	  "SELECT p.seq, f.stage, f.outcome, f.reasoning, f.outcome_response, f.recorded_at"
	  " FROM findings f JOIN complaint_points p ON p.id = f.point_id"
	  " WHERE p.case_id = ? ORDER BY f.stage, p.seq",
	  sizeof(fh_finding), offsetof(fh_case, findings), offsetof(fh_case, n_findings),
	  read_finding },
	{
	  "SELECT id, seq, at, effective_on, actor, action, reason, data,"
	  " coalesce(erased_on, '') FROM events"
	  " WHERE case_id = ? ORDER BY seq",
	  sizeof(fh_event), offsetof(fh_case, events), offsetof(fh_case, n_events),
	  read_event },
};

fh_status store_case_get(fh_store *st, const char *reference, fh_arena *arena, fh_case *out,
			 fh_error *err)
{
	char prefix[9];
	int year;
	int64_t number;
	if (!reference || !reference_parse(reference, prefix, &year, &number))
		return error_set(err, FH_EINVAL, "reference", NULL,
				 "'%s' is not a case reference (like BCT-2026-00042)",
				 reference ? reference : "");
	char canonical[FH_REFERENCE_MAX];
	reference_format(prefix, year, number, canonical);
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT " CASE_COLUMNS CASE_FROM " WHERE c.reference = ?",
				    &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, canonical);
	int rc = db_step(stmt);
	if (rc == DB_ROW)
		read_case_row(stmt, arena, out);
	else if (rc == DB_DONE)
		s = error_set(err, FH_ENOTFOUND, "reference", NULL, "no case %s", canonical);
	else
		s = store_fail(st, "reading the case", err);
	store_stmt_done(st, stmt);
	for (size_t i = 0; !s && i < sizeof case_lists / sizeof *case_lists; i++) {
		const struct case_list *l = &case_lists[i];
		void *items = NULL;
		s = read_list(st, arena, l->sql, out->id, l->size, l->read_row, &items,
			      (size_t *)((char *)out + l->count), err);
		memcpy((char *)out + l->items, &items, sizeof items);
	}
	return s;
}

static void read_listed_case(db_stmt *stmt, fh_arena *arena, void *item)
{
	read_case_row(stmt, arena, item);
}

fh_status store_case_list(fh_store *st, const store_case_filter *f, fh_arena *arena,
			  fh_case **cases, size_t *count, store_page *page, fh_error *err)
{
	*count = 0;
	*cases = NULL;
	memset(page, 0, sizeof *page);
	size_t limit = f->limit ? f->limit : 50;
	if (limit > 1000)
		limit = 1000;
	/* Only the filters given are in the statement, so that an index serves
	 * them (store_page.h); an organisation is named by its id. */
	store_sql w = {0};
	store_sql_add(&w, "1 = 1");
	if (f->org_code) {
		int64_t org_id;
		fh_status s = store_org_id(st, f->org_code, &org_id, err);
		if (s == FH_ENOTFOUND)
			return FH_OK;
		if (s)
			return s;
		store_sql_add(&w, " AND c.org_id = ?%d", store_sql_int(&w, org_id));
	}
	if (f->kind)
		store_sql_add(&w, " AND c.kind = ?%d", store_sql_text(&w, f->kind));
	if (f->state)
		store_sql_add(&w, " AND c.state = ?%d", store_sql_text(&w, f->state));
	if (f->received_from)
		store_sql_add(&w, " AND c.received_on >= ?%d", store_sql_text(&w, f->received_from));
	if (f->received_to)
		store_sql_add(&w, " AND c.received_on <= ?%d", store_sql_text(&w, f->received_to));
	static const store_page_select full = {
		.columns = CASE_COLUMNS, .from = CASE_FROM, .id_col = 0, .on_col = 6,
		.read_row = read_listed_case, .item_size = sizeof(fh_case),
	};
	void *items;
	fh_status s = store_page_read(st, &full, &w, f->after, limit, f->offset, arena, &items, count,
				      page, err);
	*cases = items;
	return s;
}

/* ---- parties after recording ------------------------------------------------ */

/* The event of a party change: who the party is on the case, never their details. */
static fh_status party_event(fh_store *st, int64_t case_id, const char *actor, const char *action,
			     const fh_party *p, int64_t party_id, const char *const *changed,
			     size_t n_changed, fh_error *err)
{
	db_stmt *stmt;
	int64_t org_id = 0;
	fh_status s = store_stmt(st, "SELECT org_id FROM cases WHERE id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	if (db_step(stmt) == DB_ROW)
		org_id = db_column_int64(stmt, 0);
	store_stmt_done(st, stmt);
	json_t *data = json_pack("{sI ss}", "party_id", (json_int_t)party_id, "role", p->role);
	if (p->relationship && *p->relationship)
		json_object_set_new(data, "relationship", json_string(p->relationship));
	if (p->consent) {
		/* Consent with its date (001 §7.4; 000 "Friends or relatives"). */
		json_object_set_new(data, "consent", json_string(p->consent));
		json_object_set_new(data, "consent_on", p->consent_on && *p->consent_on
			? json_string(p->consent_on) : json_null());
	}
	if (changed) {
		json_t *list = json_array();
		for (size_t i = 0; i < n_changed; i++)
			json_array_append_new(list, json_string(changed[i]));
		json_object_set_new(data, "changed", list);
	}
	char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(data);
	s = text ? store_event_append(st, org_id, case_id, actor, action, NULL, NULL, text, err)
		 : error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	free(text);
	return s;
}

fh_status store_party_add(fh_store *st, int64_t case_id, const fh_case_input *in, size_t index,
			  const char *actor, int64_t *party_id, fh_error *err)
{
	if (index >= in->n_parties)
		return error_set(err, FH_EINVAL, "parties", NULL, "no such party");
	fh_party p = in->parties[index];
	p.consent = default_consent(in, &p);
	bool opened;
	char now[21];
	fh_status s = store_tx_begin_at(st, &opened, now, err);
	if (s)
		return s;
	int64_t org_id = 0, person_id = p.person.id, id = 0;
	db_stmt *stmt;
	s = store_stmt(st, "SELECT org_id FROM cases WHERE id = ?", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, case_id);
		if (db_step(stmt) == DB_ROW)
			org_id = db_column_int64(stmt, 0);
		else
			s = error_set(err, FH_ENOTFOUND, "reference", NULL, "no such case");
		store_stmt_done(st, stmt);
	}
	if (!s && person_id)
		s = check_person_org(st, person_id, org_id, err);
	else if (!s)
		s = insert_person(st, org_id, &p.person, now, true, &person_id, err);
	if (!s)
		s = store_stmt(st,
			"INSERT INTO case_parties (case_id, person_id, role, relationship,"
			" child_status, consent, consent_on, correspond)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, case_id);
		db_bind_int64(stmt, 2, person_id);
		store_bind_text(stmt, 3, p.role);
		store_bind_text(stmt, 4, or_empty(p.relationship));
		store_bind_text(stmt, 5, or_empty(p.child_status));
		store_bind_text(stmt, 6, p.consent);
		store_bind_text(stmt, 7, p.consent_on && *p.consent_on ? p.consent_on : NULL);
		db_bind_int(stmt, 8, p.correspond);
		s = step_insert(st, stmt, "adding a party", &id, err);
		if (s == FH_ECONFLICT)
			error_set(err, FH_ECONFLICT, "role", NULL,
				  "this person is on the case in this role already");
	}
	if (!s)
		s = party_event(st, case_id, actor, "party_added", &p, id, NULL, 0, err);
	if (!s && party_id)
		*party_id = id;
	return store_tx_end(st, opened, s, err);
}

fh_status store_party_update(fh_store *st, int64_t case_id, const fh_party *p,
			     const char *const *changed, size_t n_changed, const char *actor,
			     fh_error *err)
{
	bool opened;
	db_stmt *stmt;
	fh_status s = store_tx_stmt(st, &opened, NULL,
		"UPDATE case_parties SET relationship = ?, child_status = ?, consent = ?,"
		" consent_on = ?, correspond = ? WHERE id = ? AND case_id = ? AND person_id = ?",
		&stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, or_empty(p->relationship));
	store_bind_text(stmt, 2, or_empty(p->child_status));
	store_bind_text(stmt, 3, p->consent);
	store_bind_text(stmt, 4, p->consent_on && *p->consent_on ? p->consent_on : NULL);
	db_bind_int(stmt, 5, p->correspond);
	db_bind_int64(stmt, 6, p->id);
	db_bind_int64(stmt, 7, case_id);
	db_bind_int64(stmt, 8, p->person.id);
	s = store_stmt_run(st, stmt, "changing a party", err);
	if (!s && db_changes(st->db) != 1)
		s = error_set(err, FH_ENOTFOUND, "id", NULL, "no party %lld on this case",
			      (long long)p->id);
	/* The person's details are theirs on every case of the organisation. */
	if (!s)
		s = store_stmt(st,
			"UPDATE people SET title = ?, given_name = ?, family_name = ?, organisation = ?,"
			" address = ?, postcode = ?, phone = ?, email = ?, preferred_contact = ?,"
			" date_of_birth = ?, needs = ? WHERE id = ?", &stmt, err);
	if (!s) {
		const fh_person *q = &p->person;
		store_bind_text(stmt, 1, or_empty(q->title));
		store_bind_text(stmt, 2, or_empty(q->given_name));
		store_bind_text(stmt, 3, or_empty(q->family_name));
		store_bind_text(stmt, 4, or_empty(q->organisation));
		store_bind_text(stmt, 5, or_empty(q->address));
		store_bind_text(stmt, 6, or_empty(q->postcode));
		store_bind_text(stmt, 7, or_empty(q->phone));
		store_bind_text(stmt, 8, or_empty(q->email));
		store_bind_text(stmt, 9, or_empty(q->preferred_contact));
		store_bind_text(stmt, 10, q->date_of_birth && *q->date_of_birth ? q->date_of_birth
									  : NULL);
		store_bind_text(stmt, 11, or_empty(q->needs));
		db_bind_int64(stmt, 12, q->id);
		s = store_stmt_run(st, stmt, "changing a person's details", err);
	}
	if (!s)
		s = party_event(st, case_id, actor, "party_changed", p, p->id, changed, n_changed, err);
	return store_tx_end(st, opened, s, err);
}

fh_status store_party_remove(fh_store *st, int64_t case_id, const fh_party *p, const char *actor,
			     fh_error *err)
{
	bool opened;
	db_stmt *stmt;
	fh_status s = store_tx_stmt(st, &opened, NULL,
				    "DELETE FROM case_parties WHERE id = ? AND case_id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, p->id);
	db_bind_int64(stmt, 2, case_id);
	s = store_stmt_run(st, stmt, "removing a party", err);
	if (!s && db_changes(st->db) != 1)
		s = error_set(err, FH_ENOTFOUND, "id", NULL, "no party %lld on this case",
			      (long long)p->id);
	/* Someone on no other case is no longer kept at all (data minimisation). */
	static const char *const forget[] = {
		"DELETE FROM equality_monitoring WHERE person_id = ?1"
		" AND NOT EXISTS (SELECT 1 FROM case_parties WHERE person_id = ?1)",
		"DELETE FROM people WHERE id = ?1"
		" AND NOT EXISTS (SELECT 1 FROM case_parties WHERE person_id = ?1)",
	};
	for (size_t i = 0; !s && i < 2; i++) {
		s = store_stmt(st, forget[i], &stmt, err);
		if (!s) {
			db_bind_int64(stmt, 1, p->person.id);
			s = store_stmt_run(st, stmt, "forgetting a person", err);
		}
	}
	fh_party gone = *p;
	gone.consent = NULL; /* nothing to say about consent for a party no longer there */
	if (!s)
		s = party_event(st, case_id, actor, "party_removed", &gone, p->id, NULL, 0, err);
	return store_tx_end(st, opened, s, err);
}

/* ---- finding a case, and who is on it ------------------------------------ */

fh_status store_case_locate(fh_store *st, const char *reference, int64_t *case_id,
			    int64_t *org_id, fh_error *err)
{
	char prefix[9], canonical[FH_REFERENCE_MAX];
	int year;
	int64_t number;
	if (!reference || !reference_parse(reference, prefix, &year, &number))
		return error_set(err, FH_ENOTFOUND, "reference", NULL,
				 "'%s' is not a case reference (like BCT-2026-00042)",
				 reference ? reference : "");
	reference_format(prefix, year, number, canonical);
	db_stmt *stmt;
	fh_status s = store_cache_get(st, CACHE_CASE_LOCATE,
				      "SELECT id, org_id FROM cases WHERE reference = ?", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, canonical);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		*case_id = db_column_int64(stmt, 0);
		*org_id = db_column_int64(stmt, 1);
	} else if (rc == DB_DONE) {
		s = error_set(err, FH_ENOTFOUND, "reference", NULL, "no case %s", canonical);
	} else {
		s = store_fail(st, "finding the case", err);
	}
	store_cache_done(st, CACHE_CASE_LOCATE, stmt);
	return s;
}

fh_status store_tx_begin_case(fh_store *st, const char *reference, bool *opened,
			      int64_t *case_id, int64_t *org_id, fh_error *err)
{
	fh_status s = store_tx_begin(st, opened, err);
	if (s)
		return s;
	s = store_case_locate(st, reference, case_id, org_id, err);
	if (s)
		return store_tx_end(st, *opened, s, err);
	return FH_OK;
}

fh_status store_tx_begin_party(fh_store *st, const char *reference, int64_t person_id,
			       bool *opened, int64_t *case_id, int64_t *org_id, fh_error *err)
{
	fh_status s = store_tx_begin_case(st, reference, opened, case_id, org_id, err);
	if (s)
		return s;
	s = store_person_on_case(st, *case_id, person_id, err);
	return s ? store_tx_end(st, *opened, s, err) : FH_OK;
}

fh_status store_person_on_case(fh_store *st, int64_t case_id, int64_t person_id, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT 1 FROM case_parties WHERE case_id = ? AND person_id = ?",
				 &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	db_bind_int64(stmt, 2, person_id);
	int rc = db_step(stmt);
	if (rc == DB_DONE)
		s = error_set(err, FH_ENOTFOUND, "person_id", NULL, "person %lld is not on this case",
			      (long long)person_id);
	else if (rc != DB_ROW)
		s = store_fail(st, "finding a party", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_case_assigned(fh_store *st, int64_t case_id, int64_t user_id, bool *assigned,
			      fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_cache_get(st, CACHE_CASE_ASSIGNED,
				      "SELECT 1 FROM case_assignments WHERE case_id = ?"
				      " AND user_id = ? AND ended_at IS NULL LIMIT 1", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, case_id);
	db_bind_int64(stmt, 2, user_id);
	int rc = db_step(stmt);
	*assigned = rc == DB_ROW;
	if (rc != DB_ROW && rc != DB_DONE)
		s = store_fail(st, "checking an assignment", err);
	store_cache_done(st, CACHE_CASE_ASSIGNED, stmt);
	return s;
}

fh_status store_case_counts(fh_store *st, const char *today, int64_t org_id, int64_t *open,
			    int64_t *overdue, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st,
		"SELECT (SELECT count(*) FROM cases WHERE org_id = ?2"
		"  AND state NOT IN ('closed', 'withdrawn')),"
		" (SELECT count(DISTINCT g.case_id) FROM case_stages g JOIN cases c ON c.id = g.case_id"
		"  WHERE c.org_id = ?2 AND g.due_on < ?1 AND g.responded_on IS NULL"
		"  AND g.state NOT IN ('responded', 'closed')"
		"  AND c.state NOT IN ('closed', 'withdrawn'))", &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, today);
	db_bind_int64(stmt, 2, org_id);
	if (db_step(stmt) == DB_ROW) {
		*open = db_column_int64(stmt, 0);
		*overdue = db_column_int64(stmt, 1);
	} else {
		s = store_fail(st, "counting cases", err);
	}
	db_finalize(stmt);
	return s;
}
