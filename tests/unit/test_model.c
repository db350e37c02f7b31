/*
 * Unit tests for src/core/model.c (what a new case must satisfy),
 * src/core/reference.c, src/core/hashchain.c and src/core/case_json.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "case_json.h"
#include "hashchain.h"
#include "model.h"
#include "reference.h"

static fh_date today(void)
{
	return date_from_ymd(2026, 11, 23);
}

typedef struct sample {
	fh_party parties[3];
	fh_point points[2];
	fh_case_input in;
} sample;

static void make_sample(sample *s)
{
	memset(s, 0, sizeof *s);
	s->parties[0] = (fh_party){.role = "complainant", .relationship = "foster_carer",
				   .person = {.given_name = "Grace", .family_name = "Okafor"}};
	s->parties[1] = (fh_party){.role = "child", .child_status = "looked_after",
				   .person = {.given_name = "Kai", .family_name = "Evans"}};
	s->points[0] = (fh_point){.summary = "Allowances paid late", .desired_outcome = "Back pay"};
	s->in = (fh_case_input){.org_code = "bct", .kind = "complaint", .channel = "phone",
				.received_on = "2026-11-20", .summary = "Late allowances",
				.n_parties = 2, .parties = s->parties, .n_points = 1,
				.points = s->points};
}

static void expect_refusal(const fh_case_input *in, const char *field, const char *source)
{
	fh_error err = {0};
	assert_int_equal(case_input_validate(in, today(), &err), FH_EINVAL);
	assert_string_equal(err.field, field);
	if (source)
		assert_string_equal(err.source, source);
	assert_true(strlen(err.message) > 0);
}

static void test_valid_case_passes(void **state)
{
	(void)state;
	sample s;
	make_sample(&s);
	fh_error err = {0};
	assert_int_equal(case_input_validate(&s.in, today(), &err), FH_OK);
}

static void test_required_fields_and_vocabularies(void **state)
{
	(void)state;
	sample s;
	make_sample(&s);
	s.in.kind = "grumble";
	expect_refusal(&s.in, "kind", NULL);
	make_sample(&s);
	s.in.channel = NULL;
	expect_refusal(&s.in, "channel", NULL);
	make_sample(&s);
	s.in.summary = "   ";
	expect_refusal(&s.in, "summary", NULL);
	make_sample(&s);
	s.in.org_code = "";
	expect_refusal(&s.in, "org", NULL);
	make_sample(&s);
	s.parties[1].child_status = "happy";
	expect_refusal(&s.in, "parties[1].child_status", NULL);
	make_sample(&s);
	s.points[0].summary = "";
	expect_refusal(&s.in, "points[0].summary", NULL);
}

static void test_dates_real_and_not_future(void **state)
{
	(void)state;
	sample s;
	make_sample(&s);
	s.in.received_on = "2026-02-30";
	expect_refusal(&s.in, "received_on", NULL);
	make_sample(&s);
	s.in.received_on = "2026-11-24"; /* tomorrow */
	expect_refusal(&s.in, "received_on", NULL);
	make_sample(&s);
	s.parties[1].person.date_of_birth = "2014-13-01";
	expect_refusal(&s.in, "parties[1].person.date_of_birth", NULL);
}

/* 001 §7.3: a representative acts for the child in a named capacity. */
static void test_representative_needs_relationship(void **state)
{
	(void)state;
	sample s;
	make_sample(&s);
	s.parties[2] = (fh_party){.role = "representative",
				  .person = {.given_name = "Jo", .family_name = "Advocate"}};
	s.in.n_parties = 3;
	expect_refusal(&s.in, "parties[2].relationship", "001 §7.3");
	s.parties[2].relationship = "advocate";
	fh_error err = {0};
	assert_int_equal(case_input_validate(&s.in, today(), &err), FH_OK);
}

/* 000 "Friends or relatives": consent is checked whenever the complaint does
 * not come from the child, so it cannot be marked as not needed. */
static void test_consent_tracked_for_someone_speaking_for_a_child(void **state)
{
	(void)state;
	sample s;
	make_sample(&s);
	s.parties[0].consent = "not_needed";
	expect_refusal(&s.in, "parties[0].consent", "000 \"Friends or relatives\"");
	s.parties[0].consent = "given";
	fh_error err = {0};
	assert_int_equal(case_input_validate(&s.in, today(), &err), FH_OK);
}

/* 001 §7.7: anonymous representations have no named complainant; every
 * other representation has exactly one. */
static void test_complainant_rules(void **state)
{
	(void)state;
	sample s;
	make_sample(&s);
	s.in.anonymous = true;
	expect_refusal(&s.in, "parties", "001 §7.7");
	make_sample(&s);
	s.in.parties = &s.parties[1];
	s.in.n_parties = 1;
	expect_refusal(&s.in, "parties", NULL);
	s.in.anonymous = true;
	fh_error err = {0};
	assert_int_equal(case_input_validate(&s.in, today(), &err), FH_OK);
}

/* 000 "Councillors and MPs": an enquiry is made by a councillor or MP. */
static void test_enquiry_needs_councillor_or_mp(void **state)
{
	(void)state;
	sample s;
	make_sample(&s);
	s.in.kind = "enquiry";
	expect_refusal(&s.in, "parties", "000 \"Councillors and MPs\"");
	s.parties[2] = (fh_party){.role = "mp", .person = {.title = "MP", .family_name = "Jones"}};
	s.in.n_parties = 3;
	fh_error err = {0};
	assert_int_equal(case_input_validate(&s.in, today(), &err), FH_OK);
}

/* 001 §7.2: the child's status is recorded on the child, or on a young
 * person complaining for themselves. */
static void test_child_status_only_on_the_child(void **state)
{
	(void)state;
	sample s;
	make_sample(&s);
	s.parties[0].child_status = "looked_after";
	expect_refusal(&s.in, "parties[0].child_status", "001 §7.2");
	s.parties[0].relationship = "self";
	s.in.parties = s.parties;
	s.in.n_parties = 1;
	fh_error err = {0};
	assert_int_equal(case_input_validate(&s.in, today(), &err), FH_OK);
}

static void test_person_checks(void **state)
{
	(void)state;
	sample s;
	make_sample(&s);
	s.parties[0].person.email = "not-an-email";
	expect_refusal(&s.in, "parties[0].person.email", NULL);
	make_sample(&s);
	s.parties[0].person = (fh_person){0};
	expect_refusal(&s.in, "parties[0].person.family_name", NULL);
	make_sample(&s);
	char long_name[300];
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	s.parties[0].person.family_name = long_name;
	expect_refusal(&s.in, "parties[0].person.family_name", NULL);
}

static void test_reference_format_and_parse(void **state)
{
	(void)state;
	char buf[FH_REFERENCE_MAX], prefix[9];
	int year;
	int64_t n;
	assert_true(reference_format("BCT", 2026, 42, buf));
	assert_string_equal(buf, "BCT-2026-00042");
	assert_true(reference_format("BCCC", 2026, 123456, buf));
	assert_string_equal(buf, "BCCC-2026-123456");
	assert_true(reference_parse("bct-2026-00042", prefix, &year, &n));
	assert_string_equal(prefix, "BCT");
	assert_int_equal(year, 2026);
	assert_int_equal(n, 42);
	const char *bad[] = {"BCT-2026-42", "BCT2026-00042", "B-2026-00042", "BCT-26-00042",
			     "BCT-2026-00042x", "", "BCT-2026-0000000001"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(reference_parse(bad[i], prefix, &year, &n));
}

static void test_hash_covers_every_field(void **state)
{
	(void)state;
	assert_true(sodium_init() >= 0);
	hashchain_event ev = {.id = 7, .org_code = "bct", .reference = "BCT-2026-00001", .seq = 2,
			      .at = "2026-11-23T10:00:00Z", .effective_on = "", .actor = "a@b.c",
			      .action = "accepted", .reason = "r", .data = "{}"};
	uint8_t base[HASHCHAIN_BYTES], other[HASHCHAIN_BYTES], prev[HASHCHAIN_BYTES] = {1};
	hashchain_hash(NULL, &ev, base);
	hashchain_hash(NULL, &ev, other);
	assert_memory_equal(base, other, HASHCHAIN_BYTES); /* deterministic */
	hashchain_hash(prev, &ev, other);
	assert_memory_not_equal(base, other, HASHCHAIN_BYTES);
	/* Moving text between fields changes the hash: fields are length-prefixed. */
	hashchain_event moved = ev;
	moved.reason = "";
	moved.action = "acceptedr";
	hashchain_hash(NULL, &moved, other);
	assert_memory_not_equal(base, other, HASHCHAIN_BYTES);
	hashchain_event renumbered = ev;
	renumbered.id = 8;
	hashchain_hash(NULL, &renumbered, other);
	assert_memory_not_equal(base, other, HASHCHAIN_BYTES);
	char hex[2 * HASHCHAIN_BYTES + 1];
	assert_int_equal(strlen(hashchain_hex(base, hex)), 64);
}

static void test_case_json_strict(void **state)
{
	(void)state;
	fh_arena a = ARENA_INIT;
	fh_case_input in;
	fh_error err = {0};
	json_error_t jerr;
	json_t *ok = json_loads(
		"{\"org\":\"bct\",\"kind\":\"complaint\",\"channel\":\"email\","
		"\"received_on\":\"2026-11-20\",\"summary\":\"s\",\"anonymous\":false,"
		"\"parties\":[{\"role\":\"complainant\",\"relationship\":\"self\","
		"\"person\":{\"given_name\":\"Ruby\",\"family_name\":\"Ali\","
		"\"equality\":{\"sex\":\"Female\"}}}],"
		"\"points\":[{\"summary\":\"p\",\"desired_outcome\":\"o\"}]}", 0, &jerr);
	assert_non_null(ok);
	assert_int_equal(case_input_from_json(ok, &a, &in, &err), FH_OK);
	assert_string_equal(in.org_code, "bct");
	assert_int_equal(in.n_parties, 1);
	assert_string_equal(in.parties[0].person.equality->sex, "Female");
	assert_string_equal(in.points[0].desired_outcome, "o");
	assert_int_equal(case_input_validate(&in, today(), &err), FH_OK);
	json_decref(ok);

	const struct {
		const char *json, *field;
	} bad[] = {
		{"{\"kind\":\"complaint\",\"desired_outcome\":\"x\"}", "desired_outcome"},
		{"{\"anonymous\":\"yes\"}", "anonymous"},
		{"{\"summary\":5}", "summary"},
		{"{\"parties\":{}}", "parties"},
		{"{\"parties\":[{\"role\":\"child\"}]}", "parties[0].person"},
		{"{\"parties\":[{\"person\":{\"nickname\":\"x\"}}]}", "parties[0].person.nickname"},
		{"{\"points\":[{\"summary\":\"a\",\"outcome\":\"b\"}]}", "points[0].outcome"},
		{"[1,2]", "body"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *j = json_loads(bad[i].json, 0, &jerr);
		assert_non_null(j);
		assert_int_equal(case_input_from_json(j, &a, &in, &err), FH_EINVAL);
		assert_string_equal(err.field, bad[i].field);
		json_decref(j);
	}
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_case_passes),
		cmocka_unit_test(test_required_fields_and_vocabularies),
		cmocka_unit_test(test_dates_real_and_not_future),
		cmocka_unit_test(test_representative_needs_relationship),
		cmocka_unit_test(test_consent_tracked_for_someone_speaking_for_a_child),
		cmocka_unit_test(test_complainant_rules),
		cmocka_unit_test(test_enquiry_needs_councillor_or_mp),
		cmocka_unit_test(test_child_status_only_on_the_child),
		cmocka_unit_test(test_person_checks),
		cmocka_unit_test(test_reference_format_and_parse),
		cmocka_unit_test(test_hash_covers_every_field),
		cmocka_unit_test(test_case_json_strict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
