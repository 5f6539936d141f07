// Issue 3: an officer sets up a 2019 cluster and its pledge on the web,
// members report their first-half figures (one after the deadline), the
// officer sees the late list, drafts the review, edits a sentence and
// downloads it as DOCX and PDF; the downloads are read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { BASE, launch, login, shot } from './lib.mjs';

const KEY = 'tnb-web';
const HERE = `${BASE}/clusters/${KEY}/2019`;
const EDITED = 'Cán bộ thi đua đã sửa câu này: các tỉnh hoàn thành tốt nhiệm vụ sáu tháng đầu năm.';

/** One file of a ZIP archive (the DOCX), read through its central directory. */
function unzipEntry(file, wanted) {
  const buf = readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd -= 1;
  assert.ok(eocd >= 0, 'not a ZIP archive');
  let at = buf.readUInt32LE(eocd + 16);
  for (let n = buf.readUInt16LE(eocd + 10); n > 0; n -= 1) {
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const skip = nameLen + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    if (buf.toString('utf8', at + 46, at + 46 + nameLen) === wanted) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + size);
      return (method === 0 ? data : inflateRawSync(data)).toString('utf8');
    }
    at += 46 + skip;
  }
  throw new Error(`${wanted} not in ${file}`);
}

async function submitH1(page, unit, values) {
  await page.goto(`${HERE}/submit/${unit}?period=2019-H1`);
  const inputs = await page.$$('form.stack input[name^=v]');
  assert.equal(inputs.length, values.length);
  for (const [i, v] of values.entries()) await inputs[i].fill(v);
  await Promise.all([page.waitForURL(/period=2019-H1/), page.click('button:has-text("Gửi báo cáo")')]);
}

async function noSidewaysScroll(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px on a phone`);
}

test('an officer sets up a 2019 cluster, members report H1, the officer drafts and exports the review', async () => {
  const browser = await launch();
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await ctx.newPage();
    await login(page, 'canbo.haugiang');

    // Create the cluster for 2019.
    await page.goto(`${BASE}/clusters`);
    await page.click('text=Tạo cụm, khối');
    await page.fill('input[name=name]', 'Cụm thi đua thử nghiệm Tây Nam bộ');
    await page.fill('input[name=key]', KEY);
    await page.fill('input[name=year]', '2019');
    await page.selectOption('select[name=organizer]', 'hau-giang');
    await shot(page, 'cluster-new');
    await Promise.all([page.waitForURL(/\/setup$/), page.click('button:has-text("Tạo")')]);

    // Members valid in 2019, then leader and deputy (the rotation is proposed).
    for (const unit of ['hau-giang', 'soc-trang']) {
      await page.selectOption('#members select[name=unit]', unit);
      await Promise.all([page.waitForLoadState('load'), page.click('#members button:has-text("Thêm thành viên")')]);
    }
    assert.match(await page.textContent('#members ol'), /Hậu Giang[\s\S]*Sóc Trăng/);
    assert.match(await page.textContent('.rotation'), /Gợi ý luân phiên năm 2019: cụm trưởng Hậu Giang, cụm phó Sóc Trăng/);
    await page.selectOption('#general select[name=leader]', 'hau-giang');
    await page.selectOption('#general select[name=deputy]', 'soc-trang');
    await Promise.all([page.waitForLoadState('load'), page.click('#general button:has-text("Lưu")')]);

    // The pledge: two indicators, one with the 55% threshold, then signing.
    const indicators = [
      ['grdp_growth', 'Tốc độ tăng trưởng kinh tế (GRDP)', ''],
      ['budget_revenue_plan_pct', 'Thu ngân sách so với kế hoạch năm', '55'],
    ];
    for (const [key, name, threshold] of indicators) {
      const form = page.locator('#pledge details:has(summary:has-text("Thêm chỉ tiêu")) form');
      if (!(await form.isVisible())) await page.click('#pledge summary:has-text("Thêm chỉ tiêu")');
      await form.locator('input[name=indicator]').fill(key);
      await form.locator('input[name=name]').fill(name);
      await form.locator('select[name=unit]').selectOption('percent');
      await form.locator('input[name=threshold]').fill(threshold);
      await Promise.all([page.waitForLoadState('load'), form.locator('button').click()]);
    }
    await page.fill('#pledge input[name=signed_on]', '15/01/2019');
    await Promise.all([page.waitForLoadState('load'), page.click('#pledge button:has-text("Ghi nhận ký kết")')]);
    assert.equal(await page.inputValue('#pledge input[name=signed_on]'), '15/01/2019');
    await shot(page, 'cluster-setup');

    // The deadline of the first half.
    await page.goto(`${HERE}?period=2019-H1`);
    await page.fill('#status input[name=due_on]', '31/7/2019');
    await Promise.all([page.waitForLoadState('load'), page.click('#status button:has-text("Đặt hạn")')]);
    assert.match(await page.textContent('#status'), /Hạn báo cáo: 31\/7\/2019/);

    // Hậu Giang reports; its submission is dated before the deadline (the
    // only thing this test cannot do in a browser is go back in time).
    await submitH1(page, 'hau-giang', ['8,05', '83,41']);
    const db = process.env.TDKT_BROWSER_DB;
    assert.ok(db, 'run through run.sh (TDKT_BROWSER_DB)');
    execFileSync('sqlite3', [db, "update indicator_submissions set at = '2019-07-20T03:00:00Z' where actor = 'canbo.haugiang' and via = 'web'"]);

    // Sóc Trăng reports now, on a phone: late.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
    const ph = await phone.newPage();
    await login(ph, 'canbo.soctrang');
    await ph.goto(`${HERE}?period=2019-H1`);
    await ph.click(`a[href*="/submit/soc-trang"]`);
    await noSidewaysScroll(ph);
    await shot(ph, 'cluster-submit-phone');
    await submitH1(ph, 'soc-trang', ['7,5', '67,6']);
    await phone.close();

    // The officer sees who is late.
    await page.goto(`${HERE}?period=2019-H1`);
    const late = await page.textContent('#status ul.late');
    assert.match(late, /Sóc Trăng/);
    assert.doesNotMatch(late, /Hậu Giang/);
    assert.match(await page.textContent('#status'), /Chưa báo cáo đủ \(0\)/);
    await shot(page, 'cluster-status');

    // Draft the review, edit its first paragraph, save.
    await page.click('text=Dự thảo báo cáo');
    await page.waitForSelector('section.preview');
    assert.match(await page.textContent('section.preview'), /Hậu Giang/);
    await page.click('summary:has-text("Chỉnh sửa dự thảo")');
    await page.fill('textarea[name=p_0_0]', EDITED);
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Lưu dự thảo")')]);
    assert.match(await page.textContent('section.preview'), /Cán bộ thi đua đã sửa câu này/);
    await shot(page, 'cluster-review');

    // DOCX and PDF of the edited draft.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tdkt-review-'));
    for (const [label, ext] of [['Tải DOCX', 'docx'], ['Tải PDF', 'pdf']]) {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`text=${label}`)]);
      const file = path.join(dir, `review.${ext}`);
      await dl.saveAs(file);
      assert.ok(statSync(file).size > 1000, `${ext} is not empty`);
      const text = ext === 'docx'
        ? unzipEntry(file, 'word/document.xml')
        : execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
      const flat = text.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
      assert.match(flat, /Cán bộ thi đua đã sửa câu này: các tỉnh hoàn thành tốt nhiệm vụ sáu tháng đầu năm\./, ext);
      assert.match(flat, /Hậu Giang 83,41%/, ext);
    }

    // The setup page on a phone.
    const phone2 = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
    const p2 = await phone2.newPage();
    await login(p2, 'canbo.haugiang');
    await p2.goto(`${HERE}/setup`);
    await noSidewaysScroll(p2);
    await shot(p2, 'cluster-setup-phone');
    await phone2.close();
  } finally {
    await browser.close();
  }
});
