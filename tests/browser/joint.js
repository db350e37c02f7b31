// Joint complaints on the staff pages in a real browser: the complaints
// officer records liaison with another organisation, refused on the form's
// own page with its source while the customer has not been told how and by
// whom they will hear (001 §12.2), then recorded with that date.  Every page
// is checked with axe-core, photographed and weighed (tests/browser/harness.js).
'use strict';
const harness = require('./harness');

const spec = async (t) => {
  const { ref } = t.upheldCase();
  const { page, submit, open } = await t.staffPage('complaints');

  await page.goto(`/staff/cases/${ref}`);
  await open('Record liaison with another organisation');
  const liaisonForm = `form[action="/staff/cases/${ref}/liaisons"]`;
  await page.fill('#liaison-organisation', 'Northgate NHS Trust');
  await page.check('input[name="liaison-responder"][value="separate"]');
  await page.fill('#liaison-liaised_on', '2026-11-20');
  await submit(liaisonForm);
  t.ok(/001 §12\.2/.test(await page.locator('.error-summary').innerText()),
    '001 §12.2: separate responses without telling the customer are refused, with the source');
  t.eq(await page.inputValue('#liaison-organisation'), 'Northgate NHS Trust', 'the form keeps what was typed');
  await t.check(page, 'staff-joint-refusal');
  await page.fill('#liaison-customer_told_on', '2026-11-21');
  await submit(liaisonForm);
  t.ok(/Done: Record liaison with another organisation/.test(await page.locator('.notice').first().innerText()),
    'the liaison is recorded once the customer was told');
  t.ok(await page.locator('table', { hasText: 'Northgate NHS Trust' }).count() > 0, 'and listed on the case');
  await t.check(page, 'staff-case-joint-recorded');
};

// run alone (node SPEC.js ...), or with the other subsystems by subsystems.js
module.exports = spec;
if (require.main === module) harness.run(spec);
