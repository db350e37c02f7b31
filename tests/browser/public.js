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

  // The times follow the data: BCCC counts in weeks (003 Stage 1).
  await page.goto('/o/bccc/');
  const bccc = await page.locator('main').innerText();
  t.ok(/within 1 week/.test(bccc) && /within 4 weeks/.test(bccc),
    'BCCC\'s start page shows its own clocks in weeks (003 Stage 1)');

  // An unknown organisation is a page, not JSON.
  r = await page.goto('/o/nowhere/');
  t.eq(r.status(), 404, 'an unknown organisation answers 404');
  t.eq(await page.locator('h1').innerText(), 'Page not found', 'the 404 is a page in the site layout');
  await t.check(page, 'public-not-found');
});
