// Drives one single sign-on as a browser would, over HTTP: Fairhearing's
// /staff/sso/start, the provider's redirects and its login and consent
// forms (oidc-provider's development pages: any password), and the way
// back to /staff/sso/callback.  Cookies are kept per host:port.
//
// usage: node flow.mjs FH_BASE ORG LOGIN [stop]
//   stop: do not call the callback; print where it would go instead.
// Prints one JSON object: callback (the URL the provider sent the browser
// to), sso_cookie (the fh_sso cookie's value), status and body of the
// callback's answer, session (the fh_session cookie it set, if any).
const [fhBase, org, login, stop] = process.argv.slice(2);
const jars = new Map();

function jarOf(url) {
  const host = new URL(url).host;
  if (!jars.has(host)) jars.set(host, new Map());
  return jars.get(host);
}

async function request(url, options = {}) {
  const jar = jarOf(url);
  const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(url, { ...options, redirect: 'manual',
    headers: { ...(options.headers || {}), ...(cookie ? { Cookie: cookie } : {}) } });
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (/max-age=0/i.test(line) || value === '') jar.delete(name);
    else jar.set(name, value);
  }
  return res;
}

// The first form of an HTML page, as its action and its fields.
function firstForm(html, base) {
  const form = html.match(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i);
  if (!form) return null;
  const fields = new URLSearchParams();
  for (const input of form[2].matchAll(/<input[^>]*>/gi)) {
    const name = input[0].match(/name="([^"]*)"/i);
    const value = input[0].match(/value="([^"]*)"/i);
    if (name) fields.set(name[1], value ? value[1] : '');
  }
  return { action: new URL(form[1].replace(/&amp;/g, '&'), base).toString(), fields };
}

const out = {};
let url = `${fhBase}/staff/sso/start?org=${encodeURIComponent(org)}`;
let res = await request(url);
out.sso_cookie = jarOf(fhBase).get('fh_sso') || null;
for (let hops = 0; hops < 20; hops++) {
  if (res.status >= 300 && res.status < 400) {
    url = new URL(res.headers.get('location'), url).toString();
    if (url.startsWith(`${fhBase}/staff/sso/callback`)) break;
    res = await request(url);
    continue;
  }
  const html = await res.text();
  if (new URL(url).origin === new URL(fhBase).origin) {
    out.status = res.status;
    out.body = html;
    console.log(JSON.stringify(out));
    process.exit(0);
  }
  const form = firstForm(html, url);
  if (!form) {
    out.error = `no form at ${url} (HTTP ${res.status}): ${html.slice(0, 300)}`;
    console.log(JSON.stringify(out));
    process.exit(1);
  }
  if (form.fields.has('login')) form.fields.set('login', login);
  if (form.fields.has('password')) form.fields.set('password', 'any password');
  url = form.action;
  res = await request(url, { method: 'POST', body: form.fields,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
}
out.callback = url;
if (stop !== 'stop') {
  res = await request(url);
  out.status = res.status;
  out.body = await res.text();
  out.session = jarOf(fhBase).get('fh_session') || null;
}
console.log(JSON.stringify(out));
