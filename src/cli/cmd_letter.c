/*
 * fairhearing letter: issue, list and show the letters of a case, send one
 * by email again (resend), list the
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
#include "store.h"
#include "store_letter.h"
#include "store_outbox.h"

static const char usage[] =
	"fairhearing letter kinds\n"
	"       fairhearing letter issue --db PATH --case REF --kind KIND [--variant plain|child]\n"
	"                          [--stage N] [--set NAME=VALUE]... [--templates DIR] [--dry-run]\n"
	"                          [--send-email]\n"
	"                          [--format html|pdf|text --out FILE] [--actor WHO]\n"
	"       fairhearing letter list --db PATH --case REF\n"
	"       fairhearing letter show --db PATH --case REF --id N [--format html|pdf|text] [--out FILE]\n"
	"       fairhearing letter resend --db PATH --case REF --id N [--actor WHO]\n"
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
	       "  list            the case's letters: id, date, kind, variant, recipient,\n"
	       "                  subject and, for one sent by email, what became of it\n"
	       "                  (email queued, sent, delivered, bounced or failed)\n"
	       "  show            one letter as text (default), HTML or PDF\n"
	       "  resend          sends a letter by email again when its last email bounced\n"
	       "                  or failed: a new message to the address recorded for its\n"
	       "                  recipient now (so a corrected address is used)\n"
	       "  letterhead      sets and shows the organisation's telephone, email and\n"
	       "                  web address (its name and address are on the organisation)\n\n"
	       "  --variant V     plain (plain language) or child (child-friendly), where\n"
	       "                  the organisation offers it (letters.json)\n"
	       "  --stage N       the stage a stage_response answers (default: the current)\n"
	       "  --set N=V       a value for the letter (behaviour=..., papers=A;B ...)\n"
	       "  --templates DIR the administrator's template directory, searched before\n"
	       "                  $FAIRHEARING_LETTERS and the shipped templates\n"
	       "  --format F      html, pdf or text; --out FILE (- for standard output)\n"
	       "  --send-email    also send it by email to the recipient's recorded address\n"
	       "                  (queued with it; the PDF attached or a link, as the\n"
	       "                  organisation's file says; `mail send` sends it)\n\n"
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

/* What the command line asked for, once read. */
typedef struct letter_args {
	const char *sub;
	const char *db, *ref, *kind, *variant, *templates, *format, *out, *id_text, *actor, *org;
	const char *phone, *email, *website, *stage_text;
	bool dry_run;
	bool send_email; /* --send-email */
	json_t *values; /* --set NAME=VALUE */
	int stage;
	long long id;
	fh_date today;
} letter_args;

/* Reads the options after the subcommand into a; CLI_OK or the usage error's code. */
static int read_options(int argc, char **argv, letter_args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},        {"case", required_argument, NULL, 'c'},
		{"kind", required_argument, NULL, 'k'},      {"variant", required_argument, NULL, 'v'},
		{"stage", required_argument, NULL, 's'},     {"set", required_argument, NULL, 'S'},
		{"templates", required_argument, NULL, 'T'}, {"dry-run", no_argument, NULL, 'n'},
		{"format", required_argument, NULL, 'F'},    {"out", required_argument, NULL, 'O'},
		{"id", required_argument, NULL, 'i'},        {"actor", required_argument, NULL, 'a'},
		{"org", required_argument, NULL, 'o'},       {"phone", required_argument, NULL, 'p'},
		{"email", required_argument, NULL, 'e'},     {"website", required_argument, NULL, 'w'},
		{"send-email", no_argument, NULL, 'E'},      {"help", no_argument, NULL, 'h'},
		{0}};
	int c, rc = CLI_OK;
	while (rc == CLI_OK && (c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'c': a->ref = optarg; break;
		case 'k': a->kind = optarg; break;
		case 'v': a->variant = optarg; break;
		case 's': a->stage_text = optarg; break;
		case 'S':
			if (!add_value(a->values, optarg))
				rc = cli_usage_error(usage, "letter: --set needs NAME=VALUE, not '%s'", optarg);
			break;
		case 'T': a->templates = optarg; break;
		case 'n': a->dry_run = true; break;
		case 'E': a->send_email = true; break;
		case 'F': a->format = optarg; break;
		case 'O': a->out = optarg; break;
		case 'i': a->id_text = optarg; break;
		case 'a': a->actor = optarg; break;
		case 'o': a->org = optarg; break;
		case 'p': a->phone = optarg; break;
		case 'e': a->email = optarg; break;
		case 'w': a->website = optarg; break;
		default:
			rc = cli_option_error(usage, "letter", c, argv);
			break;
		}
	}
	if (rc == CLI_OK && optind < argc)
		rc = cli_usage_error(usage, "letter: unexpected argument '%s'", argv[optind]);
	return rc;
}

/* What each subcommand needs, and the values that must be one of a few. */
static int check_options(letter_args *a)
{
	const char *sub = a->sub, *format = a->format, *variant = a->variant;
	if (!a->db || !*a->db)
		return cli_usage_error(usage, "letter %s: --db PATH is required", sub);
	if (strcmp(sub, "letterhead") && (!a->ref || !*a->ref))
		return cli_usage_error(usage, "letter %s: --case REF is required", sub);
	if (!strcmp(sub, "issue") && (!a->kind || !*a->kind))
		return cli_usage_error(usage, "letter issue: --kind KIND is required (letter kinds lists them)");
	if (!strcmp(sub, "letterhead") && (!a->org || !*a->org))
		return cli_usage_error(usage, "letter letterhead: --org ORG is required");
	if (format && strcmp(format, "html") && strcmp(format, "pdf") && strcmp(format, "text"))
		return cli_usage_error(usage, "letter: unknown --format '%s' (html, pdf or text)", format);
	if (!strcmp(sub, "issue") && format && !a->out)
		return cli_usage_error(usage, "letter issue: --format needs --out FILE");
	if (format && !strcmp(format, "pdf") && !a->out)
		return cli_usage_error(usage, "letter: a PDF needs --out FILE (- for standard output)");
	if (variant && strcmp(variant, "plain") && strcmp(variant, "child") &&
	    strcmp(variant, "standard"))
		return cli_usage_error(usage, "letter: --variant is plain or child, not '%s'", variant);
	if (a->stage_text) {
		char *end;
		long v = strtol(a->stage_text, &end, 10);
		if (*end || v < 1 || v > 3)
			return cli_usage_error(usage, "letter: --stage is 1, 2 or 3, not '%s'",
					       a->stage_text);
		a->stage = (int)v;
	}
	if (!strcmp(sub, "show") || !strcmp(sub, "resend")) {
		char *end;
		a->id = a->id_text ? strtoll(a->id_text, &end, 10) : 0;
		if (!a->id_text || *end || a->id < 1)
			return cli_usage_error(usage, "letter %s: --id N (a letter's number) is required",
					       sub);
	}
	if (!cli_today(&a->today))
		return cli_usage_error(usage, "letter: FAIRHEARING_TODAY is not a date (YYYY-MM-DD)");
	return CLI_OK;
}

/* letter issue: the templates given, then FAIRHEARING_LETTERS, then the shipped ones. */
static int issue(fh_store *st, const letter_args *a, fh_arena *arena)
{
	const char *env = getenv("FAIRHEARING_LETTERS");
	const char *dirs[4];
	size_t n = 0;
	if (a->templates)
		dirs[n++] = a->templates;
	if (env && *env)
		dirs[n++] = env;
	dirs[n++] = FH_LETTERS_DIR;
	dirs[n] = NULL;
	store_letter_request req = {.reference = a->ref, .kind = a->kind, .variant = a->variant,
				    .stage = a->stage, .values = a->values, .template_dirs = dirs,
				    .dry_run = a->dry_run, .send_email = a->send_email && !a->dry_run};
	fh_actor who = {.name = cli_actor(a->actor), .all_roles = true};
	store_letter l;
	fh_error err = {0};
	if (store_letter_issue(st, &req, &who, a->today, arena, &l, &err))
		return cli_report(&err);
	if (a->dry_run)
		fprintf(stderr, "not recorded (--dry-run): %s\n", l.subject);
	else
		printf("issued letter %lld on %s: %s (%s, sha256 %.12s)\n", (long long)l.id,
		       l.reference, l.subject, l.variant, l.sha256);
	if (l.emailed_to)
		printf("queued to send by email to %s\n", l.emailed_to);
	return a->out ? emit(l.document, a->format ? a->format : "html", a->out) : CLI_OK;
}

/* letter list: one line a letter, tab-separated. */
static int list(fh_store *st, const letter_args *a, fh_arena *arena)
{
	store_letter *ls;
	size_t n;
	fh_error err = {0};
	if (store_letter_list(st, a->ref, arena, &ls, &n, &err))
		return cli_report(&err);
	for (size_t i = 0; i < n; i++)
		printf("%lld\t%s\t%s\t%s\t%s\t%s%s%s\n", (long long)ls[i].id, ls[i].issued_on,
		       ls[i].kind, ls[i].variant, ls[i].recipient, ls[i].subject,
		       *ls[i].email_state ? "\temail " : "", ls[i].email_state);
	return CLI_OK;
}

/* letter show: the letter as it was issued. */
static int show(fh_store *st, const letter_args *a, fh_arena *arena)
{
	store_letter l;
	fh_error err = {0};
	if (store_letter_get(st, a->ref, (int64_t)a->id, arena, &l, &err))
		return cli_report(&err);
	return emit(l.document, a->format ? a->format : "text", a->out ? a->out : "-");
}

/* letter resend: the letter's email again, after a bounce or a failure. */
static int resend(fh_store *st, const letter_args *a, fh_arena *arena)
{
	store_outbox_resent r;
	fh_error err = {0};
	if (store_outbox_resend(st, a->ref, (int64_t)a->id, cli_actor(a->actor), arena, &r, &err))
		return cli_report(&err);
	printf("letter %lld queued to send by email again to %s (its last email %s)\n",
	       a->id, r.to, r.again_of_state);
	return CLI_OK;
}

/* letter letterhead: sets what is given, then shows what a letterhead carries. */
static int letterhead(fh_store *st, const letter_args *a, fh_arena *arena)
{
	fh_error err = {0};
	if ((a->phone || a->email || a->website) &&
	    store_org_contact_set(st, a->org, a->phone, a->email, a->website, cli_actor(a->actor),
				  &err))
		return cli_report(&err);
	letter_org o;
	if (store_letter_org(st, a->org, arena, &o, &err))
		return cli_report(&err);
	printf("name\t%s\naddress\t%s\nphone\t%s\nemail\t%s\nwebsite\t%s\n", o.name, o.address,
	       o.phone, o.email, o.website);
	return CLI_OK;
}

int cmd_letter(int argc, char **argv)
{
	if (cli_wants_help(argc, argv) || argc < 2) {
		if (argc < 2)
			return cli_usage_error(usage, "letter: issue, list, show, resend, kinds or letterhead?");
		help();
		return CLI_OK;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "kinds"))
		return argc == 2 ? kinds() : cli_usage_error(usage, "letter kinds takes no arguments");
	if (strcmp(sub, "issue") && strcmp(sub, "list") && strcmp(sub, "show") &&
	    strcmp(sub, "resend") && strcmp(sub, "letterhead"))
		return cli_usage_error(usage, "letter: no subcommand '%s'", sub);
	letter_args a = {.sub = sub, .values = json_object()};
	/* the options follow the subcommand */
	int rc = read_options(argc - 1, argv + 1, &a);
	if (rc == CLI_OK)
		rc = check_options(&a);
	if (rc != CLI_OK) {
		json_decref(a.values);
		return rc;
	}
	fh_error err = {0};
	fh_store *st;
	bool reading = !strcmp(sub, "list") || !strcmp(sub, "show") || a.dry_run;
	if (store_open(a.db, reading ? STORE_READONLY : 0, &st, &err)) {
		json_decref(a.values);
		return cli_report(&err);
	}
	fh_arena arena = ARENA_INIT;
	rc = !strcmp(sub, "issue") ? issue(st, &a, &arena)
	     : !strcmp(sub, "list") ? list(st, &a, &arena)
	     : !strcmp(sub, "show") ? show(st, &a, &arena)
	     : !strcmp(sub, "resend") ? resend(st, &a, &arena)
				      : letterhead(st, &a, &arena);
	arena_free(&arena);
	store_close(st);
	json_decref(a.values);
	return rc;
}
