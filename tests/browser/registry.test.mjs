// Issue 5: the award registry. An officer finds Trần Thị Hà without
// diacritics, reads her history (decisions of Sở Xây dựng Hậu Giang, merged
// into Cần Thơ on 01/7/2025), exports it as a real XLSX; then imports a file
// with one bad row through /awards/import on a phone and on a desktop, sees
// the progress end and downloads the error report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASE, launch, login, shot } from './lib.mjs';

const work = mkdtempSync(path.join(tmpdir(), 'tdkt-registry-'));

async function noSidewaysScroll(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px`);
}

test('search «tran thi ha», open her history, export it as XLSX', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await login(page, 'canbo.cantho');
    await page.goto(`${BASE}/search`);
    await page.fill('form.search input[name=q]', 'tran thi ha');
    await Promise.all([page.waitForLoadState('load'), page.click('form.search button[type=submit]')]);
    assert.match(await page.textContent('#people'), /Trần Thị Hà/);
    await shot(page, 'registry-search');

    await Promise.all([page.waitForLoadState('load'), page.click('#people a:text("Trần Thị Hà")')]);
    const history = page.locator('#history');
    await history.waitFor();
    const text = await history.textContent();
    assert.match(text, /45\/QĐ-SXD/);
    assert.match(text, /Bằng khen cấp tỉnh|Bằng khen/);
    assert.match(text, /Sở Xây dựng tỉnh Hậu Giang/);
    await history.scrollIntoViewIfNeeded();
    await shot(page, 'registry-person-history');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      history.locator('a:text("Excel (XLSX)")').click(),
    ]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const file = path.join(work, 'ha.xlsx');
    await download.saveAs(file);
    assert.equal(readFileSync(file).subarray(0, 2).toString(), 'PK', 'an XLSX is a zip');
    const strings = execFileSync('unzip', ['-p', file, 'xl/sharedStrings.xml']).toString();
    assert.match(strings, /45\/QĐ-SXD/);
    assert.match(strings, /Số quyết định/);
    execFileSync('unzip', ['-t', file]);

    // the merged department's own page carries her awards, labelled by predecessor
    await page.goto(`${BASE}/units/can-tho.so-xay-dung/awards`);
    assert.match(await page.textContent('table.awards'), /Trần Thị Hà/);
    assert.match(await page.textContent('table.awards .tag.inherited'), /Hậu Giang/);
    await shot(page, 'registry-unit-history');
  } finally {
    await browser.close();
  }
});

const bad = [
  'recipient_type,cccd,unit_code,recipient_name,award,year,decision_no,decision_date,authority',
  'person,093075335003,hau-giang.so-xay-dung,Nguyễn Văn Bình,lao-dong-tien-tien,2023,701/QĐ-SXD,2024-01-15,Giám đốc Sở Xây dựng tỉnh Hậu Giang',
  'person,093190526925,hau-giang.so-xay-dung,Lê Thị Thu Trang,lao-dong-tien-tien,2024,702/QĐ-SXD,2023-12-01,Giám đốc Sở Xây dựng tỉnh Hậu Giang',
  'person,093182124906,hau-giang.so-xay-dung,Trần Thị Hà,khong-co-hinh-thuc-nay,2023,703/QĐ-SXD,2024-01-15,Giám đốc Sở Xây dựng tỉnh Hậu Giang',
].join('\n') + '\n';

async function importBadFile(page, name, { skip }) {
  const file = path.join(work, `${name}.csv`);
  writeFileSync(file, bad);
  await page.goto(`${BASE}/awards/import`);
  await page.setInputFiles('input[type=file][name=file]', file);
  if (skip) await page.check('input[name=skip_invalid]');
  await Promise.all([page.waitForURL(/\/awards\/import\/[0-9a-f]{32}$/), page.click('main form button[type=submit]')]);
  await page.waitForSelector('#import-result', { timeout: 30000 });
  assert.equal(await page.getAttribute('#import-progress progress', 'value'), '100');
  assert.match(await page.textContent('#progress-text'), /Đã kiểm tra 3(\/3)? dòng/);
  return page.getAttribute('#import-result', 'data-committed');
}

async function errorReport(page, format) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click(`#errors-${format}`),
  ]);
  const file = path.join(work, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

test('on a phone an officer imports a file with a bad row: nothing written, error report', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, acceptDownloads: true });
    await login(page, 'canbo.cantho');
    await page.goto(`${BASE}/awards/import`);
    await noSidewaysScroll(page);
    await shot(page, 'registry-import-form-phone');

    assert.equal(await importBadFile(page, 'phone', { skip: false }), 'false');
    assert.match(await page.textContent('#import-result'), /Không nhập dòng nào: 2 dòng lỗi/);
    assert.equal((await page.textContent('#n-rejected')).trim(), '2');
    assert.match(await page.textContent('#progress-text'), /không ghi bản ghi nào/);
    await noSidewaysScroll(page);
    await shot(page, 'registry-import-refused-phone');

    const csv = readFileSync(await errorReport(page, 'csv'), 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\n');
    assert.equal(lines[0], 'dòng,cột,lý do lỗi,recipient_type,cccd,unit_code,recipient_name,award,year,decision_no,decision_date,authority');
    assert.match(lines[1], /^3,decision_date,ngày quyết định 01\/12\/2023 trước năm thành tích 2024/);
    assert.match(lines[2], /^4,award,mã danh hiệu\/hình thức «khong-co-hinh-thuc-nay» không có trong danh mục/);
  } finally {
    await browser.close();
  }
});

test('on a desktop the same file with «bỏ qua dòng lỗi» imports the good row', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await login(page, 'canbo.cantho');
    assert.equal(await importBadFile(page, 'desktop', { skip: true }), 'true');
    assert.equal((await page.textContent('#n-inserted')).trim(), '1');
    assert.equal((await page.textContent('#n-rejected')).trim(), '2');
    await shot(page, 'registry-import-skip-desktop');

    const xlsx = await errorReport(page, 'xlsx');
    assert.match(path.basename(xlsx), /\.loi\.xlsx$/);
    const strings = execFileSync('unzip', ['-p', xlsx, 'xl/sharedStrings.xml']).toString();
    assert.match(strings, /lý do lỗi/);
    assert.match(strings, /decision_date/);
    assert.match(strings, /702\/QĐ-SXD/);

    await page.goto(`${BASE}/search?q=701%2FQĐ-SXD`);
    assert.match(await page.textContent('#awards'), /Nguyễn Văn Bình/);
  } finally {
    await browser.close();
  }
});
