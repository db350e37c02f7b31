// Issue 8 on the staff pages in a real browser: the complaints officer
// records a remedy on a complaint with an upheld finding (after the policy's
// exclusion is refused on the form's own page, 001 Appendix B), opens the
// complainant's person page from the case, records a warning and a
// restriction (001 §19, Appendix A), and then sees the banner, with the
// decision to make, on a new complaint from that person.  Every page is
// checked with axe-core, photographed and weighed (tests/browser/harness.js).
'use strict';
const harness = require('./harness');

harness.run(async (t) => {
  const sql = t.sql;
  const ref = sql(`SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
    WHERE o.code = 'bct' AND EXISTS (SELECT 1 FROM findings f JOIN complaint_points p ON p.id = f.point_id
    WHERE p.case_id = c.id AND f.outcome IN ('upheld', 'partly_upheld')) ORDER BY c.id LIMIT 1`);
  t.ok(ref !== '', `a demo complaint with an upheld finding (${ref})`);
  const person = sql(`SELECT min(cp.person_id) FROM case_parties cp JOIN cases c ON c.id = cp.case_id
    WHERE c.reference = '${ref}'`);

  const context = await t.newContext();
  await t.signIn(context, 'complaints');
  const page = await context.newPage();
  const submit = (form) => Promise.all([page.waitForNavigation(), page.click(`${form} button[type="submit"]`)]);
  const open = (summary) => page.click(`summary:has-text("${summary}")`);

  // ---- a remedy: the exclusion refused, then recorded -------------------------------
  await page.goto(`/staff/cases/${ref}`);
  await t.check(page, 'staff-case-policy');
  await open('Record a remedy');
  const remedyForm = `form[action="/staff/cases/${ref}/remedies"]`;
  await page.selectOption('#remedy-type', 'financial');
  await page.selectOption('#remedy-category', 'quantifiable_loss');
  await page.fill('#remedy-amount_pence', '400.00');
  await page.fill('#remedy-description', 'Costs of the court hearing');
  await page.selectOption('#remedy-exception', 'legal_action');
  await submit(remedyForm);
  const summary = await page.locator('.error-summary').innerText();
  t.ok(/001 Appendix B/.test(summary), '001 Appendix B: a matter under legal action is refused, with its source');
  t.eq(await page.inputValue('#remedy-description'), 'Costs of the court hearing', 'the form keeps what was typed');
  await t.check(page, 'staff-policy-refusal');
  await page.selectOption('#remedy-exception', '');
  await page.selectOption('#remedy-category', 'time_and_trouble');
  await page.fill('#remedy-amount_pence', '150');
  await page.fill('#remedy-description', 'For the time spent chasing the missed contact');
  await submit(remedyForm);
  t.ok(/Done: Record a remedy/.test(await page.locator('.notice').first().innerText()), 'the remedy is recorded');
  t.ok(/£150\.00/.test(await page.locator('#remedies + .table-wrap').innerText()), 'and listed with its amount');

  // ---- advocacy offered and a request to freeze a placement decision ----------------------
  await open('Record an advocacy step');
  await page.selectOption('#advocacy-person_id', person);
  await page.check('#advocacy-step');
  await submit('form[action$="/advocacy"]');
  t.ok(/Done: Record an advocacy step/.test(await page.locator('.notice').first().innerText()), 'advocacy offered is recorded');
  await open('Ask to freeze a decision');
  await page.check('#freeze-change');
  await page.fill('#freeze-proposal', 'A move to a placement out of the city');
  await submit('form[action$="/freezing"]');
  t.ok(/Request \d+/.test(await page.locator('#freezing ~ h3').first().innerText()), 'the request to freeze is listed');
  await t.check(page, 'staff-case-policy-recorded');

  // ---- the person: a warning, then a restriction -------------------------------------
  await Promise.all([page.waitForNavigation(), page.click(`a[href="/staff/orgs/bct/people/${person}"]`)]);
  await t.check(page, 'staff-person');
  await open('Record a warning');
  await page.fill('#warning-issued_on', '2026-11-02');
  await page.fill('#warning-evidence', 'Thirty-one calls in one week to the duty desk');
  await page.fill('#warning-change', 'Contact the complaints team once a week');
  await submit(`form[action$="/people/${person}/warnings"]`);
  t.ok(/Done: Record a warning/.test(await page.locator('.notice').first().innerText()), 'the warning is recorded');
  await open('Restrict contact');
  await page.selectOption('#restriction-kind', 'named_contact_only');
  await page.fill('#restriction-detail', 'Contact Ms Patel only');
  await page.fill('#restriction-reason', 'The calls went on after the warning');
  await page.fill('#restriction-starts_on', harness.TODAY);
  await page.fill('#restriction-ends_on', '2027-02-23');
  await submit(`form[action$="/people/${person}/restrictions"]`);
  t.ok(/Done: Restrict contact/.test(await page.locator('.notice').first().innerText()), 'the restriction is recorded');
  await t.check(page, 'staff-person-restricted');

  // ---- the organisation's behaviour deadlines, from the navigation ----------------------------
  await Promise.all([page.waitForNavigation(), page.click('nav a[href="/staff/orgs/bct/behaviour"]')]);
  t.ok(/Behaviour deadlines/.test(await page.locator('h1').innerText()), 'the navigation reaches the behaviour deadlines');
  const rows = await page.locator('tbody').innerText();
  t.ok(/Review the restriction/.test(rows) && /22 Feb 2027/.test(rows), '001 Appendix A: the new restriction\'s review is listed with its date');
  t.ok(await page.locator(`tbody a[href="/staff/orgs/bct/people/${person}"]`).count() > 0, 'linked to the person');
  await t.check(page, 'staff-behaviour-deadlines');

  // ---- another complaint from them: the banner and the decision ----------------------------
  const family = sql(`SELECT family_name || organisation FROM people WHERE id = ${person}`);
  const created = await context.request.post(`${t.base}/api/v1/cases`, {
    data: { org: 'bct', kind: 'complaint', channel: 'phone', received_on: harness.TODAY,
      summary: 'A new matter about school transport',
      parties: [{ role: 'complainant', relationship: 'self', person: { id: Number(person), family_name: family } }] },
  });
  t.eq(created.status(), 201, 'a new complaint from the restricted person is recorded');
  const newRef = (await created.json()).reference;
  await page.goto(`/staff/cases/${newRef}`);
  const banner = await page.locator('.notice-warning').innerText();
  t.ok(/under a restriction of contact/.test(banner) && /Contact Ms Patel only/.test(banner),
    'its case page shows the restriction');
  t.ok(/decide whether it applies/.test(banner), 'and asks whether it applies');
  await t.check(page, 'staff-case-restricted');
  await page.check('.notice-warning input[value="false"]');
  await page.fill('.notice-warning textarea', 'A new matter: judged on its merits');
  await submit('.notice-warning form');
  t.ok(/does not apply/.test(await page.locator('.notice-warning').innerText()), 'the decision is recorded on the case');

  // ---- a redacted copy refused without saying what was taken out ------------------------------
  await page.goto(`/staff/cases/${ref}`);
  const uploaded = await context.request.post(`${t.base}/api/v1/cases/${ref}/documents?filename=notes.txt&visibility=staff`,
    { headers: { 'Content-Type': 'text/plain' }, data: Buffer.from('Notes naming two other people\n') });
  t.eq(uploaded.status(), 201, 'a document to redact is added');
  const doc = String((await uploaded.json()).id);
  await page.goto(`/staff/cases/${ref}`);
  {
    await open('Make a redacted copy of');
    await page.setInputFiles(`#redact${doc}-file`, { name: 'redacted.txt', mimeType: 'text/plain', buffer: Buffer.from('[removed]\n') });
    await submit(`form[action$="/documents/${doc}/redactions"]`);
    t.ok(/Say what was taken out/.test(await page.locator('.error-summary').innerText()),
      'a redacted copy without saying what was taken out is refused');
    await t.check(page, 'staff-redaction-refusal');
  }

  // ---- the administrator's retention page ----------------------------------------------------
  const admin = await t.newContext();
  await t.signIn(admin, 'admin');
  const adminPage = await admin.newPage();
  await adminPage.goto('/staff/admin');
  await Promise.all([adminPage.waitForNavigation(), adminPage.click('a[href="/staff/admin/bct/retention"]')]);
  t.ok(/Retention/.test(await adminPage.locator('h1').innerText()), 'the administrator reaches the retention page');
  await t.check(adminPage, 'staff-retention');
});
