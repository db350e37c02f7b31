// The OpenID Providers the single sign-on tests sign in through, both on
// loopback (docs/sso.md, issue 18):
//
//  real   oidc-provider (a certified implementation) with two clients, one
//         for each of two organisations (bct-portal, bcp-portal), its
//         development login and consent pages (any password), and accounts
//         whose emails are demo users'.  POST /__rotate adds a second
//         signing key and retires the first (only the new one is published
//         and used), as a provider's key rotation does.
//  forge  a stand-in provider whose token endpoint answers with an ID token
//         made here as the test asks (POST /__mode?m=...): well signed
//         (RS256, ES256), or with alg "none", HS256 keyed with the RSA public
//         key, expired, for another audience, issued in the future, with
//         another nonce, another issuer, or a signature by a key it does not
//         publish.  Each is a case OpenID Connect Core 1.0 §3.1.3.7 refuses.
//
// usage: node provider.mjs FAIRHEARING_BASE_URL OUT_FILE
// Writes "real URL" and "forge URL" lines to OUT_FILE once both listen.
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import Provider from 'oidc-provider';

const [fhBase, outFile] = process.argv.slice(2);
const callback = `${fhBase}/staff/sso/callback`;
const afterLogout = `${fhBase}/staff/login`;

// ---- the real provider -------------------------------------------------------------

const accounts = {
  complaints: { email: 'complaints@bct.demo', email_verified: true, name: 'Complaints Officer' },
  admin: { email: 'admin@bct.demo', email_verified: true, name: 'BCT Admin' },
  unverified: { email: 'manager@bct.demo', email_verified: false, name: 'Unverified Manager' },
  stranger: { email: 'stranger@bct.demo', email_verified: true, name: 'A Stranger' },
  outsider: { email: 'complaints@elsewhere.example', email_verified: true, name: 'Outsider' },
  bcp: { email: 'complaints@bcp.demo', email_verified: true, name: 'BCP Complaints' },
  // As Entra ID sends it by default: no verified email, a user principal name.
  entra: { preferred_username: 'investigator@bct.demo', name: 'Entra Investigator' },
};
// Emails the test changes at the provider (a moved email must not move a binding).
const emailOverride = {};

function signingKey(kid) {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
}
let keys = [signingKey('real-1')];

function makeProvider(issuer) {
  const provider = new Provider(issuer, {
    clients: [
      { client_id: 'bct-portal', client_secret: 'bct-secret', redirect_uris: [callback],
        post_logout_redirect_uris: [afterLogout], grant_types: ['authorization_code'],
        response_types: ['code'] },
      { client_id: 'bcp-portal', client_secret: 'bcp-secret', redirect_uris: [callback],
        post_logout_redirect_uris: [afterLogout], grant_types: ['authorization_code'],
        response_types: ['code'] },
    ],
    jwks: { keys },
    cookies: { keys: ['fairhearing-test-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    // The ID token carries the claims itself (there is no access token use here).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    async findAccount(ctx, id) {
      const a = accounts[id];
      if (!a) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: `sub-${id}`, ...a, ...(emailOverride[id] ? { email: emailOverride[id] } : {}) };
        },
      };
    },
  });
  provider.proxy = false;
  return provider;
}

let realIssuer;
let real;
const realServer = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/__rotate') {
    // A second key is added and the first retired: only real-2 is published and signs.
    keys = [signingKey(`real-${keys.length + 1}`)];
    real = makeProvider(realIssuer);
    res.end('rotated\n');
    return;
  }
  const m = req.method === 'POST' && req.url.match(/^\/__email\?account=(\w+)&email=(.+)$/);
  if (m) {
    emailOverride[m[1]] = decodeURIComponent(m[2]);
    res.end('changed\n');
    return;
  }
  real.callback()(req, res);
});

// ---- the forging provider ------------------------------------------------------------------

const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPublicJwk = { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'forge-rsa', use: 'sig', alg: 'RS256' };
const ecPublicJwk = { ...ec.publicKey.export({ format: 'jwk' }), kid: 'forge-ec', use: 'sig', alg: 'ES256' };
const b64 = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');

function jwt(header, claims, sign) {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${sign ? sign(input) : ''}`;
}

let mode = 'rs256';
let forgeIssuer;
const codes = new Map();

function forgedToken(grant) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: forgeIssuer, sub: 'forge-complaints', aud: grant.client_id,
    exp: now + 300, iat: now, nonce: grant.nonce, email: 'complaints@bccc.demo',
    email_verified: true, name: 'Forged Complaints' };
  const rs = (input) => crypto.sign('sha256', Buffer.from(input), rsa.privateKey).toString('base64url');
  const es = (input) => crypto.sign('sha256', Buffer.from(input),
    { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  switch (mode) {
    case 'rs256': return jwt({ alg: 'RS256', kid: 'forge-rsa' }, claims, rs);
    case 'es256': return jwt({ alg: 'ES256', kid: 'forge-ec' }, claims, es);
    case 'none': return jwt({ alg: 'none' }, claims, null);
    case 'hs256': {
      // The classic confusion: HMAC keyed with the provider's public key, which anyone has.
      const secret = rsa.publicKey.export({ format: 'pem', type: 'spki' });
      return jwt({ alg: 'HS256', kid: 'forge-rsa' }, claims,
        (input) => crypto.createHmac('sha256', secret).update(input).digest('base64url'));
    }
    case 'expired': return jwt({ alg: 'RS256', kid: 'forge-rsa' }, { ...claims, iat: now - 7200, exp: now - 3600 }, rs);
    case 'audience': return jwt({ alg: 'RS256', kid: 'forge-rsa' }, { ...claims, aud: 'someone-else' }, rs);
    case 'future': return jwt({ alg: 'RS256', kid: 'forge-rsa' }, { ...claims, iat: now + 3600, exp: now + 7200 }, rs);
    case 'nonce': return jwt({ alg: 'RS256', kid: 'forge-rsa' }, { ...claims, nonce: 'not-this-sign-in' }, rs);
    case 'other-org': return jwt({ alg: 'RS256', kid: 'forge-rsa' }, { ...claims, iss: realIssuer }, rs);
    case 'bad-signature': return jwt({ alg: 'RS256', kid: 'forge-rsa' }, claims,
      (input) => crypto.sign('sha256', Buffer.from(input), stranger.privateKey).toString('base64url'));
    default: throw new Error(`no mode ${mode}`);
  }
}

function readBody(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => resolve(data));
  });
}

const forgeServer = http.createServer(async (req, res) => {
  const url = new URL(req.url, forgeIssuer);
  const json = (status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === '/.well-known/openid-configuration') {
    return json(200, { issuer: forgeIssuer, authorization_endpoint: `${forgeIssuer}/authorize`,
      token_endpoint: `${forgeIssuer}/token`, jwks_uri: `${forgeIssuer}/jwks`,
      token_endpoint_auth_methods_supported: ['client_secret_post'],
      id_token_signing_alg_values_supported: ['RS256', 'ES256'] });
  }
  if (url.pathname === '/jwks') return json(200, { keys: [rsaPublicJwk, ecPublicJwk] });
  if (url.pathname === '/__mode' && req.method === 'POST') {
    mode = url.searchParams.get('m');
    res.end(`mode ${mode}\n`);
    return;
  }
  if (url.pathname === '/authorize') {
    const p = url.searchParams;
    const code = crypto.randomBytes(16).toString('hex');
    codes.set(code, { client_id: p.get('client_id'), nonce: p.get('nonce'),
      challenge: p.get('code_challenge'), method: p.get('code_challenge_method') });
    const to = new URL(p.get('redirect_uri'));
    to.searchParams.set('code', code);
    to.searchParams.set('state', p.get('state'));
    res.writeHead(303, { Location: to.toString() });
    res.end();
    return;
  }
  if (url.pathname === '/token' && req.method === 'POST') {
    const form = new URLSearchParams(await readBody(req));
    const grant = codes.get(form.get('code'));
    if (!grant) return json(400, { error: 'invalid_grant' });
    // RFC 7636 §4.6: the verifier must hash to the challenge.
    const hashed = crypto.createHash('sha256').update(form.get('code_verifier') || '').digest('base64url');
    if (grant.method !== 'S256' || hashed !== grant.challenge) return json(400, { error: 'invalid_grant', error_description: 'PKCE' });
    if (form.get('client_secret') !== 'bccc-secret') return json(401, { error: 'invalid_client' });
    return json(200, { access_token: 'x', token_type: 'Bearer', expires_in: 300, id_token: forgedToken(grant) });
  }
  res.writeHead(404);
  res.end();
});

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

const realPort = await listen(realServer);
realIssuer = `http://127.0.0.1:${realPort}`;
real = makeProvider(realIssuer);
const forgePort = await listen(forgeServer);
forgeIssuer = `http://127.0.0.1:${forgePort}`;
fs.writeFileSync(outFile, `real ${realIssuer}\nforge ${forgeIssuer}\n`);
