/*
 * hashchain: the hash that makes the event log tamper-evident.
 *
 * hash(event) = BLAKE2b-256(previous event's hash || canonical bytes of the
 * event), with 32 zero bytes before the first event.  The canonical bytes
 * are every field, each preceded by its length as 8 little-endian bytes, so
 * no two different events can serialise alike (moving text from the reason
 * into the data changes the hash).  The event's id and case reference are
 * included, so renumbering an event or moving it to another case shows.
 *
 * Version 2 (every event written since migration 018) makes an event's
 * personal content erasable without breaking the chain: in place of the
 * reason and data the hash takes their content digest, BLAKE2b-256 of the
 * two fields (length-prefixed as above) keyed by a random 16-byte salt of
 * the event's own.  The salt lives in an erasable table; retention blanks
 * the reason and data and drops the salt and keeps the digest, so the
 * chain still verifies, the digest still pins what was said, and a short
 * erased text (a name, a file name) cannot be found again by hashing
 * guesses, which a digest without a secret salt would allow.  A version 1
 * event (written before) hashes its text itself and can never be erased.
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
	int version;                   /* 0 or 1: the text itself; 2: content_digest */
	const uint8_t *content_digest; /* version 2: HASHCHAIN_BYTES */
} hashchain_event;

#define HASHCHAIN_SALT_BYTES 16

/* The version 2 content digest of a reason and data (NULL: ""). */
void hashchain_content_digest(const uint8_t salt[HASHCHAIN_SALT_BYTES], const char *reason,
			      const char *data, uint8_t out[HASHCHAIN_BYTES]);

/* prev may be NULL for the first event.  Version 2 needs ev->content_digest.
 * Needs sodium_init() to have run. */
void hashchain_hash(const uint8_t prev[HASHCHAIN_BYTES], const hashchain_event *ev,
		    uint8_t out[HASHCHAIN_BYTES]);

/* Lower-case hex of a hash into buf (65 bytes). */
char *hashchain_hex(const uint8_t hash[HASHCHAIN_BYTES], char buf[2 * HASHCHAIN_BYTES + 1]);

#endif
