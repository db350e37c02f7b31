/*
 * fairhearing org check | apply | list | show | export: organisations as
 * files an administrator keeps under version control (docs/organisations.md).
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "config.h"
#include "orgfile.h"
#include "store_orgfile.h"

static const char usage[] =
	"fairhearing org check FILE... | apply --db PATH [--dry-run] [--admin EMAIL] FILE | "
	"list --db PATH | show --db PATH CODE | export --db PATH CODE";

static void help(void)
{
	printf("usage: fairhearing org check FILE...\n"
	       "       fairhearing org apply --db PATH [--dry-run] [--admin EMAIL [--admin-name NAME]]\n"
	       "                             [--procedures DIR] [--actor WHO] FILE\n"
	       "       fairhearing org list --db PATH\n"
	       "       fairhearing org show --db PATH CODE\n"
	       "       fairhearing org export --db PATH CODE\n\n"
	       "An organisation is a JSON file (format and a full example: docs/organisations.md;\n"
	       "starting points: orgs/examples/) naming its code, name, reference prefix,\n"
	       "region, letterhead, services, teams, the procedure it uses for each route\n"
	       "from which date, and its own policy values.\n\n"
	       "  check    validate files and print every problem with its path; exit 2\n"
	       "           when any file has one\n"
	       "  apply    create the organisation or bring it up to the file, in one\n"
	       "           transaction with an 'organisation_applied' audit event; applying\n"
	       "           the same file again changes nothing. A change that would break\n"
	       "           open work (removing a team that cases or staff name, changing the\n"
	       "           procedure cases were received under, a new reference prefix once\n"
	       "           references exist) is refused with the reason, and nothing changes.\n"
	       "    --dry-run        print what would change, change nothing\n"
	       "    --admin EMAIL    also make EMAIL an administrator of the organisation\n"
	       "                     (a new user has no password until\n"
	       "                     'fairhearing user reset-password --db PATH EMAIL')\n"
	       "    --admin-name NAME  a new administrator's display name (default: EMAIL)\n"
	       "    --procedures DIR where 'based_on' finds a shipped procedure (default:\n"
	       "                     $FAIRHEARING_PROCEDURES, else %s);\n"
	       "                     a based_on ending in .json is read next to FILE\n"
	       "  list     the organisations: code, reference prefix, name\n"
	       "  show     one organisation in words\n"
	       "  export   one organisation as a file that apply takes back unchanged\n",
	       FH_PROCEDURES_DIR);
}

static void print_problems(const char *file, const proc_problems *problems, const fh_error *err)
{
	size_t shown = problems->count < 48 ? problems->count : 48;
	for (size_t k = 0; k < shown; k++)
		fprintf(stderr, "%s: %s: %s\n", file, problems->items[k].path,
			problems->items[k].message);
	if (problems->count > shown)
		fprintf(stderr, "%s: ... and %zu more\n", file, problems->count - shown);
	if (!problems->count)
		fprintf(stderr, "%s: %s: %s\n", file, err->field, err->message);
}

/* Reads and checks FILE; CLI_OK with *out set, else the problems are printed. */
static int load_file(const char *file, fh_orgfile **out)
{
	char *text = cli_read_file(file);
	if (!text) {
		fprintf(stderr, "fairhearing: org: %s: cannot read the file\n", file);
		return CLI_USAGE;
	}
	proc_problems problems;
	fh_error err = {0};
	fh_status s = orgfile_parse(text, out, &problems, &err);
	free(text);
	if (s) {
		print_problems(file, &problems, &err);
		return CLI_USAGE;
	}
	return CLI_OK;
}

static int check(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(usage, "org check: name at least one file");
	int rc = CLI_OK;
	for (int i = 1; i < argc; i++) {
		fh_orgfile *f;
		int one = load_file(argv[i], &f);
		if (one) {
			rc = one;
			continue;
		}
		printf("%s: ok: %s (%s), %zu service%s, %zu procedure choice%s\n", argv[i], f->code,
		       f->name, f->n_services, f->n_services == 1 ? "" : "s", f->n_procedures,
		       f->n_procedures == 1 ? "" : "s");
		orgfile_free(f);
	}
	return rc;
}

typedef struct org_opts {
	const char *db, *actor, *admin, *admin_name, *procedures;
	bool dry_run;
	int first; /* argv index of the first positional argument */
} org_opts;

static int parse(int argc, char **argv, org_opts *o, bool for_apply)
{
	enum { O_DB = 256, O_ACTOR, O_DRY, O_ADMIN, O_ADMIN_NAME, O_PROCEDURES };
	static const struct option apply_opts[] = {
		{"db", required_argument, NULL, O_DB}, {"actor", required_argument, NULL, O_ACTOR},
		{"dry-run", no_argument, NULL, O_DRY}, {"admin", required_argument, NULL, O_ADMIN},
		{"admin-name", required_argument, NULL, O_ADMIN_NAME},
		{"procedures", required_argument, NULL, O_PROCEDURES},
		{"help", no_argument, NULL, 'h'}, {0}};
	static const struct option read_opts[] = {{"db", required_argument, NULL, O_DB},
						  {"help", no_argument, NULL, 'h'}, {0}};
	memset(o, 0, sizeof *o);
	o->procedures = getenv("FAIRHEARING_PROCEDURES");
	if (!o->procedures || !*o->procedures)
		o->procedures = FH_PROCEDURES_DIR;
	int c;
	while ((c = cli_getopt(argc, argv, for_apply ? apply_opts : read_opts)) != -1) {
		switch (c) {
		case O_DB: o->db = optarg; break;
		case O_ACTOR: o->actor = optarg; break;
		case O_DRY: o->dry_run = true; break;
		case O_ADMIN: o->admin = optarg; break;
		case O_ADMIN_NAME: o->admin_name = optarg; break;
		case O_PROCEDURES: o->procedures = optarg; break;
		case ':':
			return cli_usage_error(usage, "org %s: %s needs a value", argv[0],
					       argv[optind - 1]);
		default:
			return cli_usage_error(usage, "org %s: unknown option '%s'", argv[0],
					       argv[optind - 1]);
		}
	}
	if (!o->db)
		return cli_usage_error(usage, "org %s: --db PATH is required", argv[0]);
	if (o->admin && !strchr(o->admin, '@'))
		return cli_usage_error(usage, "org apply: --admin: '%s' is not an email address",
				       o->admin);
	if (o->admin_name && !o->admin)
		return cli_usage_error(usage, "org apply: --admin-name goes with --admin EMAIL");
	o->first = optind;
	return CLI_OK;
}

static int apply(int argc, char **argv)
{
	org_opts o;
	int rc = parse(argc, argv, &o, true);
	if (rc)
		return rc;
	if (argc - o.first != 1)
		return cli_usage_error(usage, "org apply: name one organisation file");
	const char *file = argv[o.first];
	fh_orgfile *f;
	if ((rc = load_file(file, &f)))
		return rc;
	char *copy = strdup(file);
	store_org_apply_opts ao = {.procedures_dir = o.procedures, .file_dir = dirname(copy),
				   .dry_run = o.dry_run, .actor = cli_actor(o.actor),
				   .admin_email = o.admin, .admin_name = o.admin_name};
	fh_error err = {0};
	fh_store *st;
	json_t *changes = NULL;
	bool admin_created = false;
	if (store_open(o.db, 0, &st, &err)) {
		rc = cli_report(&err);
	} else {
		if (store_org_apply(st, f, &ao, &changes, &admin_created, &err)) {
			fprintf(stderr, "%s: ", file);
			rc = cli_report(&err);
		}
		store_close(st);
	}
	if (!rc) {
		size_t n = json_array_size(changes);
		if (!n)
			printf("%s: %s is up to date with the file; nothing changed\n", file, f->code);
		else
			printf("%s: %s %zu change%s to %s:\n", file, o.dry_run ? "would make" : "made", n,
			       n == 1 ? "" : "s", f->code);
		for (size_t i = 0; i < n; i++)
			printf("  %s\n", json_string_value(json_array_get(changes, i)));
		if (o.dry_run && n)
			printf("(dry run: nothing was changed)\n");
		if (admin_created && !o.dry_run)
			printf("%s has no password yet: set it with\n"
			       "  fairhearing user reset-password --db %s %s\n"
			       "then sign in at /staff/login\n", o.admin, o.db, o.admin);
	}
	json_decref(changes);
	free(copy);
	orgfile_free(f);
	return rc;
}

static int with_store(int argc, char **argv, int want_args, fh_store **st, org_opts *o)
{
	int rc = parse(argc, argv, o, false);
	if (rc)
		return rc;
	if (argc - o->first != want_args)
		return cli_usage_error(usage, want_args ? "org %s: give one organisation code"
							: "org %s: unexpected argument", argv[0]);
	fh_error err = {0};
	if (store_open(o->db, STORE_READONLY, st, &err))
		return cli_report(&err);
	return CLI_OK;
}

static int list(int argc, char **argv)
{
	org_opts o;
	fh_store *st;
	int rc = with_store(argc, argv, 0, &st, &o);
	if (rc)
		return rc;
	fh_arena arena = ARENA_INIT;
	fh_org *orgs;
	size_t n = 0;
	fh_error err = {0};
	if (store_org_list(st, &arena, &orgs, &n, &err))
		rc = cli_report(&err);
	for (size_t i = 0; !rc && i < n; i++)
		printf("%-12s %-8s %s\n", orgs[i].code, orgs[i].ref_prefix, orgs[i].name);
	if (!rc && !n)
		fprintf(stderr, "no organisations yet: write a file (orgs/examples/ has starting "
				"points) and run fairhearing org apply --db %s FILE\n", o.db);
	arena_free(&arena);
	store_close(st);
	return rc;
}

static int export_or_show(int argc, char **argv, bool show)
{
	org_opts o;
	fh_store *st;
	int rc = with_store(argc, argv, 1, &st, &o);
	if (rc)
		return rc;
	json_t *doc = NULL;
	fh_error err = {0};
	if (store_org_export(st, argv[o.first], &doc, &err)) {
		rc = cli_report(&err);
	} else if (!show) {
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else {
		json_t *lh = json_object_get(doc, "letterhead");
		printf("%s: %s (references %s-YEAR-NUMBER, %s bank holidays)\n",
		       json_string_value(json_object_get(doc, "code")),
		       json_string_value(json_object_get(doc, "name")),
		       json_string_value(json_object_get(doc, "ref_prefix")),
		       json_string_value(json_object_get(doc, "region")));
		printf("  letterhead: %s\n", json_string_value(json_object_get(lh, "address")));
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(doc, "teams"), i, e) {
			printf("  service %s:", json_string_value(json_object_get(e, "service")));
			size_t k;
			json_t *t;
			json_array_foreach(json_object_get(e, "teams"), k, t)
				printf("%s %s", k ? "," : "", json_string_value(t));
			putchar('\n');
		}
		json_array_foreach(json_object_get(doc, "procedures"), i, e)
			printf("  %s route from %s: %s\n", json_string_value(json_object_get(e, "route")),
			       json_string_value(json_object_get(e, "from")),
			       json_string_value(json_object_get(e, "procedure")));
		json_t *policy = json_object_get(doc, "policy");
		const char *key;
		json_t *v;
		json_object_foreach(policy, key, v)
			printf("  policy: %s set\n", key);
		if (!policy)
			printf("  policy: none of its own (docs/organisations.md says what that means)\n");
	}
	json_decref(doc);
	store_close(st);
	return rc;
}

static int show(int argc, char **argv)
{
	return export_or_show(argc, argv, true);
}

static int export(int argc, char **argv)
{
	return export_or_show(argc, argv, false);
}

int cmd_org(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} subs[] = {{"check", check}, {"apply", apply}, {"list", list}, {"show", show},
		    {"export", export}};
	if (argc < 2)
		return cli_usage_error(usage, "org: expected check, apply, list, show or export");
	if (cli_wants_help(argc, argv)) {
		help();
		return CLI_OK;
	}
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(argc - 1, argv + 1);
	return cli_usage_error(usage, "org: no subcommand '%s'", argv[1]);
}
