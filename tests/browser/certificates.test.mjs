// Issue 14: an officer of Cần Thơ opens Trần Thị Hà's Bằng khen (decided by
// Hậu Giang in 2022) from the registry, prints its signed certificate, and a
// citizen checks it on a phone (390×844) by its code and by uploading the
// PDF; then the officer revokes it and the phone page says "Đã bị hủy bỏ".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASE, SHOTS, launch, login, shot, landed } from './lib.mjs';

const work = mkdtempSync(path.join(tmpdir(), 'tdkt-certificates-'));
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true };

async function noSidewaysScroll(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px`);
}

test('print a certificate, check it on a phone, revoke it, the phone says so', async () => {
  const browser = await launch();
  try {
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await desk.newPage();
    await login(page, 'canbo.cantho');
    await page.goto(`${BASE}/search?q=${encodeURIComponent('2145/QĐ-UBND')}`);
    await Promise.all([page.waitForLoadState('load'), page.click('table.awards a:has-text("2145/QĐ-UBND")')]);
    assert.match((await landed(page)), /\/awards\/\d+$/);
    const recordUrl = (await landed(page));
    assert.match(await page.textContent('#record'), /Trần Thị Hà/);
    assert.match(await page.textContent('#status'), /còn hiệu lực/);
    await shot(page, 'certificates-record');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#actions a:has-text("In giấy chứng nhận")'),
    ]);
    const pdfPath = path.join(work, 'bang-khen.pdf');
    await download.saveAs(pdfPath);
    const bytes = readFileSync(pdfPath);
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const last = bytes.toString('latin1').trimEnd().split('\n').pop();
    assert.match(last, /^%TDKT-SIG v1 ed25519 [0-9a-f]{16} [0-9A-Z-]{19} \S+$/);
    const code = last.split(' ')[4];
    try {
      // the certificate as printed, to look at
      execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', pdfPath, path.join(SHOTS, 'certificates-pdf')]);
    } catch {
      console.log('note: pdftoppm not installed; the PDF page is not rendered');
    }

    // a citizen with a phone: the code page, then the upload
    const phone = await browser.newContext(PHONE);
    const p = await phone.newPage();
    await p.goto(`${BASE}/xac-minh`);
    await p.fill('input[name=ma]', code.toLowerCase().replaceAll('-', ''));
    await Promise.all([p.waitForURL(new RegExp(`/xac-minh/${code}$`)), p.click('form[action="/xac-minh/tra-cuu"] button')]);
    const valid = await p.textContent('#status');
    assert.match(valid, /Còn hiệu lực/);
    const facts = await p.textContent('dl.facts');
    assert.match(facts, /Trần Thị Hà/);
    assert.match(facts, /2145\/QĐ-UBND/);
    assert.doesNotMatch(await p.content(), /093182124906/);
    await noSidewaysScroll(p);
    await shot(p, 'certificates-verify-phone-valid');

    await p.goto(`${BASE}/xac-minh`);
    await p.setInputFiles('input[type=file][name=file]', pdfPath);
    await Promise.all([p.waitForLoadState('load'), p.click('form[enctype="multipart/form-data"] button')]);
    assert.match(await p.textContent('#status'), /Còn hiệu lực/);
    assert.match(await p.textContent('main'), /không bị sửa/);
    await noSidewaysScroll(p);
    await shot(p, 'certificates-verify-phone-upload');

    // the officer revokes it
    await page.goto(recordUrl);
    await Promise.all([page.waitForLoadState('load'), page.click('#actions a:has-text("Hủy bỏ khen thưởng")')]);
    await page.check('input[name=ground][value=lam-gia-ho-so]');
    await page.fill('input[name=decision_no]', '35/QĐ-UBND');
    await page.fill('input[name=decision_date]', '2026-01-05');
    await page.fill('textarea[name=reason]', 'Hồ sơ thành tích bị làm giả');
    await shot(page, 'certificates-revoke-form');
    await Promise.all([page.waitForLoadState('load'), page.click('main form button[type=submit]')]);
    assert.equal((await landed(page)), recordUrl);
    assert.match(await page.textContent('#status'), /đã hủy bỏ theo Quyết định số 35\/QĐ-UBND ngày 05\/01\/2026/);
    await shot(page, 'certificates-record-revoked');

    // a second revocation is refused, in Vietnamese, naming the first
    await page.goto(`${recordUrl}/revoke`);
    await page.check('input[name=ground][value=gian-doi-ke-khai]');
    await page.fill('input[name=decision_no]', '36/QĐ-UBND');
    await page.fill('input[name=decision_date]', '2026-01-06');
    await page.fill('textarea[name=reason]', 'Lần nữa');
    await Promise.all([page.waitForLoadState('load'), page.click('main form button[type=submit]')]);
    assert.match(await page.textContent('.alert'), /không thể hủy bỏ lần nữa/);

    // the phone, again
    await p.goto(`${BASE}/xac-minh/${code}`);
    const revoked = await p.textContent('#status');
    assert.match(revoked, /Đã bị hủy bỏ/);
    assert.match(revoked, /35\/QĐ-UBND/);
    await noSidewaysScroll(p);
    await shot(p, 'certificates-verify-phone-revoked');

    await p.goto(`${BASE}/xac-minh/khoa-cong-khai`);
    assert.match(await p.textContent('#pem'), /BEGIN PUBLIC KEY/);
    await noSidewaysScroll(p);
    await shot(p, 'certificates-public-key-phone');
  } finally {
    await browser.close();
  }
});
