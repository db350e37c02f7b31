/*
 * fairhearing backup / restore: a verified snapshot of a live database, and
 * putting one back (store_backup.h says how and why).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store_backup.h"

static const char backup_usage[] = "fairhearing backup --db PATH --out FILE [--force]";
static const char restore_usage[] = "fairhearing restore --from FILE --db PATH [--force]";

static void backup_help(void)
{
	printf("usage: %s\n\n"
	       "Writes a consistent copy of the database to FILE while it is in use: the\n"
	       "server may go on serving and writing, and the copy holds every transaction\n"
	       "committed before it began and nothing of any that was still running.\n"
	       "The copy is checked (SQLite's quick_check and the whole audit chain) before\n"
	       "it is given its name, so FILE is either a whole, verified backup or absent.\n\n"
	       "  --db PATH    the database to copy\n"
	       "  --out FILE   where to write the copy (refused if it exists)\n"
	       "  --force      replace FILE if it exists\n\n"
	       "Put it back with `fairhearing restore --from FILE --db PATH`.\n"
	       "docs/operations.md describes a backup routine.\n", backup_usage);
}

static void restore_help(void)
{
	printf("usage: %s\n\n"
	       "Puts a backup made by `fairhearing backup` in place at PATH. The backup is\n"
	       "refused unless it is a Fairhearing database, no newer than this program,\n"
	       "whose audit chain verifies (after any upgrade this program applies); a\n"
	       "refusal leaves PATH untouched.\n\n"
	       "  --from FILE  the backup\n"
	       "  --db PATH    where to restore it (refused if a database is there)\n"
	       "  --force      replace the contents of the database at PATH; stop any\n"
	       "               server using it first (its caches would outlive the change)\n",
	       restore_usage);
}

/* The options both commands share; returns -1 when they parsed, else the exit code. */
static int parse(int argc, char **argv, const char *usage, const char *name,
		 const struct option *opts, const char **db, const char **file, bool *force)
{
	int c;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case 'd':
			*db = optarg;
			break;
		case 'f':
			*file = optarg;
			break;
		case 'F':
			*force = true;
			break;
		case ':':
			return cli_usage_error(usage, "%s: %s needs a value", name, argv[optind - 1]);
		default:
			return cli_usage_error(usage, "%s: unknown option '%s'", name, argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "%s: unexpected argument '%s'", name, argv[optind]);
	return -1;
}

int cmd_backup(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		backup_help();
		return CLI_OK;
	}
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"out", required_argument, NULL, 'f'},
					     {"force", no_argument, NULL, 'F'},
					     {"help", no_argument, NULL, 'h'}, {0}};
	const char *db = NULL, *out = NULL;
	bool force = false;
	int rc = parse(argc, argv, backup_usage, "backup", opts, &db, &out, &force);
	if (rc >= 0)
		return rc;
	if (!db)
		return cli_usage_error(backup_usage, "backup: --db PATH is required");
	if (!out)
		return cli_usage_error(backup_usage, "backup: --out FILE is required");
	fh_error err = {0};
	store_backup_report report;
	if (store_backup(db, out, force, &report, &err))
		return cli_report(&err);
	printf("backed up %s to %s: %lld cases, %lld events verified, %lld bytes\n", db, out,
	       (long long)report.cases, (long long)report.events, (long long)report.bytes);
	return CLI_OK;
}

int cmd_restore(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		restore_help();
		return CLI_OK;
	}
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"from", required_argument, NULL, 'f'},
					     {"force", no_argument, NULL, 'F'},
					     {"help", no_argument, NULL, 'h'}, {0}};
	const char *db = NULL, *from = NULL;
	bool force = false;
	int rc = parse(argc, argv, restore_usage, "restore", opts, &db, &from, &force);
	if (rc >= 0)
		return rc;
	if (!from)
		return cli_usage_error(restore_usage, "restore: --from FILE is required");
	if (!db)
		return cli_usage_error(restore_usage, "restore: --db PATH is required");
	fh_error err = {0};
	store_backup_report report;
	if (store_restore(from, db, force, &report, &err))
		return cli_report(&err);
	printf("restored %s to %s: %lld cases, %lld events verified\n", from, db,
	       (long long)report.cases, (long long)report.events);
	return CLI_OK;
}
