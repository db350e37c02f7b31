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

#include <stddef.h>

#include <jansson.h>

#include "procedure.h" /* proc_problems */

/* Adds a problem at path; past the list's room it is only counted. */
void datafile_problem(proc_problems *problems, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* path.key into out ("key" alone at the top). */
void datafile_join(char *out, size_t size, const char *path, const char *key);

/* A problem for every key of obj that is not one of allowed. */
void datafile_only_keys(proc_problems *problems, const json_t *obj, const char *path,
			const char *const *allowed);

#endif
