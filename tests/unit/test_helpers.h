/*
 * Shared by the unit tests: temporary databases and a standard case.
 */
#ifndef FH_TEST_HELPERS_H
#define FH_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

/* A fresh path in a new temporary directory; remove with test_rmdb. */
static inline char *test_dbpath(void)
{
	char *dir = strdup("/tmp/fh-test-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	char *path = malloc(strlen(dir) + 16);
	sprintf(path, "%s/test.db", dir);
	free(dir);
	return path;
}

static inline void test_rmdb(char *path)
{
	char buf[512];
	const char *suffixes[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(buf, sizeof buf, "%s%s", path, suffixes[i]);
		unlink(buf);
	}
	char *slash = strrchr(path, '/');
	*slash = '\0';
	rmdir(path);
	free(path);
}

#endif
