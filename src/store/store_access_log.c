/*
 * store_access_log.c: the log of reads of personal data.
 */
#include "store_access_log.h"

#include "store_internal.h"

fh_status store_access_append(fh_store *st, const store_access_entry *entries, size_t n,
			      fh_error *err)
{
	bool opened = st->depth == 0;
	fh_status s = opened ? store_begin_append(st, err) : FH_OK;
	if (s)
		return s;
	db_stmt *stmt;
	s = store_prepare(st, "INSERT INTO access_log (at, user_id, actor, case_id, what, detail,"
			      " client_ip) VALUES (?, ?, ?, ?, ?, ?, ?)", &stmt, err);
	for (size_t i = 0; !s && i < n; i++) {
		const store_access_entry *e = &entries[i];
		db_reset(stmt);
		db_bind_text(stmt, 1, e->at, -1);
		if (e->user_id)
			db_bind_int64(stmt, 2, e->user_id);
		else
			db_bind_null(stmt, 2);
		db_bind_text(stmt, 3, e->actor, -1);
		if (e->case_id)
			db_bind_int64(stmt, 4, e->case_id);
		else
			db_bind_null(stmt, 4);
		db_bind_text(stmt, 5, e->what, -1);
		db_bind_text(stmt, 6, e->detail, -1);
		db_bind_text(stmt, 7, e->client_ip, -1);
		if (db_step(stmt) != DB_DONE)
			s = store_fail(st, "logging a read", err);
	}
	db_finalize(stmt);
	return store_tx_end(st, opened, s, err);
}
