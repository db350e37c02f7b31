/*
 * store_backup: a consistent copy of a live database, and putting one back.
 *
 * A backup is SQLite's online backup API run in one step inside one read
 * transaction: in WAL mode a reader sees the database as it was when the
 * read began while the server goes on committing, so the copy is a snapshot
 * of committed transactions only, never half of one.  The copy is written to
 * a temporary file beside its destination, checked (SQLite's quick_check and
 * the whole audit chain), made durable and only then given its name, so a
 * FILE that exists is always a whole, verified backup.
 *
 * A restore checks what it is given before touching anything: it must be a
 * Fairhearing database (its application id), no newer than this program,
 * and its audit chain must verify once any migrations this program knows
 * have been applied to a scratch copy.  Only then does the copy take its
 * place: renamed into a path that has no database, or, with force, copied
 * page by page into the existing database through SQLite, under its write
 * lock, so another connection never reads a torn file.  (A server's caches
 * are not told: stop it before restoring over its database.)
 */
#ifndef FH_STORE_BACKUP_H
#define FH_STORE_BACKUP_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

typedef struct store_backup_report {
	int64_t events; /* events in the copy's audit chain, all verified */
	int64_t cases;
	int schema_version;
	int64_t bytes; /* the size of the file written */
} store_backup_report;

/*
 * Copies the database at db_path to out_path.  Refuses (FH_ECONFLICT) when
 * out_path exists unless force; FH_ESCHEMA when db_path is not ours;
 * FH_EINTEGRITY when the copy's audit chain does not verify (nothing is left
 * at out_path then).
 */
fh_status store_backup(const char *db_path, const char *out_path, bool force,
		       store_backup_report *report, fh_error *err);

/*
 * Puts the backup at from_path in place at db_path.  Refuses (FH_ECONFLICT)
 * when db_path exists unless force; FH_ESCHEMA when from_path is not a
 * Fairhearing database (or db_path, with force, belongs to another
 * program); FH_EINTEGRITY when its audit chain does not verify.  db_path is
 * untouched by any refusal.
 */
fh_status store_restore(const char *from_path, const char *db_path, bool force,
			store_backup_report *report, fh_error *err);

#endif
