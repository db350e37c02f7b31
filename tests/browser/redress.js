// Redress on the staff pages in a real browser: the complaints officer
// records a remedy on a complaint with an upheld finding, after the policy's
// exclusion is refused on the form's own page with its source (001 Appendix
// B).  Every page is checked with axe-core, photographed and weighed
// (tests/browser/harness.js).
'use strict';
const harness = require('./harness');

const spec = async (t) => {
  const { ref } = t.upheldCase();
  const { page, submit, open } = await t.staffPage('complaints');

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
};

// run alone (node SPEC.js ...), or with the other subsystems by subsystems.js
module.exports = spec;
if (require.main === module) harness.run(spec);
