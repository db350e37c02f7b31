/*
 * migrations: the schema as numbered SQL files (src/store/migrations/NNN_*.sql),
 * compiled into the binary by tools/embed_migrations.c.  Version N is
 * store_migrations[N - 1].  A migration is applied once, in its own
 * transaction, and recorded in the schema_migrations table.
 */
#ifndef FH_MIGRATIONS_H
#define FH_MIGRATIONS_H

struct migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct migration store_migrations[];
extern const int store_migration_count;

/*
 * The same schema in PostgreSQL's dialect (src/store/migrations_pg/), one
 * file for each of the above with the same version and name, so one
 * schema_migrations history reads the same on either engine.  The build
 * fails if the two sets do not pair up.
 */
extern const struct migration store_pg_migrations[];
extern const int store_pg_migration_count;

#endif
