/*
 * fairhearing report: the monitoring report for senior management (001
 * §4.3, §16; 003 "Monitoring and learning"; DOMAIN §9) as one HTML page
 * with SVG charts, or as CSV, optionally anonymised to publish under the
 * Freedom of Information Act.  The numbers come from store_report.c; this
 * file only validates the command line and renders (docs/reports.md).
 *
 * Every value from the database reaches the page through html_text or
 * html_attr (html.h), and the CSV through csv_field: escaping by
 * construction, so a case summary holding markup prints as text.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "html.h"
#include "report.h"
#include "report_render.h"
#include "store.h"
#include "store_report.h"

static const char usage[] =
	"fairhearing report [--kind monitoring|annual] --db PATH --org ORG --from DATE\n"
	"                          --to DATE [--team NAME] --format html|csv|xlsx|pdf\n"
	"                          [--anonymised] --out FILE\n"
	"       fairhearing report ... --period week|quarter|year [--on DATE] ... (instead of\n"
	"                          --from and --to)";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Writes the monitoring report of an organisation for the period FROM to TO\n"
	       "(both days included): representations received, responses within the\n"
	       "deadline and how late the late ones were, findings, complaints by service\n"
	       "and team against the previous period of the same length, extensions,\n"
	       "escalation, the Ombudsman, learning, compliments and the equality profile\n"
	       "of complainants. docs/reports.md explains every number.\n\n"
	       "With --kind annual it writes instead the annual complaints performance and\n"
	       "service improvement report the Ombudsman's Complaint Handling Code asks for:\n"
	       "complaints at each stage, acknowledged and answered within each case's own\n"
	       "procedure timescales, extensions and their reasons, outcomes, remedies and\n"
	       "their total, service improvements from learning and the Ombudsman's\n"
	       "enquiries and decisions, the Code's procedure beside the statutory ones;\n"
	       "then the self-assessment against the Code for the reporting year holding\n"
	       "FROM: each requirement, the answer, the evidence (the records' and the\n"
	       "organisation's), commentary and actions, as answered on the staff page\n"
	       "or over the API (docs/reports.md, \"The self-assessment\").\n\n"
	       "  --kind K        monitoring (the default) or annual (the whole organisation:\n"
	       "                  no --team)\n"
	       "  --db PATH       the database\n"
	       "  --org ORG       the organisation's code (bct, bcp ...)\n"
	       "  --from DATE     first day of the period (YYYY-MM-DD)\n"
	       "  --to DATE       last day of the period (YYYY-MM-DD)\n"
	       "  --period P      instead of --from and --to: week (Monday to Sunday),\n"
	       "                  quarter (the calendar quarter) or year (the financial\n"
	       "                  year, 1 April to 31 March) holding --on DATE (default today)\n"
	       "  --team NAME     one team, or a service area with all its teams\n"
	       "  --format F      html (one page with charts, prints well), csv (a section\n"
	       "                  per table), xlsx (a sheet per table, numbers as numbers)\n"
	       "                  or pdf (A4, charts as vectors, numbered pages)\n"
	       "  --anonymised    fit to publish: no names, counts of 1 to 4 shown as <5,\n"
	       "                  and * for cells that would give one away through a total\n"
	       "  --out FILE      where to write it; - for standard output\n", usage);
}

/* --- the command ----------------------------------------------------------- */

static bool write_out(const char *path, const html_buf *b)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	if (!f) {
		fprintf(stderr, "fairhearing: report: cannot write %s: %s\n", path, strerror(errno));
		return false;
	}
	bool ok = fwrite(b->data, 1, b->len, f) == b->len;
	ok = (f == stdout ? fflush(f) == 0 : fclose(f) == 0) && ok;
	if (!ok)
		fprintf(stderr, "fairhearing: report: writing %s failed\n", path);
	return ok;
}

int cmd_report(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		help();
		return CLI_OK;
	}
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},     {"org", required_argument, NULL, 'o'},
		{"from", required_argument, NULL, 'f'},   {"to", required_argument, NULL, 't'},
		{"team", required_argument, NULL, 'T'},   {"format", required_argument, NULL, 'F'},
		{"anonymised", no_argument, NULL, 'a'},   {"out", required_argument, NULL, 'O'},
		{"period", required_argument, NULL, 'P'}, {"on", required_argument, NULL, 'N'},
		{"kind", required_argument, NULL, 'K'},   {"help", no_argument, NULL, 'h'},
		{0}};
	const char *db = NULL, *org = NULL, *from = NULL, *to = NULL, *team = NULL;
	const char *format = NULL, *out = NULL, *period = NULL, *on = NULL, *kind = NULL;
	bool anonymised = false;
	int c;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'o': org = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'T': team = optarg; break;
		case 'F': format = optarg; break;
		case 'a': anonymised = true; break;
		case 'O': out = optarg; break;
		case 'P': period = optarg; break;
		case 'N': on = optarg; break;
		case 'K': kind = optarg; break;
		case ':':
			return cli_usage_error(usage, "report: %s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error(usage, "report: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "report: unexpected argument '%s'", argv[optind]);
	/* Every option is checked before the database is opened, in the order of
	 * the usage line, so the first thing wrong is the one reported.  A
	 * preset period stands for --from and --to (001 §4.3: weekly, quarterly,
	 * annual). */
	report_kind k = REPORT_KIND_MONITORING;
	if (kind && !report_kind_parse(kind, &k))
		return cli_usage_error(usage, "report: unknown --kind '%s' (monitoring or annual)",
				       kind);
	if (k == REPORT_KIND_ANNUAL && team)
		return cli_usage_error(usage, "report: --team does not go with --kind annual (the "
				       "annual report is of the whole organisation)");
	fh_date d_from, d_to;
	if (period) {
		if (from || to)
			return cli_usage_error(usage, "report: give --period or --from and --to, not both");
		fh_date d_on;
		if (on ? !date_parse(on, &d_on) : !cli_today(&d_on))
			return cli_usage_error(usage, "report: --on '%s' is not a date (YYYY-MM-DD)",
					       on ? on : "(today)");
		if (!report_preset(period, d_on, &d_from, &d_to))
			return cli_usage_error(usage, "report: unknown --period '%s' (week, quarter "
					       "or year)", period);
		from = to = period;
	} else if (on) {
		return cli_usage_error(usage, "report: --on goes with --period");
	}
	static const char *const names[] = {"--db PATH", "--org ORG", "--from DATE",
					    "--to DATE", "--format html|csv|xlsx|pdf", "--out FILE"};
	const char *values[] = {db, org, from, to, format, out};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!values[i] || !values[i][0])
			return cli_usage_error(usage, "report: %s is required", names[i]);
	if (!period && !date_parse(from, &d_from))
		return cli_usage_error(usage, "report: --from '%s' is not a date (YYYY-MM-DD)", from);
	if (!period && !date_parse(to, &d_to))
		return cli_usage_error(usage, "report: --to '%s' is not a date (YYYY-MM-DD)", to);
	if (d_from > d_to)
		return cli_usage_error(usage, "report: --from %s is after --to %s", from, to);
	report_format fmt;
	if (!report_format_parse(format, &fmt))
		return cli_usage_error(usage, "report: unknown --format '%s' (html, csv, xlsx or pdf)",
				       format);

	fh_error err = {0};
	fh_store *st;
	if (store_open(db, STORE_READONLY, &st, &err))
		return cli_report(&err);
	fh_arena arena = ARENA_INIT;
	fh_report report;
	store_report_query q = {.org_code = org, .team = team, .from = d_from, .to = d_to,
				.kind = k};
	fh_status s = store_report_build(st, &q, &arena, &report, &err);
	store_close(st);
	int rc = CLI_OK;
	if (s) {
		rc = cli_report(&err);
	} else {
		html_buf b = HTML_BUF_INIT;
		report_suppress(&report, anonymised);
		if (report_render(&report, fmt, anonymised, &b, &err))
			rc = cli_report(&err);
		else if (!write_out(out, &b))
			rc = CLI_FAILED;
		html_buf_free(&b);
	}
	arena_free(&arena);
	return rc;
}
