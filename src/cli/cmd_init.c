/*
 * fairhearing init: create or upgrade a database, optionally with demo data.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "demo.h"
#include "store.h"
#include "store_lifecycle.h"

static const char usage[] =
	"fairhearing init --db PATH [--procedures DIR] [--demo [--as-of DATE]]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Creates the database at PATH, or brings an existing one up to this\n"
	       "version's schema (migrations are applied in order, each in its own\n"
	       "transaction). A file that is not a Fairhearing database, or one written by\n"
	       "a newer Fairhearing, is refused and left untouched.\n\n"
	       "  --db PATH       the SQLite database file, or a PostgreSQL URL\n"
	       "                  (postgresql://USER@HOST:PORT/NAME): a database that does\n"
	       "                  not exist yet is created on that server, one holding\n"
	       "                  another program's tables is refused\n"
	       "  --procedures DIR  install (or update) the procedure files of DIR for the\n"
	       "                  organisations the database has (default: $FAIRHEARING_PROCEDURES,\n"
	       "                  else %s)\n"
	       "  --demo          load the demonstration organisations (bct, bcp, bccc,\n"
	       "                  example), their teams and users, and %d sample cases\n"
	       "                  from the last 18 months; prints the sign-in names and the\n"
	       "                  demo password. Only into a database with no organisations;\n"
	       "                  run again on a demo database it changes nothing.\n"
	       "  --as-of DATE    the 'today' the demo cases are spread back from (default\n"
	       "                  today); the same date always gives the same data\n",
	       usage, FH_PROCEDURES_DIR, DEMO_CASES);
}

int cmd_init(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		help();
		return CLI_OK;
	}
	enum { O_DB = 256, O_DEMO, O_AS_OF, O_PROCEDURES };
	static const struct option opts[] = {{"db", required_argument, NULL, O_DB},
					     {"demo", no_argument, NULL, O_DEMO},
					     {"as-of", required_argument, NULL, O_AS_OF},
					     {"procedures", required_argument, NULL, O_PROCEDURES},
					     {"help", no_argument, NULL, 'h'}, {0}};
	const char *db = NULL, *as_of_text = NULL, *procedures = getenv("FAIRHEARING_PROCEDURES");
	if (!procedures || !*procedures)
		procedures = FH_PROCEDURES_DIR;
	bool demo = false;
	int c;
	optind = 0;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case O_DB: db = optarg; break;
		case O_DEMO: demo = true; break;
		case O_AS_OF: as_of_text = optarg; break;
		case O_PROCEDURES: procedures = optarg; break;
		case ':':
			return cli_usage_error(usage, "init: %s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error(usage, "init: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "init: unexpected argument '%s'", argv[optind]);
	if (!db)
		return cli_usage_error(usage, "init: --db PATH is required");
	fh_date as_of;
	if (as_of_text && !date_parse(as_of_text, &as_of))
		return cli_usage_error(usage, "init: --as-of: '%s' is not a real date (YYYY-MM-DD)",
				       as_of_text);
	if (!as_of_text && !cli_today(&as_of))
		return cli_usage_error(usage, "init: FAIRHEARING_TODAY is not a date (YYYY-MM-DD)");
	if (as_of_text && !demo)
		return cli_usage_error(usage, "init: --as-of only applies with --demo");

	fh_error err = {0};
	fh_store *st;
	if (store_open(db, STORE_CREATE, &st, &err))
		return cli_report(&err);
	printf("%s: schema version %d\n", db, store_schema_version(st));
	int rc = CLI_OK;
	if (demo) {
		fh_arena arena = ARENA_INIT;
		fh_org *orgs;
		size_t n_orgs = 0;
		if (store_org_list(st, &arena, &orgs, &n_orgs, &err)) {
			rc = cli_report(&err);
		} else if (n_orgs > 0 && demo_is_loaded(st)) {
			printf("demo data is already loaded; nothing changed\n");
		} else if (n_orgs > 0) {
			rc = cli_usage_error(usage, "init: --demo loads only into a database with no "
					     "organisations; %s has %zu: nothing changed", db, n_orgs);
		} else {
			char hash[crypto_pwhash_STRBYTES];
			/* One hash for every demo user: they share the one published demo
			 * password, and hashing each separately would only slow init. */
			if (crypto_pwhash_str(hash, DEMO_PASSWORD, strlen(DEMO_PASSWORD),
					      crypto_pwhash_OPSLIMIT_INTERACTIVE,
					      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
				fprintf(stderr, "fairhearing: init: out of memory hashing the password\n");
				rc = CLI_FAILED;
			} else if (demo_load(st, as_of, hash, procedures, stdout, &err)) {
				rc = cli_report(&err);
			}
		}
		arena_free(&arena);
	}
	int installed = 0;
	if (rc == CLI_OK && store_procedure_install_dir(st, procedures, cli_actor(NULL), &installed, &err))
		rc = cli_report(&err);
	else if (rc == CLI_OK && installed)
		printf("installed %d new procedure version%s from %s\n", installed,
		       installed == 1 ? "" : "s", procedures);
	store_close(st);
	return rc;
}
