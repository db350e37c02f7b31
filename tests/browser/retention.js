// Retention in a real browser: the administrator reaches the organisation's
// retention page from the administration page.  The page is checked with
// axe-core, photographed and weighed (tests/browser/harness.js).
'use strict';
const harness = require('./harness');

const spec = async (t) => {
  const { page } = await t.staffPage('admin');
  await page.goto('/staff/admin');
  await Promise.all([page.waitForNavigation(), page.click('a[href="/staff/admin/bct/retention"]')]);
  t.ok(/Retention/.test(await page.locator('h1').innerText()), 'the administrator reaches the retention page');
  await t.check(page, 'staff-retention');
};

// run alone (node SPEC.js ...), or with the other subsystems by subsystems.js
module.exports = spec;
if (require.main === module) harness.run(spec);
