/*
 * assessment.c: the self-assessment template and its answers (assessment.h;
 * issue 19 item 4).
 */
#define DATAFILE_READER
#include "assessment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datafile.h"

/* The source every refusal of an answer names. */
#define ANSWER_SOURCE "issue 19 item 4; LGSCO Code §8, self-assessment"

static const char *const FIGURE_NAMES[FIGURE_COUNT] = {
	[FIGURE_STAGE1_ACKNOWLEDGED_IN_TIME] = "stage1_acknowledged_in_time",
	[FIGURE_STAGE1_ANSWERED_IN_TIME] = "stage1_answered_in_time",
	[FIGURE_STAGE2_ACKNOWLEDGED_IN_TIME] = "stage2_acknowledged_in_time",
	[FIGURE_STAGE2_ANSWERED_IN_TIME] = "stage2_answered_in_time",
	[FIGURE_STAGE1_EXTENDED] = "stage1_extended",
	[FIGURE_STAGE2_EXTENDED] = "stage2_extended",
	[FIGURE_STAGE2_SEPARATE_HANDLER] = "stage2_separate_handler",
	[FIGURE_LEARNING_RECORDED] = "learning_recorded",
};

const char *assessment_figure_name(assessment_figure f)
{
	return f >= 0 && f < FIGURE_COUNT ? FIGURE_NAMES[f] : "";
}

assessment_figure assessment_figure_parse(const char *name)
{
	for (int f = 0; name && f < FIGURE_COUNT; f++)
		if (!strcmp(FIGURE_NAMES[f], name))
			return (assessment_figure)f;
	return FIGURE_NONE;
}

static const char *const TEMPLATE_FIELDS[] = {"code", "name", "source", "applies_from",
					      "requirements", "notes", NULL};
static const char *const REQUIREMENT_FIELDS[] = {"id", "cites", "section", "requirement",
						 "measure", NULL};
static const char *const MEASURE_FIELDS[] = {"figure", "label", NULL};

static void parse_measure(parser *p, const json_t *m, const char *path,
			  assessment_requirement *r)
{
	r->figure = FIGURE_NONE;
	if (!m)
		return;
	if (!json_is_object(m)) {
		problem(p, path, "must be an object with a figure and its label");
		return;
	}
	only_keys(p, m, path, MEASURE_FIELDS);
	const char *figure = datafile_string(p->problems, m, path, "figure", true, false);
	r->figure_label = datafile_string(p->problems, m, path, "label", true, false);
	if (figure) {
		r->figure = assessment_figure_parse(figure);
		if (r->figure == FIGURE_NONE) {
			char at[96];
			join(at, sizeof at, path, "figure");
			problem(p, at, "'%s' is not a figure the records give (one of "
				"stage1_acknowledged_in_time, stage1_answered_in_time, "
				"stage2_acknowledged_in_time, stage2_answered_in_time, stage1_extended, "
				"stage2_extended, stage2_separate_handler, learning_recorded)", figure);
		}
	}
}

static void parse_requirements(parser *p, json_t *doc, assessment_template *t)
{
	json_t *list = json_object_get(doc, "requirements");
	if (!json_is_array(list) || json_array_size(list) == 0) {
		problem(p, "requirements", "must be a non-empty list of the Code's requirements");
		return;
	}
	if (json_array_size(list) > ASSESSMENT_MAX_REQUIREMENTS) {
		problem(p, "requirements", "has more than %d requirements", ASSESSMENT_MAX_REQUIREMENTS);
		return;
	}
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x) {
		char path[96];
		snprintf(path, sizeof path, "requirements[%zu]", i);
		if (!json_is_object(x)) {
			problem(p, path, "must be an object");
			continue;
		}
		only_keys(p, x, path, REQUIREMENT_FIELDS);
		assessment_requirement *r = &t->req[t->n++];
		r->id = datafile_string(p->problems, x, path, "id", true, false);
		r->cites = datafile_string(p->problems, x, path, "cites", false, false);
		if (!r->cites && r->id) {
			/* the doc owns every string: the default is kept in it too */
			json_object_set_new(x, "cites", json_sprintf("§%s", r->id));
			r->cites = json_string_value(json_object_get(x, "cites"));
		}
		r->section = datafile_string(p->problems, x, path, "section", true, false);
		r->text = datafile_string(p->problems, x, path, "requirement", true, false);
		char at[96];
		join(at, sizeof at, path, "measure");
		parse_measure(p, json_object_get(x, "measure"), at, r);
		if (r->id && (strlen(r->id) > 16 || strspn(r->id, "0123456789.abcdefghijklmnopqrstuvwxyz")
								!= strlen(r->id))) {
			join(at, sizeof at, path, "id");
			problem(p, at, "must be the Code's paragraph, such as 6.2, or its section "
				"and a letter, such as 6b1 (digits, points and small letters, at "
				"most 16)");
		}
		for (size_t k = 0; r->id && k + 1 < t->n; k++)
			if (t->req[k].id && !strcmp(t->req[k].id, r->id)) {
				join(at, sizeof at, path, "id");
				problem(p, at, "'%s' is used twice: each requirement has its own id", r->id);
			}
	}
}

fh_status assessment_parse(const char *text, assessment_template **out, proc_problems *problems,
			   fh_error *err)
{
	*out = NULL;
	problems->count = 0;
	json_error_t jerr;
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		problems->count = 1;
		snprintf(problems->items[0].path, sizeof problems->items[0].path, "line %d", jerr.line);
		snprintf(problems->items[0].message, sizeof problems->items[0].message, "%s",
			 jerr.text);
		return error_set(err, FH_EINVAL, "file", NULL, "not JSON: line %d: %s", jerr.line,
				 jerr.text);
	}
	parser p = {problems};
	fh_status refused;
	assessment_template *t = datafile_begin(doc, sizeof *t, problems, "", "file",
						"a self-assessment template is a JSON object",
						&refused, err);
	if (!t)
		return refused;
	t->doc = doc;
	only_keys(&p, doc, "", TEMPLATE_FIELDS);
	t->code = datafile_string(problems, doc, "", "code", true, false);
	t->name = datafile_string(problems, doc, "", "name", true, false);
	t->source = datafile_string(problems, doc, "", "source", true, false);
	const char *from = datafile_string(problems, doc, "", "applies_from", true, false);
	if (from && !date_parse(from, &t->applies_from))
		problem(&p, "applies_from", "must be a date, YYYY-MM-DD");
	datafile_string(problems, doc, "", "notes", false, true);
	parse_requirements(&p, doc, t);
	if (problems->count) {
		assessment_free(t);
		return error_set(err, FH_EINVAL, problems->items[0].path, NULL, "%s",
				 problems->items[0].message);
	}
	*out = t;
	return FH_OK;
}

void assessment_free(assessment_template *t)
{
	if (!t)
		return;
	json_decref(t->doc);
	free(t);
}

const assessment_requirement *assessment_requirement_get(const assessment_template *t,
							 const char *id)
{
	for (size_t i = 0; id && i < t->n; i++)
		if (!strcmp(t->req[i].id, id))
			return &t->req[i];
	return NULL;
}

const assessment_template *assessment_template_for(const assessment_template *const *all,
						   size_t n, int year)
{
	fh_date from, to;
	assessment_year_period(year, &from, &to);
	const assessment_template *best = NULL, *earliest = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!earliest || all[i]->applies_from < earliest->applies_from)
			earliest = all[i];
		if (all[i]->applies_from <= to && (!best || all[i]->applies_from > best->applies_from))
			best = all[i];
	}
	return best ? best : earliest;
}

int assessment_year_of(fh_date day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return m >= 4 ? y : y - 1;
}

void assessment_year_period(int year, fh_date *from, fh_date *to)
{
	*from = date_from_ymd(year, 4, 1);
	*to = date_from_ymd(year + 1, 3, 31);
}

const char *assessment_year_name(fh_arena *arena, int year)
{
	return arena_printf(arena, "%d-%02d", year, (year + 1) % 100);
}

static bool given(const char *s)
{
	return s && *s;
}

fh_status assessment_answer_check(const assessment_template *t, const assessment_answer *a,
				  fh_error *err)
{
	if (!given(a->requirement))
		return error_set(err, FH_EINVAL, "requirement", ANSWER_SOURCE, "is required");
	if (!assessment_requirement_get(t, a->requirement))
		return error_set(err, FH_EINVAL, "requirement", ANSWER_SOURCE,
				 "'%s' is not a requirement of %s", a->requirement, t->code);
	if (!given(a->complies))
		return error_set(err, FH_EINVAL, "complies", ANSWER_SOURCE,
				 "is required: yes, no or partly");
	bool yes = !strcmp(a->complies, "yes");
	if (!yes && strcmp(a->complies, "no") && strcmp(a->complies, "partly"))
		return error_set(err, FH_EINVAL, "complies", ANSWER_SOURCE,
				 "must be yes, no or partly, not '%s'", a->complies);
	const struct {
		const char *name, *value;
	} texts[] = {{"evidence", a->evidence}, {"commentary", a->commentary},
		     {"action", a->action}, {"owner", a->owner}};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (texts[i].value && strlen(texts[i].value) > ASSESSMENT_TEXT_MAX)
			return error_set(err, FH_EINVAL, texts[i].name, ANSWER_SOURCE,
					 "is longer than %d characters", ASSESSMENT_TEXT_MAX);
	fh_date due;
	if (given(a->due_on) && !date_parse(a->due_on, &due))
		return error_set(err, FH_EINVAL, "due_on", ANSWER_SOURCE,
				 "must be a date, YYYY-MM-DD, not '%s'", a->due_on);
	if (yes)
		return FH_OK;
	if (!given(a->action))
		return error_set(err, FH_EINVAL, "action", ANSWER_SOURCE,
				 "is required where the answer is %s: what will be done to comply",
				 a->complies);
	if (!given(a->owner))
		return error_set(err, FH_EINVAL, "owner", ANSWER_SOURCE,
				 "is required where there is an action: who will see it done");
	if (!given(a->due_on))
		return error_set(err, FH_EINVAL, "due_on", ANSWER_SOURCE,
				 "is required where there is an action: the date it is to be done by");
	return FH_OK;
}

const char *assessment_evidence(fh_arena *arena, const assessment_requirement *r,
				const assessment_value *figures)
{
	if (r->figure == FIGURE_NONE)
		return NULL;
	assessment_value v = figures[r->figure];
	if (v.den <= 0)
		return arena_printf(arena, "%s: none in the period", r->figure_label);
	int64_t tenths = (v.num * 1000 + v.den / 2) / v.den;
	return arena_printf(arena, "%s: %lld of %lld, %lld.%lld%%", r->figure_label,
			    (long long)v.num, (long long)v.den, (long long)(tenths / 10),
			    (long long)(tenths % 10));
}
