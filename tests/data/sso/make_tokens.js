// Made once with node's crypto for tests/unit/test_sso.c, whose fixed JWKS and
// ID tokens are in tokens.json next to it (node make_tokens.js > tokens.json
// makes a new set, with new keys).
const crypto = require('crypto');
const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64 = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');
const jwt = (h, c, sign) => { const i = `${b64(h)}.${b64(c)}`; return `${i}.${sign ? sign(i) : ''}`; };
const rs = (k) => (i) => crypto.sign('sha256', Buffer.from(i), k).toString('base64url');
const es = (i) => crypto.sign('sha256', Buffer.from(i), { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
const now = 1800000000;
const c = { iss: 'https://idp.example.test', sub: 'u-1', aud: 'client-a', exp: now + 300, iat: now, nonce: 'n-123', email: 'complaints@bct.demo', email_verified: true };
const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' });
const out = {
  now, issuer: c.iss, client_id: 'client-a', nonce: 'n-123',
  jwks: { keys: [
    { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'k-rsa', use: 'sig', alg: 'RS256' },
    { ...ec.publicKey.export({ format: 'jwk' }), kid: 'k-ec', use: 'sig', alg: 'ES256' } ] },
  tokens: {
    rs256: jwt({ alg: 'RS256', kid: 'k-rsa' }, c, rs(rsa.privateKey)),
    es256: jwt({ alg: 'ES256', kid: 'k-ec' }, c, es),
    aud_list: jwt({ alg: 'RS256', kid: 'k-rsa' }, { ...c, aud: ['other', 'client-a'], azp: 'client-a' }, rs(rsa.privateKey)),
    none: jwt({ alg: 'none' }, c, null),
    hs256: jwt({ alg: 'HS256', kid: 'k-rsa' }, c, (i) => crypto.createHmac('sha256', pem).update(i).digest('base64url')),
    expired: jwt({ alg: 'RS256', kid: 'k-rsa' }, { ...c, iat: now - 7200, exp: now - 3600 }, rs(rsa.privateKey)),
    audience: jwt({ alg: 'RS256', kid: 'k-rsa' }, { ...c, aud: 'client-b' }, rs(rsa.privateKey)),
    azp: jwt({ alg: 'RS256', kid: 'k-rsa' }, { ...c, aud: ['client-a', 'client-b'], azp: 'client-b' }, rs(rsa.privateKey)),
    issuer: jwt({ alg: 'RS256', kid: 'k-rsa' }, { ...c, iss: 'https://other-idp.example.test' }, rs(rsa.privateKey)),
    future: jwt({ alg: 'RS256', kid: 'k-rsa' }, { ...c, iat: now + 3600, exp: now + 7200 }, rs(rsa.privateKey)),
    nonce: jwt({ alg: 'RS256', kid: 'k-rsa' }, { ...c, nonce: 'another' }, rs(rsa.privateKey)),
    unknown_kid: jwt({ alg: 'RS256', kid: 'k-new' }, c, rs(other.privateKey)),
    signature: jwt({ alg: 'RS256', kid: 'k-rsa' }, c, rs(other.privateKey)),
    alg_key_mismatch: jwt({ alg: 'ES256', kid: 'k-rsa' }, c, es),
  },
};
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
