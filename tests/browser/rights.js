// Data rights on the staff pages in a real browser: a redacted copy of a
// case's document is refused when it does not say what was taken out.  The
// page is checked with axe-core, photographed and weighed
// (tests/browser/harness.js).
'use strict';
const harness = require('./harness');

const spec = async (t) => {
  const { ref } = t.upheldCase();
  const { context, page, submit, open } = await t.staffPage('complaints');

  const uploaded = await t.api(context, 'POST', `${t.base}/api/v1/cases/${ref}/documents?filename=notes.txt&visibility=staff`,
    { headers: { 'Content-Type': 'text/plain' }, data: Buffer.from('Notes naming two other people\n') });
  t.eq(uploaded.status(), 201, 'a document to redact is added');
  const doc = String((await uploaded.json()).id);
  await page.goto(`/staff/cases/${ref}`);
  await open('Make a redacted copy of');
  await page.setInputFiles(`#redact${doc}-file`, { name: 'redacted.txt', mimeType: 'text/plain', buffer: Buffer.from('[removed]\n') });
  await submit(`form[action$="/documents/${doc}/redactions"]`);
  t.ok(/Say what was taken out/.test(await page.locator('.error-summary').innerText()),
    'a redacted copy without saying what was taken out is refused');
  await t.check(page, 'staff-redaction-refusal');
};

// run alone (node SPEC.js ...), or with the other subsystems by subsystems.js
module.exports = spec;
if (require.main === module) harness.run(spec);
