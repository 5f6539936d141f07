// Issue 15 item 8: after a save the landing page says so. As the demo
// officer of Cần Thơ, at desk (1366×768) and phone (390×844) size, four real
// saves through the forms (a council member, a proposal list, a movement,
// a council member ended); each landing page shows its sentence from
// crates/web/src/saved.rs in the layout's status region (role=status, read
// out by screen readers), within the screen at 390 px, and app.js has
// dropped «?luu=» from the address so that a reload says nothing.
// Screenshots: target/screenshots/confirm-*-{desk,phone}.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, landed, shot } from './lib.mjs';

const SIZES = [['desk', 1366, 768], ['phone', 390, 844]];

// Each size saves its own records: the same demo database serves both.
const RUNS = {
  desk: { member: 'cum.long-an', year: '2026', movement: 'xac-nhan-luu-desk' },
  phone: { member: 'cum.tien-giang', year: '2025', movement: 'xac-nhan-luu-phone' },
};

// The landing page after a save: the sentence in the status region, on
// screen, nothing wider than the viewport, the flag gone from the address
// and the sentence gone on reload.
// The page before the save shows no notice (a fresh page or a reload), so
// waiting for one waits for the landing page.
async function confirmed(page, size, slug, where, sentence, problems) {
  const notice = page.locator('main .notice[role=status]');
  try {
    await notice.waitFor({ state: 'visible', timeout: 10000 });
  } catch (e) {
    await shot(page, `confirm-${slug}-${size}-failed`);
    throw new Error(`${slug} ${size}: no confirmation on ${page.url()}: ${(await page.textContent('main')).slice(0, 400)}`);
  }
  const url = await landed(page);
  if (!where.test(new URL(url).pathname)) problems.push(`${slug} ${size}: landed on ${url}`);
  const text = (await notice.textContent()).trim();
  if (text !== sentence) problems.push(`${slug} ${size}: «${text}» instead of «${sentence}»`);
  const width = page.viewportSize().width;
  const box = await notice.boundingBox();
  if (!box || box.x < 0 || box.x + box.width > width) problems.push(`${slug} ${size}: the notice is off screen (${JSON.stringify(box)})`);
  const lines = await notice.evaluate((el) => el.scrollWidth - el.clientWidth);
  if (lines > 0) problems.push(`${slug} ${size}: the sentence overflows its box by ${lines}px`);
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (over > 1) problems.push(`${slug} ${size}: the page is ${over}px wider than the screen`);
  if (/[?&]luu=/.test(url)) problems.push(`${slug} ${size}: the address kept the flag (${url})`);
  await shot(page, `confirm-${slug}-${size}`);
  await page.reload();
  await page.locator('main h1').first().waitFor();
  if (await notice.count() !== 0) problems.push(`${slug} ${size}: the sentence is said again on reload`);
}

test('every save lands on a page that says so, once, at desk and phone size', async () => {
  const browser = await launch();
  const problems = [];
  try {
    for (const [size, width, height] of SIZES) {
      const run = RUNS[size];
      const page = await browser.newPage({ viewport: { width, height }, locale: 'vi-VN' });
      await login(page, 'canbo.cantho');

      // a council member from 2020, still serving
      await page.goto(`${BASE}/councils/can-tho`);
      const add = page.locator('form[action="/councils/can-tho/members"]');
      await add.locator('input[name=username]').fill(run.member);
      await add.locator('input[name=from]').fill('01/01/2020');
      await add.locator('button[type=submit]').click();
      await confirmed(page, size, 'council-member', /^\/councils\/can-tho$/, 'Đã thêm thành viên hội đồng.', problems);

      // the same member's term ended («Cho thôi») at the end of 2024: the
      // date offered is today, which is still a day of membership, and the
      // journey test's session today counts exactly the city's own council
      const row = page.locator('tr[data-member]', { hasText: run.member });
      await row.locator('details.end-member summary').click();
      await row.locator('input[name=to]').fill('31/12/2024');
      await row.locator('button:has-text("Cho thôi")').click();
      await confirmed(page, size, 'council-end', /^\/councils\/can-tho$/, 'Đã ghi ngày thôi làm thành viên hội đồng.', problems);

      // a proposal list of the city
      await page.goto(`${BASE}/units/can-tho/proposals`);
      const details = page.locator('details#new-list');
      if (await details.getAttribute('open') === null) await details.locator('summary').click();
      await details.locator('input[name=year]').fill(run.year);
      await details.locator('select[name=award]').selectOption('lao-dong-tien-tien');
      await details.locator('button[type=submit]').click();
      await confirmed(page, size, 'proposal-list', /^\/units\/can-tho\/proposals\/\d+$/, 'Đã tạo danh sách đề nghị khen thưởng.', problems);

      // a movement launched by the city
      await page.goto(`${BASE}/movements/new`);
      await page.fill('input[name=name]', `Thi đua kiểm thử xác nhận (${size})`);
      await page.fill('input[name=code]', run.movement);
      await page.fill('input[name=starts]', '2026-01-01T08:00');
      await page.fill('input[name=ends]', '2026-12-31T17:00');
      await page.selectOption('select[name=unit]', 'can-tho');
      await page.click('form.stack button[type=submit]');
      await confirmed(page, size, 'movement', new RegExp(`^/movements/${run.movement}$`), 'Đã tạo phong trào thi đua.', problems);

      await page.close();
    }
  } finally {
    await browser.close();
  }
  assert.deepEqual(problems, []);
});
