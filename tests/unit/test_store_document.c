/*
 * Unit tests for store_document and migration 005: what an upload may be,
 * the row and its audit event landing together, confidential documents
 * hidden unless asked for, and the access log keeping every row, index and
 * trigger through its rebuild.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db.h"

#include "store_document.h"
#include "store_event.h"
#include "store_internal.h"
#include "test_helpers.h"

typedef test_case_fixture fixture;

static const char PDF[] = "%PDF-1.7\n1 0 obj\n";

static void test_check_refuses_what_is_unsafe(void **state)
{
	(void)state;
	fh_error err = {0};
	const char *text = "notes";
	assert_int_equal(store_document_check("a.pdf", "application/pdf", "staff", PDF,
					      sizeof PDF - 1, &err), FH_OK);
	struct {
		const char *filename, *type, *visibility, *content, *field;
		size_t size;
	} bad[] = {
		{"", "text/plain", "staff", "x", "filename", 1},
		{"../x.txt", "text/plain", "staff", "x", "filename", 1},
		{"a\\b.txt", "text/plain", "staff", "x", "filename", 1},
		{"a\r\nX: y", "text/plain", "staff", "x", "filename", 1},
		{"a\".txt", "text/plain", "staff", "x", "filename", 1},
		{"..", "text/plain", "staff", "x", "filename", 1},
		{"caf\xc3.txt", "text/plain", "staff", "x", "filename", 1},   /* cut UTF-8 */
		{"\xc0\xae.txt", "text/plain", "staff", "x", "filename", 1},  /* overlong '.' */
		{"a.txt", "text/plain", "public", "x", "visibility", 1},
		{"a.html", "text/html", "staff", "<p>", "content_type", 3},
		{"a.svg", "image/svg+xml", "staff", "<svg>", "content_type", 5},
		{"a.txt", "text/plain", "staff", "", "content", 0},
		{"a.pdf", "application/pdf", "staff", "<html>", "content", 6},
		{"a.png", "image/png", "staff", "GIF89a", "content", 6},
		{"a.jpg", "image/jpeg", "staff", "\xff\xd8", "content", 2},
		{"a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		 "staff", "<xml>", "content", 5},
		{"a.txt", "text/plain", "staff", "a\0b", "content", 3},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(store_document_check(bad[i].filename, bad[i].type, bad[i].visibility,
						      bad[i].content, bad[i].size, &err),
				 FH_EINVAL);
		assert_string_equal(err.field, bad[i].field);
	}
	char longname[300];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	assert_int_equal(store_document_check(longname, "text/plain", "staff", text, 5, &err),
			 FH_EINVAL);
	assert_string_equal(err.field, "filename");
	assert_int_equal(store_document_check("R\xc3\xa9sum\xc3\xa9.txt", "text/plain", "customer",
					      text, 5, &err), FH_OK);
}

static void test_add_list_get(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_arena a = ARENA_INIT;
	store_document d, conf, got;
	int64_t events = test_raw_int(f->path, "SELECT count(*) FROM events");
	assert_int_equal(store_document_add(f->st, f->ref, "letter.pdf", "application/pdf", "staff",
					    PDF, sizeof PDF - 1, "officer@bct.demo", &a, &d, &err),
			 FH_OK);
	assert_true(d.id > 0);
	assert_int_equal(d.size, sizeof PDF - 1);
	assert_int_equal(strlen(d.sha256), 64);
	assert_int_equal(store_document_add(f->st, f->ref, "addendum.txt", "text/plain",
					    "confidential", "secret", 6, "officer@bct.demo", &a,
					    &conf, &err), FH_OK);
	/* one event each, carrying no content */
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM events"), events + 2);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM events WHERE action = 'document_added'"
					  " AND data LIKE '%secret%'"), 0);
	assert_int_equal(test_raw_int(f->path, test_pg()
		? "SELECT count(*) FROM events WHERE action = 'document_added'"
		  " AND (data::jsonb)->'confidential' = 'true'::jsonb"
		: "SELECT count(*) FROM events WHERE action = 'document_added'"
		  " AND json_extract(data, '$.confidential') = 1"), 1);

	store_document *docs;
	size_t n;
	assert_int_equal(store_document_list(f->st, f->ref, false, &a, &docs, &n, &err), FH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(docs[0].filename, "letter.pdf");
	assert_null(docs[0].content);
	assert_int_equal(store_document_list(f->st, f->ref, true, &a, &docs, &n, &err), FH_OK);
	assert_int_equal(n, 2);

	assert_int_equal(store_document_get(f->st, f->ref, d.id, false, &a, &got, &err), FH_OK);
	assert_memory_equal(got.content, PDF, sizeof PDF - 1);
	assert_string_equal(got.sha256, d.sha256);
	assert_int_equal(store_document_get(f->st, f->ref, conf.id, false, &a, &got, &err),
			 FH_ENOTFOUND);
	assert_string_equal(err.field, "id");
	assert_int_equal(store_document_get(f->st, f->ref, conf.id, true, &a, &got, &err), FH_OK);
	assert_int_equal(store_document_get(f->st, f->ref, 999, true, &a, &got, &err), FH_ENOTFOUND);
	assert_int_equal(store_document_add(f->st, "BCT-2026-09999", "a.txt", "text/plain", "staff",
					    "x", 1, "t", &a, &got, &err), FH_ENOTFOUND);
	/* evidence is never changed in place */
	assert_int_not_equal(test_raw_exec(f->path, "UPDATE documents SET filename = 'x.pdf'"), DB_OK);
	store_audit_report report;
	assert_int_equal(store_audit_verify(f->st, &report, &err), FH_OK);
	arena_free(&a);
}

/* A database at version 4 with reads on record keeps them through 005. */
static void test_access_log_survives_the_rebuild(void **state)
{
	(void)state;
	char *path = test_dbpath();
	fh_store *st;
	fh_error err = {0};
	assert_int_equal(store_open_version(path, STORE_CREATE, 4, &st, &err), FH_OK);
	store_close(st);
	assert_int_equal(test_raw_exec(path, "INSERT INTO access_log (at, actor, what, detail)"
				  " VALUES ('2026-11-01T10:00:00Z', 'a@b', 'search', 'khan')"), DB_OK);
	assert_int_not_equal(test_raw_exec(path, "INSERT INTO access_log (at, actor, what)"
				      " VALUES ('2026-11-01T10:00:00Z', 'a@b', 'document')"), DB_OK);
	assert_int_equal(store_open(path, 0, &st, &err), FH_OK);
	assert_true(store_schema_version(st) >= 5);
	store_close(st);
	assert_int_equal(test_raw_int(path, "SELECT count(*) FROM access_log WHERE detail = 'khan'"), 1);
	assert_int_equal(test_raw_exec(path, "INSERT INTO access_log (at, actor, what)"
				  " VALUES ('2026-11-01T10:00:00Z', 'a@b', 'document')"), DB_OK);
	assert_int_not_equal(test_raw_exec(path, "INSERT INTO access_log (at, actor, what)"
				      " VALUES ('2026-11-01T10:00:00Z', 'a@b', 'peek')"), DB_OK);
	assert_int_not_equal(test_raw_exec(path, "UPDATE access_log SET actor = 'x'"), DB_OK);
	assert_int_not_equal(test_raw_exec(path, "DELETE FROM access_log"), DB_OK);
	assert_int_equal(test_raw_int(path, test_pg()
		? "SELECT count(*) FROM pg_indexes WHERE tablename = 'access_log'"
		  " AND indexname IN ('access_log_case', 'access_log_user')"
		: "SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'access_log'"
		  " AND name IN ('access_log_case', 'access_log_user')"), 2);
	test_rmdb(path);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, test_case_setup, test_case_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_refuses_what_is_unsafe),
		T(test_add_list_get),
		cmocka_unit_test(test_access_log_survives_the_rebuild),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
