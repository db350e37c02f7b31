#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "arena.h"
#include "csv.h"

int cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;
	fputs("fairhearing: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n", usage);
	return CLI_USAGE;
}

int cli_option_error(const char *usage, const char *command, int c, char **argv)
{
	if (c == ':')
		return cli_usage_error(usage, "%s: %s needs a value", command, argv[optind - 1]);
	return cli_usage_error(usage, "%s: unknown option '%s'", command, argv[optind - 1]);
}

int cli_report(const fh_error *err)
{
	fputs("fairhearing: ", stderr);
	if (err->field[0])
		fprintf(stderr, "%s: ", err->field);
	fputs(err->message, stderr);
	if (err->source[0])
		fprintf(stderr, " (%s)", err->source);
	fputc('\n', stderr);
	switch (err->status) {
	case FH_OK:
		return CLI_OK;
	case FH_EINVAL:
	case FH_ENOTFOUND:
	case FH_ECONFLICT:
	case FH_ERULE:
	case FH_EFORBIDDEN:
	case FH_ESCHEMA:
		return CLI_USAGE;
	default:
		return CLI_FAILED;
	}
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	}
	return false;
}

int cli_getopt(int argc, char **argv, const struct option *longopts)
{
	/* '+' stops at the first positional argument, so "-10" after a date is
	 * a number, not an option; ':' lets us word a missing value ourselves. */
	opterr = 0;
	return getopt_long(argc, argv, "+:h", longopts, NULL);
}

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

bool cli_today(fh_date *today)
{
	const char *fixed = getenv("FAIRHEARING_TODAY");
	if (fixed && *fixed)
		return date_parse(fixed, today);
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	*today = date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return true;
}

const char *cli_actor(const char *given)
{
	static char actor[96];
	if (given && *given)
		return given;
	const char *user = getenv("USER");
	if (!user || !*user)
		user = getlogin();
	snprintf(actor, sizeof actor, "cli:%s", user && *user ? user : "unknown");
	return actor;
}

char *cli_read_file(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 8192, len = 0, n;
	char *buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *bigger = cap < (16u << 20) ? realloc(buf, cap * 2) : NULL;
			if (!bigger)
				free(buf);
			buf = bigger;
			cap *= 2;
		}
	}
	if (f != stdin)
		fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

int cli_csv_import_args(int argc, char **argv, const char *name, const char *usage,
			cli_csv_args *args, fh_arena *arena)
{
	csv_table *table = &args->table;
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"org", required_argument, NULL, 'o'},
					     {"actor", required_argument, NULL, 'a'},
					     {"help", no_argument, NULL, 'h'}, {0}};
	*args = (cli_csv_args){0};
	int c;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case 'd':
			args->db = optarg;
			break;
		case 'o':
			args->org = optarg;
			break;
		case 'a':
			args->actor = optarg;
			break;
		default:
			return cli_option_error(usage, name, c, argv);
		}
	}
	if (!args->db)
		return cli_usage_error(usage, "%s: --db PATH is required", name);
	if (!args->org)
		return cli_usage_error(usage, "%s: --org ORG is required", name);
	if (optind + 1 != argc)
		return cli_usage_error(usage, "%s: expected one FILE.csv", name);
	args->file = argv[optind];
	char *text = cli_read_file(args->file);
	if (!text) {
		fprintf(stderr, "fairhearing: %s: %s: cannot be read (missing, unreadable or over "
			"16 MiB)\n", name, args->file);
		return CLI_USAGE;
	}
	fh_error err = {0};
	int rc = CLI_OK;
	if (csv_parse(text, strlen(text), arena, table, &err)) {
		fprintf(stderr, "fairhearing: %s: %s: %s; nothing was imported\n", name, args->file,
			err.message);
		rc = CLI_USAGE;
	} else if (table->n_records < 2) {
		fprintf(stderr, "fairhearing: %s: %s: no rows under the header; nothing to "
			"import\n", name, args->file);
		rc = CLI_USAGE;
	}
	free(text);
	return rc;
}

void cli_csv_vreject(size_t *rejected, size_t row, const char *column, const char *fmt,
		     va_list ap)
{
	(*rejected)++;
	fprintf(stderr, "row %zu: %s: ", row, column);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

const char *cli_csv_field(const csv_record *rec, int col, fh_arena *arena)
{
	if (col < 0 || (size_t)col >= rec->n_fields)
		return "";
	const char *v = rec->fields[col];
	while (*v == ' ' || *v == '\t')
		v++;
	size_t n = strlen(v);
	while (n && strchr(" \t\r\n", v[n - 1]))
		n--;
	return arena_strndup(arena, v, n);
}

bool cli_csv_header(const csv_record *header, const cli_csv_column *columns, size_t n, int *col,
		    const char *name, const char *file, const char *known, bool numbered)
{
	bool ok = true;
	for (size_t c = 0; c < n; c++)
		col[c] = -1;
	for (size_t i = 0; i < header->n_fields; i++) {
		char field[64];
		snprintf(field, sizeof field, "%s", header->fields[i]);
		for (char *p = field; *p; p++)
			*p = *p == ' ' ? '_' : (char)tolower((unsigned char)*p);
		size_t c = 0;
		while (c < n && strcmp(columns[c].name, field) != 0)
			c++;
		if (c == n) {
			fprintf(stderr, "fairhearing: %s: %s: row 1: column ", name, file);
			if (numbered)
				fprintf(stderr, "%zu ", i + 1);
			fprintf(stderr, "'%s' is not one of %s\n", header->fields[i], known);
			ok = false;
		} else if (col[c] >= 0) {
			fprintf(stderr, "fairhearing: %s: %s: row 1: column '%s' is named twice\n", name,
				file, columns[c].name);
			ok = false;
		} else {
			col[c] = (int)i;
		}
	}
	for (size_t c = 0; c < n; c++)
		if (columns[c].required && col[c] < 0) {
			fprintf(stderr, "fairhearing: %s: %s: row 1: the required column '%s' is "
				"missing\n", name, file, columns[c].name);
			ok = false;
		}
	return ok;
}

/*
 * The first line of a secret file (a password, a token; without its line
 * end) into *secret, which the caller wipes and frees; the file must be a
 * regular file that neither group nor others can read.  CLI_OK, or the
 * usage error printed, starting with what ("remind: --smtp-password-file").
 */
int cli_read_secret_file(const char *usage, const char *what, const char *path, char **password)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return cli_usage_error(usage, "%s %s: %s", what, path,
				       strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return cli_usage_error(usage, "%s %s is not a file", what, path);
	}
	if (st.st_mode & (S_IRGRP | S_IROTH)) {
		close(fd);
		return cli_usage_error(usage, "%s %s is readable by "
				       "%s (mode %04o): make it the owner's alone (chmod 600 %s)",
				       what, path, (st.st_mode & S_IRGRP) && (st.st_mode & S_IROTH)
					     ? "group and others" : st.st_mode & S_IRGRP ? "its group"
										   : "others",
				       (unsigned)(st.st_mode & 07777), path);
	}
	char buf[CLI_SECRET_MAX + 2];
	size_t len = 0;
	ssize_t got = 0;
	while (len < sizeof buf && !memchr(buf, '\n', len) &&
	       (got = read(fd, buf + len, sizeof buf - len)) > 0)
		len += (size_t)got;
	int saved = errno;
	close(fd);
	int rc = CLI_OK;
	char *nl = memchr(buf, '\n', len);
	size_t n = nl ? (size_t)(nl - buf) : len;
	if (n && buf[n - 1] == '\r')
		n--;
	if (got < 0)
		rc = cli_usage_error(usage, "%s %s: %s", what, path,
				     strerror(saved));
	else if (n > CLI_SECRET_MAX)
		rc = cli_usage_error(usage, "%s %s: its first line is "
				     "longer than %d bytes", what, path, CLI_SECRET_MAX);
	else if (n == 0)
		rc = cli_usage_error(usage, "%s %s: its first line is empty", what, path);
	else if (memchr(buf, '\0', n))
		rc = cli_usage_error(usage, "%s %s: it holds a NUL byte", what, path);
	else if (!(*password = malloc(n + 1)))
		rc = cli_usage_error(usage, "%s: out of memory", what);
	if (rc == CLI_OK) {
		memcpy(*password, buf, n);
		(*password)[n] = '\0';
	}
	sodium_memzero(buf, sizeof buf);
	return rc;
}
