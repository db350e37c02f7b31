// The staff pages in a real browser (issue 6 §2, §3): the complaints officer
// signs in through the sign-in page, finds a new contact on the team
// dashboard, triages and accepts it and appoints the Adjudicating Officer,
// who signs in, is refused an extension past the procedure's limit (the rule
// and its source on the page, the form kept), extends within it, records a
// finding on every point and issues the response.  An investigator who is not
// on the case, and another organisation's complaints team, are refused.
// Every page is checked with axe-core, photographed and weighed
// (tests/browser/harness.js).
'use strict';
const harness = require('./harness');

harness.run(async (t) => {
  // A new contact, recorded by phone through the API (as a call handler would).
  const api = await t.newContext();
  await t.signIn(api, 'complaints');
  const created = await t.api(api, 'POST', `${t.base}/api/v1/cases`, {
    data: {
      org: 'bct', kind: 'complaint', channel: 'phone', received_on: harness.TODAY,
      summary: 'Contact with my son was cancelled twice without notice',
      parties: [
        { role: 'complainant', relationship: 'parent', consent: 'given', consent_on: harness.TODAY,
          person: { given_name: 'Rowan', family_name: 'Ashdown', phone: '0121 496 0000' } },
        { role: 'child', child_status: 'looked_after', person: { given_name: 'Eli', family_name: 'Ashdown' } },
      ],
      points: [
        { summary: 'Contact was cancelled twice without notice', desired_outcome: 'Contact restored, with notice of any change' },
        { summary: 'Calls to the social worker were not returned', desired_outcome: 'Calls returned within two working days' },
      ],
    },
  });
  t.eq(created.status(), 201, 'a new contact is recorded through the API');
  const ref = (await created.json()).reference;

  const submit = (page) => Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
  const signIn = async (page, email, next) => {
    await page.goto(next ? `/staff/login?next=${encodeURIComponent(next)}` : '/staff/login');
    await page.fill('#email', email);
    await page.fill('#password', 'fairhearing-demo');
    await submit(page);
  };
  const action = async (page, name) => {
    await page.goto(`/staff/cases/${ref}`);
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/staff/cases/${ref}/actions/${name}"]`)]);
  };

  // ---- the complaints officer signs in ------------------------------------------
  const officer = await t.newPage();
  let r = await officer.goto('/staff/team');
  t.ok(officer.url().includes('/staff/login?next='), 'a staff page sends a stranger to sign in');
  await t.check(officer, 'staff-login');
  await officer.fill('#email', 'complaints@bct.demo');
  await officer.fill('#password', 'not-the-password');
  await submit(officer);
  t.ok(/The email address or password is not right/.test(await officer.locator('.error-summary').innerText()),
    'a wrong password is explained in the error summary');
  await t.check(officer, 'staff-login-error');
  await officer.fill('#password', 'fairhearing-demo');
  await submit(officer);
  t.ok(officer.url().endsWith('/staff/team'), 'signing in goes back to the page asked for');
  t.ok(/Mohammed Smith/.test(await officer.locator('header').innerText()), 'the header names who is signed in');

  // ---- the team dashboard: the new contact, by stage --------------------------------
  t.ok(/New contacts: 1/.test(await officer.locator('.stage-counts').innerText()), 'the dashboard counts one new contact');
  await t.check(officer, 'staff-team-dashboard');
  await Promise.all([officer.waitForNavigation(), officer.click('.stage-counts a:has-text("New contacts")')]);
  t.ok(await officer.locator(`a[href="/staff/cases/${ref}"]`).count() === 1, 'filtering by stage lists the new contact');
  await Promise.all([officer.waitForNavigation(), officer.click(`a[href="/staff/cases/${ref}"]`)]);
  t.eq(await officer.locator('h1').innerText(), ref, 'its row opens the case page');
  const caseText = await officer.locator('main').innerText();
  t.ok(/Rowan Ashdown/.test(caseText) && /Contact restored, with notice of any change/.test(caseText),
    'the case page shows the people and the desired outcomes');
  t.ok(await officer.locator('a[href$="/actions/triage"]').count() === 1 &&
       await officer.locator('a[href$="/actions/issue_response"]').count() === 0,
  'before triage the page offers triage, and no response (only what the procedure allows now)');
  t.ok(!/Route:/.test(caseText), 'before triage the page shows no route');
  await t.check(officer, 'staff-case-new');

  // ---- triage, accept, appoint ---------------------------------------------------------
  await action(officer, 'triage');
  await t.check(officer, 'staff-action-triage');
  await officer.fill('#grounds_arose_on', '2026-11-02');
  await submit(officer);
  t.ok(/Done: Triage/.test(await officer.locator('main').innerText()), 'triage is done');
  t.ok(/Route: Statutory/.test(await officer.locator('#triage + p').innerText()),
    'a parent complaining for a looked-after child goes the statutory route (001 §7.2, §7.3)');
  await action(officer, 'accept');
  await submit(officer);
  t.ok(/Done: Accept into Stage 1/.test(await officer.locator('main').innerText()), 'the complaint is accepted into Stage 1');
  await action(officer, 'assign');
  await officer.selectOption('#role', 'adjudicating_officer');
  await officer.selectOption('#user', 'adjudicator@bct.demo');
  await submit(officer);
  t.ok(/adjudicator@bct\.demo, Adjudicating officer/.test(await officer.locator('main').innerText()),
    'the Adjudicating Officer is appointed to Stage 1');

  // ---- the Adjudicating Officer -------------------------------------------------------------
  const adj = await t.newPage();
  await signIn(adj, 'adjudicator@bct.demo');
  t.ok(adj.url().endsWith('/staff/work'), 'the Adjudicating Officer signs in to My work');
  t.ok(await adj.locator(`a[href="/staff/cases/${ref}"]`).count() === 1, 'the case is in their work');
  await t.check(adj, 'staff-my-work');

  await action(adj, 'extend');
  await adj.check('input[name="clock"][value="response"]');
  await adj.fill('#to', '30');
  await adj.check('input[name="because"][value="complex"]');
  await adj.fill('#reason', 'Records from two teams are needed');
  await submit(adj);
  const refusal = await adj.locator('.error-summary').innerText();
  t.ok(/at most 20/.test(refusal) && /001 B Stage 1/.test(refusal),
    'an extension past 20 working days is refused with the rule and its source (001 B Stage 1)');
  t.eq(await adj.inputValue('#to'), '30', 'the refused form keeps what was typed');
  t.eq(await adj.inputValue('#reason'), 'Records from two teams are needed', 'every field of it');
  await t.check(adj, 'staff-action-refused');
  await adj.fill('#to', '20');
  await submit(adj);
  t.ok(/Done: Extend a clock/.test(await adj.locator('main').innerText()), 'an extension to 20 working days is made');
  t.ok(/20 working days/.test(await adj.locator('#deadlines ~ .table-wrap').first().innerText()),
    'the Stage 1 clock now runs for 20 working days');

  for (const [point, outcome] of [['1', 'upheld'], ['2', 'not_upheld']]) {
    await action(adj, 'record_finding');
    await adj.selectOption('#point', point);
    await adj.selectOption('#outcome', outcome);
    await adj.fill('#reasoning', `Point ${point} was looked into with the records and the team.`);
    await adj.fill('#outcome_response', `Our answer to what you asked for on point ${point}.`);
    if (point === '1') await t.check(adj, 'staff-action-finding');
    await submit(adj);
  }
  const withFindings = await adj.locator('#points ~ ol').first().innerText();
  t.ok(/Stage 1 finding: Upheld/.test(withFindings) && /Stage 1 finding: Not upheld/.test(withFindings),
    'a finding is recorded on each point (DOMAIN §4)');

  await action(adj, 'issue_response');
  await adj.fill('#learning', 'Contact changes will be confirmed in writing.');
  await adj.fill('#actions-1-action', 'Brief the team on notice of contact changes');
  await adj.fill('#actions-1-owner', 'adjudicator@bct.demo');
  await adj.fill('#actions-1-due_on', '2026-12-18');
  await t.check(adj, 'staff-action-response');
  await submit(adj);
  const responded = await adj.locator('main').innerText();
  t.ok(/Done: Issue the response/.test(responded), 'the response is issued');
  t.ok(/Brief the team on notice of contact changes/.test(responded) && /Responded/.test(responded),
    'the case page shows the response with its action, owner and date');
  await t.check(adj, 'staff-case-responded');

  // ---- letters: a refusal naming what is missing, then the response letter -----------------
  await adj.goto(`/staff/cases/${ref}`);
  await Promise.all([adj.waitForNavigation(), adj.click(`a[href="/staff/cases/${ref}/letters/new"]`)]);
  await t.check(adj, 'staff-letter-form');
  await adj.check('input[name="kind"][value="panel_invitation"]');
  await submit(adj);
  const letterRefusal = await adj.locator('.error-summary').innerText();
  t.ok(/panel/.test(letterRefusal) && /001 B Stage 3/.test(letterRefusal),
    'a panel invitation before a panel is refused, naming what is missing and the rule (001 B Stage 3)');
  t.ok(await adj.isChecked('input[name="kind"][value="panel_invitation"]'), 'the refused letter form keeps the choice');
  await t.check(adj, 'staff-letter-refused');
  await adj.check('input[name="kind"][value="stage_response"]');
  await adj.check('input[name="variant"][value="plain"]');
  await submit(adj);
  const issued = await adj.locator('main').innerText();
  t.ok(/the letter is issued/.test(issued) && /Contact changes will be confirmed in writing/.test(issued),
    'the stage response letter is issued and shows the learning recorded with the response');
  t.ok(await adj.locator('article.letter h1').count() === 1, 'the letter is shown in the page');
  await t.check(adj, 'staff-letter');
  await adj.goto(`/staff/cases/${ref}`);
  t.ok(/Stage response/.test(await adj.locator('#letters ~ .table-wrap').first().innerText()),
    'the case page lists the letter');

  // ---- the wrong users -----------------------------------------------------------------------
  const inv = await t.newPage();
  await signIn(inv, 'investigator@bct.demo');
  r = await inv.goto(`/staff/cases/${ref}`);
  t.eq(r.status(), 404, 'an investigator not assigned to the case is refused (404, as if it did not exist)');
  t.eq(await inv.locator('h1').innerText(), 'Page not found', '... with a page');
  await t.check(inv, 'staff-case-refused');
  const other = await t.newPage();
  await signIn(other, 'complaints@bcp.demo');
  r = await other.goto(`/staff/cases/${ref}`);
  t.eq(r.status(), 404, "another organisation's complaints team is refused (404)");
  r = await other.goto('/staff/admin/bct/users');
  t.eq(r.status(), 404, "... and cannot see bct's administration");

  // ---- reports -------------------------------------------------------------------------------
  await officer.goto('/staff/work');
  t.ok(/Your deadlines in your calendar/.test(await officer.locator('main').innerText()),
    'My work says how to subscribe to your deadlines');
  await Promise.all([officer.waitForNavigation(), officer.click('.staff-nav a:has-text("Reports")')]);
  t.eq(await officer.locator('h1').innerText(), 'Reports', 'the navigation leads to the reports page');
  await t.check(officer, 'staff-reports');
  await officer.check('input[name="period"][value="dates"]');
  await officer.fill('#from', '2026-13-01');
  await officer.fill('#to', '2026-11-30');
  await submit(officer);
  t.ok(/The first day must be a date/.test(await officer.locator('.error-summary').innerText()),
    'an impossible date is refused, naming the field');
  await t.check(officer, 'staff-reports-refused');
  await officer.fill('#from', '2025-12-01');
  await officer.check('input[name="anonymised"]');
  await submit(officer);
  const report = await officer.locator('main').innerText();
  t.ok(/Responses within the deadline/.test(report) && /Remedies and payments/.test(report),
    'the anonymised report shows in the page, remedies and all');
  await t.check(officer, 'staff-report');

  // ---- search and administration -----------------------------------------------------------
  await officer.goto('/staff/search');
  await officer.fill('#q', 'Ashdown');
  await submit(officer);
  t.ok(await officer.locator(`a[href="/staff/cases/${ref}"]`).count() === 1, 'a search by family name finds the case');
  await t.check(officer, 'staff-search');
  // Keyset pages: "Next page" carries the cursor of the last case shown.
  await officer.goto('/staff/search?q=the');
  const firstPage = await officer.locator('tbody a').allTextContents();
  t.ok(await officer.locator('a[rel="next"]').count() === 1, 'a search for "the" has a Next page link');
  await officer.click('a[rel="next"]');
  const nextPage = await officer.locator('tbody a').allTextContents();
  t.ok(/[?&]after=/.test(officer.url()), 'Next page carries the cursor (after=)');
  t.ok(nextPage.length > 0 && !nextPage.some(ref => firstPage.includes(ref)),
    'the next page shows further cases, none of the first page again');
  await t.check(officer, 'staff-search-next');
  const admin = await t.newPage();
  await signIn(admin, 'admin@bct.demo', '/staff/admin');
  t.ok(admin.url().endsWith('/staff/admin'), 'the administrator signs in to administration');
  for (const section of ['users', 'teams', 'procedures', 'closures']) {
    r = await admin.goto(`/staff/admin/bct/${section}`);
    t.eq(r.status(), 200, `the ${section} page answers 200`);
    await t.check(admin, `staff-admin-${section}`);
  }
  await admin.fill('#date', '2026-12-29');
  await admin.fill('#reason', 'Winter closure');
  await submit(admin);
  t.ok(/Tue 29 Dec 2026/.test(await admin.locator('main').innerText()), 'a closure day is added');

  // ---- on a phone: nothing scrolls sideways but a table inside its frame ----------
  const phone = await t.newContext({ phone: true });
  const small = await phone.newPage();
  await small.goto('/staff/login');
  await t.fits(small, 'staff-login-phone');
  await t.signIn(phone, 'complaints');
  for (const [path, name] of [['/staff/team', 'staff-team-phone'], [`/staff/cases/${ref}`, 'staff-case-phone'],
    [`/staff/cases/${ref}/actions/record_finding`, 'staff-action-phone']]) {
    r = await small.goto(path);
    t.eq(r.status(), 200, `${path} answers 200 on a phone`);
    await t.fits(small, name);
  }
  await t.screenshot(small, 'staff-action-phone');

  // ---- signing out -----------------------------------------------------------------------------
  await Promise.all([officer.waitForNavigation(), officer.click('header button:has-text("Sign out")')]);
  t.ok(officer.url().includes('/staff/login'), 'signing out goes to the sign-in page');
  r = await officer.goto('/staff/team');
  t.ok(officer.url().includes('/staff/login?next='), 'after signing out the dashboard asks to sign in again');
});
