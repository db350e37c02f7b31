#include "hashchain.h"

#include <sodium.h>
#include <string.h>

static void put_u64(crypto_generichash_state *state, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	crypto_generichash_update(state, b, sizeof b);
}

static void put_text(crypto_generichash_state *state, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	put_u64(state, n);
	if (n)
		crypto_generichash_update(state, (const unsigned char *)s, n);
}

void hashchain_hash(const uint8_t prev[HASHCHAIN_BYTES], const hashchain_event *ev,
		    uint8_t out[HASHCHAIN_BYTES])
{
	static const uint8_t zero[HASHCHAIN_BYTES];
	crypto_generichash_state state;
	crypto_generichash_init(&state, NULL, 0, HASHCHAIN_BYTES);
	crypto_generichash_update(&state, prev ? prev : zero, HASHCHAIN_BYTES);
	put_u64(&state, (uint64_t)ev->id);
	put_text(&state, ev->org_code);
	put_text(&state, ev->reference);
	put_u64(&state, (uint64_t)ev->seq);
	put_text(&state, ev->at);
	put_text(&state, ev->effective_on);
	put_text(&state, ev->actor);
	put_text(&state, ev->action);
	if (ev->version >= 2) {
		/* the version is hashed too, so an event cannot pass for the other kind */
		put_u64(&state, (uint64_t)ev->version);
		crypto_generichash_update(&state, ev->content_digest, HASHCHAIN_BYTES);
	} else {
		put_text(&state, ev->reason);
		put_text(&state, ev->data);
	}
	crypto_generichash_final(&state, out, HASHCHAIN_BYTES);
}

void hashchain_content_digest(const uint8_t salt[HASHCHAIN_SALT_BYTES], const char *reason,
			      const char *data, uint8_t out[HASHCHAIN_BYTES])
{
	crypto_generichash_state state;
	crypto_generichash_init(&state, salt, HASHCHAIN_SALT_BYTES, HASHCHAIN_BYTES);
	put_text(&state, reason);
	put_text(&state, data);
	crypto_generichash_final(&state, out, HASHCHAIN_BYTES);
}

char *hashchain_hex(const uint8_t hash[HASHCHAIN_BYTES], char buf[2 * HASHCHAIN_BYTES + 1])
{
	return sodium_bin2hex(buf, 2 * HASHCHAIN_BYTES + 1, hash, HASHCHAIN_BYTES);
}
