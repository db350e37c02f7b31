/*
 * fairhearing subject-access: everything held about one person, as JSON
 * (DOMAIN §8; 000 "Access to records"), for answering a subject access
 * request from the command line.  The same export as
 * GET /api/v1/orgs/{org}/people/{id}/export, and, like it, written to the
 * access log before it is given out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "store.h"
#include "store_access_log.h"
#include "store_auth.h"
#include "store_rights.h"

static const char usage[] =
	"fairhearing subject-access --db PATH --org ORG --person ID [--out FILE] [--as EMAIL]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Writes everything held about one person as JSON: their details and equality\n"
	       "answers, every case they are on (their own role, points, findings, remedies,\n"
	       "documents' metadata, the history's dates and actions, consents), their\n"
	       "advocacy, access needs, behaviour record and the email they sent. Other\n"
	       "people on those cases, confidential documents, the confidential addendum and\n"
	       "mediation notes are withheld; the export says so. The read is written to\n"
	       "the access log first.\n"
	       "A person's ID is the `id` of a party's person in `fairhearing case show --json`.\n\n"
	       "  --db PATH     the database\n"
	       "  --org ORG     the organisation the person belongs to\n"
	       "  --person ID   the person\n"
	       "  --out FILE    write there (default: standard output)\n"
	       "  --as EMAIL    who is asking, for the access log (default: the system user)\n",
	       usage);
}

int cmd_subject_access(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		help();
		return CLI_OK;
	}
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},     {"org", required_argument, NULL, 'o'},
		{"person", required_argument, NULL, 'p'}, {"out", required_argument, NULL, 'f'},
		{"as", required_argument, NULL, 'u'},     {"help", no_argument, NULL, 'h'},
		{0}};
	const char *db = NULL, *org = NULL, *person = NULL, *out = NULL, *actor = NULL;
	int c;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'o': org = optarg; break;
		case 'p': person = optarg; break;
		case 'f': out = optarg; break;
		case 'u': actor = optarg; break;
		case ':':
			return cli_usage_error(usage, "subject-access: %s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error(usage, "subject-access: unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "subject-access: unexpected argument '%s'", argv[optind]);
	if (!db || !org || !person)
		return cli_usage_error(usage, "subject-access: --db, --org and --person are required");
	char *end;
	long long id = strtoll(person, &end, 10);
	if (!*person || *end || id < 1)
		return cli_usage_error(usage, "subject-access: --person takes a person's number");
	fh_date today;
	if (!cli_today(&today))
		return cli_usage_error(usage,
				       "subject-access: FAIRHEARING_TODAY is not a date (YYYY-MM-DD)");
	fh_error err = {0};
	fh_store *st;
	if (store_open(db, 0, &st, &err))
		return cli_report(&err);
	json_t *export = NULL;
	int rc = CLI_OK;
	store_access_entry e = {.user_id = 0, .case_id = 0};
	store_iso_time(time(NULL), e.at);
	snprintf(e.actor, sizeof e.actor, "%s", cli_actor(actor));
	snprintf(e.what, sizeof e.what, "case");
	snprintf(e.detail, sizeof e.detail, "person %lld subject access export", id);
	snprintf(e.client_ip, sizeof e.client_ip, "cli");
	if (store_subject_export(st, org, (int64_t)id, today, &export, &err) ||
	    store_access_append(st, &e, 1, &err)) {
		rc = cli_report(&err);
	} else {
		FILE *f = out ? fopen(out, "w") : stdout;
		if (!f) {
			fprintf(stderr, "fairhearing: subject-access: cannot write %s\n", out);
			rc = CLI_FAILED;
		} else {
			if (json_dumpf(export, f, JSON_INDENT(2)) != 0)
				rc = CLI_FAILED;
			fputc('\n', f);
			if (out && fclose(f) != 0)
				rc = CLI_FAILED;
		}
	}
	json_decref(export);
	store_close(st);
	return rc;
}
