// Freezing on the staff pages in a real browser: the complaints officer asks
// to freeze a placement decision while a complaint about it is considered,
// and the request is listed on the case.  The case page is checked with
// axe-core, photographed and weighed (tests/browser/harness.js).
'use strict';
const harness = require('./harness');

const spec = async (t) => {
  const { ref } = t.upheldCase();
  const { page, submit, open } = await t.staffPage('complaints');

  await page.goto(`/staff/cases/${ref}`);
  await open('Ask to freeze a decision');
  await page.check('#freeze-change');
  await page.fill('#freeze-proposal', 'A move to a placement out of the city');
  await submit('form[action$="/freezing"]');
  t.ok(/Request \d+/.test(await page.locator('#freezing ~ h3').first().innerText()), 'the request to freeze is listed');
  await t.check(page, 'staff-case-policy-recorded');
};

// run alone (node SPEC.js ...), or with the other subsystems by subsystems.js
module.exports = spec;
if (require.main === module) harness.run(spec);
