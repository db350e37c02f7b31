/*
 * store_letter.c: issuing, listing and reading letters (store_letter.h).
 */
#include "store_letter.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "letter.h"
#include "store_document.h"
#include "store_event.h"
#include "store_internal.h"
#include "store_outbox.h"
#include "store_rows.h"
#include "store_lifecycle.h"

enum { TEMPLATE_MAX = 256 * 1024 };

static void sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, data, len);
	sodium_bin2hex(hex, 65, digest, sizeof digest);
}

/* The whole of a regular file up to TEMPLATE_MAX bytes, or NULL. */
static char *read_small_file(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > TEMPLATE_MAX)
		return NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc((size_t)sb.st_size + 1);
	size_t n = buf ? fread(buf, 1, (size_t)sb.st_size, f) : 0;
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	return buf;
}

/*
 * The most specific file called leaf among the template directories:
 * DIR/ORG/PROCEDURE/leaf, then DIR/ORG/leaf, then DIR/leaf, for each
 * directory in turn (the administrator's before the shipped ones).
 * *name gets the path relative to its directory (in arena).
 */
static char *find_file(const char *const *dirs, const char *org, const char *procedure,
		       const char *leaf, fh_arena *arena, const char **name)
{
	for (size_t d = 0; dirs && dirs[d]; d++) {
		const char *rel[3] = {
			procedure ? arena_printf(arena, "%s/%s/%s", org, procedure, leaf) : NULL,
			arena_printf(arena, "%s/%s", org, leaf),
			leaf,
		};
		for (size_t i = 0; i < 3; i++) {
			if (!rel[i])
				continue;
			char *text = read_small_file(arena_printf(arena, "%s/%s", dirs[d], rel[i]));
			if (text) {
				*name = rel[i];
				return text;
			}
		}
	}
	return NULL;
}

/*
 * Whether the organisation (or the procedure) offers the variant: the
 * "variants" list of the most specific letters.json (docs/letters.md).
 */
static fh_status variant_offered(const char *const *dirs, const char *org, const char *procedure,
				 const char *org_name, const char *variant, fh_arena *arena,
				 fh_error *err)
{
	if (!strcmp(variant, "standard"))
		return FH_OK;
	const char *name = NULL;
	char *text = find_file(dirs, org, procedure, "letters.json", arena, &name);
	json_error_t jerr;
	json_t *doc = text ? json_loads(text, JSON_REJECT_DUPLICATES, &jerr) : NULL;
	free(text);
	if (name && !doc)
		return error_set(err, FH_EINVAL, "letters.json", NULL, "%s is not valid JSON: %s",
				 name, jerr.text);
	bool offered = false;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(doc, "variants"), i, v)
		offered |= json_is_string(v) && !strcmp(json_string_value(v), variant);
	json_decref(doc);
	if (!offered)
		return error_set(err, FH_ERULE, "variant", NULL,
				 "%s does not offer a %s version of its letters (its letters.json "
				 "lists the variants it offers)", org_name,
				 !strcmp(variant, "plain") ? "plain-language" : "child-friendly");
	return FH_OK;
}

fh_status store_letter_variants(const char *const *template_dirs, const char *org_code,
				const char *procedure_code, fh_arena *arena, const char ***variants,
				size_t *count, fh_error *err)
{
	const char **out = arena_array(arena, 4, sizeof *out);
	size_t n = 0;
	out[n++] = LETTER_VARIANTS[0];
	for (size_t i = 1; LETTER_VARIANTS[i]; i++) {
		fh_error quiet = {0};
		fh_status s = variant_offered(template_dirs, org_code, procedure_code, org_code,
					      LETTER_VARIANTS[i], arena, &quiet);
		if (s == FH_EINVAL) { /* a letters.json that is not JSON: say so */
			*err = quiet;
			return s;
		}
		if (!s)
			out[n++] = LETTER_VARIANTS[i];
	}
	*variants = out;
	*count = n;
	return FH_OK;
}

/* The display name of the active assignee who responds at the stage, or NULL. */
static const char *officer_of(fh_store *st, const json_t *state, int number,
			      const fh_procedure *proc, fh_arena *arena)
{
	const proc_stage *rules = proc ? procedure_stage(proc, number) : NULL;
	size_t i;
	json_t *stage, *a;
	json_array_foreach(json_object_get(state, "stages"), i, stage) {
		if (json_integer_value(json_object_get(stage, "number")) != number)
			continue;
		static const char *const roles[] = {"adjudicating_officer", "investigating_officer",
						    "reviewing_officer", NULL};
		size_t k;
		const char *email = NULL;
		json_array_foreach(json_object_get(stage, "assignments"), k, a) {
			const char *role = json_string_value(json_object_get(a, "role"));
			if (!role || json_string_value(json_object_get(a, "ended_on")))
				continue;
			if ((rules && !strcmp(role, rules->responder)) ||
			    (!email && model_is_one_of(roles, role)))
				email = json_string_value(json_object_get(a, "user"));
		}
		if (!email)
			return NULL;
		db_stmt *stmt;
		if (store_stmt(st, "SELECT display_name FROM users WHERE email = ?", &stmt, NULL))
			return NULL;
		store_bind_text(stmt, 1, email);
		const char *name = db_step(stmt) == DB_ROW ? store_column_text(stmt, 0, arena)
								    : NULL;
		store_stmt_done(st, stmt);
		return name;
	}
	return NULL;
}

fh_status store_letter_org(fh_store *st, const char *org_code, fh_arena *arena, letter_org *out,
			   fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_org_row(st, "SELECT code, name, address, phone, email, website,"
				    " advocacy_service, ombudsman FROM organisations WHERE code = ?",
				    org_code, "reading an organisation", &stmt, err);
	if (s)
		return s;
	const char **f[] = {&out->code, &out->name, &out->address, &out->phone, &out->email,
			    &out->website, &out->advocacy, &out->ombudsman};
	for (int i = 0; i < 8; i++)
		*f[i] = store_column_text(stmt, i, arena);
	store_stmt_done(st, stmt);
	return FH_OK;
}

fh_status store_org_contact_set(fh_store *st, const char *org_code, const char *phone,
				const char *email, const char *website, const char *actor,
				fh_error *err)
{
	const char *vals[] = {phone, email, website};
	const char *names[] = {"phone", "email", "website"};
	for (int i = 0; i < 3; i++)
		if (vals[i] && strlen(vals[i]) > MODEL_SHORT_MAX)
			return error_set(err, FH_EINVAL, names[i], NULL, "is at most %d bytes",
					 MODEL_SHORT_MAX);
	int64_t org_id;
	bool opened;
	fh_status s = store_org_id(st, org_code, &org_id, err);
	if (s || (s = store_tx_begin(st, &opened, err)))
		return s;
	db_stmt *stmt;
	s = store_stmt(st, "UPDATE organisations SET phone = coalesce(?, phone),"
		       " email = coalesce(?, email), website = coalesce(?, website) WHERE id = ?",
		       &stmt, err);
	if (!s) {
		for (int i = 0; i < 3; i++)
			store_bind_text(stmt, i + 1, vals[i]);
		db_bind_int64(stmt, 4, org_id);
		s = store_stmt_run(st, stmt, "setting the organisation's contact details", err);
	}
	if (!s) {
		/* an organisation's public contact details, not personal data */
		json_t *data = json_pack("{s:s? s:s? s:s?}", "phone", phone, "email", email, "website",
					 website);
		char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(data);
		s = store_event_append(st, org_id, 0, actor, "organisation_contact_set", NULL, NULL,
				       text, err);
		free(text);
	}
	return store_tx_end(st, opened, s, err);
}

/* Everything a letter is built from, read as one consistent picture. */
static fh_status render(fh_store *st, const store_letter_request *req, const fh_actor *actor,
			fh_date today, fh_arena *arena, fh_case *kase, json_t **doc,
			const char **recipient, const char **tname, char tsha[65], int *stage_no,
			fh_error *err)
{
	const char *variant = req->variant ? req->variant : "standard";
	if (!model_is_one_of(LETTER_VARIANTS, variant))
		return error_set(err, FH_EINVAL, "variant", NULL, "must be standard, plain or child");
	if (!letter_kind(req->kind))
		return error_set(err, FH_EINVAL, "kind", NULL,
				 "no letter '%s' (fairhearing letter kinds lists them)",
				 req->kind ? req->kind : "");
	fh_status s = store_case_get(st, req->reference, arena, kase, err);
	letter_org org;
	if (s || (s = store_letter_org(st, kase->org_code, arena, &org, err)))
		return s;
	json_t *life = NULL;
	if ((s = store_case_lifecycle(st, req->reference, actor, today, true, &life, err)))
		return s;
	const json_t *state = json_object_get(life, "state");
	fh_procedure *proc = NULL;
	if (kase->procedure_code && *kase->procedure_code &&
	    (s = store_procedure_get(st, kase->procedure_code, kase->procedure_version, &proc, err))) {
		json_decref(life);
		return s;
	}
	int number = req->stage ? req->stage : (int)json_integer_value(json_object_get(state, "stage"));
	store_document *docs = NULL;
	size_t n_docs = 0;
	const char **papers = NULL;
	if (!strcmp(req->kind, "panel_invitation")) {
		if (!(s = store_document_list(st, req->reference, false, arena, &docs, &n_docs, err))) {
			papers = arena_array(arena, n_docs + 1, sizeof *papers);
			size_t k = 0;
			for (size_t i = 0; i < n_docs; i++)
				if (!strcmp(docs[i].visibility, "customer"))
					papers[k++] = docs[i].filename;
			n_docs = k;
		}
	}
	letter_input in = {
		.kind = req->kind, .stage = req->stage, .org = &org, .kase = kase, .state = state,
		.proc = proc, .officer_name = officer_of(st, state, number, proc, arena),
		.given = req->values, .papers = papers, .n_papers = n_docs, .today = today,
	};
	json_t *values = NULL;
	const char *proc_code = proc ? proc->code : NULL;
	if (!s)
		s = variant_offered(req->template_dirs, kase->org_code, proc_code, org.name, variant,
				    arena, err);
	if (!s)
		s = letter_values(&in, &values, recipient, err);
	char *text = NULL;
	if (!s) {
		const char *leaf = !strcmp(variant, "standard")
					   ? arena_printf(arena, "%s.tmpl", req->kind)
					   : arena_printf(arena, "%s.%s.tmpl", req->kind, variant);
		text = find_file(req->template_dirs, kase->org_code, proc_code, leaf, arena, tname);
		if (!text)
			s = error_set(err, FH_ENOTFOUND, "template", NULL,
				      "no template %s for %s in the letter template directories",
				      leaf, kase->org_code);
	}
	json_t *blocks = NULL;
	char *subject = NULL;
	if (!s) {
		sha256_hex(text, strlen(text), tsha);
		s = letter_expand(*tname, text, values, &blocks, &subject, err);
	}
	if (!s) {
		*doc = letter_document(values, subject, blocks);
		json_t *sv = json_object_get(json_object_get(values, "stage"), "number");
		*stage_no = json_is_integer(sv) ? (int)json_integer_value(sv) : 0;
		if (!strcmp(req->kind, "acknowledgement") || !strcmp(req->kind, "not_considered") ||
		    !strcmp(req->kind, "sufficient_interest_refusal") ||
		    !strncmp(req->kind, "behaviour_", 10))
			*stage_no = 0;
	}
	free(subject);
	free(text);
	json_decref(values);
	procedure_free(proc);
	json_decref(life);
	return s;
}

fh_status store_letter_issue(fh_store *st, const store_letter_request *req,
			     const fh_actor *actor, fh_date today, fh_arena *arena,
			     store_letter *out, fh_error *err)
{
	fh_case kase;
	json_t *doc = NULL;
	const char *recipient = NULL, *tname = NULL;
	char tsha[65] = "", sha[65], iso[DATE_ISO_LEN], now[21];
	int stage = 0;
	fh_status s = render(st, req, actor, today, arena, &kase, &doc, &recipient, &tname, tsha,
			     &stage, err);
	if (s)
		return s;
	char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc);
	if (!text)
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	sha256_hex(text, strlen(text), sha);
	store_now(now);
	const char *variant = req->variant ? req->variant : "standard";
	*out = (store_letter){
		.reference = arena_strdup(arena, kase.reference), .kind = arena_strdup(arena, req->kind),
		.variant = arena_strdup(arena, variant), .stage = stage, .recipient = recipient,
		.template_name = tname, .template_sha256 = arena_strdup(arena, tsha),
		.sha256 = arena_strdup(arena, sha), .issued_on = arena_strdup(arena, date_format(today, iso)),
		.issued_by = arena_strdup(arena, actor->name), .issued_at = arena_strdup(arena, now),
		.document = arena_strdup(arena, text),
	};
	json_t *parsed = json_loads(text, 0, NULL);
	out->subject = arena_strdup(arena, json_string_value(json_object_get(parsed, "subject")));
	json_decref(parsed);
	if (req->dry_run) {
		free(text);
		return FH_OK;
	}
	bool opened;
	if ((s = store_tx_begin(st, &opened, err))) {
		free(text);
		return s;
	}
	db_stmt *stmt;
	s = store_stmt(st, "INSERT INTO letters (case_id, kind, variant, stage, recipient, subject,"
		       " template, template_sha256, document, sha256, issued_on, issued_by, issued_at)"
		       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, kase.id);
		store_bind_text(stmt, 2, out->kind);
		store_bind_text(stmt, 3, out->variant);
		if (stage)
			db_bind_int(stmt, 4, stage);
		else
			db_bind_null(stmt, 4);
		store_bind_text(stmt, 5, recipient);
		store_bind_text(stmt, 6, out->subject);
		store_bind_text(stmt, 7, tname);
		store_bind_text(stmt, 8, tsha);
		store_bind_text(stmt, 9, text);
		store_bind_text(stmt, 10, sha);
		store_bind_text(stmt, 11, out->issued_on);
		store_bind_text(stmt, 12, actor->name);
		store_bind_text(stmt, 13, now);
		s = store_stmt_run_id(st, stmt, "storing the letter", &out->id, err);
	}
	free(text);
	if (!s) {
		int64_t case_id, org_id;
		s = store_case_locate(st, kase.reference, &case_id, &org_id, err);
		json_t *data = json_pack("{s:I s:s s:s s:o s:s s:s s:s s:s}", "letter", (json_int_t)out->id,
					 "kind", out->kind, "variant", out->variant, "stage",
					 stage ? json_integer(stage) : json_null(), "recipient", recipient,
					 "sha256", sha, "template", tname, "template_sha256", tsha);
		char *dump = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(data);
		if (!s)
			s = store_event_append(st, org_id, case_id, actor->name, "letter_issued", NULL,
					       out->issued_on, dump, err);
		free(dump);
		if (!s && req->send_email)
			s = store_outbox_letter(st, org_id, case_id, out->reference, out->id,
						recipient, out->subject, actor->name, arena,
						&out->emailed_to, err);
	}
	return store_tx_end(st, opened, s, err);
}

#define LETTER_COLUMNS                                                                        \
	"l.id, l.kind, l.variant, l.stage, l.recipient, l.subject, l.template,"               \
	" l.template_sha256, l.sha256, l.issued_on, l.issued_by, l.issued_at,"                \
	" coalesce((SELECT m.state FROM outbound_messages m WHERE m.letter_id = l.id"          \
	" ORDER BY m.id DESC LIMIT 1), '')"

static void read_row(db_stmt *stmt, const char *reference, fh_arena *arena, store_letter *l)
{
	*l = (store_letter){
		.id = db_column_int64(stmt, 0),
		.reference = reference,
		.kind = store_column_text(stmt, 1, arena),
		.variant = store_column_text(stmt, 2, arena),
		.stage = db_column_int(stmt, 3),
		.recipient = store_column_text(stmt, 4, arena),
		.subject = store_column_text(stmt, 5, arena),
		.template_name = store_column_text(stmt, 6, arena),
		.template_sha256 = store_column_text(stmt, 7, arena),
		.sha256 = store_column_text(stmt, 8, arena),
		.issued_on = store_column_text(stmt, 9, arena),
		.issued_by = store_column_text(stmt, 10, arena),
		.issued_at = store_column_text(stmt, 11, arena),
		.email_state = store_column_text(stmt, 12, arena),
	};
}

fh_status store_letter_list(fh_store *st, const char *reference, fh_arena *arena,
			    store_letter **letters, size_t *count, fh_error *err)
{
	*letters = NULL;
	*count = 0;
	int64_t case_id, org_id;
	fh_status s = store_case_locate(st, reference, &case_id, &org_id, err);
	if (s)
		return s;
	const char *ref = arena_strdup(arena, reference);
	db_stmt *stmt;
	if ((s = store_stmt(st, "SELECT " LETTER_COLUMNS " FROM letters l WHERE l.case_id = ?"
			    " ORDER BY l.id", &stmt, err)))
		return s;
	db_bind_int64(stmt, 1, case_id);
	size_t room = 0;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		*letters = store_array_room(arena, *letters, *count, &room, 16, sizeof **letters);
		read_row(stmt, ref, arena, &(*letters)[(*count)++]);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "listing letters", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_letter_get(fh_store *st, const char *reference, int64_t id, fh_arena *arena,
			   store_letter *out, fh_error *err)
{
	int64_t case_id, org_id;
	fh_status s = store_case_locate(st, reference, &case_id, &org_id, err);
	if (s)
		return s;
	db_stmt *stmt;
	if ((s = store_prepare(st, "SELECT " LETTER_COLUMNS ", l.document FROM letters l"
			       " WHERE l.id = ? AND l.case_id = ?", &stmt, err)))
		return s;
	db_bind_int64(stmt, 1, id);
	db_bind_int64(stmt, 2, case_id);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		read_row(stmt, arena_strdup(arena, reference), arena, out);
		out->document = store_column_text(stmt, 13, arena);
	} else if (rc == DB_DONE) {
		s = error_set(err, FH_ENOTFOUND, "id", NULL, "no letter %lld on %s", (long long)id,
			      reference);
	} else {
		s = store_fail(st, "reading a letter", err);
	}
	db_finalize(stmt);
	return s;
}
