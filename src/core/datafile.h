/*
 * datafile: what every JSON data file an administrator writes has in common
 * (a procedure, an organisation): each problem found is kept with its path
 * ("stages[1].response.extend_to"), and reading goes on, so the whole file
 * can be put right in one pass.  procedure.c and orgfile.c read their own
 * fields; the problem list, the paths and the check for unknown fields are
 * here, once.
 */
#ifndef FH_DATAFILE_H
#define FH_DATAFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "error.h"
#include "procedure.h" /* proc_problems */

/* One data file being read: the problems found so far, which every field
 * reader of procedure.c and orgfile.c adds to. */
typedef struct datafile_parser {
	proc_problems *problems;
} datafile_parser;

/* Adds a problem at path; past the list's room it is only counted. */
void datafile_problem(proc_problems *problems, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* path.key into out ("key" alone at the top). */
void datafile_join(char *out, size_t size, const char *path, const char *key);

/* A problem for every key of obj that is not one of allowed. */
void datafile_only_keys(proc_problems *problems, const json_t *obj, const char *path,
			const char *const *allowed);

/*
 * The start of reading a document, which the reader takes over: a new
 * zeroed struct of size bytes for it (the caller keeps doc in it and frees
 * both), or NULL with *status set: FH_EINVAL when doc is not a JSON object
 * (a problem at path, the error naming field_name, both saying message; doc is
 * released), FH_ENOMEM (doc released).
 */
void *datafile_begin(json_t *doc, size_t size, proc_problems *problems, const char *path,
		     const char *field_name, const char *message, fh_status *status, fh_error *err);

/*
 * The string at obj.key.  Absent (or null): a problem when required, and
 * NULL, or "" when blank_ok.  Not a string, or empty where blank_ok is
 * false: a problem, and the same NULL or "".
 */
const char *datafile_string(proc_problems *problems, const json_t *obj, const char *path,
			    const char *key, bool required, bool blank_ok);

/*
 * The whole number at obj.key, from min to max: fallback when it is absent
 * (a problem too when required), or when it is out of range or not a whole
 * number (a problem).
 */
int datafile_int(proc_problems *problems, const json_t *obj, const char *path, const char *key,
		 int min, int max, bool required, int fallback);

/*
 * A reader's short names for the above, on its parser p: procedure.c and
 * orgfile.c define DATAFILE_READER before including this header.
 */
#ifdef DATAFILE_READER
typedef datafile_parser parser;
#define problem(p, ...) datafile_problem((p)->problems, __VA_ARGS__)
#define join datafile_join
#define only_keys(p, obj, path, allowed) datafile_only_keys((p)->problems, obj, path, allowed)
#endif

#endif
