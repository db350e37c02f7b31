/*
 * fairhearing export: a case's whole file as a PDF bundle for the
 * Ombudsman, and an officer's deadlines as an iCalendar file
 * (docs/letters.md "Exports").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "html.h"
#include "letter_pdf.h"
#include "store.h"
#include "store_export.h"

static const char usage[] =
	"fairhearing export case --db PATH --case REF --out FILE [--confidential]\n"
	"       fairhearing export deadlines --db PATH --user EMAIL --out FILE";

static void help(void)
{
	printf("usage: %s\n\n"
	       "  case        the case's file as one PDF for the Ombudsman: a cover page,\n"
	       "              the timeline of events, every letter as issued and the list\n"
	       "              of documents held. The confidential addendum, the content of\n"
	       "              confidential events and confidential documents are left out\n"
	       "              unless --confidential is given (001 B Stage 2).\n"
	       "  deadlines   the open deadlines of the cases a user is assigned to, as an\n"
	       "              iCalendar (RFC 5545) file of all-day events\n\n"
	       "  --out FILE  where to write it; - for standard output\n", usage);
}

static bool write_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	if (!f) {
		fprintf(stderr, "fairhearing: export: cannot write %s: %s\n", path, strerror(errno));
		return false;
	}
	bool ok = fwrite(data, 1, len, f) == len;
	ok = (f == stdout ? fflush(f) : fclose(f)) == 0 && ok;
	if (!ok)
		fprintf(stderr, "fairhearing: export: writing %s failed\n", path);
	return ok;
}

int cmd_export(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		help();
		return CLI_OK;
	}
	if (argc < 2)
		return cli_usage_error(usage, "export: case or deadlines?");
	const char *sub = argv[1];
	if (strcmp(sub, "case") && strcmp(sub, "deadlines"))
		return cli_usage_error(usage, "export: no subcommand '%s'", sub);
	argc--;
	argv++;
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},   {"case", required_argument, NULL, 'c'},
		{"out", required_argument, NULL, 'O'},  {"confidential", no_argument, NULL, 'C'},
		{"user", required_argument, NULL, 'u'}, {"help", no_argument, NULL, 'h'},
		{0}};
	const char *db = NULL, *ref = NULL, *out = NULL, *user = NULL;
	bool confidential = false;
	int c;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': ref = optarg; break;
		case 'O': out = optarg; break;
		case 'C': confidential = true; break;
		case 'u': user = optarg; break;
		case ':': return cli_usage_error(usage, "export: %s needs a value", argv[optind - 1]);
		default: return cli_usage_error(usage, "export: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "export: unexpected argument '%s'", argv[optind]);
	bool is_case = !strcmp(sub, "case");
	if (!db || !*db)
		return cli_usage_error(usage, "export %s: --db PATH is required", sub);
	if (is_case && (!ref || !*ref))
		return cli_usage_error(usage, "export case: --case REF is required");
	if (!is_case && (!user || !*user))
		return cli_usage_error(usage, "export deadlines: --user EMAIL is required");
	if (!out || !*out)
		return cli_usage_error(usage, "export %s: --out FILE is required", sub);
	if (!is_case && confidential)
		return cli_usage_error(usage, "export deadlines: --confidential is for a case file");
	fh_date today;
	if (!cli_today(&today))
		return cli_usage_error(usage, "export: FAIRHEARING_TODAY is not a date (YYYY-MM-DD)");
	fh_error err = {0};
	fh_store *st;
	if (store_open(db, STORE_READONLY, &st, &err))
		return cli_report(&err);
	fh_arena arena = ARENA_INIT;
	int rc = CLI_OK;
	if (is_case) {
		fh_actor who = {.name = cli_actor(NULL), .all_roles = true};
		json_t *pages = NULL;
		const char *org = NULL;
		if (store_case_file(st, ref, confidential, &who, today, &arena, &pages, &org, &err)) {
			rc = cli_report(&err);
		} else {
			char title[80];
			snprintf(title, sizeof title, "Case file %s", ref);
			pdf_bytes pdf;
			if (letter_pdf(pages, title, org, &pdf, &err))
				rc = cli_report(&err);
			else if (!write_bytes(out, pdf.data, pdf.len))
				rc = CLI_FAILED;
			free(pdf.data);
		}
		json_decref(pages);
	} else {
		int64_t id = 0;
		store_deadline_row *rows = NULL;
		size_t n = 0;
		if (store_user_by_email(st, user, &id, &err) ||
		    store_officer_deadlines(st, id, &arena, &rows, &n, &err)) {
			rc = cli_report(&err);
		} else {
			html_buf b = HTML_BUF_INIT;
			store_deadlines_ics(user, rows, n, time(NULL), &b);
			if (!write_bytes(out, html_buf_str(&b), b.len))
				rc = CLI_FAILED;
			html_buf_free(&b);
		}
	}
	arena_free(&arena);
	store_close(st);
	return rc;
}
