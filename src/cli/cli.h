/*
 * cli: the fairhearing command and its subcommands.
 *
 * Each subcommand is a function `int cmd_NAME(int argc, char **argv)` with
 * argv[0] the subcommand's name, listed in the table in main.c.  It returns
 * the process's exit code: 0 done, 1 it ran and failed (the database is
 * unreachable, an audit found tampering), 2 the command line or its input was
 * wrong (a one-line reason on stderr, then the usage line).
 *
 * Options come before positional arguments and `--` ends them, so a negative
 * number can follow `--` (cli_getopt stops at the first non-option).
 */
#ifndef FH_CLI_H
#define FH_CLI_H

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "csv.h"
#include "date.h"
#include "error.h"

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

int cmd_init(int argc, char **argv);
int cmd_case(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_procedures(int argc, char **argv);
int cmd_org(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_user_import(int argc, char **argv); /* `user import`: cmd_user_import.c */
int cmd_token(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_remind(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_letter(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_retention(int argc, char **argv);
int cmd_subject_access(int argc, char **argv);
int cmd_mail(int argc, char **argv); /* exit status per sysexits.h: cmd_mail.c */

/*
 * Prints "fairhearing: CMD: reason" and "usage: ..." to stderr; returns CLI_USAGE.
 */
/* The longest secret a secret file or variable may hold. */
enum { CLI_SECRET_MAX = 1024 };
int cli_read_secret_file(const char *usage, const char *what, const char *path, char **secret);

int cli_usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Prints an fh_error as one line ("fairhearing: field: message (source)")
 * and returns the exit code it deserves: 2 for bad input or a refused rule,
 * 1 for a failure of the store or the audit chain.
 */
int cli_report(const fh_error *err);

/*
 * getopt_long that stops at the first positional argument and at `--`, and
 * treats `-h`/`--help` alike for every command.  Resets getopt's state, so
 * each command can call it afresh.
 */
int cli_getopt(int argc, char **argv, const struct option *longopts);

/*
 * The usage error for what cli_getopt returned instead of a known option:
 * "COMMAND: --x needs a value" for ':', "COMMAND: unknown option '--x'" for
 * the rest; returns CLI_USAGE.
 */
int cli_option_error(const char *usage, const char *command, int c, char **argv);

/* True when argv holds -h or --help before any `--`. */
bool cli_wants_help(int argc, char **argv);

/*
 * Today's date in the machine's local time, or FAIRHEARING_TODAY when it is
 * set (YYYY-MM-DD), so that tests and demonstrations can pin "today".
 * False when FAIRHEARING_TODAY is not a date.
 */
bool cli_today(fh_date *today);

/*
 * The whole of a file ("-": standard input) as a NUL-terminated string the
 * caller frees; NULL when it cannot be read or passes 16 MiB.
 */
char *cli_read_file(const char *path);

/*
 * The command line every all-or-nothing CSV import takes (import, user
 * import): --db PATH --org ORG [--actor WHO] FILE.csv, then the file read
 * and parsed into args->table in arena, with at least one row under the
 * header.  CLI_OK, or the exit status after saying why (name is the
 * command, as messages give it: "import", "user import").
 */
struct fh_arena;
typedef struct cli_csv_args {
	const char *db, *org, *actor, *file;
	csv_table table;
} cli_csv_args;
int cli_csv_import_args(int argc, char **argv, const char *name, const char *usage,
			cli_csv_args *args, struct fh_arena *arena);

/*
 * Says on stderr why a CSV import refuses row `row` ("row N: COLUMN:
 * reason", the reason from fmt and ap) and counts it in *rejected.
 */
void cli_csv_vreject(size_t *rejected, size_t row, const char *column, const char *fmt,
		     va_list ap) __attribute__((format(printf, 4, 0)));

/*
 * Field col of a CSV record copied into arena without the blanks around it
 * (spaces and tabs before; spaces, tabs and line ends after); "" when col
 * is -1 (the header lacks the column) or past the record's end.
 */
const char *cli_csv_field(const csv_record *rec, int col, struct fh_arena *arena);

/* A column a CSV import knows: its name in the header, and whether it must be there. */
typedef struct cli_csv_column {
	const char *name;
	bool required;
} cli_csv_column;

/*
 * Maps a CSV header to the n columns: col[c] is the field index of
 * columns[c], -1 when the header lacks it.  A header name matches after
 * lower-casing and turning spaces into underscores.  Each problem (a name
 * not one of known: the column's number first when numbered; a column
 * named twice; a required one missing) is said on stderr as "fairhearing:
 * NAME: FILE: row 1: ...".  False when there was one.
 */
struct csv_record;
bool cli_csv_header(const struct csv_record *header, const cli_csv_column *columns, size_t n,
		    int *col, const char *name, const char *file, const char *known, bool numbered);

/* Who a change from the command line is recorded as: --actor, else "cli:$USER". */
const char *cli_actor(const char *given);

#endif
