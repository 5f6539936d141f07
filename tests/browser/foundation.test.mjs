// Issue 2: log in, open the merged Cần Thơ unit page, see its three
// predecessors; the same on a phone-width screen; diacritics-free search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot } from './lib.mjs';

test('an officer opens merged Cần Thơ and sees its three predecessors', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await login(page, 'canbo.cantho');
    assert.match(await page.textContent('header .who'), /Cán bộ TĐKT thành phố Cần Thơ/);
    await page.goto(`${BASE}/units/can-tho`);
    const lineage = await page.textContent('#lineage');
    assert.match(lineage, /Sáp nhập từ: Cần Thơ, Sóc Trăng, Hậu Giang, từ 01\/7\/2025/);
    const preds = await page.$$eval('ul.predecessors li a', (as) => as.map((a) => a.textContent.trim()));
    for (const name of ['Cần Thơ', 'Sóc Trăng', 'Hậu Giang']) assert.ok(preds.includes(name), `${name} in ${preds}`);
    await shot(page, 'unit-can-tho');

    await page.click('text=Cán bộ, cá nhân của đơn vị');
    await page.waitForSelector('#people');
    assert.match(await page.textContent('#people'), /Trần Thị Hà/);
    await shot(page, 'people-can-tho');
  } finally {
    await browser.close();
  }
});

test('on a phone-width screen the unit page and search still work', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
    await page.goto(`${BASE}/units?q=tra+vinh`);
    assert.match(await page.textContent('main'), /Trà Vinh/);
    await page.goto(`${BASE}/units/vinh-long`);
    assert.match(await page.textContent('#lineage'), /Sáp nhập từ: Bến Tre, Vĩnh Long, Trà Vinh, từ 01\/7\/2025/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px on a phone`);
    await shot(page, 'unit-vinh-long-phone');
    await login(page, 'canbo.haugiang');
    await page.goto(`${BASE}/people?q=dang+thi+my+linh`);
    assert.match(await page.textContent('#people'), /Đặng Thị Mỹ Linh/);
    await shot(page, 'people-search-phone');
  } finally {
    await browser.close();
  }
});
