// Issue 14, public disclosure (khoản 2 Điều 44 NĐ 152/2025/NĐ-CP): Cần Thơ's
// officer publishes a dossier held at the city for comment; a citizen on a
// phone (390×844), not signed in, reads the candidates (no CCCD, no birth
// date), sends a comment that stays hidden until the officer approves it,
// then sees it published. No sideways scrolling on the phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot, landed } from './lib.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true };

test('a disclosure is published, commented on a phone without login, moderated and shown', async () => {
  const browser = await launch();
  try {
    const officer = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await login(officer, 'canbo.cantho');
    await officer.goto(`${BASE}/disclosures/new`);
    const box = officer.locator('input[name=dossier]').first();
    await box.check();
    const id = await box.getAttribute('value');
    await officer.fill(`textarea[name=summary_${id}]`, 'Hoàn thành xuất sắc nhiệm vụ năm 2025; chủ trì hai công trình trọng điểm của thành phố.');
    await Promise.all([officer.waitForLoadState('load'), officer.click('form.stack button[type=submit]')]);
    assert.match((await landed(officer)), /\/cong-khai\/\d+$/);
    const url = (await landed(officer));

    const phone = await (await browser.newContext(PHONE)).newPage();
    await phone.goto(`${BASE}/cong-khai`);
    assert.match(await phone.textContent('main'), /Công khai danh sách/);
    await phone.goto(url);
    const text = await phone.textContent('main');
    assert.match(text, /Đang lấy ý kiến/);
    assert.match(text, /hai công trình trọng điểm/);
    assert.doesNotMatch(text, /\d{12}/, 'a CCCD on the public page');
    assert.doesNotMatch(text, /\*{3,}\d{3}/, 'a masked CCCD on the public page');
    assert.doesNotMatch(await phone.content(), /Đăng xuất/, 'no signed-in shell');
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth) <= 1,
      'the public page scrolls sideways on a phone');
    await shot(phone, 'cong-khai-phone');

    const comment = 'Tôi công tác cùng đơn vị, xác nhận thành tích đúng như báo cáo.';
    await phone.fill('textarea[name=comment]', comment);
    await phone.fill('input[name=author]', 'Lê Thị Thu');
    await Promise.all([phone.waitForLoadState('load'), phone.click('#gop-y button[type=submit]')]);
    assert.match(await phone.textContent('#sent'), /Đã gửi ý kiến/);
    assert.doesNotMatch(await phone.textContent('#y-kien'), /xác nhận thành tích/, 'shown before moderation');
    await shot(phone, 'cong-khai-phone-sent');

    await officer.goto(`${BASE}/disclosures`);
    const item = officer.locator('#pending li.comment', { hasText: comment });
    await Promise.all([officer.waitForLoadState('load'), item.locator('button:has-text("Chấp nhận, đăng công khai")').click()]);
    assert.match(await officer.textContent('#cong-khai'), /1 ý kiến được chấp nhận/);

    await phone.goto(url);
    assert.match(await phone.textContent('#y-kien'), /xác nhận thành tích/);
    assert.match(await phone.textContent('#y-kien'), /Lê Thị Thu/);
    await shot(phone, 'cong-khai-phone-approved');
  } finally {
    await browser.close();
  }
});
