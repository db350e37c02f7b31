/*
 * store_lifecycle: installed procedures, and running a case's actions.
 *
 * store_case_act is the one entry point the CLI and the API share for every
 * lifecycle action: it loads the case, its procedure version and its
 * organisation's calendar, lets src/core/lifecycle.c decide, and writes the
 * new state, its projections and the audit event in one transaction.
 */
#ifndef FH_STORE_LIFECYCLE_H
#define FH_STORE_LIFECYCLE_H

#include <jansson.h>

#include "procedure.h"
#include "store.h"

/*
 * Installs a procedure document for its organisation.  A document whose
 * content equals the installed version is left alone (*installed_version
 * gets that version); a changed one must carry a higher version (else
 * FH_ECONFLICT on "version"), and a code already used by another
 * organisation is refused (FH_ECONFLICT on "code").
 */
fh_status store_procedure_install(fh_store *st, const char *text, const char *actor,
				  int *installed_version, bool *changed, proc_problems *problems,
				  fh_error *err);

/*
 * Installs every *.json file of dir for the organisations the database
 * has (others are skipped), all in one transaction; *installed counts the
 * new versions.
 */
fh_status store_procedure_install_dir(fh_store *st, const char *dir, const char *actor,
				      int *installed, fh_error *err);

/* A procedure by code (version 0: the newest); free with procedure_free. */
fh_status store_procedure_get(fh_store *st, const char *code, int version, fh_procedure **out,
			      fh_error *err);

typedef struct store_procedure_row {
	const char *code, *org, *route, *name, *installed_at;
	int version;
	const char *installed_by; /* store_procedure_versions only */
} store_procedure_row;

/* Every installed version of one procedure, newest first; FH_ENOTFOUND for none. */
fh_status store_procedure_versions(fh_store *st, const char *code, fh_arena *arena,
				   store_procedure_row **rows, size_t *count, fh_error *err);

/* The newest version of every installed procedure. */
fh_status store_procedure_list(fh_store *st, fh_arena *arena, store_procedure_row **rows,
			       size_t *count, fh_error *err);

/*
 * The codes of the procedures an organisation's file says are in force on
 * the day `on` (ISO date), one per route: for each route the one whose from
 * date is the latest not after it (organisation_procedures,
 * docs/organisations.md).  *dated is false, with no codes, for an
 * organisation whose file names no dates (it uses its newest procedure per
 * route).  The codes live in arena.
 */
fh_status store_org_procedures_on(fh_store *st, const char *org_code, const char *on,
				  fh_arena *arena, const char ***codes, size_t *n, bool *dated,
				  fh_error *err);

/*
 * Applies one lifecycle action to the case.  params is a JSON object (NULL
 * for none).  On success *result (caller owns) is
 * {"reference", "action", "state", "deadlines", "result"}.
 */
fh_status store_case_act(fh_store *st, const char *reference, const char *action,
			 const json_t *params, const fh_actor *actor, fh_date today,
			 json_t **result, fh_error *err);

/*
 * The case's handling as JSON: {"state", "deadlines", "allowed"}; with
 * public_only, without what the customer never sees.  Caller owns it.
 */
fh_status store_case_lifecycle(fh_store *st, const char *reference, const fh_actor *actor,
			       fh_date today, bool public_only, json_t **out, fh_error *err);

#endif
