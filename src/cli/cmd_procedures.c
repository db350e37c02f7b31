/*
 * fairhearing procedures check | install | list | show: the procedure files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "procedure.h"
#include "store_lifecycle.h"

static const char usage[] =
	"fairhearing procedures check FILE... | install --db PATH FILE... | list --db PATH | "
	"show --db PATH [--version N] CODE";

static void help(void)
{
	printf("usage: fairhearing procedures check FILE...\n"
	       "       fairhearing procedures install --db PATH [--actor NAME] FILE...\n"
	       "       fairhearing procedures list --db PATH\n"
	       "       fairhearing procedures show --db PATH [--version N] CODE\n\n"
	       "A procedure is a JSON file (format: docs/procedures.md) naming the stages,\n"
	       "clocks, extension limits, escalation windows and final resort of one\n"
	       "organisation's complaints procedure.\n\n"
	       "  check    validate files and print every problem with its path; exit 2\n"
	       "           when any file has one\n"
	       "  install  add a file to the database as a new version (a case keeps the\n"
	       "           version it started under); unchanged content is left alone\n"
	       "  list     the newest version of each installed procedure\n"
	       "  show     one procedure: its stages and clocks in words, then its JSON\n");
}

static int check(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(usage, "procedures check: name at least one file");
	int rc = CLI_OK;
	for (int i = 1; i < argc; i++) {
		char *text = cli_read_file(argv[i]);
		if (!text) {
			fprintf(stderr, "%s: cannot read the file\n", argv[i]);
			rc = CLI_USAGE;
			continue;
		}
		fh_procedure *proc;
		proc_problems problems;
		fh_error err = {0};
		if (procedure_parse(text, &proc, &problems, &err) == FH_OK) {
			printf("%s: ok: %s version %d (%s, %zu stage%s)\n", argv[i], proc->code,
			       proc->version, proc->org, proc->n_stages, proc->n_stages == 1 ? "" : "s");
			procedure_free(proc);
		} else {
			size_t shown = problems.count < 48 ? problems.count : 48;
			for (size_t k = 0; k < shown; k++)
				fprintf(stderr, "%s: %s: %s\n", argv[i], problems.items[k].path,
					problems.items[k].message);
			if (problems.count > shown)
				fprintf(stderr, "%s: ... and %zu more\n", argv[i], problems.count - shown);
			rc = CLI_USAGE;
		}
		free(text);
	}
	return rc;
}

static int with_store(int argc, char **argv, int (*run)(fh_store *, int, char **, const char *, int),
		      bool wants_files)
{
	enum { O_DB = 256, O_ACTOR, O_VERSION };
	static const struct option opts[] = {{"db", required_argument, NULL, O_DB},
					     {"actor", required_argument, NULL, O_ACTOR},
					     {"version", required_argument, NULL, O_VERSION},
					     {"help", no_argument, NULL, 'h'}, {0}};
	const char *db = NULL, *actor = NULL;
	int version = 0, c;
	optind = 0;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		char *end;
		switch (c) {
		case O_DB: db = optarg; break;
		case O_ACTOR: actor = optarg; break;
		case O_VERSION:
			version = (int)strtol(optarg, &end, 10);
			if (*end || version < 1)
				return cli_usage_error(usage, "procedures: --version: '%s' is not a "
						       "version number", optarg);
			break;
		case ':':
			return cli_usage_error(usage, "procedures: %s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error(usage, "procedures: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!db)
		return cli_usage_error(usage, "procedures %s: --db PATH is required", argv[0]);
	if (wants_files && optind >= argc)
		return cli_usage_error(usage, "procedures %s: name what to act on", argv[0]);
	if (!wants_files && optind < argc)
		return cli_usage_error(usage, "procedures %s: unexpected argument '%s'", argv[0], argv[optind]);
	fh_error err = {0};
	fh_store *st;
	if (store_open(db, 0, &st, &err))
		return cli_report(&err);
	int rc = run(st, argc - optind, argv + optind, cli_actor(actor), version);
	store_close(st);
	return rc;
}

static int install_files(fh_store *st, int argc, char **argv, const char *actor, int version)
{
	(void)version;
	int rc = CLI_OK;
	for (int i = 0; i < argc; i++) {
		char *text = cli_read_file(argv[i]);
		if (!text) {
			fprintf(stderr, "fairhearing: %s: cannot read the file\n", argv[i]);
			rc = CLI_USAGE;
			continue;
		}
		proc_problems problems;
		fh_error err = {0};
		int installed;
		bool changed;
		if (store_procedure_install(st, text, actor, &installed, &changed, &problems, &err)) {
			for (size_t k = 0; k < problems.count && k < 48; k++)
				fprintf(stderr, "%s: %s: %s\n", argv[i], problems.items[k].path,
					problems.items[k].message);
			if (!problems.count) {
				fprintf(stderr, "%s: ", argv[i]);
				cli_report(&err);
			}
			rc = CLI_USAGE;
		} else {
			printf("%s: %s version %d\n", argv[i], changed ? "installed" : "unchanged at", installed);
		}
		free(text);
	}
	return rc;
}

static int list(fh_store *st, int argc, char **argv, const char *actor, int version)
{
	(void)argc, (void)argv, (void)actor, (void)version;
	fh_arena arena = ARENA_INIT;
	store_procedure_row *rows;
	size_t n;
	fh_error err = {0};
	if (store_procedure_list(st, &arena, &rows, &n, &err)) {
		arena_free(&arena);
		return cli_report(&err);
	}
	for (size_t i = 0; i < n; i++)
		printf("%-20s v%-3d %-8s %-14s %s\n", rows[i].code, rows[i].version, rows[i].org,
		       rows[i].route, rows[i].name);
	if (!n)
		fprintf(stderr, "no procedures installed: the database has no organisation that "
			"uses one yet (fairhearing org apply --db PATH FILE sets one up with its "
			"procedures; docs/organisations.md)\n");
	arena_free(&arena);
	return CLI_OK;
}

static void print_clock(const char *label, const proc_clock *c)
{
	if (!c->present)
		return;
	printf("    %-12s %d %s from %s", label, c->span.length, timescale_unit_name(c->span.unit), c->from);
	if (c->extend_to > 0)
		printf(", extendable to %d%s", c->extend_to, c->extension_notice ? " with a written notice" : "");
	else if (c->extend_to < 0)
		printf(", a new date may be set with a %s", c->notice_name);
	printf("  [%s]\n", c->source);
}

static int show(fh_store *st, int argc, char **argv, const char *actor, int version)
{
	(void)actor;
	if (argc != 1)
		return cli_usage_error(usage, "procedures show: give one procedure code");
	fh_procedure *p;
	fh_error err = {0};
	if (store_procedure_get(st, argv[0], version, &p, &err))
		return cli_report(&err);
	printf("%s version %d: %s (%s, %s)\n", p->code, p->version, p->name, p->org, p->route);
	printf("  source: %s\n", p->source);
	print_clock("acknowledge", &p->acknowledge);
	for (size_t i = 0; i < p->n_stages; i++) {
		const proc_stage *s = &p->stages[i];
		printf("  Stage %d: %s (response by %s)\n", s->number, s->name, s->responder);
		if (s->request.present)
			printf("    %-12s %s%d %s after the stage %d response at the latest%s  [%s]\n", "request",
			       s->request.ideal.length ? "ideally within the window; " : "",
			       s->request.latest.length, timescale_unit_name(s->request.latest.unit),
			       s->request.anchor_stage, s->request.discretionary ? " (later at discretion)" : "",
			       s->request.source);
		print_clock("acknowledge", &s->acknowledge);
		if (s->panel.present) {
			printf("    %-12s %d members%s\n", "panel", s->panel.members, s->panel.chair ? ", one chairs" : "");
			print_clock("panel by", &s->panel.within);
			print_clock("chair report", &s->panel.chair_report);
		}
		print_clock("response", &s->response);
	}
	printf("  finally: %s (%s)\n", p->final_name, p->final_contact);
	if (p->notes)
		printf("  notes: %s\n", p->notes);
	json_dumpf(p->doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	procedure_free(p);
	return CLI_OK;
}

int cmd_procedures(int argc, char **argv)
{
	if (argc < 2 || cli_wants_help(2, argv)) {
		if (argc >= 2) {
			help();
			return CLI_OK;
		}
		return cli_usage_error(usage, "procedures: expected check, install, list or show");
	}
	if (cli_wants_help(argc - 1, argv + 1)) {
		help();
		return CLI_OK;
	}
	if (!strcmp(argv[1], "check"))
		return check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "install"))
		return with_store(argc - 1, argv + 1, install_files, true);
	if (!strcmp(argv[1], "list"))
		return with_store(argc - 1, argv + 1, list, false);
	if (!strcmp(argv[1], "show"))
		return with_store(argc - 1, argv + 1, show, true);
	return cli_usage_error(usage, "procedures: no subcommand '%s'", argv[1]);
}
