/*
 * store_access_log: the log of reads of personal data (who, when, which
 * case, what).  It is written in batches by one writer (the server's
 * readlog) so that logging a read costs the reader no transaction of its
 * own.
 */
#ifndef FH_STORE_ACCESS_LOG_H
#define FH_STORE_ACCESS_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef struct store_access_entry {
	char at[21];
	int64_t user_id;
	char actor[128];
	int64_t case_id;   /* 0: not one case (a search) */
	char what[16];     /* case, history, search */
	char detail[256];
	char client_ip[48];
} store_access_entry;

/* Appends entries to the access log in one transaction. */
fh_status store_access_append(fh_store *st, const store_access_entry *entries, size_t n,
			      fh_error *err);

#endif
