// Issue 15 item 2: an officer builds a small two-level rubric in the item
// editor, adding and removing rows, at desk and phone size; a bad maximum
// comes back named by row and field with every row kept; the saved rubric
// offers «Xuất JSON», «Xuất Excel» and a new version started from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot } from './lib.mjs';

const DESK = { viewport: { width: 1366, height: 768 } };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true };

async function noSideways(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${what} scrolls sideways by ${overflow}px`);
}

// Fills row `i` (0-based) of the editor.
async function fillRow(page, i, [code, parent, title, kind, max]) {
  const row = page.locator('#rubric-items tr.item-row').nth(i);
  await row.locator('[name=item_code]').fill(code);
  await row.locator('[name=item_parent]').fill(parent);
  await row.locator('[name=item_title]').fill(title);
  await row.locator('[name=item_kind]').selectOption(kind);
  await row.locator('[name=item_max]').fill(max);
}

async function build(page, code, size) {
  await page.goto(`${BASE}/scoring/rubrics`);
  await noSideways(page, `editor (${size})`);
  await page.fill('#rubric-form input[name=code]', code);
  await page.fill('#rubric-form input[name=title]', `Bảng tiêu chí thử (${size})`);
  const rows = page.locator('#rubric-items tr.item-row');
  assert.equal(await rows.count(), 5, 'five blank rows to start');
  // add two rows: seven in all
  await page.click('#add-row');
  await page.click('#add-row');
  assert.equal(await rows.count(), 7);
  await fillRow(page, 0, ['1', '', 'Thực hiện chỉ tiêu kinh tế - xã hội', 'group', '60']);
  await fillRow(page, 1, ['1.1', '1', 'Tăng trưởng GRDP', 'manual', '30']);
  await fillRow(page, 2, ['1.2', '1', 'Thu ngân sách nhà nước', 'manual', 'x']);
  await fillRow(page, 3, ['XOA', '', 'Dòng sẽ xóa', 'manual', '1']);
  await fillRow(page, 4, ['2', '', 'Công tác thi đua, khen thưởng', 'manual', '40']);
  await fillRow(page, 5, ['T1', '', 'Sáng kiến được công nhận', 'bonus', '2,5']);
  // the children are indented under their group as they are typed
  assert.equal(await rows.nth(1).getAttribute('data-depth'), '1');
  assert.equal(await rows.nth(4).getAttribute('data-depth'), '0');
  // remove the row «XOA»: six rows, the one after it moves up
  await rows.nth(3).locator('.remove-row').click();
  assert.equal(await rows.count(), 6);
  assert.equal(await rows.nth(3).locator('[name=item_code]').inputValue(), '2');
  await noSideways(page, `editor filled (${size})`);
  await shot(page, `rubric-editor-${size}`);

  // a bad maximum: refused, named by row and field, every row kept
  await Promise.all([page.waitForLoadState('load'), page.click('#rubric-form button[type=submit]')]);
  const alert = await page.textContent('#rubric-errors');
  assert.match(alert, /Mục «1\.2» \(dòng 3 của bảng\), ô «Điểm tối đa»: «x» không phải là số/);
  assert.doesNotMatch(alert, /invalid|expected/);
  assert.equal(await page.locator('#rubric-items [name=item_max][aria-invalid=true]').inputValue(), 'x');
  assert.equal(await page.locator('#rubric-items [name=item_title]').nth(4).inputValue(), 'Sáng kiến được công nhận');
  await noSideways(page, `editor refused (${size})`);
  await shot(page, `rubric-editor-error-${size}`);

  await page.locator('#rubric-items [name=item_max]').nth(2).fill('30');
  await Promise.all([page.waitForLoadState('load'), page.click('#rubric-form button[type=submit]')]);
  assert.match(page.url(), new RegExp(`/scoring/rubrics/${code}\\?version=1`));
  assert.equal((await page.textContent('#max-total')).trim(), '102,5');
  await noSideways(page, `rubric page (${size})`);
  await shot(page, `rubric-saved-${size}`);

  // a new version starts from these items
  await Promise.all([page.waitForLoadState('load'), page.click('#new-version')]);
  assert.equal(await page.locator('#rubric-items [name=item_code]').first().inputValue(), '1');
  assert.equal(await page.locator('#rubric-items tr.item-row').count(), 5 + 5);
  const json = await page.request.get(`${BASE}/scoring/rubrics/${code}/1/json`);
  assert.equal(json.status(), 200);
  assert.equal((await json.json()).items.length, 3);
}

test('an officer builds a two-level rubric in the editor at desk and phone size', async () => {
  const browser = await launch();
  try {
    for (const [size, opts] of [['desk', DESK], ['phone', PHONE]]) {
      const page = await (await browser.newContext(opts)).newPage();
      const problems = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await login(page, 'canbo.cantho');
      await build(page, `thu-${size}`, size);
      assert.deepEqual(problems, []);
    }
  } finally {
    await browser.close();
  }
});

test('every import page links its template without covering the upload at 390 px', async () => {
  const browser = await launch();
  try {
    const page = await (await browser.newContext(PHONE)).newPage();
    await login(page, 'canbo.cantho');
    for (const [path, link, name] of [
      ['/awards/import', '/awards/import/template.xlsx', 'award-import'],
      ['/decisions/new', '/decisions/template.xlsx', 'decision-new'],
      ['/scoring/rubrics', '/scoring/rubric-template.xlsx', 'rubric-new'],
    ]) {
      await page.goto(`${BASE}${path}`);
      const a = page.locator(`a[href="${link}"]`);
      assert.equal(await a.count(), 1, `${path} links ${link}`);
      const file = page.locator('input[type=file]').first();
      await a.scrollIntoViewIfNeeded();
      const box = await a.boundingBox();
      const fbox = await file.boundingBox();
      assert.ok(box && fbox, `${path}: both shown`);
      const overlap = box.x < fbox.x + fbox.width && fbox.x < box.x + box.width
        && box.y < fbox.y + fbox.height && fbox.y < box.y + box.height;
      assert.ok(!overlap, `${path}: «Tải mẫu» covers the file field`);
      const r = await page.request.get(`${BASE}${link}`);
      assert.equal(r.status(), 200, link);
      await noSideways(page, path);
      await shot(page, `template-link-${name}-phone`);
    }
  } finally {
    await browser.close();
  }
});
