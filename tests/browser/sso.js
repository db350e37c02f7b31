// Single sign-on in a real browser (issue 18 items 2-4; docs/sso.md): bct's
// provider is oidc-provider on loopback (tests/sso/provider.mjs); the
// complaints officer presses the sign-in page's button, signs in on the
// provider's login page, consents, and lands on the staff pages signed in,
// with no second factor asked; signing out ends the session and goes on to
// the provider's own sign-out, which comes back to the sign-in page.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const harness = require('./harness');

harness.run(async (t) => {
  const fh = path.resolve(process.argv[2]);
  const out = path.join(t.tmp, 'op.txt');
  const op = spawn('node', [path.join(__dirname, '..', 'sso', 'provider.mjs'), t.base, out],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let opLog = '';
  op.stderr.on('data', (d) => { opLog += d; });
  try {
    for (let i = 0; i < 100 && !(fs.existsSync(out) && fs.statSync(out).size); i++)
      await new Promise((r) => setTimeout(r, 100));
    const real = (fs.readFileSync(out, 'utf8').match(/^real (\S+)/m) || [])[1];
    t.ok(!!real, 'the provider listens on loopback');
    if (!real) { t.diag(opLog); return; }
    fs.writeFileSync(path.join(t.tmp, 'bct.secret'), 'bct-secret\n');
    const set = spawnSync(fh, ['sso', 'set', '--db', t.db, '--org', 'bct', '--issuer', real,
      '--client-id', 'bct-portal', '--client-secret-file', path.join(t.tmp, 'bct.secret'),
      '--label', "Sign in with Birmingham Children's Trust"], { encoding: 'utf8' });
    t.eq(set.status, 0, 'bct\'s provider is set with fairhearing sso set');
    if (set.status !== 0) t.diag(set.stderr);

    const page = await t.newPage();
    await page.goto('/staff/login?next=/staff/team');
    const button = page.locator('a.button:has-text("Sign in with Birmingham Children\'s Trust")');
    t.eq(await button.count(), 1, 'issue 18 item 2: the sign-in page has the organisation\'s button');
    await t.check(page, 'staff-login-sso');
    await Promise.all([page.waitForNavigation(), button.click()]);
    t.ok(page.url().startsWith(real), 'the button goes to the provider');
    await page.fill('input[name="login"]', 'complaints');
    await page.fill('input[name="password"]', 'any password');
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    // oidc-provider's consent page, the first time
    if (page.url().startsWith(real))
      await Promise.all([page.waitForURL(`${t.base}/staff/**`), page.click('button[type="submit"]')]);
    await page.waitForURL(`${t.base}/staff/team`);
    t.ok(page.url().endsWith('/staff/team'), 'issue 18 item 2: back from the provider, on the page asked for');
    t.ok(/Mohammed Smith/.test(await page.locator('header').innerText()),
      'issue 18 item 3: signed in as the complaints officer, with no second factor asked');

    // Our own page first (a form's redirect to another site would break the
    // pages' CSP form-action 'self'), which moves on to the provider by itself.
    await Promise.all([page.waitForURL(`${real}/**`), page.click('header form[action="/staff/logout"] button')]);
    t.ok(page.url().startsWith(real), 'issue 18 item 4: signing out goes on to the provider\'s sign-out');
    const confirm = page.locator('button[type="submit"], input[type="submit"]').first();
    if (await confirm.count())
      await Promise.all([page.waitForURL(`${t.base}/staff/login**`), confirm.click()]);
    t.ok(page.url().startsWith(`${t.base}/staff/login`), '... which comes back to the sign-in page');
    const again = await page.goto('/staff/team');
    t.ok(page.url().includes('/staff/login?next='), `... and the session has ended (${again.status()})`);
  } finally {
    op.kill('SIGTERM');
  }
});
