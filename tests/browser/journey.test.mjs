// Issue 14, the whole second half of a TĐKT year in the browser, as
// crates/web/tests/it/journey.rs drives it over HTTP: Sở Xây dựng of Cần Thơ
// (the city after the 2025 merger) opens a Bằng khen của Thủ tướng Chính phủ
// dossier for Bùi Thị Hồng Nhung, drafts her achievement report from tdkt's
// records, forwards; the city returns it once for supplement (it comes back
// to the Sở with its history), the Sở attaches the signed report and forwards
// again; the city publishes the candidate, a citizen comments on a phone
// without signing in, the officer approves the comment; the city's council
// meets (hoidong.cantho among its members), votes in secret and its minutes
// count on the whole membership; the city attaches its tờ trình and forwards
// to Bộ Nội vụ, which appraises and readies it; the administrator records the
// Prime Minister's decision with its reward money; the registry shows the
// award, the certificate PDF verifies on a phone, a revocation flips that
// page; last, the overdue board. No clock is moved: a Bằng khen của Thủ tướng
// needs no 10-working-day disclosure before the council (the catalogue's
// [[disclosure]] list, khoản 2 Điều 44 NĐ 152/2025/NĐ-CP), so the council may
// meet the same day. Screenshots: target/screenshots/journey-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot, landed } from './lib.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true };
const DESK = { viewport: { width: 1280, height: 900 } };
const PERSON = '092191938273';
const NAME = 'Bùi Thị Hồng Nhung';

// today in Việt Nam (UTC+7, no daylight saving), as yyyy-mm-dd and dd/mm/yyyy
const todayIso = new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
const todayVn = todayIso.split('-').reverse().join('/');

async function as(browser, username, options = DESK) {
  const page = await (await browser.newContext(options)).newPage();
  await login(page, username);
  return page;
}

async function submit(page, button) {
  await Promise.all([page.waitForLoadState('load'), page.locator(button).click()]);
}

async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${what} scrolls sideways by ${overflow}px on a phone`);
}

function pdf(name) {
  return { name: `${name}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.7\n% ${name}\n%%EOF\n`) };
}

async function attach(page, document, name, reportDate = '') {
  await page.selectOption('#checklist select[name=document]', document);
  await page.setInputFiles('#checklist input[name=file]', pdf(name));
  await page.fill('#checklist input[name=report_date]', reportDate);
  await submit(page, '#checklist form button[type=submit]');
  const alert = await page.locator('.alert').count();
  assert.equal(alert, 0, alert ? await page.textContent('.alert') : '');
}

async function act(page, summary, fill) {
  await page.locator(`#actions details summary:has-text("${summary}")`).click();
  const form = page.locator('#actions details[open] form');
  await fill(form);
  await Promise.all([page.waitForLoadState('load'), form.locator('button[type=submit]').click()]);
}

async function forward(page) {
  if (!(await page.locator('#actions form:has(input[name=action][value=forward])').count())) {
    await shot(page, 'journey-fail');
    assert.fail(`no forward button on ${page.url()}`);
  }
  await submit(page, '#actions form:has(input[name=action][value=forward]) button');
  const alert = await page.locator('.alert').count();
  assert.equal(alert, 0, alert ? await page.textContent('.alert') : '');
}

test('a Prime Minister\'s Bằng khen from a Cần Thơ department to a verified, then revoked certificate', async () => {
  const browser = await launch();
  try {
    // ── Sở Xây dựng opens the dossier
    const so = await as(browser, 'canbo.xaydung.ct');
    await so.goto(`${BASE}/dossiers/new`);
    const create = so.locator('form[action="/dossiers"]');
    assert.equal(await create.locator('select[name=unit]').inputValue(), 'can-tho.so-xay-dung');
    await create.locator('select[name=award]').selectOption('bang-khen-thu-tuong');
    await create.locator('select[name=kind]').selectOption('individual');
    await create.locator('input[name=year]').fill('2025');
    await create.locator('input[name=title]').fill('Bằng khen của Thủ tướng Chính phủ năm 2025');
    await create.locator('textarea[name=recipients]').fill(PERSON);
    await shot(so, 'journey-01-new-dossier');
    await Promise.all([so.waitForURL(/\/dossiers\/\d+$/), create.locator('button[type=submit]').click()]);
    const url = (await landed(so));
    const id = url.split('/').pop();
    assert.match(await so.textContent('#route'), /Sở Xây dựng thành phố Cần Thơ[\s\S]*Cần Thơ[\s\S]*Bộ Nội vụ/);
    assert.match(await so.textContent('#holder'), /Sở Xây dựng/);

    // drafts the achievement report from tdkt's records, edits and saves it
    await Promise.all([so.waitForLoadState('load'), so.click('#recipients a:has-text("Soạn báo cáo thành tích")')]);
    const draft = await so.inputValue('textarea[name=report_text]');
    assert.match(draft, new RegExp(NAME));
    await so.fill('textarea[name=report_text]', `${draft}\nNăm 2024, 2025: hoàn thành xuất sắc nhiệm vụ; chủ trì thẩm định 14 công trình.`);
    await shot(so, 'journey-02-report-draft');
    await submit(so, 'main form button[type=submit]');
    assert.equal((await landed(so)), url);
    assert.match(await so.textContent('#checklist [data-doc=bao-cao-thanh-tich]'), /✓/);
    await forward(so);
    assert.match(await so.textContent('#holder'), /Cần Thơ/);
    await shot(so, 'journey-03-forwarded');

    // ── the city returns it for supplement; it comes back to the Sở
    const city = await as(browser, 'canbo.cantho');
    await city.goto(url);
    await act(city, 'Trả lại để bổ sung', (f) =>
      f.locator('textarea[name=missing]').fill('Báo cáo thành tích chưa có xác nhận của thủ trưởng đơn vị'));
    assert.match(await city.textContent('#status'), /trả lại/i);
    await so.goto(url);
    assert.match(await so.textContent('#status'), /trả lại/i);
    assert.match(await so.textContent('#holder'), /Sở Xây dựng/);
    assert.match(await so.textContent('#timeline'), /chưa có xác nhận của thủ trưởng/);
    await shot(so, 'journey-04-returned');
    await attach(so, 'bao-cao-thanh-tich', 'bao-cao-thanh-tich-co-xac-nhan', todayVn);
    await forward(so);
    assert.match(await so.textContent('#holder'), /Cần Thơ/);

    // ── the city publishes the candidate; a citizen on a phone comments
    await city.goto(`${BASE}/disclosures/new?dossier=${id}`);
    for (const box of await city.locator('input[name=dossier]').all()) {
      if ((await box.getAttribute('value')) === id) await box.check(); else await box.uncheck();
    }
    await city.fill(`textarea[name=summary_${id}]`, 'Ba năm liền hoàn thành xuất sắc nhiệm vụ; một sáng kiến cấp thành phố.');
    await Promise.all([city.waitForURL(/\/cong-khai\/\d+$/), city.click('form.stack button[type=submit]')]);
    const publicUrl = (await landed(city));

    const phone = await (await browser.newContext(PHONE)).newPage();
    await phone.goto(publicUrl);
    const text = await phone.textContent('main');
    assert.match(text, new RegExp(NAME));
    assert.doesNotMatch(text, new RegExp(PERSON), 'the CCCD on the public page');
    assert.doesNotMatch(await phone.content(), /Đăng xuất/, 'a signed-in shell on the public page');
    const comment = 'Đồng chí Nhung tận tụy, được nhân dân phường tín nhiệm.';
    await phone.fill('textarea[name=comment]', comment);
    await phone.fill('input[name=author]', 'Trần Văn Bình');
    await submit(phone, '#gop-y button[type=submit]');
    assert.match(await phone.textContent('#sent'), /Đã gửi ý kiến/);
    assert.doesNotMatch(await phone.textContent('#y-kien'), /tận tụy/, 'shown before moderation');
    await noSidewaysScroll(phone, 'the disclosure page');
    await shot(phone, 'journey-05-cong-khai-phone');

    // the council cannot take the dossier while the comment waits
    await city.goto(`${BASE}/councils/can-tho/sessions/new`);
    for (const box of await city.locator('#agenda input[name=dossier]').all()) {
      if ((await box.getAttribute('value')) === id) await box.check(); else await box.uncheck();
    }
    await city.fill('input[name=place]', 'Trụ sở UBND thành phố Cần Thơ');
    await submit(city, 'form.stack button[type=submit]');
    assert.match(await city.textContent('main'), /chưa xử lý/);

    await city.goto(`${BASE}/disclosures`);
    await submit(city, `#pending li.comment:has-text("${comment}") button:has-text("Chấp nhận, đăng công khai")`);
    await phone.goto(publicUrl);
    assert.match(await phone.textContent('#y-kien'), /tận tụy/);
    await noSidewaysScroll(phone, 'the disclosure page');
    await shot(phone, 'journey-06-cong-khai-phone-approved');

    // ── the city's council meets and votes
    await city.goto(`${BASE}/councils/can-tho/sessions/new`);
    for (const box of await city.locator('#agenda input[name=dossier]').all()) {
      if ((await box.getAttribute('value')) === id) await box.check(); else await box.uncheck();
    }
    await city.fill('input[name=place]', 'Trụ sở UBND thành phố Cần Thơ');
    await Promise.all([city.waitForURL(/\/council-sessions\/\d+$/), city.click('form.stack button[type=submit]')]);
    const session = (await landed(city));
    for (const box of await city.locator('input[name=present]').all()) await box.check();
    await submit(city, 'form:has(input[name=present]) button[type=submit]');
    assert.match(await city.textContent('#quorum'), /Có mặt 3\/3/);
    await submit(city, '#open-vote');
    const ballot = await city.getAttribute('#ballot', 'href');
    for (const member of ['hoidong.cantho', 'xem.cantho', 'canbo.cantho']) {
      const m = member === 'canbo.cantho' ? city : await as(browser, member);
      await m.goto(`${BASE}${ballot}`);
      await m.check('#vote input[name=yn-0][value=yes]');
      if (member === 'hoidong.cantho') {
        // the radio sits on its label's line, not on a row of its own
        const radio = await m.locator('#vote input[name=yn-0][value=yes]').boundingBox();
        const label = await m.locator('#vote label:has(input[name=yn-0][value=yes])').boundingBox();
        assert.ok(label.height < 2 * radio.height + 12, `the radio's label is ${label.height}px high`);
        await shot(m, 'journey-07-ballot');
      }
      await submit(m, '#vote button[type=submit]');
      assert.doesNotMatch(await m.textContent('main'), /không hợp lệ|không được/i, `${member}'s vote`);
    }
    await city.goto(session);
    await submit(city, '#close-vote');
    await shot(city, 'journey-08-council-session');
    await city.goto(`${session}/minutes`);
    const minutes = await city.textContent('#council-minutes');
    assert.match(minutes, /tính trên tổng số thành viên Hội đồng/);
    assert.match(minutes, /1 ý kiến được chấp nhận/);
    // the frame of NĐ 30/2020: the council issues it; two signature blocks side by side
    assert.match(await city.textContent('#council-minutes .doc-head'), /HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG[\s\S]*Số: ……\/BB-HĐTĐKT[\s\S]*Độc lập - Tự do - Hạnh phúc/);
    const signatures = city.locator('#council-minutes .doc-signatures');
    assert.match(await signatures.textContent(), /Lãnh đạo xem báo cáo Cần Thơ/);
    assert.equal(await signatures.locator(':scope > div').count(), 2);
    await shot(city, 'journey-09-council-minutes');

    // the vote answers the council-minutes item; the city owes its tờ trình
    await city.goto(url);
    assert.match(await city.textContent('#actions .missing'), /Tờ trình/);
    assert.doesNotMatch(await city.textContent('#actions .missing'), /Biên bản/);
    await attach(city, 'to-trinh', 'to-trinh-ubnd-can-tho');
    await forward(city);
    assert.match(await city.textContent('#holder'), /Bộ Nội vụ/);

    // ── Bộ Nội vụ appraises and readies it for the Prime Minister
    const bnv = await as(browser, 'chuyenvien.bnv');
    await bnv.goto(url);
    await act(bnv, 'Thẩm định', async (f) => {
      await f.locator('select[name=favourable]').selectOption('yes');
      await f.locator('textarea[name=notes]').fill('Đủ điều kiện, tiêu chuẩn theo Điều 71 Luật Thi đua, khen thưởng 2022.');
    });
    await forward(bnv);
    assert.match(await bnv.textContent('#status'), /sẵn sàng|chờ quyết định/i);
    await shot(bnv, 'journey-10-appraised');

    // ── the Prime Minister's decision, recorded by the administrator
    const admin = await as(browser, 'admin');
    await admin.goto(`${BASE}/decisions/new?authority=trung-uong`);
    await admin.selectOption('select[name=authority]', 'trung-uong');
    await admin.fill('input[name=number]', '1520');
    await admin.fill('input[name=decided_on]', todayIso);
    await admin.fill('input[name=signer_name]', 'Phạm Minh Chính');
    await admin.fill('input[name=signer_title]', 'THỦ TƯỚNG');
    await admin.fill('input[name=title]', 'Về việc tặng Bằng khen của Thủ tướng Chính phủ');
    // the form's default bases are a province's (local-government law): the
    // Prime Minister's decision keeps only the commendation law and decree
    await admin.fill('textarea[name=bases]', 'Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;\nCăn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của Luật Thi đua, khen thưởng;');
    await admin.fill('input[name=dossier_id]', id);
    await admin.fill('textarea[name=recipients]',
      'Loại đối tượng,Số CCCD,Mã đơn vị,Họ tên,Danh hiệu,Năm thành tích,Thành tích\n'
      + `cá nhân,${PERSON},can-tho.so-xay-dung,${NAME},bang-khen-thu-tuong,2025,Có thành tích xuất sắc trong công tác xây dựng\n`);
    await Promise.all([admin.waitForURL(/\/decisions\/\d+$/), admin.click('main form.stack button[type=submit]')]);
    // the centre's fund has no receipt in the demo: a warning, not a refusal
    assert.match(await admin.textContent('#fund-warning'), /quỹ âm 8\.860\.000 đ/);
    await shot(admin, 'journey-11-decision-draft');
    await submit(admin, 'form[action$="/issue"] button[type=submit]');
    const decision = await admin.textContent('main');
    assert.match(decision, /1520\/QĐ-TTg/);
    // 3,5 × 2.530.000 đ (base salary from 01/7/2026) = 8.855.000 đ, rounded
    // up to the next 10.000 đ (Điều 49–55 NĐ 152/2025/NĐ-CP)
    assert.match(decision, /8\.860\.000/);
    await shot(admin, 'journey-12-decision');
    await so.goto(url);
    assert.match(await so.textContent('#status'), /quyết định/i);

    // ── the registry shows the award, found without diacritics
    await city.goto(`${BASE}/search?q=bui+thi+hong+nhung`);
    await Promise.all([city.waitForURL(/\/awards\/\d+$/), city.click('table.awards a:has-text("1520/QĐ-TTg")')]);
    const recordUrl = (await landed(city));
    assert.match(await city.textContent('#record'), new RegExp(NAME));
    assert.match(await city.textContent('#status'), /còn hiệu lực/);
    await shot(city, 'journey-13-registry-record');

    // ── the certificate PDF and its public page on a phone
    const res = await city.request.get(`${recordUrl}/certificate.pdf`);
    assert.equal(res.status(), 200);
    const bytes = await res.body();
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const last = bytes.toString('latin1').trimEnd().split('\n').pop();
    assert.match(last, /^%TDKT-SIG v1 ed25519 [0-9a-f]{16} [0-9A-Z-]{19} \S+$/);
    const code = last.split(' ')[4];
    await phone.goto(`${BASE}/xac-minh/${code}`);
    assert.match(await phone.textContent('#status'), /Còn hiệu lực/);
    const facts = await phone.textContent('dl.facts');
    assert.match(facts, new RegExp(NAME));
    assert.match(facts, /1520\/QĐ-TTg/);
    assert.match(facts, /Thủ tướng Chính phủ/);
    assert.doesNotMatch(facts, /Thủ tướng Thủ tướng/, 'the decider named twice');
    assert.doesNotMatch(await phone.content(), new RegExp(PERSON));
    await noSidewaysScroll(phone, 'the verification page');
    await shot(phone, 'journey-14-xac-minh-phone-valid');

    // ── a revocation flips that page
    await Promise.all([admin.waitForLoadState('load'), admin.goto(`${recordUrl}/revoke`)]);
    await admin.check('input[name=ground][value=lam-gia-ho-so]');
    await admin.fill('input[name=decision_no]', '1710/QĐ-TTg');
    await admin.fill('input[name=decision_date]', todayIso);
    await admin.fill('textarea[name=reason]', 'Báo cáo thành tích kê khai không đúng sự thật');
    await submit(admin, 'main form button[type=submit]');
    assert.match(await admin.textContent('#status'), /đã hủy bỏ theo Quyết định số 1710\/QĐ-TTg/);
    await phone.goto(`${BASE}/xac-minh/${code}`);
    const revoked = await phone.textContent('#status');
    assert.match(revoked, /Đã bị hủy bỏ/);
    assert.match(revoked, /1710\/QĐ-TTg/);
    assert.doesNotMatch(await phone.textContent('main'), /Còn hiệu lực/);
    await noSidewaysScroll(phone, 'the verification page');
    await shot(phone, 'journey-15-xac-minh-phone-revoked');

    // ── a member leaves the council, from the web (his last day: today)
    await city.goto(`${BASE}/councils/can-tho`);
    const row = city.locator('#members tr', { hasText: 'hoidong.cantho' });
    await row.locator('summary:has-text("Cho thôi")').click();
    await row.locator('input[name=to]').fill(todayVn);
    await Promise.all([city.waitForLoadState('load'), row.locator('button:has-text("Cho thôi")').click()]);
    assert.match(await city.locator('#members tr', { hasText: 'hoidong.cantho' }).textContent(), new RegExp(todayVn));
    assert.equal(await city.locator('#members tr', { hasText: 'hoidong.cantho' }).locator('button').count(), 0);
    await shot(city, 'journey-16-council-members');

    // ── the overdue board of the city (the demo holds an overdue dossier)
    await city.goto(`${BASE}/dossiers?overdue`);
    assert.equal(await city.locator('#no-overdue').count(), 0, 'the demo\'s overdue dossier is missing');
    assert.match(await city.textContent('main'), /quá hạn/i);
    await shot(city, 'journey-17-overdue-board');
    const cityPhone = await as(browser, 'canbo.cantho', PHONE);
    await cityPhone.goto(`${BASE}/dossiers?overdue`);
    await noSidewaysScroll(cityPhone, 'the overdue board');
    await shot(cityPhone, 'journey-18-overdue-board-phone');
  } finally {
    await browser.close();
  }
});
