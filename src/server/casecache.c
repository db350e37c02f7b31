/*
 * casecache.c: a small per-thread cache, least recently used out.
 *
 * Thread-local, so no lock: each worker thread has its own entries and its
 * own database connection, and a case rendered by one worker is rendered
 * again by another.  32 entries of a few kilobytes keep a worker's memory
 * small (the server must stay under 64 MB resident).
 */
#include "casecache.h"

#include <stdlib.h>
#include <string.h>

enum { CASECACHE_ENTRIES = 32 };

typedef struct entry {
	int64_t case_id, head;
	uint64_t used; /* the tick of the last use, for eviction */
	char *json;
} entry;

static _Thread_local struct {
	entry e[CASECACHE_ENTRIES];
	uint64_t tick;
} cache;

char *casecache_get(int64_t case_id, int64_t head)
{
	for (int i = 0; i < CASECACHE_ENTRIES; i++) {
		entry *e = &cache.e[i];
		if (e->json && e->case_id == case_id) {
			if (e->head != head)
				return NULL; /* stale: the caller renders and replaces it */
			e->used = ++cache.tick;
			return strdup(e->json);
		}
	}
	return NULL;
}

void casecache_put(int64_t case_id, int64_t head, const char *json)
{
	entry *slot = &cache.e[0];
	for (int i = 0; i < CASECACHE_ENTRIES; i++) {
		entry *e = &cache.e[i];
		if (e->json && e->case_id == case_id) {
			slot = e;
			break;
		}
		if (!e->json || e->used < slot->used)
			slot = e;
		if (!slot->json)
			break;
	}
	char *copy = strdup(json);
	if (!copy)
		return;
	free(slot->json);
	*slot = (entry){case_id, head, ++cache.tick, copy};
}

void casecache_release(void)
{
	for (int i = 0; i < CASECACHE_ENTRIES; i++) {
		free(cache.e[i].json);
		cache.e[i].json = NULL;
	}
}
