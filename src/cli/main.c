/*
 * fairhearing: one binary, a command table, a subcommand per module.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"init", cmd_init, "create or upgrade a database (--demo: with sample organisations and cases)"},
	{"case", cmd_case, "record, list, show and act on cases"},
	{"org", cmd_org, "set up an organisation from its file: check, apply (--dry-run, --admin), list, show, export"},
	{"procedures", cmd_procedures, "check, install, list and show procedure files"},
	{"calendar", cmd_calendar, "working days, bank holidays, closure days and deadlines"},
	{"serve", cmd_serve, "serve the web pages and the JSON API over HTTP (--db PATH --listen HOST:PORT)"},
	{"user", cmd_user, "staff accounts: add, list, grant, disable, enable, reset-password"},
	{"sso", cmd_sso, "staff single sign-on through an organisation's OpenID Connect provider: set, show, remove"},
	{"token", cmd_token, "create, list and revoke API tokens (scoped, expiring)"},
	{"report", cmd_report, "the monitoring report: HTML with charts, CSV, XLSX or PDF; --anonymised to publish"},
	{"letter", cmd_letter, "letters to the customer: issue, list, show (HTML or PDF), kinds"},
	{"export", cmd_export, "a case's file as a PDF bundle, an officer's deadlines as iCalendar"},
	{"audit", cmd_audit, "prove the audit trail has not been altered"},
	{"backup", cmd_backup, "a verified copy of a live database (--db PATH --out FILE)"},
	{"restore", cmd_restore, "put a backup in place (--from FILE --db PATH), verifying it"},
	{"remind", cmd_remind, "email officers and managers their daily digest of deadlines (for cron)"},
	{"import", cmd_import, "historical cases from a CSV spreadsheet, all or nothing"},
	{"retention", cmd_retention, "anonymise closed cases due under the retention rule (--dry-run|--apply)"},
	{"subject-access", cmd_subject_access, "everything held about one person, as JSON (--org ORG --person ID)"},
	{"mail", cmd_mail, "mail receive / mail fetch: email (from an MTA, or an IMAP mailbox by cron) becomes a contact or a reply; mail send: the outbox (for cron)"},
	{"help", cmd_help, "show this help, or a command's (fairhearing help COMMAND)"},
	{"version", cmd_version, "print the version"},
};
enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

static const char usage[] = "fairhearing [--help] [--version] COMMAND [OPTIONS] [ARGS]";

static void print_help(FILE *out)
{
	fprintf(out,
		"Fairhearing %s: complaints, comments and compliments for children's services.\n\n"
		"usage: %s\n\ncommands:\n", FH_VERSION, usage);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
	fputs("\nEvery --db takes an SQLite file (PATH) or a PostgreSQL database\n"
	      "(postgresql://USER@HOST:PORT/NAME); docs/deployment.md says when to use which.\n"
	      "`fairhearing COMMAND --help` describes a command.\n"
	      "Exit status: 0 done, 1 failed while running, 2 bad command line or input\n"
	      "(mail receive answers a mail server: sysexits.h, see its --help).\n",
	      out);
}

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("fairhearing %s\n", FH_VERSION);
	return CLI_OK;
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		print_help(stdout);
		return CLI_OK;
	}
	const struct command *c = find(argv[1]);
	if (!c || c->run == cmd_help)
		return cli_usage_error(usage, "no command '%s'", argv[1]);
	char *help_argv[] = {argv[1], "--help", NULL};
	return c->run(2, help_argv);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(usage, "a command is needed (try fairhearing --help)");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_help(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(0, NULL);
	if (argv[1][0] == '-')
		return cli_usage_error(usage, "unknown option '%s'", argv[1]);
	const struct command *c = find(argv[1]);
	if (!c)
		return cli_usage_error(usage, "no command '%s' (try fairhearing --help)", argv[1]);
	return c->run(argc - 1, argv + 1);
}
