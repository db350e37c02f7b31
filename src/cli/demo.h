/*
 * demo: the demonstration data `fairhearing init --demo` loads.
 *
 * The four organisations of the seed documents (bct, bcp, bccc, example)
 * with their teams, one sign-in per role per organisation, and a few hundred
 * representations spread over the 18 months before as_of.  A fixed seed
 * makes the same as_of give the same data, byte for byte, on any machine.
 */
#ifndef FH_DEMO_H
#define FH_DEMO_H

#include <stdio.h>

#include "date.h"
#include "store.h"

#define DEMO_PASSWORD "fairhearing-demo"
#define DEMO_CASES 360

/*
 * Loads everything in one transaction (all or nothing), installing the
 * procedures of procedures_dir and moving each case along its procedure as
 * far as its dates allow by as_of.  password_hash is
 * the argon2id hash every demo user gets.  Writes a summary and the
 * sign-in names to out.
 */
fh_status demo_load(fh_store *st, fh_date as_of, const char *password_hash,
		    const char *procedures_dir, FILE *out, fh_error *err);

/* True when the database already holds exactly the demo organisations. */
bool demo_is_loaded(fh_store *st);

#endif
