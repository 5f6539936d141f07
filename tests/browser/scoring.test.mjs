// Issue 4: a cluster of 12 members (Tây Nam bộ, 2019) runs its evaluation on
// phones: the officer saves a rubric and opens a round, each member
// self-scores and cross-scores the 11 others (its own unit is never
// offered), votes in a secret ballot, the officer closes the ballot and the
// round (the ranking is stored) and proposes the leaders within the
// regulation's limits (at most one for the Government flag).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot, landed } from './lib.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true };
const MEMBERS = ['hau-giang', 'long-an', 'ben-tre', 'tra-vinh', 'vinh-long-cu', 'dong-thap-cu',
  'an-giang-cu', 'kien-giang', 'soc-trang', 'bac-lieu', 'ca-mau-cu', 'tien-giang'];
const RUBRIC = JSON.stringify([
  { code: '1', title: 'Thực hiện chỉ tiêu kinh tế - xã hội', max: '60', kind: 'group', children: [
    { code: '1.1', title: 'Tăng trưởng GRDP', max: '30', kind: 'manual' },
    { code: '1.2', title: 'Thu ngân sách nhà nước', max: '30', kind: 'manual' }] },
  { code: '2', title: 'Công tác thi đua, khen thưởng', max: '40', kind: 'manual' },
  { code: 'T', title: 'Điểm thưởng', max: '5', kind: 'group', children: [
    { code: 'T1', title: 'Sáng kiến được công nhận', max: '3', kind: 'bonus' },
    { code: 'T2', title: 'Dẫn đầu phong trào chuyên đề', max: '3', kind: 'bonus' }] },
  { code: 'P1', title: 'Chậm gửi báo cáo', max: '5', kind: 'penalty' },
]);

async function noSideways(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${what} scrolls sideways by ${overflow}px on a phone`);
}

async function submit(page, form) {
  await Promise.all([page.waitForLoadState('load'), page.click(`${form} button[type=submit]`)]);
}

test('12 members self-score, cross-score, vote; the officer ranks and proposes', async () => {
  const browser = await launch();
  try {
    const officer = await (await browser.newContext(PHONE)).newPage();
    await login(officer, 'canbo.cantho');
    await officer.goto(`${BASE}/scoring`);
    await officer.click('#new-rubric summary');
    await officer.fill('#rubric-form input[name=code]', 'cum-tay-nam-bo-2019');
    await officer.fill('#rubric-form input[name=title]', 'Bảng tiêu chí Cụm thi đua Tây Nam bộ năm 2019');
    await officer.fill('#rubric-form textarea[name=json]', RUBRIC);
    await submit(officer, '#rubric-form');
    assert.match(await officer.textContent('#rubric'), /Thu ngân sách nhà nước/);
    assert.equal((await officer.textContent('#max-total')).trim(), '105');
    await noSideways(officer, 'rubric page');
    await shot(officer, 'scoring-rubric-phone');

    await officer.goto(`${BASE}/scoring`);
    await officer.click('#new-round summary');
    await officer.selectOption('#round-form select[name=unit]', 'can-tho');
    await officer.fill('#round-form input[name=title]', 'Chấm điểm thi đua Cụm Tây Nam bộ năm 2019');
    await officer.fill('#round-form input[name=context]', 'Cụm thi đua Tây Nam bộ 2019');
    // members and leader are picked by name (issue 15), never typed
    for (const m of MEMBERS) await officer.check(`#round-form input[name=members][value="${m}"]`);
    await officer.selectOption('#round-form select[name=leader]', 'hau-giang');
    await officer.fill('#round-form input[name=trim]', '1');
    // no cluster regulation names a rubric here: the rubric is chosen
    await officer.selectOption('#round-form select[name=rubric]', 'cum-tay-nam-bo-2019@1');
    await submit(officer, '#round-form');
    const roundUrl = (await landed(officer));
    assert.match(roundUrl, /\/scoring\/rounds\/\d+$/);
    await shot(officer, 'scoring-round-opened-phone');

    // each member on its own phone: self-score, then cross-score the others
    for (const [i, m] of MEMBERS.entries()) {
      const ctx = await browser.newContext(PHONE);
      const page = await ctx.newPage();
      await login(page, `cum.${m}`);
      await page.goto(roundUrl);
      await page.fill('#self-score input[name="p-1.1"]', String(30 - i));
      await page.fill('#self-score input[name="e-1.1"]', `Báo cáo số ${i + 10}/BC-UBND ngày 15/11/2019`);
      await page.fill('#self-score input[name="p-1.2"]', '28');
      await page.fill('#self-score input[name="p-2"]', '37,5');
      await page.fill('#self-score input[name="p-T1"]', '2');
      if (i === 0) await shot(page, 'scoring-self-score-phone');
      await submit(page, '#self-score');
      assert.match(await page.textContent('#self-score'), /Đã tự chấm/);
      const offered = await page.$$eval('#cross-score input[name^="c-"]', (xs) => xs.map((x) => x.name.slice(2)));
      assert.equal(offered.length, 11);
      assert.ok(!offered.includes(m), `${m} is not offered to itself`);
      for (const other of offered) {
        await page.fill(`#cross-score input[name="c-${other}"]`, String(95 - 2 * MEMBERS.indexOf(other)).replace('.', ','));
      }
      if (i === 0) {
        await noSideways(page, 'round page');
        await shot(page, 'scoring-cross-score-phone');
      }
      await submit(page, '#cross-score');
      assert.equal(new URL(page.url()).pathname, new URL(roundUrl).pathname);
      await ctx.close();
    }

    // the secret ballot for the Government flag, voted by the 12 members
    await officer.goto(`${BASE}/ballots`);
    await officer.click('details.card summary');
    await officer.selectOption('#ballot-form select[name=unit]', 'can-tho');
    await officer.fill('input[name=context]', 'Cụm thi đua Tây Nam bộ 2019');
    await officer.fill('input[name=title]', 'Bình xét Cờ thi đua của Chính phủ năm 2019');
    for (const c of ['hau-giang', 'long-an', 'ben-tre']) await officer.check(`#ballot-form input[name=candidates][value="${c}"]`);
    // voters are chosen among the accounts in scope (the round's members)
    for (const m of MEMBERS) await officer.check(`#voters input[data-username="cum.${m}"]`);
    await officer.fill('input[name=percent]', '70');
    await Promise.all([officer.waitForLoadState('load'), officer.click('#ballot-form button[type=submit]')]);
    await officer.waitForURL(/\/ballots\/\d+/);
    const ballotUrl = await landed(officer);
    const ballotId = ballotUrl.match(/\/ballots\/(\d+)$/)[1];
    for (const [i, m] of MEMBERS.entries()) {
      const ctx = await browser.newContext(PHONE);
      const page = await ctx.newPage();
      await login(page, `cum.${m}`);
      await page.goto(ballotUrl);
      // candidates are listed by name (Bến Tre, Hậu Giang, Long An): find
      // each one's fieldset by its legend; Bến Tre gets half the votes
      for (const [name, yes] of [['Hậu Giang', true], ['Long An', true], ['Bến Tre', i < 6]]) {
        await page.locator('#vote fieldset', { has: page.locator(`legend:text-is("${name}")`) })
          .locator(`input[value=${yes ? 'yes' : 'no'}]`).check();
      }
      if (i === 0) await shot(page, 'scoring-ballot-phone');
      await submit(page, '#vote');
      assert.match(await page.textContent('#receipt'), /\S{10,}/);
      if (i === 0) await shot(page, 'scoring-ballot-receipt-phone');
      await ctx.close();
    }
    await officer.goto(ballotUrl);
    await Promise.all([officer.waitForLoadState('load'), officer.click('text=Kết thúc bỏ phiếu và kiểm phiếu')]);
    assert.match(await officer.textContent('#results'), /Hậu Giang/);
    await shot(officer, 'scoring-ballot-minutes-phone');

    // close the round: the ranking is stored and shown
    await officer.goto(roundUrl);
    await Promise.all([officer.waitForLoadState('load'), officer.click('#close-round')]);
    const ranking = await officer.$$eval('#ranking tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent.trim())));
    assert.equal(ranking.length, 12);
    assert.deepEqual(ranking[0].slice(0, 2), ['1', 'Hậu Giang']);
    assert.equal(ranking[0][3], 'Xuất sắc');
    assert.deepEqual(ranking[1].slice(0, 2), ['2', 'Long An']);
    await noSideways(officer, 'ranking');
    await shot(officer, 'scoring-ranking-phone');

    // proposals within the regulation's limits, stored as nominations
    await officer.click('text=Danh sách đề nghị khen thưởng');
    await officer.fill('#proposal-form input[name=year]', '2019');
    await officer.fill('#proposal-form textarea[name=rules]',
      'co-thi-dua-chinh-phu: 1 | | bỏ phiếu\nbang-khen-thu-tuong: 2 | 5');
    await officer.fill('#proposal-form textarea[name=ballots]', `co-thi-dua-chinh-phu: ${ballotId}`);
    await submit(officer, '#proposal-form');
    const rows = await officer.$$eval('#nominations tbody tr', (rs) => rs.map((r) => [r.cells[0].dataset.code, ...[...r.cells].slice(1).map((c) => c.textContent.trim())]));
    const flag = rows.filter((r) => r[0] === 'co-thi-dua-chinh-phu');
    assert.equal(flag.length, 1, 'at most one member for the Government flag');
    assert.equal(flag[0][1], 'Hậu Giang');
    const pm = rows.filter((r) => r[0] === 'bang-khen-thu-tuong').map((r) => r[1]);
    assert.deepEqual(pm, ['Long An', 'Bến Tre']);
    assert.ok(rows.every((r) => r[4] === 'đã đề nghị'));
    await noSideways(officer, 'proposals');
    await shot(officer, 'scoring-proposals-phone');

    const api = await officer.evaluate(async () => (await fetch('/api/v1/nominations')).json());
    // the demo's own year holds nominations of another round: count this round's
    const roundId = Number(new URL(roundUrl).pathname.split('/').pop());
    assert.equal(api.filter((n) => n.award_code === 'co-thi-dua-chinh-phu' && n.source_round_id === roundId).length, 1);
  } finally {
    await browser.close();
  }
});
