/*
 * fairhearing retention: anonymise the closed cases an organisation's
 * retention rule makes due (DOMAIN §8), or set the rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"
#include "store_rights.h"

static const char usage[] =
	"fairhearing retention --db PATH [--org ORG] --dry-run|--apply\n"
	"       fairhearing retention --db PATH --org ORG --set-years N";

static void help(void)
{
	printf("usage: %s\n\n"
	       "An organisation keeps a closed case for a number of years after its closure\n"
	       "(its retention rule, e.g. six), then anonymises it. --dry-run lists the cases\n"
	       "due today under each organisation's rule and changes nothing; --apply\n"
	       "anonymises them in one transaction: the case's free text (summary, details,\n"
	       "points, findings' reasoning, remedies' descriptions, freezing reasons, the\n"
	       "confidential addendum and mediation notes in its state) and its documents go,\n"
	       "and so do the details of every person on it who is on no case still kept;\n"
	       "dates, kinds, outcomes and remedies' types and amounts stay for reports. Each\n"
	       "case gets an 'anonymised' event and the run a 'retention_applied' event.\n"
	       "The reasons and data of the events about those cases and people are erased\n"
	       "too (the audit chain keeps a salted digest of each, so `fairhearing audit\n"
	       "verify` still proves the history whole; events written before version 2 of\n"
	       "the chain cannot be erased and are counted as kept), and so are the words\n"
	       "of searches in the access log that name those cases or people.\n\n"
	       "  --db PATH       the database\n"
	       "  --org ORG       one organisation (default: every one with a rule)\n"
	       "  --dry-run       list what is due; change nothing\n"
	       "  --apply         anonymise what is due\n"
	       "  --set-years N   set ORG's rule: anonymise N years (1-100) after closure\n"
	       "  --as EMAIL      who is acting, for the audit trail (default: system)\n\n"
	       "FAIRHEARING_TODAY=YYYY-MM-DD pins today.\n", usage);
}

int cmd_retention(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		help();
		return CLI_OK;
	}
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},   {"org", required_argument, NULL, 'o'},
		{"dry-run", no_argument, NULL, 'n'},    {"apply", no_argument, NULL, 'a'},
		{"set-years", required_argument, NULL, 'y'}, {"as", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},       {0}};
	const char *db = NULL, *org = NULL, *years = NULL, *actor = "system";
	bool dry = false, apply = false;
	int c;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'o': org = optarg; break;
		case 'n': dry = true; break;
		case 'a': apply = true; break;
		case 'y': years = optarg; break;
		case 'u': actor = optarg; break;
		case ':':
			return cli_usage_error(usage, "retention: %s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error(usage, "retention: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "retention: unexpected argument '%s'", argv[optind]);
	if (!db)
		return cli_usage_error(usage, "retention: --db PATH is required");
	if ((dry || apply) + (years != NULL) != 1 || (dry && apply))
		return cli_usage_error(usage, "retention: give one of --dry-run, --apply or --set-years N");
	fh_date today;
	if (!cli_today(&today))
		return cli_usage_error(usage, "retention: FAIRHEARING_TODAY is not a date (YYYY-MM-DD)");
	long n = 0;
	if (years) {
		char *end;
		n = strtol(years, &end, 10);
		if (!*years || *end)
			return cli_usage_error(usage, "retention: --set-years takes a whole number");
		if (!org)
			return cli_usage_error(usage, "retention: --set-years needs --org ORG");
	}
	fh_error err = {0};
	fh_store *st;
	if (store_open(db, 0, &st, &err))
		return cli_report(&err);
	int rc = CLI_OK;
	if (years) {
		if (store_retention_set(st, org, n, actor, &err))
			rc = cli_report(&err);
		else
			printf("%s: closed cases are anonymised %ld years after closure\n", org, n);
		store_close(st);
		return rc;
	}
	fh_arena arena = ARENA_INIT;
	store_retention_result res;
	if (store_retention_run(st, org, today, apply, actor, &arena, &res, &err)) {
		rc = cli_report(&err);
	} else {
		for (size_t i = 0; i < res.n_cases; i++)
			printf("%s\tclosed %s\t%d years\t%s\n", res.cases[i].reference,
			       res.cases[i].closed_on, res.cases[i].years,
			       apply ? "anonymised" : "due");
		if (apply) {
			printf("anonymised %zu cases, %zu people and %zu documents\n", res.n_cases,
			       res.n_people, res.n_documents);
			printf("erased the content of %zu events and the words of %zu searches"
			       " (%zu events from before erasure existed kept)\n",
			       res.n_events_erased, res.n_searches_erased, res.n_events_kept);
			printf("erased %zu email messages that made no case\n", res.n_messages_erased);
		} else
			printf("%zu cases due for anonymising (dry run: nothing changed)\n", res.n_cases);
	}
	arena_free(&arena);
	store_close(st);
	return rc;
}
