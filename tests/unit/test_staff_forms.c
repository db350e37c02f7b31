/*
 * Unit tests for the one way to declare a staff form (src/web/staff_forms.h):
 * every key is unique (it is the form's ?done= word and its fields' prefix),
 * every lifecycle action has its form on a page of its own and that form
 * asks only for parameters the action takes (lifecycle_apply refuses any
 * other), every form names the API handler it runs, and a whole number is
 * read one way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lifecycle.h"
#include "staff_forms.h"

static size_t n_fields(const pf_form *f)
{
	size_t n = 0;
	while (n < sizeof f->fields / sizeof f->fields[0] && f->fields[n].name)
		n++;
	return n;
}

/* Keys are the ?done= words: two forms with one key would say one was done for the other. */
static void test_keys_are_unique(void **state)
{
	(void)state;
	size_t forms = 0;
	for (size_t t = 0; t < STAFF_FORM_N_TABLES; t++)
		for (const pf_form *f = STAFF_FORM_TABLES[t]; f->key; f++) {
			forms++;
			assert_ptr_equal(staff_form_by_key(f->key), f);
		}
	assert_true(forms >= lifecycle_action_count() + 19);
	/* the child's consent to a representative (001 §7.4) and consent to
	 * share (001 §14.3) are two forms with two words */
	assert_string_equal(staff_form_by_key("consent")->title, "Record consent");
	assert_string_equal(staff_form_by_key("share")->title, "Record consent to share");
	assert_null(staff_form_by_key("document"));
	assert_null(staff_form_by_key(NULL));
}

/* DOMAIN §2 (every action through the lifecycle): each action has its form, on its own page. */
static void test_every_action_has_its_form(void **state)
{
	(void)state;
	for (size_t i = 0; i < lifecycle_action_count(); i++) {
		const char *name = lifecycle_action(i)->name;
		const pf_form *f = staff_form_action(name);
		if (!f)
			fail_msg("the lifecycle action %s has no staff form", name);
		assert_int_equal(f->place, ON_OWN_PAGE);
		assert_true(f->as_text);
		assert_false(f->item);
		assert_ptr_equal(f->api, api_case_act);
	}
	/* a form folded on the case page is not an action's page */
	assert_null(staff_form_action("remedy"));
	assert_null(staff_form_action("share"));
	assert_null(staff_form_action("no-such-action"));
}

/* lifecycle_apply refuses a parameter its action does not take: no form may send one. */
static void test_action_fields_are_its_parameters(void **state)
{
	(void)state;
	for (const pf_form *f = STAFF_ACTION_FORMS; f->key; f++) {
		assert_true(n_fields(f) >= 1);
		assert_string_equal(f->fields[0].name, "on");
		assert_int_equal(f->fields[0].kind, PF_TODAY);
		for (size_t i = 0; i < n_fields(f); i++)
			if (!lifecycle_action_takes(f->key, f->fields[i].name))
				fail_msg("the form of %s asks for %s, which the action does not take",
					 f->key, f->fields[i].name);
	}
	assert_true(lifecycle_action_takes("extend", "new_due"));
	assert_true(lifecycle_action_takes("triage", "sufficient_interest_reason"));
	assert_false(lifecycle_action_takes("extend", "letter"));
	assert_false(lifecycle_action_takes("no_such_action", "on"));
}

/* Every form runs an API handler and says what it is; its choices are lists. */
static void test_forms_are_complete(void **state)
{
	(void)state;
	for (size_t t = 0; t < STAFF_FORM_N_TABLES; t++)
		for (const pf_form *f = STAFF_FORM_TABLES[t]; f->key; f++) {
			assert_non_null(f->api);
			assert_non_null(f->title);
			/* a button alone (starting a year's self-assessment from the
			 * last) is a form of the organisation's page; every other has
			 * something to fill in */
			assert_true(n_fields(f) >= 1 || f->place == ON_ORG_PAGE);
			for (size_t i = 0; i < n_fields(f); i++) {
				const pf_field *fd = &f->fields[i];
				assert_non_null(fd->label);
				bool listed = fd->kind == PF_CHOICE || fd->kind == PF_CHOICES ||
					      fd->kind == PF_ROWS;
				if (listed != (fd->choices != NULL))
					fail_msg("%s-%s: choices go with a kind that offers them",
						 f->key, fd->name);
			}
		}
}

/* A form on an organisation's page goes back to its page, and draws it
 * again with a refusal: each has its STAFF_ORG_PAGES entry (the
 * self-assessment, issue 19 item 4). */
static void test_org_page_forms_have_their_page_issue19_item4(void **state)
{
	(void)state;
	size_t n = 0;
	for (size_t t = 0; t < STAFF_FORM_N_TABLES; t++)
		for (const pf_form *f = STAFF_FORM_TABLES[t]; f->key; f++) {
			if (f->place != ON_ORG_PAGE)
				continue;
			bool found = false;
			for (const pf_org_page *p = STAFF_ORG_PAGES; p->key; p++)
				found |= !strcmp(p->key, f->key) && p->path && p->page;
			if (!found)
				fail_msg("%s: an ON_ORG_PAGE form without its page", f->key);
			n++;
		}
	assert_int_equal(n, 2); /* an answer, and starting from last year */
	assert_non_null(staff_form_by_key("assessment"));
	assert_int_equal(staff_form_by_key("assessment_start")->place, ON_ORG_PAGE);
}

static void test_whole_number(void **state)
{
	(void)state;
	int64_t n = -1;
	assert_true(staff_whole_number("20", 1, 60, &n));
	assert_int_equal(n, 20);
	assert_true(staff_whole_number("0", 0, 10, &n));
	assert_int_equal(n, 0);
	assert_false(staff_whole_number("", 0, 10, &n));
	assert_false(staff_whole_number(NULL, 0, 10, &n));
	assert_false(staff_whole_number("-1", 0, 10, &n));
	assert_false(staff_whole_number("+5", 0, 10, &n));
	assert_false(staff_whole_number(" 5", 0, 10, &n));
	assert_false(staff_whole_number("5x", 0, 10, &n));
	assert_false(staff_whole_number("61", 1, 60, &n));
	assert_false(staff_whole_number("99999999999999999999", 0, INT64_MAX, &n));
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_are_unique),
		cmocka_unit_test(test_every_action_has_its_form),
		cmocka_unit_test(test_action_fields_are_its_parameters),
		cmocka_unit_test(test_forms_are_complete),
		cmocka_unit_test(test_org_page_forms_have_their_page_issue19_item4),
		cmocka_unit_test(test_whole_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
