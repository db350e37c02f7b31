/*
 * arena: memory that lives as long as one request or one command.
 *
 * Reads from the store hand back records whose strings and arrays come from
 * an arena the caller owns; the caller frees everything at once with
 * arena_free.  No record read from the store needs freeing piece by piece.
 * Allocation failure aborts: a server cannot serve half a record.
 */
#ifndef FH_ARENA_H
#define FH_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct fh_arena {
	arena_block *head;
} fh_arena;

#define ARENA_INIT {0}

/* size bytes, zeroed, aligned for any type. */
void *arena_alloc(fh_arena *arena, size_t size);
/* count elements of size bytes each, zeroed; aborts on overflow. */
void *arena_array(fh_arena *arena, size_t count, size_t size);
char *arena_strdup(fh_arena *arena, const char *s);
char *arena_strndup(fh_arena *arena, const char *s, size_t n);
char *arena_printf(fh_arena *arena, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Frees every allocation; the arena can be used again. */
void arena_free(fh_arena *arena);

#endif
