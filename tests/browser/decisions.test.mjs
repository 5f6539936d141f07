// Issue 14 (second half of the year) and issue 15 item 7, as an officer and
// an auditor see them: the dossiers at Cần Thơ's level and the overdue
// board, the demo's issued decision with its annex and amounts, the fund
// ledger, and the audit log in Vietnamese; at desk and phone size, no page
// scrolling sideways on the phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot, landed } from './lib.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true };
const DESK = { viewport: { width: 1366, height: 768 } };

async function sideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

test('dossiers, the overdue board, the issued decision, the fund and the audit log', async () => {
  const browser = await launch();
  try {
    for (const [size, ctx] of [['desk', DESK], ['phone', PHONE]]) {
      const page = await (await browser.newContext(ctx)).newPage();
      await login(page, 'canbo.cantho');

      await page.goto(`${BASE}/dossiers`);
      assert.match(await page.textContent('main'), /Hồ sơ/);
      await shot(page, `dossiers-list-${size}`);
      await page.goto(`${BASE}/dossiers?overdue`);
      assert.match(await page.textContent('main'), /quá hạn/i);
      await shot(page, `dossiers-overdue-${size}`);

      await page.goto(`${BASE}/decisions`);
      assert.match(await page.textContent('main'), /15\/QĐ-UBND/);
      await Promise.all([page.waitForLoadState('load'), page.click('main a:has-text("15/QĐ-UBND")')]);
      assert.match((await landed(page)), /\/decisions\/\d+$/);
      const text = await page.textContent('main');
      assert.match(text, /đ/);
      assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T\d{2}:/, 'no raw ISO instant');
      await shot(page, `decision-issued-${size}`);

      await page.goto(`${BASE}/fund`);
      assert.match(await page.textContent('main'), /Quỹ/);
      await shot(page, `fund-ledger-${size}`);
      if (size === 'phone') {
        for (const path of ['/dossiers', '/decisions', '/fund']) {
          await page.goto(`${BASE}${path}`);
          assert.ok(await sideways(page) <= 1, `${path} scrolls sideways on a phone`);
        }
      }

      const admin = await (await browser.newContext(ctx)).newPage();
      await login(admin, 'admin');
      await admin.goto(`${BASE}/admin/audit`);
      const log = await admin.textContent('main');
      assert.match(log, /Chuỗi băm toàn vẹn/);
      assert.doesNotMatch(log, /\d{4}-\d{2}-\d{2}T\d{2}:/, 'no raw ISO instant');
      await admin.selectOption('form.filters select[name=doi_tuong]', 'decision');
      await Promise.all([admin.waitForLoadState('load'), admin.click('form.filters button[type=submit]')]);
      assert.match(admin.url(), /doi_tuong=decision/);
      assert.match(await admin.textContent('main'), /Ban hành · Quyết định khen thưởng/);
      await shot(admin, `audit-log-${size}`);
    }
  } finally {
    await browser.close();
  }
});
