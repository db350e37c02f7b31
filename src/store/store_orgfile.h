/*
 * store_orgfile: bringing the database up to an organisation's file
 * (src/core/orgfile.h, docs/organisations.md), and giving the file back.
 *
 * store_org_apply creates the organisation or changes it to match the file
 * in one transaction, with one 'organisation_applied' audit event listing
 * every change.  It refuses what would break open work, with the reason: a
 * team removed while cases or staff still name it, a procedure choice
 * changed or removed after cases were received under it, a reference
 * prefix changed once references have been issued.  Applying the same file
 * twice changes nothing the second time.  With dry_run the same changes are
 * made and listed inside the transaction, which is then rolled back, so
 * the list printed is exactly what applying would do.
 */
#ifndef FH_STORE_ORGFILE_H
#define FH_STORE_ORGFILE_H

#include <jansson.h>

#include "orgfile.h"
#include "store.h"

typedef struct store_org_apply_opts {
	const char *procedures_dir; /* where based_on names a shipped procedure */
	const char *file_dir;       /* where a based_on path ending in .json is read from */
	bool dry_run;
	const char *actor;
	const char *admin_email;    /* NULL: none; else the first administrator */
	const char *admin_name;     /* their display name (NULL: the email) */
	bool installed_only;        /* do not read based_on files: the procedures named must
				     * be installed already (the admin pages, which cannot
				     * see the administrator's files) */
} store_org_apply_opts;

/*
 * Applies f.  *changes (caller owns; may be NULL) is the list of changes in
 * words, empty when the database already matched.  *admin_created tells
 * whether admin_email was a new user (who then has no password yet).
 */
fh_status store_org_apply(fh_store *st, const fh_orgfile *f, const store_org_apply_opts *o,
			  json_t **changes, bool *admin_created, fh_error *err);

/*
 * The organisation as a file document (caller owns): what store_org_apply
 * takes back without a change.
 */
fh_status store_org_export(fh_store *st, const char *code, json_t **doc, fh_error *err);

/*
 * The organisation's settings (caller owns): what orgfile_settings kept of
 * its file, for the rules that read its policy (orgfile_behaviour_policy).
 */
fh_status store_org_settings(fh_store *st, const char *code, json_t **settings, fh_error *err);

#endif
