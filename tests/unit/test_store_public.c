/*
 * Unit tests for store_public and migration 006: a draft is found only by
 * its token's digest, within its organisation and its lifetime; sending one
 * records the case, its documents, the tracking link and the events in one
 * transaction, or nothing at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db.h"

#include "store_event.h"
#include "store_auth.h"
#include "store_internal.h"
#include "store_public.h"
#include "test_helpers.h"

typedef struct fixture {
	char *path;
	fh_store *st;
	int64_t bct, bcp;
} fixture;

static const time_t NOW = 1795392000; /* 2026-11-23T00:00:00Z */

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->st = test_store_open(&f->path);
	test_seed_orgs(f->st, &f->bct, &f->bcp);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	test_store_close(f->st, f->path);
	free(f);
	return 0;
}

static int64_t count(fh_store *st, const char *sql)
{
	db_stmt *stmt;
	assert_int_equal(db_prepare(st->db, sql, &stmt), DB_OK);
	assert_int_equal(db_step(stmt), DB_ROW);
	int64_t n = db_column_int64(stmt, 0);
	db_finalize(stmt);
	return n;
}

static void test_draft_is_found_only_by_its_token_org_and_lifetime(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_arena arena = ARENA_INIT;
	char token[STORE_TOKEN_TEXT_MAX], other[STORE_TOKEN_TEXT_MAX];
	uint8_t hash[STORE_TOKEN_HASH_BYTES], other_hash[STORE_TOKEN_HASH_BYTES];
	store_token_new("fhf_", token, hash);
	store_token_new("fhf_", other, other_hash);
	int64_t id = 0;
	assert_int_equal(store_draft_create(f->st, f->bct, hash, "192.0.2.1", NOW, 7200, &id, &err), FH_OK);
	assert_int_equal(store_draft_save(f->st, id, "{\"kind\":\"complaint\"}", NOW, 7200, &err), FH_OK);

	store_draft d;
	uint8_t again[STORE_TOKEN_HASH_BYTES];
	store_token_hash(token, again);
	assert_int_equal(store_draft_get(f->st, f->bct, again, NOW + 60, &arena, &d, &err), FH_OK);
	assert_int_equal(d.id, id);
	assert_string_equal(d.answers, "{\"kind\":\"complaint\"}");
	assert_int_equal(store_draft_get(f->st, f->bct, other_hash, NOW, &arena, &d, &err), FH_ENOTFOUND);
	assert_int_equal(store_draft_get(f->st, f->bcp, hash, NOW, &arena, &d, &err), FH_ENOTFOUND);
	assert_int_equal(store_draft_get(f->st, f->bct, hash, NOW + 7201, &arena, &d, &err), FH_ENOTFOUND);
	/* Only the digest is kept: the token's text is nowhere in the database. */
	assert_int_equal(count(f->st, "SELECT count(*) FROM web_drafts WHERE length(token_hash) = 32"), 1);

	/* An expired draft is cleared away when the next one starts. */
	assert_int_equal(store_draft_file_add(f->st, id, "a.txt", "text/plain", "hello", 5, &err), FH_OK);
	int64_t id2 = 0;
	assert_int_equal(store_draft_create(f->st, f->bct, other_hash, "192.0.2.1", NOW + 8000, 7200, &id2, &err), FH_OK);
	assert_int_equal(count(f->st, "SELECT count(*) FROM web_drafts"), 1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM web_draft_files"), 0);
	arena_free(&arena);
}

static void test_files_are_added_listed_and_removed(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_arena arena = ARENA_INIT;
	char token[STORE_TOKEN_TEXT_MAX];
	uint8_t hash[STORE_TOKEN_HASH_BYTES];
	store_token_new("fhf_", token, hash);
	int64_t id = 0, other = 0;
	assert_int_equal(store_draft_create(f->st, f->bct, hash, "192.0.2.1", NOW, 7200, &id, &err), FH_OK);
	store_token_new("fhf_", token, hash);
	assert_int_equal(store_draft_create(f->st, f->bct, hash, "192.0.2.1", NOW, 7200, &other, &err), FH_OK);
	assert_int_equal(store_draft_file_add(f->st, id, "one.txt", "text/plain", "first", 5, &err), FH_OK);
	assert_int_equal(store_draft_file_add(f->st, id, "two.txt", "text/plain", "second", 6, &err), FH_OK);
	store_token_new("fhf_", token, hash); /* unused: get the first draft by id below */
	store_draft d;
	db_stmt *stmt;
	assert_int_equal(db_prepare(f->st->db, "SELECT token_hash FROM web_drafts WHERE id = ?", &stmt), DB_OK);
	db_bind_int64(stmt, 1, id);
	assert_int_equal(db_step(stmt), DB_ROW);
	memcpy(hash, db_column_blob(stmt, 0), sizeof hash);
	db_finalize(stmt);
	assert_int_equal(store_draft_get(f->st, f->bct, hash, NOW, &arena, &d, &err), FH_OK);
	assert_int_equal(d.n_files, 2);
	assert_string_equal(d.files[0].filename, "one.txt");
	assert_int_equal(d.files[1].size, 6);
	/* A file of one draft cannot be removed through another. */
	assert_int_equal(store_draft_file_remove(f->st, other, d.files[0].id, &err), FH_ENOTFOUND);
	assert_int_equal(store_draft_file_remove(f->st, id, d.files[0].id, &err), FH_OK);
	assert_int_equal(store_draft_get(f->st, f->bct, hash, NOW, &arena, &d, &err), FH_OK);
	assert_int_equal(d.n_files, 1);
	assert_string_equal(d.files[0].filename, "two.txt");
	arena_free(&arena);
}

static void case_for(fh_case_input *in, fh_party *party, fh_point *point, const char *kind)
{
	*party = (fh_party){.role = "complainant", .relationship = "self",
			    .person = {.given_name = "Jo", .family_name = "Taylor"}};
	*point = (fh_point){.seq = 1, .summary = "Nobody told us", .desired_outcome = "An apology"};
	*in = (fh_case_input){.org_code = "bct", .kind = kind, .channel = "online_form",
			      .received_on = "2026-11-23", .summary = "Nobody told us",
			      .n_parties = 1, .parties = party, .n_points = 1, .points = point};
}

static void test_submit_records_everything_in_one_transaction(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_arena arena = ARENA_INIT;
	char token[STORE_TOKEN_TEXT_MAX], link[STORE_TOKEN_TEXT_MAX], ref[FH_REFERENCE_MAX];
	uint8_t hash[STORE_TOKEN_HASH_BYTES], link_hash[STORE_TOKEN_HASH_BYTES];
	store_token_new("fhf_", token, hash);
	store_token_new("fhl_", link, link_hash);
	int64_t id = 0;
	assert_int_equal(store_draft_create(f->st, f->bct, hash, "192.0.2.1", NOW, 7200, &id, &err), FH_OK);
	assert_int_equal(store_draft_file_add(f->st, id, "letter.txt", "text/plain", "Our letter", 10, &err), FH_OK);
	fh_case_input in;
	fh_party party;
	fh_point point;
	case_for(&in, &party, &point, "complaint");
	assert_int_equal(case_input_validate(&in, date_from_ymd(2026, 11, 23), &err), FH_OK);
	assert_int_equal(store_public_submit(f->st, id, &in, "system:online-form", true, link_hash, ref,
					     &err), FH_OK);
	assert_string_equal(ref, "BCT-2026-00001");
	assert_int_equal(count(f->st, "SELECT count(*) FROM documents WHERE visibility = 'customer'"), 1);
	assert_int_equal(count(f->st, test_pg()
		? "SELECT count(*) FROM events WHERE action = 'online_form'"
		  " AND (data::jsonb)->'consent_to_share' = 'true'::jsonb"
		  " AND (data::jsonb)->'documents' = '1'::jsonb"
		: "SELECT count(*) FROM events WHERE action = 'online_form'"
		  " AND json_extract(data, '$.consent_to_share') = 1"
		  " AND json_extract(data, '$.documents') = 1"), 1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM web_drafts"), 0);
	assert_int_equal(count(f->st, "SELECT count(*) FROM web_draft_files"), 0);

	const char *found = NULL;
	int64_t case_id = 0, org_id = 0;
	uint8_t again[STORE_TOKEN_HASH_BYTES];
	store_token_hash(link, again);
	assert_int_equal(store_tracking_resolve(f->st, again, &arena, &found, &case_id, &org_id, &err), FH_OK);
	assert_string_equal(found, ref);
	assert_int_equal(org_id, f->bct);
	store_token_hash("fhl_not-the-link", again);
	assert_int_equal(store_tracking_resolve(f->st, again, &arena, &found, &case_id, &org_id, &err),
			 FH_ENOTFOUND);
	store_audit_report report;
	assert_int_equal(store_audit_verify(f->st, &report, &err), FH_OK);
	arena_free(&arena);
}

static void test_a_failed_submit_leaves_nothing_half_written(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	char token[STORE_TOKEN_TEXT_MAX], link[STORE_TOKEN_TEXT_MAX], ref[FH_REFERENCE_MAX];
	uint8_t hash[STORE_TOKEN_HASH_BYTES], link_hash[STORE_TOKEN_HASH_BYTES];
	store_token_new("fhf_", token, hash);
	store_token_new("fhl_", link, link_hash);
	int64_t id = 0;
	assert_int_equal(store_draft_create(f->st, f->bct, hash, "192.0.2.1", NOW, 7200, &id, &err), FH_OK);
	/* A file that is not what its type says fails store_document_check
	 * after the case has been written: the whole send must roll back. */
	assert_int_equal(store_draft_file_add(f->st, id, "fake.pdf", "application/pdf", "not a pdf", 9,
					      &err), FH_OK);
	fh_case_input in;
	fh_party party;
	fh_point point;
	case_for(&in, &party, &point, "complaint");
	int64_t events = count(f->st, "SELECT count(*) FROM events");
	assert_int_not_equal(store_public_submit(f->st, id, &in, "system:online-form", false, link_hash,
						 ref, &err), FH_OK);
	assert_string_equal(err.field, "content");
	assert_int_equal(count(f->st, "SELECT count(*) FROM cases"), 0);
	assert_int_equal(count(f->st, "SELECT count(*) FROM case_tracking"), 0);
	assert_int_equal(count(f->st, "SELECT count(*) FROM events"), events);
	assert_int_equal(count(f->st, "SELECT count(*) FROM web_drafts"), 1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM web_draft_files"), 1);
	/* The reference was not used up either: the next case gets 00001. */
	assert_int_equal(store_draft_file_remove(f->st, id, 1, &err), FH_OK);
	assert_int_equal(store_public_submit(f->st, id, &in, "system:online-form", false, link_hash,
					     ref, &err), FH_OK);
	assert_string_equal(ref, "BCT-2026-00001");
}

/* issue 16 item 4: draft storage is counted per client address as well as in all. */
static void test_draft_files_are_counted_per_client_address(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	char token[STORE_TOKEN_TEXT_MAX];
	uint8_t one[STORE_TOKEN_HASH_BYTES], two[STORE_TOKEN_HASH_BYTES], three[STORE_TOKEN_HASH_BYTES];
	store_token_new("fhf_", token, one);
	store_token_new("fhf_", token, two);
	store_token_new("fhf_", token, three);
	int64_t a = 0, b = 0, c = 0, bytes = -1;
	assert_int_equal(store_draft_create(f->st, f->bct, one, "192.0.2.1", NOW, 7200, &a, &err), FH_OK);
	assert_int_equal(store_draft_create(f->st, f->bcp, two, "192.0.2.1", NOW, 7200, &b, &err), FH_OK);
	assert_int_equal(store_draft_create(f->st, f->bct, three, "2001:db8::7", NOW, 7200, &c, &err),
			 FH_OK);
	assert_int_equal(store_draft_file_add(f->st, a, "a.txt", "text/plain", "0123456789", 10, &err), FH_OK);
	assert_int_equal(store_draft_file_add(f->st, b, "b.txt", "text/plain", "01234", 5, &err), FH_OK);
	assert_int_equal(store_draft_file_add(f->st, c, "c.txt", "text/plain", "012", 3, &err), FH_OK);
	/* Both organisations' drafts from one address count towards its share. */
	assert_int_equal(store_draft_files_bytes(f->st, "192.0.2.1", &bytes, &err), FH_OK);
	assert_int_equal(bytes, 15);
	assert_int_equal(store_draft_files_bytes(f->st, "2001:db8::7", &bytes, &err), FH_OK);
	assert_int_equal(bytes, 3);
	assert_int_equal(store_draft_files_bytes(f->st, "198.51.100.9", &bytes, &err), FH_OK);
	assert_int_equal(bytes, 0);
	assert_int_equal(store_draft_files_bytes(f->st, NULL, &bytes, &err), FH_OK);
	assert_int_equal(bytes, 18);
	assert_int_equal(count(f->st, "SELECT count(*) FROM web_drafts WHERE client_ip = '2001:db8::7'"),
			 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_draft_is_found_only_by_its_token_org_and_lifetime),
		T(test_files_are_added_listed_and_removed),
		T(test_submit_records_everything_in_one_transaction),
		T(test_a_failed_submit_leaves_nothing_half_written),
		T(test_draft_files_are_counted_per_client_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
