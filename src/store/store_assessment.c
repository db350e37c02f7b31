/*
 * store_assessment.c: the self-assessment's template files and answers
 * (store_assessment.h; issue 19 item 4).
 */
#include "store_assessment.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "store_event.h"
#include "store_internal.h"
#include "store_report.h"
#include "store_rows.h"

enum { MAX_TEMPLATES = 16 };

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *text = NULL;
	size_t n = 0, cap = 0;
	char buf[4096];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
		if (n + got + 1 > cap) {
			cap = (n + got + 1) * 2;
			char *bigger = realloc(text, cap);
			if (!bigger) {
				free(text);
				fclose(f);
				return NULL;
			}
			text = bigger;
		}
		memcpy(text + n, buf, got);
		n += got;
	}
	fclose(f);
	if (!text)
		text = calloc(1, 1);
	else
		text[n] = '\0';
	return text;
}

fh_status store_assessment_template(int year, assessment_template **out, fh_error *err)
{
	*out = NULL;
	DIR *dir = opendir(FH_ASSESSMENTS_DIR);
	if (!dir)
		return error_set(err, FH_ENOTFOUND, "template", NULL,
				 "no self-assessment templates: %s cannot be read", FH_ASSESSMENTS_DIR);
	char *names[MAX_TEMPLATES];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dir)) && n < MAX_TEMPLATES) {
		size_t len = strlen(e->d_name);
		if (len > 5 && !strcmp(e->d_name + len - 5, ".json") && e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof *names, cmp_name);
	assessment_template *all[MAX_TEMPLATES];
	size_t parsed = 0;
	fh_status s = FH_OK;
	for (size_t i = 0; i < n && !s; i++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", FH_ASSESSMENTS_DIR, names[i]);
		char *text = read_text(path);
		if (!text) {
			s = error_set(err, FH_ESTORE, "template", NULL, "%s cannot be read", path);
			break;
		}
		proc_problems problems;
		fh_error perr = {0};
		if (assessment_parse(text, &all[parsed], &problems, &perr))
			s = error_set(err, FH_EINVAL, "template", NULL, "%s: %s: %s", names[i],
				      perr.field, perr.message);
		else
			parsed++;
		free(text);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	if (!s && !parsed)
		s = error_set(err, FH_ENOTFOUND, "template", NULL,
			      "no self-assessment template in %s", FH_ASSESSMENTS_DIR);
	if (!s) {
		const assessment_template *pick =
			assessment_template_for((const assessment_template *const *)all, parsed, year);
		for (size_t i = 0; i < parsed; i++)
			if (all[i] == pick)
				*out = all[i];
			else
				assessment_free(all[i]);
		return FH_OK;
	}
	for (size_t i = 0; i < parsed; i++)
		assessment_free(all[i]);
	return s;
}

#define ANSWER_COLUMNS "requirement, complies, evidence, commentary, action, action_owner," \
		       " coalesce(action_due_on, ''), carried_over, updated_by, updated_at"

/* The answers kept for (org, year) into the items of their requirements. */
static fh_status load_answers(fh_store *st, int64_t org_id, int year, store_assessment_item *items,
			      const assessment_template *t, fh_arena *arena, size_t *answered,
			      size_t *carried, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st, "SELECT " ANSWER_COLUMNS " FROM self_assessment_answers"
				    " WHERE org_id = ?1 AND year = ?2", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	db_bind_int64(stmt, 2, year);
	int rc;
	*answered = *carried = 0;
	while ((rc = db_step(stmt)) == DB_ROW) {
		const char *id = (const char *)db_column_text(stmt, 0);
		for (size_t i = 0; i < t->n; i++) {
			if (strcmp(t->req[i].id, id))
				continue;
			assessment_answer *a = &items[i].answer;
			a->requirement = t->req[i].id;
			a->complies = store_column_text(stmt, 1, arena);
			a->evidence = store_column_text(stmt, 2, arena);
			a->commentary = store_column_text(stmt, 3, arena);
			a->action = store_column_text(stmt, 4, arena);
			a->owner = store_column_text(stmt, 5, arena);
			a->due_on = store_column_text(stmt, 6, arena);
			a->carried_over = db_column_int(stmt, 7) != 0;
			items[i].updated_by = store_column_text(stmt, 8, arena);
			items[i].updated_at = store_column_text(stmt, 9, arena);
			(*answered)++;
			*carried += a->carried_over;
		}
	}
	if (rc != DB_DONE)
		s = store_fail(st, "reading the self-assessment", err);
	db_finalize(stmt);
	return s;
}

static fh_status year_has_answers(fh_store *st, int64_t org_id, int year, bool *any, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st, "SELECT count(*) FROM self_assessment_answers"
				    " WHERE org_id = ?1 AND year = ?2", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	db_bind_int64(stmt, 2, year);
	if (db_step(stmt) == DB_ROW)
		*any = db_column_int64(stmt, 0) > 0;
	else
		s = store_fail(st, "reading the self-assessment", err);
	db_finalize(stmt);
	return s;
}

static fh_status year_check(int year, fh_error *err)
{
	if (year < 2000 || year > 2998)
		return error_set(err, FH_EINVAL, "year", NULL,
				 "must be the year a reporting year starts in, such as 2026");
	return FH_OK;
}

fh_status store_assessment_get(fh_store *st, const char *org_code, int year, fh_arena *arena,
			       store_assessment *out, fh_error *err)
{
	memset(out, 0, sizeof *out);
	fh_status s = year_check(year, err);
	if (s)
		return s;
	out->year = year;
	out->year_name = assessment_year_name(arena, year);
	assessment_year_period(year, &out->from, &out->to);
	if ((s = store_assessment_template(year, &out->tmpl, err)))
		return s;
	const assessment_template *t = out->tmpl;
	out->n = t->n;
	out->items = arena_array(arena, t->n ? t->n : 1, sizeof *out->items);
	for (size_t i = 0; i < t->n; i++)
		out->items[i].req = &t->req[i];
	/* one snapshot for the answers and the figures, as the report reads */
	bool opened = st->depth == 0;
	const char *snapshot = store_is_postgresql(st)
		? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN";
	if (opened && db_exec(st->db, snapshot) != DB_OK)
		return store_fail(st, "reading the self-assessment", err);
	int64_t org_id = 0;
	s = store_org_id(st, org_code, &org_id, err);
	if (!s) {
		db_stmt *stmt;
		if (!(s = store_prepare(st, "SELECT name FROM organisations WHERE id = ?1", &stmt, err))) {
			db_bind_int64(stmt, 1, org_id);
			if (db_step(stmt) == DB_ROW)
				out->org_name = store_column_text(stmt, 0, arena);
			db_finalize(stmt);
		}
	}
	if (!s)
		s = load_answers(st, org_id, year, out->items, t, arena, &out->answered,
				 &out->carried_over, err);
	if (!s)
		s = year_has_answers(st, org_id, year - 1, &out->previous, err);
	if (!s) {
		char from[DATE_ISO_LEN], to[DATE_ISO_LEN];
		date_format(out->from, from);
		date_format(out->to, to);
		s = store_annual_figures(st, org_id, from, to, out->figures, arena, err);
	}
	if (opened)
		db_exec(st->db, "COMMIT");
	for (size_t i = 0; !s && i < t->n; i++)
		out->items[i].computed = assessment_evidence(arena, &t->req[i], out->figures);
	if (s)
		store_assessment_release(out);
	return s;
}

void store_assessment_release(store_assessment *a)
{
	assessment_free(a->tmpl);
	a->tmpl = NULL;
}

static const char *blank(const char *s)
{
	return s ? s : "";
}

/* A write to an organisation's self-assessment under way: its transaction,
 * the organisation, the time written and the template it follows. */
typedef struct {
	fh_arena arena;
	fh_org org;
	bool opened;
	char now[21];
	assessment_template *t;
} assessment_write;

/* write_begin: opens the write's transaction on ORG_CODE; on failure the
 * template is freed and nothing is left open. write_end: ends the
 * transaction (committed when S is FH_OK) and frees what the write held. */
static fh_status write_begin(fh_store *st, const char *org_code, assessment_template *t,
			     assessment_write *w, fh_error *err)
{
	memset(w, 0, sizeof *w);
	w->t = t;
	store_now(w->now);
	fh_status s = store_tx_begin_org(st, org_code, &w->opened, &w->arena, &w->org, err);
	if (s) {
		arena_free(&w->arena);
		assessment_free(t);
	}
	return s;
}

static fh_status write_end(fh_store *st, assessment_write *w, fh_status s, fh_error *err)
{
	s = store_tx_end(st, w->opened, s, err);
	arena_free(&w->arena);
	assessment_free(w->t);
	return s;
}

fh_status store_assessment_save(fh_store *st, const char *org_code, int year,
				const assessment_answer *answers, size_t n, bool prefix_index,
				const char *actor, fh_error *err)
{
	fh_status s = year_check(year, err);
	if (s)
		return s;
	if (!n)
		return error_set(err, FH_EINVAL, "answers", NULL, "give at least one answer");
	assessment_template *t;
	if ((s = store_assessment_template(year, &t, err)))
		return s;
	for (size_t i = 0; i < n; i++) {
		if (!(s = assessment_answer_check(t, &answers[i], err)))
			continue;
		if (prefix_index) {
			char field[64];
			snprintf(field, sizeof field, "answers[%zu].%s", i, err->field);
			snprintf(err->field, sizeof err->field, "%s", field);
		}
		assessment_free(t);
		return s;
	}
	assessment_write w;
	if ((s = write_begin(st, org_code, t, &w, err)))
		return s;
	json_t *ids = json_array();
	for (size_t i = 0; i < n && !s; i++) {
		const assessment_answer *a = &answers[i];
		db_stmt *stmt;
		s = store_stmt(st,
			"INSERT INTO self_assessment_answers (org_id, year, template, requirement,"
			" complies, evidence, commentary, action, action_owner, action_due_on,"
			" carried_over, updated_by, updated_at)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, ?11, ?12)"
			" ON CONFLICT (org_id, year, requirement) DO UPDATE SET"
			" template = excluded.template, complies = excluded.complies,"
			" evidence = excluded.evidence, commentary = excluded.commentary,"
			" action = excluded.action, action_owner = excluded.action_owner,"
			" action_due_on = excluded.action_due_on, carried_over = 0,"
			" updated_by = excluded.updated_by, updated_at = excluded.updated_at",
			&stmt, err);
		if (s)
			break;
		bool yes = !strcmp(a->complies, "yes");
		db_bind_int64(stmt, 1, w.org.id);
		db_bind_int64(stmt, 2, year);
		store_bind_text(stmt, 3, t->code);
		store_bind_text(stmt, 4, a->requirement);
		store_bind_text(stmt, 5, a->complies);
		store_bind_text(stmt, 6, blank(a->evidence));
		store_bind_text(stmt, 7, blank(a->commentary));
		/* an answer of yes keeps no action */
		store_bind_text(stmt, 8, yes ? "" : blank(a->action));
		store_bind_text(stmt, 9, yes ? "" : blank(a->owner));
		store_bind_text(stmt, 10, yes || !a->due_on || !*a->due_on ? NULL : a->due_on);
		store_bind_text(stmt, 11, actor);
		store_bind_text(stmt, 12, w.now);
		s = store_stmt_run(st, stmt, "saving the self-assessment", err);
		json_array_append_new(ids, json_pack("{ss ss}", "requirement", a->requirement,
						     "complies", a->complies));
	}
	if (!s)
		s = store_event_append_json(st, w.org.id, 0, actor, "self_assessment_saved", NULL,
					    NULL, json_pack("{sI ss so}", "year", (json_int_t)year,
							    "template", t->code, "answers", ids), err);
	else
		json_decref(ids);
	return write_end(st, &w, s, err);
}

fh_status store_assessment_start(fh_store *st, const char *org_code, int year, const char *actor,
				 size_t *copied, fh_error *err)
{
	*copied = 0;
	fh_status s = year_check(year, err);
	if (s)
		return s;
	assessment_template *t;
	if ((s = store_assessment_template(year, &t, err)))
		return s;
	assessment_write w;
	if ((s = write_begin(st, org_code, t, &w, err)))
		return s;
	bool any = false, before = false;
	s = year_has_answers(st, w.org.id, year, &any, err);
	if (!s && any)
		s = error_set(err, FH_ECONFLICT, "year", "issue 19 item 4",
			      "%s is started already: change its answers instead",
			      assessment_year_name(&w.arena, year));
	if (!s)
		s = year_has_answers(st, w.org.id, year - 1, &before, err);
	if (!s && !before)
		s = error_set(err, FH_ENOTFOUND, "year", "issue 19 item 4",
			      "%s has no answers to start from: answer each requirement instead",
			      assessment_year_name(&w.arena, year - 1));
	/* each of last year's answers whose requirement this year's template has */
	for (size_t i = 0; i < t->n && !s; i++) {
		db_stmt *stmt;
		s = store_stmt(st,
			"INSERT INTO self_assessment_answers (org_id, year, template, requirement,"
			" complies, evidence, commentary, action, action_owner, action_due_on,"
			" carried_over, updated_by, updated_at)"
			" SELECT org_id, ?3, ?4, requirement, complies, evidence, commentary, action,"
			" action_owner, action_due_on, 1, ?5, ?6 FROM self_assessment_answers"
			" WHERE org_id = ?1 AND year = ?2 AND requirement = ?7", &stmt, err);
		if (s)
			break;
		db_bind_int64(stmt, 1, w.org.id);
		db_bind_int64(stmt, 2, year - 1);
		db_bind_int64(stmt, 3, year);
		store_bind_text(stmt, 4, t->code);
		store_bind_text(stmt, 5, actor);
		store_bind_text(stmt, 6, w.now);
		store_bind_text(stmt, 7, t->req[i].id);
		s = store_stmt_run(st, stmt, "starting the self-assessment", err);
	}
	bool started = false;
	int64_t count = 0;
	if (!s) {
		db_stmt *stmt;
		s = store_prepare(st, "SELECT count(*) FROM self_assessment_answers"
				  " WHERE org_id = ?1 AND year = ?2", &stmt, err);
		if (!s) {
			db_bind_int64(stmt, 1, w.org.id);
			db_bind_int64(stmt, 2, year);
			if (db_step(stmt) == DB_ROW)
				count = db_column_int64(stmt, 0);
			db_finalize(stmt);
			started = true;
		}
	}
	if (!s && started)
		s = store_event_append_json(st, w.org.id, 0, actor, "self_assessment_started", NULL,
					    NULL, json_pack("{sI sI ss sI}", "year", (json_int_t)year,
							    "from_year", (json_int_t)(year - 1),
							    "template", t->code,
							    "carried_over", (json_int_t)count), err);
	s = write_end(st, &w, s, err);
	if (!s)
		*copied = (size_t)count;
	return s;
}

/* "Partly (carried over from 2025-26, not yet confirmed)" */
static const char *complies_words(fh_arena *arena, const assessment_answer *a, int year)
{
	if (!a->complies)
		return "Not answered";
	const char *w = !strcmp(a->complies, "yes") ? "Yes" : !strcmp(a->complies, "no") ? "No"
											      : "Partly";
	if (!a->carried_over)
		return w;
	return arena_printf(arena, "%s (carried over from %s, not yet confirmed)", w,
			    assessment_year_name(arena, year - 1));
}

fh_status store_assessment_table(fh_store *st, int64_t org_id, int year,
				 const assessment_value *figures, fh_report *r, fh_arena *arena,
				 fh_error *err)
{
	assessment_template *t;
	fh_error terr = {0};
	fh_status s = store_assessment_template(year, &t, &terr);
	if (s == FH_ENOTFOUND)
		return FH_OK; /* no template installed: no section */
	if (s) {
		*err = terr;
		return s;
	}
	store_assessment_item *items = arena_array(arena, t->n, sizeof *items);
	size_t answered = 0, carried = 0;
	s = load_answers(st, org_id, year, items, t, arena, &answered, &carried, err);
	if (!s && r->ntables < REPORT_MAX_TABLES) {
		/* six columns, so that the PDF's A4 page gives the words room: the
		 * section leads the requirement, the records' evidence the typed */
		static const char *const cols[] = {"Code", "Requirement", "Complies", "Evidence",
						   "Commentary", "Action (owner, by)"};
		report_table *tb = report_add_table(
			r, arena, "annual_self_assessment",
			arena_printf(arena, "Self-assessment against the Code, %s",
				     assessment_year_name(arena, year)),
			arena_printf(arena,
				     "%s (%s). Each requirement of the Code, whether the organisation "
				     "complies, the evidence (first what the records show, counted "
				     "for this report's period over the cases handled under the "
				     "Code, then what the organisation gives) and, where it does not "
				     "fully comply, the action it will take. %zu of %zu answered%s "
				     "(issue 19 item 4).",
				     t->name, t->source, answered, t->n,
				     carried ? arena_printf(arena, ", %zu carried over from the year "
							    "before and not yet confirmed", carried)
					     : ""),
			6, cols);
		for (size_t i = 0; i < t->n; i++) {
			const assessment_requirement *q = &t->req[i];
			const assessment_answer *a = &items[i].answer;
			report_cell *row = report_add_row(tb, arena);
			const char *computed = assessment_evidence(arena, q, figures);
			const char *typed = blank(a->evidence);
			report_set_text(&row[0], arena, q->cites);
			report_set_text(&row[1], arena, arena_printf(arena, "%s: %s", q->section,
								       q->text));
			report_set_text(&row[2], arena, complies_words(arena, a, year));
			report_set_text(&row[3], arena,
					computed && *typed ? arena_printf(arena, "%s. %s", computed, typed)
					: computed        ? computed
							  : typed);
			report_set_text(&row[4], arena, blank(a->commentary));
			report_set_text(&row[5], arena,
					a->action && *a->action
						? arena_printf(arena, "%s (%s, by %s)", a->action,
							       blank(a->owner), blank(a->due_on))
						: "");
		}
	}
	assessment_free(t);
	return s;
}
