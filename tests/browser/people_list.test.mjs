// Issue 15: the people list shows a count, sorts by a column header and
// keeps the sort in its links. Check screenshots: target/screenshots/people-list-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot } from './lib.mjs';

test('the people list counts and sorts by name', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 }, locale: 'vi-VN' });
    await login(page, 'admin');
    await page.goto(`${BASE}/people`);
    assert.match(await page.textContent('#people-count'), /^\d[\d.]* người$/);
    await page.click('#people thead a:has-text("Họ và tên")');
    assert.match(page.url(), /sap_xep=ten(&|$)/);
    assert.equal(await page.getAttribute('#people thead th:first-child', 'aria-sort'), 'ascending');
    await shot(page, 'people-list-desk');
  } finally {
    await browser.close();
  }
});
