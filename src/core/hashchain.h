/*
 * hashchain: the hash that makes the event log tamper-evident.
 *
 * hash(event) = BLAKE2b-256(previous event's hash || canonical bytes of the
 * event), with 32 zero bytes before the first event.  The canonical bytes
 * are every field, each preceded by its length as 8 little-endian bytes, so
 * no two different events can serialise alike (moving text from the reason
 * into the data changes the hash).  The event's id and case reference are
 * included, so renumbering an event or moving it to another case shows.
 */
#ifndef FH_HASHCHAIN_H
#define FH_HASHCHAIN_H

#include <stdint.h>

#define HASHCHAIN_BYTES 32

typedef struct hashchain_event {
	int64_t id;
	const char *org_code;  /* "" for none */
	const char *reference; /* "" for an event about no case */
	int64_t seq;           /* 0 for an event about no case */
	const char *at, *effective_on, *actor, *action, *reason, *data;
} hashchain_event;

/* prev may be NULL for the first event.  Needs sodium_init() to have run. */
void hashchain_hash(const uint8_t prev[HASHCHAIN_BYTES], const hashchain_event *ev,
		    uint8_t out[HASHCHAIN_BYTES]);

/* Lower-case hex of a hash into buf (65 bytes). */
char *hashchain_hex(const uint8_t hash[HASHCHAIN_BYTES], char buf[2 * HASHCHAIN_BYTES + 1]);

#endif
