// The browser tests' harness: a fresh demo database (under tests/run.sh a
// copy of the one the run made once: tests/cli/tap.sh, fh_demo),
// `fairhearing serve` on a free loopback port, Debian's chromium driven by
// playwright-core, and TAP.
//
// A spec (public.js, staff.js, redress.js ...) does:
//   const harness = require('./harness');
//   harness.run(async (t) => { const page = await t.newPage(); ... });
// and is run as: node SPEC.js PATH/TO/fairhearing BUILD_DIR
//
// t.base            the server's http://127.0.0.1:PORT
// t.db, t.tmp       the database (a SQLite file in t.tmp, or a PostgreSQL URL
//                   when FAIRHEARING_TEST_PG is set: see tests/cli/tap.sh's
//                   fh_db) and the temporary directory
// t.sql(query)      runs SQL on t.db (sqlite3 or psql) and prints rows as a|b
// t.ok(cond, desc)  one TAP line; t.eq(got, want, desc); t.diag(text)
// t.newContext(opts), t.newPage(opts)   a browser context / page (phone-sized
//                   with {phone: true}: 320 x 640, touch); closed at the end
// t.signIn(context, login, org)   signs LOGIN@ORG.demo in (password
//                   fairhearing-demo) through the API, so the context's pages
//                   carry the session cookie
// t.axe(page, name) runs axe-core on the page; fails on any serious or
//                   critical violation (each one listed as a diagnostic)
// t.screenshot(page, name)   BUILD_DIR/screenshots/NAME.png (full page)
// t.weight(page, name)       the page's bytes: its HTML and every stylesheet,
//                   script and image it refers to; fails at 100 KB or more
// t.check(page, name)        axe + screenshot + weight, for each main page
// t.fits(page, name)         no sideways scrolling at the page's viewport width
// t.staffPage(login)        a context signed in as LOGIN@bct.demo and a page in
//                   it, with open(summary) (unfolds a form on a staff page) and
//                   submit(form) (sends the form the selector names and waits
//                   for the page that answers): { context, page, open, submit }
// t.upheldCase()             the first demo complaint at bct with an upheld (or
//                   partly upheld) finding, and its first party: { ref, person }
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..', '..');
const modules = path.join(root, 'node_modules');
const TODAY = process.env.FAIRHEARING_TODAY || '2026-11-23';
const PAGE_LIMIT = 100 * 1024;

function tap() {
  let n = 0, failed = 0;
  const t = {
    ok(cond, desc) {
      n++;
      if (!cond) failed++;
      console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${desc}`);
      return !!cond;
    },
    eq(got, want, desc) {
      const same = got === want;
      t.ok(same, desc);
      if (!same) t.diag(`got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
      return same;
    },
    diag(text) {
      for (const line of String(text).split('\n')) console.log(`#   ${line}`);
    },
    done() {
      console.log(`1..${n}`);
      return failed === 0;
    },
  };
  return t;
}

// The database of a test: a SQLite file, or a database of its own on the
// PostgreSQL cluster FAIRHEARING_TEST_PG names (tests/run.sh), named for the
// run and this process; dropped at the end.
const PG = (process.env.FAIRHEARING_TEST_PG || '').replace(/\/$/, '');
const RUN = process.env.FAIRHEARING_TEST_RUN || String(Math.floor(Date.now() / 1000));

function dbTarget(tmp, name) {
  if (PG) return `${PG}/fh_${RUN}_${process.pid}_${name}`.slice(0, PG.length + 1 + 63);
  return path.join(tmp, `${name}.db`);
}

function sql(db, query) {
  const r = PG
    ? spawnSync('psql', ['-XAtq', '-F|', '-v', 'ON_ERROR_STOP=1', '-d', db, '-f', '-'],
      { input: query, encoding: 'utf8' })
    : spawnSync('sqlite3', [db, query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`SQL failed (${query.slice(0, 80)}...): ${r.stderr}`);
  return r.stdout.trim();
}

function dropDb(db) {
  if (!PG) return; // the file goes with the temporary directory
  const name = db.slice(db.lastIndexOf('/') + 1);
  spawnSync('psql', ['-XAtq', '-d', `${PG}/postgres`, '-c', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`],
    { encoding: 'utf8' });
}

function startServer(fh, db, t) {
  return new Promise((resolve, reject) => {
    const child = spawn(fh, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '2'], {
      env: { ...process.env, FAIRHEARING_TODAY: TODAY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '', err = '';
    // a minute: far more than it takes, for a machine busy with other builds
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${err.slice(-300)}`)), 60000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1] });
      }
    });
    // The access log is kept for a failing test's diagnostics.
    child.stderr.on('data', (d) => { err += d; t.serverLog = err.slice(-20000); });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}): ${err.slice(-300)}`));
    });
  });
}

async function run(spec) {
  const t = tap();
  const fh = path.resolve(process.argv[2] || path.join(root, 'build', 'fairhearing'));
  const buildDir = path.resolve(process.argv[3] || path.dirname(fh));
  const shots = path.join(buildDir, 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fh-browser-'));
  t.tmp = tmp;
  t.db = dbTarget(tmp, 'browser');
  t.sql = (query) => sql(t.db, query);
  let server = null, browser = null;
  const contexts = [];
  let ok = false;
  try {
    // `init --demo` through tests/cli/tap.sh's fh_demo: under tests/run.sh
    // (FH_TEST_CACHE) a copy of the demo database the run made once, as the
    // shell tests get; without it, init itself.
    const init = spawnSync('bash', ['-c', '. "$1"; tmp=$2; fh_demo "$3" "$4" "$5" || { cat "$tmp/init.out" >&2; exit 1; }',
      'fh_demo', path.join(root, 'tests', 'cli', 'tap.sh'), tmp, fh, t.db, TODAY],
      { env: { ...process.env, FAIRHEARING_TODAY: TODAY }, encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`fairhearing init --demo failed: ${init.stderr}`);
    server = await startServer(fh, t.db, t);
    t.base = server.base;
    const { chromium } = require(path.join(modules, 'playwright-core'));
    const axeSource = fs.readFileSync(path.join(modules, 'axe-core', 'axe.min.js'), 'utf8');
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    t.newContext = async (opts = {}) => {
      const { phone, ...rest } = opts;
      const ctx = await browser.newContext({
        baseURL: t.base,
        ...(phone ? { viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true,
          deviceScaleFactor: 1 } : { viewport: { width: 1024, height: 768 } }),
        ...rest,
      });
      // each step takes well under a second on a quiet machine: 45 s is
      // for a loaded one, and no step waits for it unless it fails
      ctx.setDefaultTimeout(45000);
      contexts.push(ctx);
      return ctx;
    };
    t.newPage = async (opts = {}) => (await t.newContext(opts)).newPage();
    // t.api(context, method, url, options): the context's API request
    // (playwright's APIRequestContext, Node's http underneath) on a
    // connection of its own. Node keeps a finished request's connection for
    // the next one; the server closes a connection that sat idle past its
    // keep-alive limit, and when that close crosses a request going out on
    // the kept connection the client reads ECONNRESET: a race between the
    // two ends, not a fault of the server, which never reset a request it
    // had read. "Connection: close" on every request made here means no
    // connection is ever kept or reused, so an ECONNRESET left is a real one
    // and fails the spec (a retry, which playwright would make on a fresh
    // connection as well, could hide it).
    t.api = (context, method, url, options = {}) => context.request.fetch(url, {
      ...options, method, headers: { ...(options.headers || {}), Connection: 'close' },
    });
    t.signIn = async (context, login, org = 'bct') => {
      const r = await t.api(context, 'POST', `${t.base}/api/v1/auth/login`, {
        data: { email: `${login}@${org}.demo`, password: 'fairhearing-demo' },
      });
      // The API's writes with the session cookie carry its CSRF token (issue 16 item 5).
      if (r.status() === 200) {
        const csrf = (await r.json()).user.csrf_token;
        await context.setExtraHTTPHeaders({ 'X-CSRF-Token': csrf });
      }
      return t.ok(r.status() === 200, `${login}@${org}.demo signs in (${r.status()})`);
    };
    t.axe = async (page, name) => {
      await page.evaluate(axeSource); // through the devtools protocol: the page's CSP still holds
      const result = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        (await axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 3).map((x) => x.target.join(' ')),
        })));
      const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      t.ok(bad.length === 0, `${name}: no serious or critical accessibility violations (axe-core)`);
      for (const v of bad) t.diag(`${v.impact} ${v.id}: ${v.help} at ${v.nodes.join(', ')}`);
      return bad;
    };
    t.screenshot = async (page, name) => {
      const file = path.join(shots, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    };
    t.weight = async (page, name) => {
      const html = await page.evaluate(() => document.documentElement.outerHTML);
      const refs = await page.evaluate(() => [
        ...[...document.querySelectorAll('link[rel~="stylesheet"], link[rel~="icon"]')].map((e) => e.href),
        ...[...document.querySelectorAll('script[src], img[src]')].map((e) => e.src),
      ]);
      let bytes = Buffer.byteLength(html);
      for (const url of refs) {
        const r = await t.api(page.context(), 'GET', url);
        bytes += (await r.body()).length;
      }
      t.ok(bytes < PAGE_LIMIT, `${name}: the page weighs ${bytes} bytes with its assets (under 100 KB)`);
      return bytes;
    };
    t.fits = async (page, name) => {
      const [scroll, inner] = await page.evaluate(() =>
        [document.documentElement.scrollWidth, window.innerWidth]);
      return t.ok(scroll <= inner, `${name}: fits the screen's width without sideways scrolling (${scroll}px of ${inner}px)`);
    };
    t.check = async (page, name) => {
      await t.axe(page, name);
      await t.screenshot(page, name);
      await t.weight(page, name);
    };
    t.staffPage = async (login) => {
      const context = await t.newContext();
      await t.signIn(context, login);
      const page = await context.newPage();
      const submit = (form) => Promise.all([page.waitForNavigation(), page.click(`${form} button[type="submit"]`)]);
      const open = (summary) => page.click(`summary:has-text("${summary}")`);
      return { context, page, submit, open };
    };
    t.upheldCase = () => {
      const ref = t.sql(`SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
        WHERE o.code = 'bct' AND EXISTS (SELECT 1 FROM findings f JOIN complaint_points p ON p.id = f.point_id
        WHERE p.case_id = c.id AND f.outcome IN ('upheld', 'partly_upheld')) ORDER BY c.id LIMIT 1`);
      t.ok(ref !== '', `a demo complaint with an upheld finding (${ref})`);
      const person = t.sql(`SELECT min(cp.person_id) FROM case_parties cp JOIN cases c ON c.id = cp.case_id
        WHERE c.reference = '${ref}'`);
      return { ref, person };
    };
    await spec(t);
    ok = true;
  } catch (e) {
    t.ok(false, `the browser test ran to the end`);
    t.diag(e && e.stack ? e.stack : String(e));
    if (t.serverLog) t.diag(`server log (end):\n${t.serverLog.slice(-2000)}`);
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    if (browser) await browser.close().catch(() => {});
    if (server) {
      server.child.removeAllListeners('exit');
      server.child.kill('SIGTERM');
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    dropDb(t.db);
  }
  const passed = t.done();
  process.exit(ok && passed ? 0 : 1);
}

module.exports = { run, TODAY };
