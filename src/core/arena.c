#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
	arena_block *next;
	size_t used, size;
	max_align_t data[]; /* keeps every allocation aligned for any type */
};

enum { ARENA_BLOCK = 16 * 1024 };

static void *arena_oom(void)
{
	fputs("fairhearing: out of memory\n", stderr);
	abort();
}

void *arena_alloc(fh_arena *arena, size_t size)
{
	size_t align = sizeof(max_align_t);
	size = (size + align - 1) / align * align;
	if (size == 0)
		size = align;
	arena_block *b = arena->head;
	if (!b || b->size - b->used < size) {
		size_t bytes = size > ARENA_BLOCK ? size : ARENA_BLOCK;
		b = malloc(sizeof *b + bytes);
		if (!b)
			return arena_oom();
		b->size = bytes;
		b->used = 0;
		b->next = arena->head;
		arena->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

void *arena_array(fh_arena *arena, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return arena_oom();
	return arena_alloc(arena, count * size);
}

char *arena_strndup(fh_arena *arena, const char *s, size_t n)
{
	char *p = arena_alloc(arena, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(fh_arena *arena, const char *s)
{
	return s ? arena_strndup(arena, s, strlen(s)) : NULL;
}

char *arena_printf(fh_arena *arena, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(ap2);
		return arena_strdup(arena, "");
	}
	char *p = arena_alloc(arena, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

void arena_free(fh_arena *arena)
{
	arena_block *b = arena->head;
	while (b) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	arena->head = NULL;
}
