// Issue 6: an officer drafts a proposal list for the unit, adds people,
// sees each one's verdict with its clauses and citations, the quota section
// and the check; a nominee rated «không hoàn thành» blocks the submit until
// taken off, then the list is submitted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot } from './lib.mjs';

const UNIT = 'hau-giang.so-xay-dung';

async function rate(page, name, rating) {
  await page.goto(`${BASE}/people?q=${encodeURIComponent(name)}`);
  await Promise.all([page.waitForLoadState('load'), page.click(`#people a:text("${name}")`)]);
  await page.click('#add-rating summary');
  await page.fill('#add-rating input[name=year]', '2024');
  await page.selectOption('#add-rating select[name=rating]', rating);
  await Promise.all([page.waitForLoadState('load'), page.click('#add-rating button[type=submit]')]);
}

test('an officer checks and submits a Lao động tiên tiến list for Sở Xây dựng Hậu Giang', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await login(page, 'canbo.haugiang');
    await rate(page, 'Trần Thị Hà', 'hoan-thanh-tot');
    await rate(page, 'Nguyễn Văn Bình', 'khong-hoan-thanh');

    await page.goto(`${BASE}/units/${UNIT}`);
    await Promise.all([page.waitForLoadState('load'), page.click('a:text("Danh sách đề nghị khen thưởng")')]);
    await page.fill('#new-list input[name=year]', '2024');
    await page.selectOption('#new-list select[name=award]', 'lao-dong-tien-tien');
    await Promise.all([page.waitForLoadState('load'), page.click('#new-list button[type=submit]')]);
    assert.match(await page.textContent('h1'), /Lao động tiên tiến» năm 2024/);

    for (const name of ['Trần Thị Hà', 'Nguyễn Văn Bình']) {
      await page.selectOption('#add-nominee select[name=nominee]', { label: name });
      await Promise.all([page.waitForLoadState('load'), page.click('#add-nominee button[type=submit]')]);
    }
    const nominees = page.locator('#nominees article.nominee');
    assert.equal(await nominees.count(), 2);
    const ha = nominees.filter({ hasText: 'Trần Thị Hà' });
    assert.match(await ha.locator('summary').first().textContent(), /đủ điều kiện/);
    await ha.locator('details.answer summary').click();
    assert.match(await ha.locator('ul.clauses').last().textContent(), /Điều 24 Luật TĐKT 2022/);
    const verdict = await page.textContent('#verdict');
    assert.match(verdict, /Nguyễn Văn Bình: chưa đủ điều kiện/);
    assert.match(await page.textContent('#quota'), /Số được đề nghị: 2/);
    await shot(page, 'proposal-list');

    // submitting is refused with the reason; taking Bình off lets it through
    const refused = await Promise.all([page.waitForLoadState('load'), page.click('#verdict button[type=submit]')]);
    assert.match(await page.textContent('body'), /Nguyễn Văn Bình: chưa đủ điều kiện/);
    await page.goBack();
    await page.reload();
    const binh = page.locator('#nominees article.nominee').filter({ hasText: 'Nguyễn Văn Bình' });
    await Promise.all([page.waitForLoadState('load'), binh.locator('button:text("Bỏ khỏi danh sách")').click()]);
    await Promise.all([page.waitForLoadState('load'), page.click('#verdict button[type=submit]')]);
    assert.match(await page.textContent('#list-status'), /đã trình/);
    await shot(page, 'proposal-list-submitted');
    void refused;
  } finally {
    await browser.close();
  }
});
