// Issue 15: a confirmation after every save, at desk and phone size, that a
// reload does not repeat; an error page keeps the navigation. Check
// screenshots: target/screenshots/confirm-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot } from './lib.mjs';

const SIZES = [
  ['desk', { width: 1366, height: 768 }, '2023'],
  ['phone', { width: 390, height: 844 }, '2022'],
];

async function notice(page) {
  return (await page.textContent('main .notice[role=status]'))?.trim();
}

test('saving says so once, at desk and phone size', async () => {
  const browser = await launch();
  try {
    for (const [size, viewport, year] of SIZES) {
      const page = await browser.newPage({ viewport, locale: 'vi-VN' });
      await login(page, 'admin');

      // a proposal list of Sở Xây dựng Hậu Giang (one per award and year)
      await page.goto(`${BASE}/units/hau-giang.so-xay-dung/proposals`);
      await page.fill('input[name=year]', year);
      await page.selectOption('select[name=award]', 'lao-dong-tien-tien');
      await Promise.all([page.waitForURL(/\/proposals\/\d+/), page.click('form[action="/units/hau-giang.so-xay-dung/proposals"] button[type=submit]')]);
      assert.equal(await notice(page), 'Đã tạo danh sách đề nghị khen thưởng.');
      // the flag is dropped from the address, so a reload says nothing
      await page.waitForFunction(() => !location.search.includes('luu='));
      await shot(page, `confirm-list-${size}`);
      await page.reload();
      assert.equal(await page.locator('main .notice[role=status]').count(), 0);

      // a receipt of Cần Thơ's fund
      await page.goto(`${BASE}/fund?unit=can-tho`);
      await page.fill('input[name=entry_date]', '2026-03-02');
      await page.fill('input[name=amount]', '2.000.000');
      await page.fill('input[name=description]', `Khoản thu thử (${size})`);
      await Promise.all([page.waitForURL(/\/fund\?/), page.click('form[action="/fund/receipts"] button[type=submit]')]);
      assert.equal(await notice(page), 'Đã ghi khoản thu vào quỹ thi đua, khen thưởng.');
      await shot(page, `confirm-fund-${size}`);

      // an error page keeps the navigation and the user
      const r = await page.goto(`${BASE}/people/987654`);
      assert.equal(r.status(), 404);
      assert.equal(await page.locator('nav[aria-label="Điều hướng chính"]').count(), 1);
      assert.equal(await page.locator('form[action="/logout"]').count(), 1);
      await shot(page, `confirm-error-${size}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${size}: ${overflow}px of horizontal overflow`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
