// The public's pages in a real browser, on a phone-sized screen: the start
// page and its version for young people; every page checked with axe-core,
// photographed and weighed (tests/browser/harness.js).
'use strict';
const harness = require('./harness');

harness.run(async (t) => {
  const page = await t.newPage({ phone: true });

  // The start page: plain words, with the times from bct's procedures.
  let r = await page.goto('/o/bct/');
  t.eq(r.status(), 200, 'the start page of bct answers 200');
  t.eq(await page.locator('h1').innerText(), 'Make a complaint, comment or compliment',
    'the start page says what it is for');
  const text = await page.locator('main').innerText();
  t.ok(/within 2 working days/.test(text) && /within 10 working days/.test(text),
    'the start page shows the acknowledgement and Stage 1 times of the procedure (001 B Stage 1; 000)');
  t.ok(/Rights and Participation Service/.test(text), 'the start page names the advocacy service');
  t.ok(/Ombudsman/.test(text), 'the start page names the Ombudsman');
  t.eq(r.headers()['content-security-policy'].includes("frame-ancestors 'none'"), true,
    'pages are sent with a content security policy that forbids framing');
  t.eq(r.headers()['referrer-policy'], 'no-referrer', 'pages never send a referrer');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  t.ok(width <= 320, `the start page fits a 320px-wide phone without sideways scrolling (${width}px)`);
  await t.check(page, 'public-start');
  await t.fits(page, 'public-start');

  // The skip link is the first thing a keyboard reaches.
  await page.keyboard.press('Tab');
  t.eq(await page.evaluate(() => document.activeElement.textContent), 'Skip to main content',
    'the first Tab reaches the skip link');

  // The version for children and young people, in short sentences.
  await page.click('text=Read the page for children and young people');
  t.eq(await page.locator('h1').innerText(), 'Not happy? Tell us', 'the young people\'s page opens');
  const young = await page.locator('main').innerText();
  t.ok(/within 2 working days/.test(young) && /within 10 working days/.test(young),
    'the young people\'s page shows the same times, from the procedure');
  await t.check(page, 'public-young-people');
  await t.fits(page, 'public-young-people');

  // The times follow the data: BCCC counts in weeks (003 Stage 1).
  await page.goto('/o/bccc/');
  const bccc = await page.locator('main').innerText();
  t.ok(/within 1 week/.test(bccc) && /within 4 weeks/.test(bccc),
    'BCCC\'s start page shows its own clocks in weeks (003 Stage 1)');

  // A member of the public files a complaint for a child, on the phone.
  await page.goto('/o/bct/');
  await page.click('text=Start now');
  t.eq(new URL(page.url()).pathname, '/o/bct/form/kind', 'Start now opens the first question');
  await t.check(page, 'public-form-kind');
  await t.fits(page, 'public-form-kind');
  const continueButton = page.locator('button', { hasText: 'Continue' });

  // Leaving the question empty shows the error summary, linked to the field.
  await continueButton.click();
  t.eq(await page.locator('.error-summary h2').innerText(), 'There is a problem',
    'an unanswered question shows the error summary');
  t.ok((await page.title()).startsWith('Error: '), 'the page title starts with "Error:"');
  await t.check(page, 'public-form-error');
  await t.fits(page, 'public-form-error');
  await page.click('.error-summary a[href="#kind"]');
  t.eq(await page.evaluate(() => document.activeElement.id), 'kind',
    'the summary\'s link moves focus to the field');
  await page.check('#kind'); // A complaint
  await continueButton.click();

  await t.check(page, 'public-form-who');
  await t.fits(page, 'public-form-who');
  await page.check('label:has-text("A child or young person: I am telling you for them")');
  await continueButton.click();
  t.eq(await page.locator('h1').innerText(), 'About the child or young person',
    'someone telling us for a child is asked about the child (001 §7.3)');
  await page.fill('#child_given_name', 'Sam');
  await page.fill('#child_family_name', 'Taylor');
  await page.fill('#child_dob', '14');
  await page.fill('#child_dob-month', '6');
  await page.fill('#child_dob-year', '2012');
  await page.check('label:has-text("In care (looked after)")');
  await page.check('label:has-text("Their foster carer")');
  await page.check('label:has-text("Yes, they agree")');
  await t.check(page, 'public-form-child');
  await t.fits(page, 'public-form-child');
  await continueButton.click();

  t.eq(await page.locator('h1').innerText(), 'Your details', 'then for their own details');
  await page.fill('#given_name', 'Jo');
  await page.fill('#family_name', 'Taylor');
  await page.check('label:has-text("Email")');
  await page.fill('#email', 'jo.taylor@example.com');
  await page.fill('#needs', 'An interpreter for Polish, please');
  await t.check(page, 'public-form-contact');
  await t.fits(page, 'public-form-contact');
  await continueButton.click();

  await page.fill('#service', 'Fostering team');
  await t.check(page, 'public-form-service');
  await t.fits(page, 'public-form-service');
  await continueButton.click();

  // Three empty questions: three links, each to its field.
  await continueButton.click();
  const links = await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  t.eq(links.join(' '), '#summary #details #outcome',
    'the error summary lists every empty question in page order (004: what would put it right)');
  await page.click('.error-summary a[href="#details"]');
  t.eq(await page.evaluate(() => document.activeElement.id), 'details', 'the link to "Tell us more" focuses it');
  await page.fill('#summary', 'Nobody told us the social worker had changed');
  await page.fill('#details', 'In May the social worker left.\nWe found out three weeks later.');
  await page.fill('#outcome', 'An apology, and to be told about changes in future');
  await t.check(page, 'public-form-what');
  await t.fits(page, 'public-form-what');
  await continueButton.click();

  t.eq(await page.locator('h1').innerText(), 'Supporting documents', 'supporting documents are asked for (004)');
  await page.setInputFiles('#document', { name: 'letter.txt', mimeType: 'text/plain',
    buffer: Buffer.from('Our letter of 3 May asking for a meeting.') });
  await page.click('button:has-text("Add this file")');
  t.ok(await page.locator('.summary-key', { hasText: 'letter.txt' }).count() === 1, 'the file is listed once added');
  await t.check(page, 'public-form-documents');
  await t.fits(page, 'public-form-documents');
  await continueButton.click();

  await page.check('label:has-text("Yes")');
  await t.check(page, 'public-form-share');
  await t.fits(page, 'public-form-share');
  await continueButton.click();
  t.eq(await page.locator('h1').innerText(), 'Equality questions (optional)',
    'the equality questions come last and say they are optional (000)');
  await t.check(page, 'public-form-equality');
  await t.fits(page, 'public-form-equality');
  await continueButton.click();

  // Check your answers, and change one.
  t.eq(await page.locator('h1').innerText(), 'Check your answers before sending', 'check your answers');
  await t.check(page, 'public-form-check');
  await t.fits(page, 'public-form-check');
  await page.click('a[href="/o/bct/form/service?change=1"]');
  await page.fill('#service', 'Fostering and placements team');
  await continueButton.click();
  t.eq(new URL(page.url()).pathname, '/o/bct/form/check', 'a change goes back to check your answers');
  t.ok((await page.locator('main').innerText()).includes('Fostering and placements team'), 'with the changed answer');

  await page.click('button:has-text("Send")');
  const reference = await page.locator('#reference').innerText();
  t.ok(/^BCT-2026-\d{5}$/.test(reference), `the confirmation panel gives the reference (${reference})`);
  t.eq(await page.locator('#due').innerText(), '25 November 2026',
    'and the date they will hear by: 2 working days after 23 November (000; 004)');
  await t.check(page, 'public-form-sent');
  await t.fits(page, 'public-form-sent');

  // The private link, once.
  const href = await page.locator('#tracking-link').getAttribute('href');
  t.ok(/^\/o\/bct\/track\/fhl_[A-Za-z0-9_-]{43}$/.test(href), 'the private link carries a random token');
  await page.click('#tracking-link');
  t.eq(await page.locator('h1').innerText(), 'Your complaint', 'the tracking link opens the complaint');
  const tracking = await page.locator('main').innerText();
  t.ok(tracking.includes(reference) && tracking.includes('25 November 2026'),
    'it shows the reference and when we will acknowledge it');
  t.ok(!tracking.includes('Sam') && !tracking.includes('jo.taylor'),
    'it shows no names or contact details to whoever holds the link');
  await t.check(page, 'public-track');
  await t.fits(page, 'public-track');

  // A letter the complaints team sends appears on the tracking page (issue 7 part 1).
  const api = await t.newContext();
  await t.signIn(api, 'complaints');
  for (const [action, data] of [['triage', { grounds_arose_on: '2026-11-02' }], ['accept', {}]]) {
    const done = await t.api(api, 'POST', `${t.base}/api/v1/cases/${reference}/actions/${action}`, { data });
    t.eq(done.status(), 200, `the complaints team records ${action}`);
  }
  const sent = await t.api(api, 'POST', `${t.base}/api/v1/cases/${reference}/letters`,
    { data: { kind: 'acknowledgement', variant: 'child' } });
  t.eq(sent.status(), 201, 'the complaints team issues a child-friendly acknowledgement');
  await page.goto(href);
  const letters = await page.locator('#letters + .letter-list').innerText();
  t.ok(/for children and young people/.test(letters), 'the tracking page lists the letter sent, with its version');
  await t.check(page, 'public-track-letters');
  await t.fits(page, 'public-track-letters');
  await Promise.all([page.waitForNavigation(), page.click('.letter-list .letter-title')]);
  t.ok(await page.locator('article.letter').count() === 1 &&
       (await page.locator('article.letter').innerText()).includes(reference),
  'the letter opens from the tracking page');
  t.ok(await page.locator('a[href$="?format=pdf"]').count() === 1, 'with its PDF to download');
  await t.check(page, 'public-track-letter');
  await t.fits(page, 'public-track-letter');

  r = await page.goto(href.slice(0, -1) + (href.endsWith('A') ? 'B' : 'A'));
  t.eq(r.status(), 404, 'a wrong token is refused (404)');
  t.eq(await page.locator('h1').innerText(), 'This link does not work', 'with a page that says so');
  await t.check(page, 'public-track-refused');
  await t.fits(page, 'public-track-refused');
  r = await page.goto('/o/bct/track/not-a-token');
  t.eq(r.status(), 404, 'an unknown token is refused (404)');

  // The start page on a desktop screen: the help for young people beside it.
  const desk = await t.newPage();
  await desk.goto('/o/bcp/');
  t.ok((await desk.locator('main').innerText()).includes('Coram Voice'),
    'BCP\'s start page names its own advocacy service (002)');
  await t.check(desk, 'public-start-desktop');

  // An unknown organisation is a page, not JSON.
  r = await page.goto('/o/nowhere/');
  t.eq(r.status(), 404, 'an unknown organisation answers 404');
  t.eq(await page.locator('h1').innerText(), 'Page not found', 'the 404 is a page in the site layout');
  await t.check(page, 'public-not-found');
  await t.fits(page, 'public-not-found');
});
