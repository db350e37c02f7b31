/*
 * error: one error type for the whole program.
 *
 * A function that can refuse returns an fh_status and, when it is given an
 * fh_error, fills in words a person can act on: the field that was wrong, the
 * rule that forbids it (as "seed §section", for example "001 §9.1") and a
 * message.  The CLI, the API and the web pages all explain a refusal from the
 * same struct, so a rule is worded once.
 *
 * Library code never prints and never exits; the caller decides what to do.
 */
#ifndef FH_ERROR_H
#define FH_ERROR_H

#include <stdarg.h>
#include <stddef.h>

typedef enum fh_status {
	FH_OK = 0,
	FH_EINVAL,     /* bad input: a field is missing, malformed or out of range */
	FH_ENOTFOUND,  /* the thing named does not exist */
	FH_ECONFLICT,  /* it exists already, or the state does not allow it now */
	FH_ERULE,      /* the procedure or policy forbids it */
	FH_EFORBIDDEN, /* this person may not do it */
	FH_ESCHEMA,    /* the database is not ours, or is newer than this program */
	FH_ESTORE,     /* the database failed (I/O, corruption, busy) */
	FH_ENOMEM,
	FH_EINTEGRITY, /* the audit hash chain does not verify */
	FH_EBUSY       /* another writer held the database too long: try again */
} fh_status;

typedef struct fh_error {
	fh_status status;
	char field[64];    /* "" when the error is not about one field */
	char source[160];  /* "" or the rule's source, e.g. "001 §9.1", with its words */
	char message[512];
} fh_error;

/* The status's name, e.g. "invalid" for FH_EINVAL; never NULL. */
const char *error_status_name(fh_status status);

/*
 * Records an error and returns its status, so that a caller can write
 * `return error_set(err, FH_EINVAL, "received_on", NULL, "...")`.
 * err may be NULL (the caller does not want the words); field and source may
 * be NULL.
 */
fh_status error_set(fh_error *err, fh_status status, const char *field,
		    const char *source, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Clears err to FH_OK with empty strings. */
void error_clear(fh_error *err);

/*
 * Appends "; what" (just "what" to an empty list) to buf, a list of the
 * things a refusal names as missing; a list that is full stays as it is,
 * so the message keeps its first items rather than half of one.
 */
void error_list_add(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
