// The person page in a real browser: the complaints officer opens the
// complainant's page from their case.  The page is checked with axe-core,
// photographed and weighed (tests/browser/harness.js).
'use strict';
const harness = require('./harness');

const spec = async (t) => {
  const { ref, person } = t.upheldCase();
  const { page } = await t.staffPage('complaints');

  await page.goto(`/staff/cases/${ref}`);
  await Promise.all([page.waitForNavigation(), page.click(`a[href="/staff/orgs/bct/people/${person}"]`)]);
  t.ok(await page.locator(`form[action$="/people/${person}/warnings"]`).count() > 0,
    'the case links to the complainant\'s person page');
  await t.check(page, 'staff-person');
};

// run alone (node SPEC.js ...), or with the other subsystems by subsystems.js
module.exports = spec;
if (require.main === module) harness.run(spec);
