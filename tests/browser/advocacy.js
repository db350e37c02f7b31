// Advocacy on the staff pages in a real browser: the complaints officer
// records that advocacy was offered to the complainant of a case (DOMAIN §7).
// The case page is checked with axe-core, photographed and weighed
// (tests/browser/harness.js).
'use strict';
const harness = require('./harness');

const spec = async (t) => {
  const { ref, person } = t.upheldCase();
  const { page, submit, open } = await t.staffPage('complaints');

  await page.goto(`/staff/cases/${ref}`);
  await open('Record an advocacy step');
  await page.selectOption('#advocacy-person_id', person);
  await page.check('#advocacy-step');
  await submit('form[action$="/advocacy"]');
  t.ok(/Done: Record an advocacy step/.test(await page.locator('.notice').first().innerText()), 'advocacy offered is recorded');
  await t.check(page, 'staff-case-advocacy-recorded');
};

// run alone (node SPEC.js ...), or with the other subsystems by subsystems.js
module.exports = spec;
if (require.main === module) harness.run(spec);
