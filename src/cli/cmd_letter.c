/*
 * fairhearing letter: issue, list and show the letters of a case, list the
 * kinds of letter, and set the contact details a letterhead carries
 * (docs/letters.md).
 *
 * The rules and the rendering live in src/core/letter*.c, src/letters/ and
 * src/store/store_letter.c; this file parses the command line and writes
 * the result where it was asked to go.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "html.h"
#include "letter.h"
#include "letter_model.h"
#include "letter_pdf.h"
#include "pdf_doc.h"
#include "store.h"
#include "store_letter.h"

static const char usage[] =
	"fairhearing letter kinds\n"
	"       fairhearing letter issue --db PATH --case REF --kind KIND [--variant plain|child]\n"
	"                          [--stage N] [--set NAME=VALUE]... [--templates DIR] [--dry-run]\n"
	"                          [--format html|pdf|text --out FILE] [--actor WHO]\n"
	"       fairhearing letter list --db PATH --case REF\n"
	"       fairhearing letter show --db PATH --case REF --id N [--format html|pdf|text] [--out FILE]\n"
	"       fairhearing letter letterhead --db PATH --org ORG [--phone P] [--email E] [--website W]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Letters to the customer, built from what is recorded on the case and an\n"
	       "organisation's template, kept on the case exactly as issued.\n\n"
	       "  kinds           the kinds of letter, the rule each comes from and the\n"
	       "                  values some of them take (--set)\n"
	       "  issue           checks the letter's required content (a refusal names\n"
	       "                  everything missing, exit 2), renders it and records it\n"
	       "                  on the case with its audit event; --dry-run renders only\n"
	       "  list            the case's letters: id, date, kind, variant, subject\n"
	       "  show            one letter as text (default), HTML or PDF\n"
	       "  letterhead      sets and shows the organisation's telephone, email and\n"
	       "                  web address (its name and address are on the organisation)\n\n"
	       "  --variant V     plain (plain language) or child (child-friendly), where\n"
	       "                  the organisation offers it (letters.json)\n"
	       "  --stage N       the stage a stage_response answers (default: the current)\n"
	       "  --set N=V       a value for the letter (behaviour=..., papers=A;B ...)\n"
	       "  --templates DIR the administrator's template directory, searched before\n"
	       "                  $FAIRHEARING_LETTERS and the shipped templates\n"
	       "  --format F      html, pdf or text; --out FILE (- for standard output)\n\n"
	       "Exit status: 0 done, 1 failed while running, 2 bad input or a letter refused.\n",
	       usage);
}

static bool write_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	if (!f) {
		fprintf(stderr, "fairhearing: letter: cannot write %s: %s\n", path, strerror(errno));
		return false;
	}
	bool ok = fwrite(data, 1, len, f) == len;
	if (f != stdout)
		ok = fclose(f) == 0 && ok;
	else
		ok = fflush(f) == 0 && ok;
	if (!ok)
		fprintf(stderr, "fairhearing: letter: writing %s failed\n", path);
	return ok;
}

/* Writes a letter's document in format to out; a CLI exit code. */
static int emit(const char *document, const char *format, const char *out)
{
	json_t *doc = json_loads(document, 0, NULL);
	if (!doc) {
		fprintf(stderr, "fairhearing: letter: the stored letter is not readable\n");
		return CLI_FAILED;
	}
	int rc = CLI_OK;
	if (!strcmp(format, "pdf")) {
		json_t *docs = json_pack("[O]", doc);
		pdf_bytes pdf;
		fh_error err = {0};
		const char *subject = json_string_value(json_object_get(doc, "subject"));
		const char *org = json_string_value(json_object_get(json_object_get(doc, "letterhead"), "name"));
		if (letter_pdf(docs, subject, org, &pdf, &err))
			rc = cli_report(&err);
		else if (!write_bytes(out, pdf.data, pdf.len))
			rc = CLI_FAILED;
		free(pdf.data);
		json_decref(docs);
		pdf_release();
	} else {
		html_buf b = HTML_BUF_INIT;
		if (!strcmp(format, "html"))
			letter_html(doc, &b);
		else
			letter_plain_text(doc, &b);
		if (!write_bytes(out, html_buf_str(&b), b.len))
			rc = CLI_FAILED;
		html_buf_free(&b);
	}
	json_decref(doc);
	return rc;
}

static int kinds(void)
{
	size_t n;
	const letter_kind_info *k = letter_kinds(&n);
	for (size_t i = 0; i < n; i++) {
		printf("%-28s %s (%s)\n", k[i].name, k[i].summary, k[i].source);
		if (*k[i].given)
			printf("%-28s   values: %s\n", "", k[i].given);
	}
	return CLI_OK;
}

/* NAME=VALUE into obj; false when it has no '='. */
static bool add_value(json_t *obj, const char *pair)
{
	const char *eq = strchr(pair, '=');
	if (!eq || eq == pair)
		return false;
	char *name = strndup(pair, (size_t)(eq - pair));
	json_object_set_new(obj, name, json_string(eq + 1));
	free(name);
	return true;
}

int cmd_letter(int argc, char **argv)
{
	if (cli_wants_help(argc, argv) || argc < 2) {
		if (argc < 2)
			return cli_usage_error(usage, "letter: issue, list, show, kinds or letterhead?");
		help();
		return CLI_OK;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "kinds"))
		return argc == 2 ? kinds() : cli_usage_error(usage, "letter kinds takes no arguments");
	if (strcmp(sub, "issue") && strcmp(sub, "list") && strcmp(sub, "show") &&
	    strcmp(sub, "letterhead"))
		return cli_usage_error(usage, "letter: no subcommand '%s'", sub);
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},        {"case", required_argument, NULL, 'c'},
		{"kind", required_argument, NULL, 'k'},      {"variant", required_argument, NULL, 'v'},
		{"stage", required_argument, NULL, 's'},     {"set", required_argument, NULL, 'S'},
		{"templates", required_argument, NULL, 'T'}, {"dry-run", no_argument, NULL, 'n'},
		{"format", required_argument, NULL, 'F'},    {"out", required_argument, NULL, 'O'},
		{"id", required_argument, NULL, 'i'},        {"actor", required_argument, NULL, 'a'},
		{"org", required_argument, NULL, 'o'},       {"phone", required_argument, NULL, 'p'},
		{"email", required_argument, NULL, 'e'},     {"website", required_argument, NULL, 'w'},
		{"help", no_argument, NULL, 'h'},            {0}};
	const char *db = NULL, *ref = NULL, *kind = NULL, *variant = NULL, *templates = NULL;
	const char *format = NULL, *out = NULL, *id_text = NULL, *actor = NULL, *org = NULL;
	const char *phone = NULL, *email = NULL, *website = NULL, *stage_text = NULL;
	bool dry_run = false;
	json_t *values = json_object();
	int c, rc = CLI_OK;
	argc--; /* the options follow the subcommand */
	argv++;
	while (rc == CLI_OK && (c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': ref = optarg; break;
		case 'k': kind = optarg; break;
		case 'v': variant = optarg; break;
		case 's': stage_text = optarg; break;
		case 'S':
			if (!add_value(values, optarg))
				rc = cli_usage_error(usage, "letter: --set needs NAME=VALUE, not '%s'", optarg);
			break;
		case 'T': templates = optarg; break;
		case 'n': dry_run = true; break;
		case 'F': format = optarg; break;
		case 'O': out = optarg; break;
		case 'i': id_text = optarg; break;
		case 'a': actor = optarg; break;
		case 'o': org = optarg; break;
		case 'p': phone = optarg; break;
		case 'e': email = optarg; break;
		case 'w': website = optarg; break;
		case ':':
			rc = cli_usage_error(usage, "letter: %s needs a value", argv[optind - 1]);
			break;
		default:
			rc = cli_usage_error(usage, "letter: unknown option '%s'", argv[optind - 1]);
			break;
		}
	}
	if (rc == CLI_OK && optind < argc)
		rc = cli_usage_error(usage, "letter: unexpected argument '%s'", argv[optind]);
	if (rc == CLI_OK && (!db || !*db))
		rc = cli_usage_error(usage, "letter %s: --db PATH is required", sub);
	bool need_case = strcmp(sub, "letterhead") != 0;
	if (rc == CLI_OK && need_case && (!ref || !*ref))
		rc = cli_usage_error(usage, "letter %s: --case REF is required", sub);
	if (rc == CLI_OK && !strcmp(sub, "issue") && (!kind || !*kind))
		rc = cli_usage_error(usage, "letter issue: --kind KIND is required (letter kinds lists them)");
	if (rc == CLI_OK && !strcmp(sub, "letterhead") && (!org || !*org))
		rc = cli_usage_error(usage, "letter letterhead: --org ORG is required");
	if (rc == CLI_OK && format && strcmp(format, "html") && strcmp(format, "pdf") &&
	    strcmp(format, "text"))
		rc = cli_usage_error(usage, "letter: unknown --format '%s' (html, pdf or text)", format);
	if (rc == CLI_OK && !strcmp(sub, "issue") && format && !out)
		rc = cli_usage_error(usage, "letter issue: --format needs --out FILE");
	if (rc == CLI_OK && format && !strcmp(format, "pdf") && !out)
		rc = cli_usage_error(usage, "letter: a PDF needs --out FILE (- for standard output)");
	if (rc == CLI_OK && variant && strcmp(variant, "plain") && strcmp(variant, "child") &&
	    strcmp(variant, "standard"))
		rc = cli_usage_error(usage, "letter: --variant is plain or child, not '%s'", variant);
	int stage = 0;
	if (rc == CLI_OK && stage_text) {
		char *end;
		long v = strtol(stage_text, &end, 10);
		if (*end || v < 1 || v > 3)
			rc = cli_usage_error(usage, "letter: --stage is 1, 2 or 3, not '%s'", stage_text);
		stage = (int)v;
	}
	long long id = 0;
	if (rc == CLI_OK && !strcmp(sub, "show")) {
		char *end;
		id = id_text ? strtoll(id_text, &end, 10) : 0;
		if (!id_text || *end || id < 1)
			rc = cli_usage_error(usage, "letter show: --id N (a letter's number) is required");
	}
	fh_date today;
	if (rc == CLI_OK && !cli_today(&today))
		rc = cli_usage_error(usage, "letter: FAIRHEARING_TODAY is not a date (YYYY-MM-DD)");
	if (rc != CLI_OK) {
		json_decref(values);
		return rc;
	}

	fh_error err = {0};
	fh_store *st;
	bool reading = !strcmp(sub, "list") || !strcmp(sub, "show") || dry_run;
	if (store_open(db, reading ? STORE_READONLY : 0, &st, &err)) {
		json_decref(values);
		return cli_report(&err);
	}
	fh_arena arena = ARENA_INIT;
	if (!strcmp(sub, "issue")) {
		const char *env = getenv("FAIRHEARING_LETTERS");
		const char *dirs[4];
		size_t n = 0;
		if (templates)
			dirs[n++] = templates;
		if (env && *env)
			dirs[n++] = env;
		dirs[n++] = FH_LETTERS_DIR;
		dirs[n] = NULL;
		store_letter_request req = {.reference = ref, .kind = kind, .variant = variant,
					    .stage = stage, .values = values, .template_dirs = dirs,
					    .dry_run = dry_run};
		fh_actor who = {.name = cli_actor(actor), .all_roles = true};
		store_letter l;
		if (store_letter_issue(st, &req, &who, today, &arena, &l, &err)) {
			rc = cli_report(&err);
		} else {
			if (dry_run)
				fprintf(stderr, "not recorded (--dry-run): %s\n", l.subject);
			else
				printf("issued letter %lld on %s: %s (%s, sha256 %.12s)\n", (long long)l.id,
				       l.reference, l.subject, l.variant, l.sha256);
			if (out)
				rc = emit(l.document, format ? format : "html", out);
		}
	} else if (!strcmp(sub, "list")) {
		store_letter *ls;
		size_t n;
		if (store_letter_list(st, ref, &arena, &ls, &n, &err)) {
			rc = cli_report(&err);
		} else {
			for (size_t i = 0; i < n; i++)
				printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)ls[i].id, ls[i].issued_on,
				       ls[i].kind, ls[i].variant, ls[i].recipient, ls[i].subject);
		}
	} else if (!strcmp(sub, "show")) {
		store_letter l;
		if (store_letter_get(st, ref, (int64_t)id, &arena, &l, &err))
			rc = cli_report(&err);
		else
			rc = emit(l.document, format ? format : "text", out ? out : "-");
	} else {
		if ((phone || email || website) &&
		    store_org_contact_set(st, org, phone, email, website, cli_actor(actor), &err)) {
			rc = cli_report(&err);
		} else {
			letter_org o;
			if (store_letter_org(st, org, &arena, &o, &err)) {
				rc = cli_report(&err);
			} else {
				printf("name\t%s\naddress\t%s\nphone\t%s\nemail\t%s\nwebsite\t%s\n", o.name,
				       o.address, o.phone, o.email, o.website);
			}
		}
	}
	arena_free(&arena);
	store_close(st);
	json_decref(values);
	return rc;
}
