/*
 * The self-assessment against the Ombudsman's Complaint Handling Code
 * (issue 19 item 4; core/assessment.c): the template file is refused with
 * the field named when it is wrong, the shipped one covers every section of
 * the Code, an answer that does not comply needs its action, owner and
 * date, and the records' evidence reads as numbers and a percentage.
 * Core only: no database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "config.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = malloc((size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	fclose(f);
	return text;
}

static assessment_template *shipped(void)
{
	char *text = slurp(FH_ASSESSMENTS_DIR "/lgsco-code-2024.json");
	assessment_template *t = NULL;
	proc_problems problems;
	fh_error err = {0};
	fh_status s = assessment_parse(text, &t, &problems, &err);
	if (s)
		fprintf(stderr, "# %s: %s\n", err.field, err.message);
	assert_int_equal(s, FH_OK);
	free(text);
	return t;
}

/* issue 19 item 4: each section of the Code (1 definitions to 9 scrutiny
 * and oversight) has requirements, each citing where in the Code it comes from. */
static void test_shipped_template_covers_each_section_issue19_item4(void **state)
{
	(void)state;
	assessment_template *t = shipped();
	static const char *const SECTIONS[] = {
		"Definition of a service request and complaint", "Exclusions",
		"Accessibility and awareness", "Complaint handling staff",
		"The complaint handling process", "Stage 1", "Stage 2", "Putting things right",
		"Performance reporting and self-assessment", "Scrutiny and oversight"};
	for (size_t s = 0; s < sizeof SECTIONS / sizeof SECTIONS[0]; s++) {
		size_t n = 0;
		for (size_t i = 0; i < t->n; i++)
			n += !strcmp(t->req[i].section, SECTIONS[s]);
		if (!n)
			fprintf(stderr, "# no requirement of %s\n", SECTIONS[s]);
		assert_true(n > 0);
	}
	assert_string_equal(t->code, "lgsco-code-2024");
	const assessment_requirement *r = assessment_requirement_get(t, "6.2");
	assert_non_null(r);
	assert_string_equal(r->section, "Stage 1");
	assert_int_equal(r->figure, FIGURE_STAGE1_ACKNOWLEDGED_IN_TIME);
	assert_string_equal(r->cites, "§6.2");
	/* LGSCO Code §6.7 answers every point, not §6.5 (the Ombudsman's details
	 * with an extension) */
	r = assessment_requirement_get(t, "6.7");
	assert_non_null(r);
	assert_non_null(strstr(r->text, "every point"));
	assert_non_null(strstr(assessment_requirement_get(t, "6.5")->text, "Ombudsman's details"));
	/* Stage 2's paragraphs were not checked against the published Code:
	 * cited by the section, keyed by the section and a letter */
	r = assessment_requirement_get(t, "6b2");
	assert_non_null(r);
	assert_int_equal(r->figure, FIGURE_STAGE2_SEPARATE_HANDLER);
	assert_string_equal(r->cites, "§6, Stage 2 (who considers it)");
	assert_null(assessment_requirement_get(t, "6.14"));
	assert_null(assessment_requirement_get(t, "99.9"));
	assessment_free(t);
	/* every file of the folder parses, so the server never meets a bad one */
	DIR *dir = opendir(FH_ASSESSMENTS_DIR);
	assert_non_null(dir);
	struct dirent *e;
	size_t files = 0;
	while ((e = readdir(dir))) {
		size_t len = strlen(e->d_name);
		if (len <= 5 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", FH_ASSESSMENTS_DIR, e->d_name);
		char *text = slurp(path);
		proc_problems problems;
		fh_error err = {0};
		assessment_template *x = NULL;
		assert_int_equal(assessment_parse(text, &x, &problems, &err), FH_OK);
		assessment_free(x);
		free(text);
		files++;
	}
	closedir(dir);
	assert_true(files >= 1);
}

/* A bad template is refused with the path of the field and the reason
 * (issue 19 item 4: the template is data an administrator writes). */
static void refused(const char *text, const char *path, const char *words)
{
	assessment_template *t = (assessment_template *)1;
	proc_problems problems;
	fh_error err = {0};
	assert_int_equal(assessment_parse(text, &t, &problems, &err), FH_EINVAL);
	assert_null(t);
	bool found = false;
	for (size_t i = 0; i < problems.count && i < 48; i++)
		if (!strcmp(problems.items[i].path, path) && strstr(problems.items[i].message, words))
			found = true;
	if (!found)
		for (size_t i = 0; i < problems.count && i < 48; i++)
			fprintf(stderr, "# %s: %s\n", problems.items[i].path, problems.items[i].message);
	assert_true(found);
}

#define HEAD "{\"code\": \"x\", \"name\": \"X\", \"source\": \"LGSCO Code\", " \
	     "\"applies_from\": \"2026-04-01\", "

static void test_bad_template_names_the_field_issue19_item4(void **state)
{
	(void)state;
	refused("[1]", "", "JSON object");
	refused("{", "line 1", "");
	refused(HEAD "\"requirements\": []}", "requirements", "non-empty list");
	refused("{\"name\": \"X\", \"source\": \"s\", \"applies_from\": \"2026-04-01\", "
		"\"requirements\": [{\"id\": \"1.1\", \"section\": \"S\", \"requirement\": \"R\"}]}",
		"code", "");
	refused("{\"code\": \"x\", \"name\": \"X\", \"source\": \"s\", \"applies_from\": "
		"\"2026-02-30\", \"requirements\": [{\"id\": \"1.1\", \"section\": \"S\", "
		"\"requirement\": \"R\"}]}", "applies_from", "must be a date");
	refused(HEAD "\"requirements\": [{\"id\": \"1.1\", \"section\": \"S\"}]}",
		"requirements[0].requirement", "");
	refused(HEAD "\"requirements\": [{\"id\": \"1.1\", \"section\": \"S\", \"requirement\": "
		"\"R\", \"measure\": {\"figure\": \"complaints_loved\", \"label\": \"L\"}}]}",
		"requirements[0].measure.figure", "not a figure the records give");
	refused(HEAD "\"requirements\": [{\"id\": \"1.1\", \"section\": \"S\", \"requirement\": "
		"\"R\", \"measure\": {\"figure\": \"stage1_answered_in_time\"}}]}",
		"requirements[0].measure.label", "");
	refused(HEAD "\"requirements\": [{\"id\": \"1.1\", \"section\": \"S\", \"requirement\": "
		"\"R\"}, {\"id\": \"1.1\", \"section\": \"S\", \"requirement\": \"Q\"}]}",
		"requirements[1].id", "used twice");
	refused(HEAD "\"requirements\": [{\"id\": \"Section One\", \"section\": \"S\", "
		"\"requirement\": \"R\"}]}", "requirements[0].id", "the Code's paragraph");
	refused(HEAD "\"requirements\": [{\"id\": \"1.1\", \"section\": \"S\", \"requirement\": "
		"\"R\", \"colour\": \"red\"}]}", "requirements[0].colour", "");
}

static fh_status check(const assessment_template *t, assessment_answer a, fh_error *err)
{
	error_clear(err);
	return assessment_answer_check(t, &a, err);
}

/* issue 19 item 4: "an action with an owner and date where it does not"
 * comply; complies is yes, no or partly; a date is a date. */
/* A requirement without `cites` is cited by its id, which is then the Code's
 * paragraph; one with it is shown as it says. */
static void test_cites_defaults_to_the_paragraph(void **state)
{
	(void)state;
	assessment_template *t;
	proc_problems problems;
	fh_error err;
	assert_int_equal(assessment_parse(HEAD "\"requirements\": [{\"id\": \"1.4\", \"section\": \"S\", "
					  "\"requirement\": \"R\"}, {\"id\": \"4a\", \"cites\": "
					  "\"Section 4 (training)\", \"section\": \"S\", "
					  "\"requirement\": \"Q\"}]}",
					  &t, &problems, &err),
			 FH_OK);
	assert_string_equal(assessment_requirement_get(t, "1.4")->cites, "§1.4");
	assert_string_equal(assessment_requirement_get(t, "4a")->cites, "Section 4 (training)");
	assessment_free(t);
}

static void test_answer_needs_action_where_not_yes_issue19_item4(void **state)
{
	(void)state;
	assessment_template *t = shipped();
	fh_error err;
	assert_int_equal(check(t, (assessment_answer){.requirement = "6.2", .complies = "yes"},
			       &err), FH_OK);
	assert_int_equal(check(t, (assessment_answer){.requirement = "6.2"}, &err), FH_EINVAL);
	assert_string_equal(err.field, "complies");
	assert_int_equal(check(t, (assessment_answer){.requirement = "6.2", .complies = "mostly"},
			       &err), FH_EINVAL);
	assert_string_equal(err.field, "complies");
	assert_non_null(strstr(err.message, "yes, no or partly"));
	assert_int_equal(check(t, (assessment_answer){.requirement = "0.0", .complies = "yes"},
			       &err), FH_EINVAL);
	assert_string_equal(err.field, "requirement");
	assert_int_equal(check(t, (assessment_answer){.requirement = "6.2", .complies = "partly"},
			       &err), FH_EINVAL);
	assert_string_equal(err.field, "action");
	assert_non_null(strstr(err.source, "issue 19 item 4"));
	assert_int_equal(check(t, (assessment_answer){.requirement = "6.2", .complies = "no",
						      .action = "Log on the day"}, &err), FH_EINVAL);
	assert_string_equal(err.field, "owner");
	assert_int_equal(check(t, (assessment_answer){.requirement = "6.2", .complies = "no",
						      .action = "Log on the day",
						      .owner = "Complaints manager"}, &err), FH_EINVAL);
	assert_string_equal(err.field, "due_on");
	assert_int_equal(check(t, (assessment_answer){.requirement = "6.2", .complies = "no",
						      .action = "Log on the day",
						      .owner = "Complaints manager",
						      .due_on = "2026-13-01"}, &err), FH_EINVAL);
	assert_string_equal(err.field, "due_on");
	assert_non_null(strstr(err.message, "must be a date"));
	assert_int_equal(check(t, (assessment_answer){.requirement = "6.2", .complies = "no",
						      .action = "Log on the day",
						      .owner = "Complaints manager",
						      .due_on = "2026-09-30"}, &err), FH_OK);
	assessment_free(t);
}

/* issue 19 item 4's own example: "Stage 1 acknowledged within 5 working
 * days: 412 of 474, 86.9%"; none to count says so. */
static void test_evidence_words_issue19_item4(void **state)
{
	(void)state;
	assessment_template *t = shipped();
	assessment_value v[FIGURE_COUNT] = {{0}};
	v[FIGURE_STAGE1_ACKNOWLEDGED_IN_TIME] = (assessment_value){412, 474};
	fh_arena arena = ARENA_INIT;
	assert_string_equal(assessment_evidence(&arena, assessment_requirement_get(t, "6.2"), v),
			    "Stage 1 acknowledged within 5 working days: 412 of 474, 86.9%");
	assert_string_equal(assessment_evidence(&arena, assessment_requirement_get(t, "6b1"), v),
			    "Stage 2 acknowledged within 5 working days: none in the period");
	assert_null(assessment_evidence(&arena, assessment_requirement_get(t, "1.4"), v));
	arena_free(&arena);
	assessment_free(t);
}

/* The reporting year is the financial year, 1 April to 31 March (LGSCO
 * Code §8; report_preset "year"). */
static void test_reporting_year_issue19_item4(void **state)
{
	(void)state;
	fh_date from, to, day;
	assert_true(date_parse("2027-03-31", &day));
	assert_int_equal(assessment_year_of(day), 2026);
	assert_true(date_parse("2026-04-01", &day));
	assert_int_equal(assessment_year_of(day), 2026);
	assessment_year_period(2026, &from, &to);
	char a[DATE_ISO_LEN], b[DATE_ISO_LEN];
	assert_string_equal(date_format(from, a), "2026-04-01");
	assert_string_equal(date_format(to, b), "2027-03-31");
	fh_arena arena = ARENA_INIT;
	assert_string_equal(assessment_year_name(&arena, 2026), "2026-27");
	assert_string_equal(assessment_year_name(&arena, 2099), "2099-00");
	arena_free(&arena);
	/* a revised Code is a new file: the later one from its applies_from */
	assessment_template old = {.code = "old"}, revised = {.code = "revised"};
	assert_true(date_parse("2026-04-01", &old.applies_from));
	assert_true(date_parse("2029-04-01", &revised.applies_from));
	const assessment_template *all[] = {&revised, &old};
	assert_string_equal(assessment_template_for(all, 2, 2028)->code, "old");
	assert_string_equal(assessment_template_for(all, 2, 2029)->code, "revised");
	assert_string_equal(assessment_template_for(all, 2, 2020)->code, "old");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_template_covers_each_section_issue19_item4),
		cmocka_unit_test(test_bad_template_names_the_field_issue19_item4),
		cmocka_unit_test(test_cites_defaults_to_the_paragraph),
		cmocka_unit_test(test_answer_needs_action_where_not_yes_issue19_item4),
		cmocka_unit_test(test_evidence_words_issue19_item4),
		cmocka_unit_test(test_reporting_year_issue19_item4),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
