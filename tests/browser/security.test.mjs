// The Content Security Policy (no inline script) breaks nothing: pages that
// used inline script or a javascript: link before issue 12 load without a
// single CSP violation or script error, and their conveniences still work
// from /static/app.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot } from './lib.mjs';

test('pages raise no CSP violation and the error page still goes back', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const problems = [];
    // script errors and CSP reports (a 404 for /favicon.ico or the error
    // page's own status is not one)
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
        problems.push(`${page.url()}: ${m.text()}`);
      }
    });
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    await login(page, 'admin');
    for (const path of ['/', '/units', '/people?q=ha', '/search?q=ha', '/scoring', '/awards/import',
      '/clusters', '/movements', '/ballots', '/admin/audit']) {
      const r = await page.goto(`${BASE}${path}`);
      assert.equal(r.status(), 200, path);
      assert.match(r.headers()['content-security-policy'], /script-src 'self';/);
    }
    // the rubric form's XLSX field is wired by /static/app.js
    await page.goto(`${BASE}/scoring`);
    assert.equal(await page.locator('#xlsx-file').count(), 1);
    // «Quay lại» on an error page goes back without a javascript: link
    await page.goto(`${BASE}/units`);
    await page.goto(`${BASE}/khong-co-trang-nay`);
    await shot(page, 'error-page-csp');
    await Promise.all([page.waitForURL(`${BASE}/units`), page.click('a[data-back]')]);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
