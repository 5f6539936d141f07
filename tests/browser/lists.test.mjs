// Issue 15 item 10: every list shows a count, sorts by a column header (or,
// on a phone where the headers are hidden, by the «Sắp xếp» links), keeps
// the sort and filters in its links, offers XLSX/CSV of the filtered list,
// and never scrolls the page sideways. Screenshots:
// target/screenshots/lists-*-{desk,phone}.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot } from './lib.mjs';

const LISTS = [
  // [path, slug, a sortable header's text, the sap_xep word it sets]
  ['/people', 'people', 'Họ và tên', 'ten'],
  ['/dossiers', 'dossiers', 'Năm', 'nam'],
  ['/decisions', 'decisions', 'Ngày', 'ngay'],
  ['/movements', 'movements', 'Phong trào', 'ten'],
  ['/clusters', 'clusters', 'Tên', 'ten'],
  ['/units/can-tho/awards', 'unit-awards', 'Năm', 'nam'],
  ['/councils/can-tho', 'council-members', 'Họ và tên', 'ten'],
  ['/councils/can-tho/sessions', 'council-sessions', 'Ngày họp', 'ngay'],
  ['/units/can-tho/proposals', 'proposal-lists', 'Năm', 'nam'],
  // a decision's annex, reached from the list by its number
  ['/decisions', 'decision-annex', 'Năm', 'nam', '15/QĐ-UBND'],
];

const SIZES = [['desk', 1366, 768], ['phone', 390, 844]];

test('every list counts, sorts, exports and fits the screen at desk and phone size', async () => {
  const browser = await launch();
  const problems = [];
  try {
    for (const [size, width, height] of SIZES) {
      const page = await browser.newPage({ viewport: { width, height }, locale: 'vi-VN' });
      await login(page, 'admin');
      for (const [path, slug, header, word, via] of LISTS) {
        const r = await page.goto(`${BASE}${path}`);
        if (r.status() !== 200) { problems.push(`${path} ${size}: HTTP ${r.status()}`); continue; }
        if (via) await Promise.all([page.waitForURL(/\/decisions\/\d+$/), page.click(`main a:has-text("${via}")`)]);
        const count = await page.textContent('.list-count');
        if (!/^\d[\d.]* \S/.test(count ?? '')) problems.push(`${path} ${size}: count «${count}»`);
        const rows = await page.locator('main table tbody tr').count();
        if (rows > 0) {
          if (await page.locator('a[href*="format=xlsx"]').count() === 0) problems.push(`${path} ${size}: no XLSX link`);
          if (await page.locator('a[href*="format=csv"]').count() === 0) problems.push(`${path} ${size}: no CSV link`);
          // sort: by the header on a desk, by the sort links on a phone
          const link = size === 'desk'
            ? page.locator(`main thead th[aria-sort] a:has-text("${header}")`).first()
            : page.locator('.sort-menu a').first();
          if (await link.count() === 0) { problems.push(`${path} ${size}: nothing to sort by`); }
          else {
            await Promise.all([page.waitForLoadState('load'), link.click()]);
            if (size === 'desk' && !new RegExp(`sap_xep=${word}(&|$)`).test(page.url())) problems.push(`${path} ${size}: sorted to ${page.url()}`);
            if (size === 'phone' && !/sap_xep=/.test(page.url())) problems.push(`${path} ${size}: the sort link did not sort (${page.url()})`);
          }
        }
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (over > 1) problems.push(`${path} ${size}: ${over}px wider than the screen`);
        await shot(page, `lists-${slug}-${size}`);
      }
      // the audit log: filters, a count, an export
      await page.goto(`${BASE}/admin/audit`);
      if (await page.locator('a[href*="/admin/audit?"][href*="format=csv"]').count() === 0) problems.push(`audit ${size}: no CSV link`);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (over > 1) problems.push(`/admin/audit ${size}: ${over}px wider than the screen`);
      await shot(page, `lists-audit-${size}`);
      await page.close();
    }
    // an export downloads as a file
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    await login(page, 'admin');
    const csv = await page.request.get(`${BASE}/decisions?format=csv`);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'], /^text\/csv/);
    assert.match(await csv.text(), /Số quyết định/);
  } finally {
    await browser.close();
  }
  assert.deepEqual(problems, []);
});
