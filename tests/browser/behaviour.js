// Unacceptable behaviour on the staff pages in a real browser: on a
// complainant's person page the complaints officer records a warning and a
// restriction (001 §19, Appendix A), finds the restriction's review among the
// organisation's behaviour deadlines, and then sees the banner, with the
// decision to make, on a new complaint from that person.  Every page is
// checked with axe-core, photographed and weighed (tests/browser/harness.js).
'use strict';
const harness = require('./harness');

const spec = async (t) => {
  const { person } = t.upheldCase();
  const { context, page, submit, open } = await t.staffPage('complaints');

  // ---- a warning, then a restriction ----------------------------------------------------
  await page.goto(`/staff/orgs/bct/people/${person}`);
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
  const family = t.sql(`SELECT family_name || organisation FROM people WHERE id = ${person}`);
  const created = await t.api(context, 'POST', `${t.base}/api/v1/cases`, {
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
};

// run alone (node SPEC.js ...), or with the other subsystems by subsystems.js
module.exports = spec;
if (require.main === module) harness.run(spec);
