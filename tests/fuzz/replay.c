/*
 * The replay driver: a main() for a fuzz target in the ordinary (gcc,
 * AddressSanitizer and UBSan) test build, so that `make test` checks every
 * kept input of tests/fuzz/corpus/NAME/, the past crashes among them,
 * without clang or libFuzzer.  Mutation fuzzing is `make fuzz` (run.sh),
 * which links the same target with libFuzzer's own main instead.
 *
 * usage: fuzz_NAME_replay PATH...
 *
 * Each PATH is an input file, or a directory whose regular files are the
 * inputs (in name order, so a run is the same every time; its
 * subdirectories are not entered).  The target's LLVMFuzzerInitialize, if
 * it has one, runs first, as libFuzzer runs it.  The output is TAP, one line
 * an input; an input that breaks a target's assert or trips a sanitizer
 * ends the process (ASAN_OPTIONS=abort_on_error=1), and the line
 * "# replaying PATH" before it says which one it was.  An empty input set
 * is a failure: a corpus directory that lost its files checks nothing.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target, as in libFuzzer: a weak reference is NULL when absent. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* The whole of the file at PATH in a malloc'd buffer (*size bytes), or NULL. */
static uint8_t *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			uint8_t *bigger = realloc(buf, cap);
			if (!bigger) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = bigger;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		free(buf);
		return NULL;
	}
	*size = len;
	return buf;
}

/*
 * Replays one input file as test number *n.  The target gets a copy of
 * exactly the file's bytes (a buffer of that size, no terminator), as
 * libFuzzer gives it, so that a read past the end is caught.  Returns 0,
 * or 1 when the file cannot be read.
 */
static int replay_file(const char *path, int *n)
{
	size_t size = 0;
	uint8_t *whole = read_all(path, &size);
	*n += 1;
	if (!whole) {
		printf("not ok %d - %s: cannot be read\n", *n, path);
		return 1;
	}
	uint8_t *data = malloc(size ? size : 1);
	if (!data) {
		free(whole);
		printf("not ok %d - %s: out of memory\n", *n, path);
		return 1;
	}
	memcpy(data, whole, size);
	free(whole);
	printf("# replaying %s\n", path);
	fflush(stdout);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	printf("ok %d - %s (%zu bytes): no crash, leak or undefined behaviour\n", *n, path, size);
	fflush(stdout);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every regular file directly in directory DIR, in name order. */
static int replay_dir(const char *dir, int *n)
{
	DIR *d = opendir(dir);
	if (!d) {
		*n += 1;
		printf("not ok %d - %s: cannot be opened\n", *n, dir);
		return 1;
	}
	char **paths = NULL;
	size_t count = 0, cap = 0;
	int failed = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		size_t len = strlen(dir) + 1 + strlen(e->d_name) + 1;
		char *path = malloc(len);
		if (!path) {
			failed = 1;
			break;
		}
		snprintf(path, len, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st) || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			char **bigger = realloc(paths, cap * sizeof *paths);
			if (!bigger) {
				free(path);
				failed = 1;
				break;
			}
			paths = bigger;
		}
		paths[count++] = path;
	}
	closedir(d);
	if (failed) {
		*n += 1;
		printf("not ok %d - %s: out of memory listing it\n", *n, dir);
	} else if (count) {
		qsort(paths, count, sizeof *paths, by_name);
		for (size_t i = 0; i < count; i++)
			failed |= replay_file(paths[i], n);
	}
	for (size_t i = 0; i < count; i++)
		free(paths[i]);
	free(paths);
	return failed;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s PATH... (input files or directories of them)\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	int n = 0, failed = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			failed |= replay_dir(argv[i], &n);
		else
			failed |= replay_file(argv[i], &n);
	}
	if (n == 0) {
		printf("not ok 1 - no input to replay in");
		for (int i = 1; i < argc; i++)
			printf(" %s", argv[i]);
		printf("\n");
		n = 1;
		failed = 1;
	}
	printf("1..%d\n", n);
	return failed;
}
