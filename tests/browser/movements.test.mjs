// Issue 3: Hậu Giang launches the “Vùng xanh” peak campaign with its exact
// window and launch decision; Sở Xây dựng registers on a phone; the officer
// sees who in scope has not registered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot } from './lib.mjs';

test('an officer launches a peak campaign, a unit registers on a phone, the officer sees who has not', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await login(page, 'canbo.haugiang');
    await page.goto(`${BASE}/movements`);
    await page.click('text=Phát động phong trào');
    await page.fill('input[name=name]', 'Đợt thi đua cao điểm “Vùng xanh”');
    await page.fill('input[name=code]', 'vung-xanh-2021');
    await page.selectOption('select[name=kind]', 'peak');
    await page.fill('input[name=starts]', '2021-08-09T00:00');
    // open until the end of next year: registration closes with the window
    const endYear = new Date().getFullYear() + 1;
    await page.fill('input[name=ends]', `${endYear}-12-31T00:00`);
    await page.selectOption('select[name=unit]', 'hau-giang');
    await page.fill('textarea[name=description]', 'Giữ vững và mở rộng vùng xanh.');
    await Promise.all([page.waitForURL(/\/movements\/vung-xanh-2021$/), page.click('button:has-text("Phát động")')]);
    assert.match(await page.textContent('dd.window'), new RegExp(`từ 00:00 ngày 09/8/2021 đến 00:00 ngày 31/12/${endYear}`));
    await page.selectOption('#documents select[name=kind]', 'launch_decision');
    await page.setInputFiles('#documents input[type=file]', {
      name: 'QĐ phát động Vùng xanh.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 quyết định'),
    });
    await Promise.all([page.waitForLoadState('load'), page.click('#documents button:has-text("Tải lên")')]);
    assert.match(await page.textContent('#documents'), /Quyết định phát động: QĐ phát động Vùng xanh\.pdf/);
    assert.match(await page.textContent('#unregistered'), /Sở Xây dựng tỉnh Hậu Giang/);

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
    const ph = await phone.newPage();
    await login(ph, 'nop.xaydung.hg');
    await ph.goto(`${BASE}/movements/vung-xanh-2021`);
    await ph.check('input[name=title][value=tap-the-lao-dong-xuat-sac]');
    await ph.fill('textarea[name=targets]', '100% cán bộ, công chức tiêm đủ vắc-xin');
    const overflow = await ph.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px on a phone`);
    await shot(ph, 'movement-register-phone');
    await Promise.all([ph.waitForLoadState('load'), ph.click('#register button:has-text("Đăng ký")')]);
    assert.match(await ph.textContent('#registrations'), /Tập thể lao động xuất sắc/);
    await phone.close();

    await page.reload();
    assert.doesNotMatch(await page.textContent('#unregistered'), /Sở Xây dựng tỉnh Hậu Giang/);
    assert.match(await page.textContent('#registrations'), /Sở Xây dựng tỉnh Hậu Giang/);
    await shot(page, 'movement-page');
  } finally {
    await browser.close();
  }
});
