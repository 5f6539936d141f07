// Issue 15 item 2: Cần Thơ's officer opens a secret ballot and a scoring
// round with the pickers only (units and cluster-years by name, the filter
// box of a long list), on a desktop and on a phone, and no page scrolls
// sideways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot } from './lib.mjs';

const SIZES = [
  ['desk', { viewport: { width: 1366, height: 768 } }],
  ['phone', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true }],
];

async function noSideways(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${what} scrolls sideways by ${overflow}px`);
}

for (const [size, options] of SIZES) {
  test(`a ballot and a scoring round opened with the pickers only (${size})`, async () => {
    const browser = await launch();
    try {
      const page = await (await browser.newContext(options)).newPage();
      await login(page, 'canbo.cantho');

      // ── the ballot
      await page.goto(`${BASE}/ballots`);
      await page.click('details.card summary:has-text("Mở cuộc bỏ phiếu mới")');
      const ballot = page.locator('#ballot-form');
      assert.equal(await ballot.locator('input[name=unit], input[name=cluster]').count(), 0, 'no code to type');
      await ballot.locator('select[name=unit]').selectOption('can-tho');
      assert.match(await ballot.locator('select[name=unit] option:checked').textContent(), /^Cần Thơ/);
      await ballot.locator('input[name=title]').fill(`Bình xét bằng bộ chọn (${size})`);
      // the candidates by name; the filter box hides the others (no diacritics needed)
      const filter = ballot.locator('input.pick-filter[data-filter=ballot-candidates]');
      if (await filter.count()) {
        await filter.fill('ca mau');
        const shown = await ballot.locator('#ballot-candidates label:visible').allTextContents();
        assert.ok(shown.length >= 1 && shown.every((t) => /Cà Mau/.test(t)), `filtered: ${shown}`);
        await filter.fill('');
      }
      // today's Cà Mau and An Giang, told from the ones before 2025 by their dates
      await ballot.locator('#ballot-candidates input[value=ca-mau]').check();
      await ballot.locator('#ballot-candidates input[value=an-giang]').check();
      await ballot.locator('#voters input[data-username="canbo.cantho"]').check();
      await ballot.locator('select[name=cluster]').selectOption({ index: 1 });
      assert.match(await ballot.locator('select[name=cluster] option:checked').textContent(), /Tây Nam bộ — \d{4}/);
      await noSideways(page, 'the ballot form');
      await shot(page, `pickers-ballot-${size}`);
      await Promise.all([page.waitForURL(/\/ballots\/\d+$/), ballot.locator('button[type=submit]').click()]);
      const body = await page.textContent('main');
      assert.match(body, /Cà Mau/);
      assert.match(body, /An Giang/);

      // ── the scoring round
      await page.goto(`${BASE}/scoring`);
      await page.click('#new-round summary');
      const round = page.locator('#round-form');
      assert.equal(await round.locator('input[name=unit], input[name=leader], textarea[name=members]').count(), 0, 'no code to type');
      await round.locator('select[name=unit]').selectOption('can-tho');
      await round.locator('input[name=title]').fill(`Chấm điểm bằng bộ chọn (${size})`);
      await round.locator('select[name=rubric]').selectOption('tay-nam-bo-moi@1');
      for (const code of ['an-giang', 'dong-thap', 'vinh-long']) {
        await round.locator(`#round-members input[value=${code}]`).check();
      }
      await round.locator('select[name=leader]').selectOption('an-giang');
      assert.match(await round.locator('select[name=leader] option:checked').textContent(), /^An Giang/);
      await noSideways(page, 'the round form');
      await shot(page, `pickers-round-${size}`);
      await Promise.all([page.waitForURL(/\/scoring\/rounds\/\d+$/), round.locator('button[type=submit]').click()]);
      const roundBody = await page.textContent('main');
      for (const name of ['An Giang', 'Đồng Tháp', 'Vĩnh Long']) assert.match(roundBody, new RegExp(name));
      await noSideways(page, 'the round page');
    } finally {
      await browser.close();
    }
  });
}
