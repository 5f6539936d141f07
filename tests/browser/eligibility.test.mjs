// Issue 6: an officer enters a rating on a person's page and sees the
// eligibility panel: verdicts, clauses ✓/✗ with their citations; the same
// on a phone-width screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot, landed } from './lib.mjs';

async function openHa(page) {
  await page.goto(`${BASE}/people?q=tran+thi+ha`);
  await Promise.all([page.waitForLoadState('load'), page.click('#people a:text("Trần Thị Hà")')]);
  await page.waitForSelector('#eligibility');
}

test('an officer rates Trần Thị Hà for 2025 and sees why she is a Lao động tiên tiến', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await login(page, 'canbo.haugiang');
    await openHa(page);
    await page.click('#add-rating summary');
    await page.fill('#add-rating input[name=year]', '2025');
    await page.selectOption('#add-rating select[name=rating]', 'hoan-thanh-tot');
    await Promise.all([page.waitForLoadState('load'), page.click('#add-rating button[type=submit]')]);
    assert.match((await landed(page)), /\/eligibility\?year=2025$/);

    const panel = page.locator('#eligibility');
    assert.match(await panel.locator('h2').textContent(), /Điều kiện khen thưởng năm 2025/);
    const ldtt = panel.locator('details.answer[data-award="lao-dong-tien-tien"]').first();
    assert.match(await ldtt.locator('summary').textContent(), /đủ điều kiện/);
    await ldtt.locator('summary').click();
    const clauses = await ldtt.locator('ul.clauses').textContent();
    assert.match(clauses, /✓/);
    assert.match(clauses, /Điều 24 Luật TĐKT 2022/);
    assert.match(clauses, /hoàn thành tốt nhiệm vụ/);

    // Chiến sĩ thi đua cơ sở needs more: a failed or unknown clause is shown with what is missing
    const cstd = panel.locator('details.answer[data-award="chien-si-thi-dua-co-so"]').first();
    await cstd.evaluate((d) => { d.open = true; if (d.parentElement.tagName === 'DETAILS') d.parentElement.open = true; });
    const cstdText = await cstd.locator('ul.clauses').textContent();
    assert.match(cstdText, /✗/);
    assert.match(cstdText, /Điều 23 Luật TĐKT 2022/);
    await ldtt.scrollIntoViewIfNeeded();
    await shot(page, 'eligibility-person');

    // the person page itself carries the panel
    await openHa(page);
    assert.match(await page.textContent('#eligibility'), /Lao động tiên tiến/);
  } finally {
    await browser.close();
  }
});

test('on a phone-width screen the eligibility panel fits', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
    await login(page, 'canbo.haugiang');
    await openHa(page);
    const ldtt = page.locator('#eligibility details.answer[data-award="lao-dong-tien-tien"]').first();
    await ldtt.locator('summary').click();
    assert.match(await ldtt.locator('ul.clauses').textContent(), /Điều 24/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px on a phone`);
    await ldtt.scrollIntoViewIfNeeded();
    await shot(page, 'eligibility-person-phone');
  } finally {
    await browser.close();
  }
});
