/*
 * api_assessment.c: the self-assessment against the Ombudsman's Complaint
 * Handling Code over HTTP (issue 19 item 4; docs/api.md "Self-assessment";
 * store_assessment.h).
 *
 *   GET  /api/v1/orgs/{org}/self-assessment/{year}              read it
 *   PUT  /api/v1/orgs/{org}/self-assessment/{year}              save answers
 *   PUT  /api/v1/orgs/{org}/self-assessment/{year}/requirements/{n}
 *                                                               save one answer
 *   POST /api/v1/orgs/{org}/self-assessment/{year}/start        start from last year
 *
 * {year} is the reporting year by the year it starts in (2026: 1 April
 * 2026 to 31 March 2027); {n} a requirement's place in the template, as
 * GET gives it.  Who: the route table: reading is for the roles that see
 * every case of the organisation (the evidence counts them all); saving
 * and starting for the complaints team, managers and administrators
 * (AUTHZ_SELF_ASSESS).  Each save is one transaction with its audit event.
 */
#include "api.h"

#include <string.h>

#include "api_body.h"
#include "authz.h"
#include "store_assessment.h"

static json_t *text_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *api_assessment_json(const char *org_code, const store_assessment *a)
{
	char from[DATE_ISO_LEN], to[DATE_ISO_LEN];
	json_t *list = json_array();
	for (size_t i = 0; i < a->n; i++) {
		const store_assessment_item *it = &a->items[i];
		const assessment_answer *x = &it->answer;
		json_t *answer = x->complies
			? json_pack("{ss so so so so so sb so so}", "complies", x->complies,
				    "evidence", text_or_null(x->evidence),
				    "commentary", text_or_null(x->commentary),
				    "action", text_or_null(x->action), "owner", text_or_null(x->owner),
				    "due_on", text_or_null(x->due_on), "carried_over", x->carried_over,
				    "updated_by", text_or_null(it->updated_by),
				    "updated_at", text_or_null(it->updated_at))
			: json_null();
		json_t *figure = json_null();
		if (it->req->figure != FIGURE_NONE) {
			assessment_value v = a->figures[it->req->figure];
			figure = json_pack("{ss ss sI sI}", "name", assessment_figure_name(it->req->figure),
					   "label", it->req->figure_label, "count", (json_int_t)v.num,
					   "of", (json_int_t)v.den);
		}
		json_array_append_new(list, json_pack("{sI ss ss ss ss so so so}", "n", (json_int_t)(i + 1),
						       "id", it->req->id, "cites", it->req->cites,
						       "section", it->req->section,
						       "requirement", it->req->text, "figure", figure,
						       "computed_evidence", text_or_null(it->computed),
						       "answer", answer));
	}
	return json_pack("{ss ss sI ss ss ss s{ss ss ss} sI sI sb so}", "org", org_code,
			 "org_name", a->org_name ? a->org_name : "", "year", (json_int_t)a->year,
			 "year_name", a->year_name, "from", date_format(a->from, from), "to",
			 date_format(a->to, to), "template", "code", a->tmpl->code, "name",
			 a->tmpl->name, "source", a->tmpl->source, "answered",
			 (json_int_t)a->answered, "carried_over", (json_int_t)a->carried_over,
			 "previous_year_answered", a->previous, "requirements", list);
}

static bool year_param(http_request *req, int *year)
{
	int64_t y;
	if (!api_path_id(req, 1, "year", &y))
		return false;
	if (y < 2000 || y > 2998) {
		http_error(req, 400, "invalid_parameter", "year", "'%lld' is not a reporting year: "
			   "give the year it starts in, such as 2026", (long long)y);
		return false;
	}
	*year = (int)y;
	return true;
}

/* The year's self-assessment as the answer, with status. */
static void answer(http_request *req, int year, int status)
{
	store_assessment a;
	fh_error err = {0};
	if (store_assessment_get(req->st, req->params[0], year, req->arena, &a, &err)) {
		http_fail(req, &err);
		return;
	}
	http_json(req, status, api_assessment_json(req->params[0], &a));
	store_assessment_release(&a);
}

void api_assessment_get(http_request *req)
{
	int year;
	if (year_param(req, &year))
		answer(req, year, 200);
}

static const char *const ANSWER_FIELDS[] = {"complies", "evidence", "commentary", "action",
					    "owner", "due_on", NULL};

/* One answer's fields of obj (strings, or absent/null). */
static bool answer_of(http_request *req, const json_t *obj, const char *at, assessment_answer *a)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		bool known = !strcmp(key, "requirement");
		for (size_t i = 0; ANSWER_FIELDS[i]; i++)
			known |= !strcmp(key, ANSWER_FIELDS[i]);
		const char *field = arena_printf(req->arena, "%s%s", at, key);
		if (!known) {
			http_error(req, 422, "invalid", field, "is not a field of an answer");
			return false;
		}
		if (!json_is_string(v) && !json_is_null(v)) {
			http_error(req, 422, "invalid", field, "must be a string");
			return false;
		}
	}
	a->complies = json_string_value(json_object_get(obj, "complies"));
	a->evidence = json_string_value(json_object_get(obj, "evidence"));
	a->commentary = json_string_value(json_object_get(obj, "commentary"));
	a->action = json_string_value(json_object_get(obj, "action"));
	a->owner = json_string_value(json_object_get(obj, "owner"));
	a->due_on = json_string_value(json_object_get(obj, "due_on"));
	if (!a->requirement)
		a->requirement = json_string_value(json_object_get(obj, "requirement"));
	return true;
}

void api_assessment_put(http_request *req)
{
	static const char *const fields[] = {"answers", NULL};
	int year;
	if (!year_param(req, &year) || !api_body_fields(req, fields))
		return;
	const json_t *list = json_object_get(req->json, "answers");
	if (!json_is_array(list) || !json_array_size(list)) {
		http_error(req, 422, "invalid", "answers", "must be a non-empty list of answers, each "
			   "with its requirement's id");
		return;
	}
	size_t n = json_array_size(list);
	assessment_answer *answers = arena_array(req->arena, n, sizeof *answers);
	for (size_t i = 0; i < n; i++) {
		const json_t *x = json_array_get(list, i);
		const char *at = arena_printf(req->arena, "answers[%zu].", i);
		if (!json_is_object(x)) {
			http_error(req, 422, "invalid", arena_printf(req->arena, "answers[%zu]", i),
				   "must be an object");
			return;
		}
		if (!answer_of(req, x, at, &answers[i]))
			return;
	}
	fh_error err = {0};
	if (store_assessment_save(req->st, req->params[0], year, answers, n, true,
				  req->who->user.email, &err)) {
		http_fail(req, &err);
		return;
	}
	answer(req, year, 200);
}

void api_assessment_answer(http_request *req)
{
	int year;
	int64_t n;
	if (!year_param(req, &year) || !api_path_id(req, 2, "requirement", &n) ||
	    !api_body_fields(req, ANSWER_FIELDS))
		return;
	assessment_template *t;
	fh_error err = {0};
	if (store_assessment_template(year, &t, &err)) {
		http_fail(req, &err);
		return;
	}
	if ((size_t)n > t->n) {
		http_error(req, 404, "not_found", "requirement", "the template %s has %zu "
			   "requirements, not %lld", t->code, t->n, (long long)n);
		assessment_free(t);
		return;
	}
	assessment_answer a = {.requirement = arena_strdup(req->arena, t->req[n - 1].id)};
	assessment_free(t);
	if (!answer_of(req, req->json, "", &a))
		return;
	if (store_assessment_save(req->st, req->params[0], year, &a, 1, false, req->who->user.email,
				  &err)) {
		http_fail(req, &err);
		return;
	}
	answer(req, year, 200);
}

void api_assessment_start(http_request *req)
{
	int year;
	if (!year_param(req, &year) || !api_body_fields(req, (const char *const[]){NULL}))
		return;
	size_t copied;
	fh_error err = {0};
	if (store_assessment_start(req->st, req->params[0], year, req->who->user.email, &copied,
				   &err)) {
		http_fail(req, &err);
		return;
	}
	answer(req, year, 201);
}
