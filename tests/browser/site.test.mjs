// Issue 15: every main page (run last: the other tests' clusters, rounds
// and ballots are then there to be seen), as every kind of demo account (administrator,
// officer, viewer, council member, submitter),
// at desk (1366×768) and phone (390×844) size. A page fails when it answers
// 4xx/5xx, scrolls sideways on the phone, or shows a raw ISO timestamp where
// a person reads a date. Besides the navigation's pages, the first detail
// page of each kind reachable from them is visited (a cluster, a ballot, a
// dossier, …), so that the pages an officer lands on are covered too.
// Screenshots: target/screenshots/site-<user>-<page>-<size>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, shot } from './lib.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' };
const DESK = { viewport: { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' };

const START = ['/', '/units', '/people', '/clusters', '/movements', '/scoring', '/ballots',
  '/dossiers', '/dossiers?overdue', '/search', '/decisions', '/fund', '/receipts', '/awards/import',
  '/admin/audit', '/admin/rules', '/clusters/new', '/movements/new'];

// Detail pages: the first link of each kind found on the pages above.
const DETAIL = [
  /^\/units\/[^/?]+$/, /^\/people\/\d+$/, /^\/clusters\/[^/]+\/\d{4}$/, /^\/clusters\/[^/]+\/\d{4}\/setup$/,
  /^\/movements\/[^/?]+$/, /^\/scoring\/rounds\/\d+$/, /^\/scoring\/rubrics\/[^/]+$/, /^\/ballots\/\d+$/,
  /^\/dossiers\/\d+$/, /^\/decisions\/\d+$/, /^\/units\/[^/]+\/eligibility$/, /^\/people\/\d+\/eligibility$/,
  /^\/clusters\/[^/]+\/\d{4}\/upload$/, /^\/clusters\/[^/]+\/\d{4}\/submit\/[^/]+$/, /^\/clusters\/[^/]+\/\d{4}\/review$/,
];

const ISO = /\d{4}-\d{2}-\d{2}T/;

function slug(p) {
  return p.replace(/^\//, '').replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '') || 'home';
}

async function check(page, url, who, size, problems) {
  const res = await page.goto(`${BASE}${url}`);
  const status = res ? res.status() : 0;
  if (status >= 400) {
    // the rules page is the administrator's only
    if (!(status === 403 && who !== 'admin')) problems.push(`${who} ${size} ${url}: HTTP ${status}`);
    return [];
  }
  const text = await page.textContent('body');
  const iso = text.match(ISO);
  if (iso) problems.push(`${who} ${size} ${url}: raw ISO timestamp near «${text.slice(iso.index - 20, iso.index + 30)}»`);
  if (size === 'phone') {
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (over > 1) {
      const culprit = await page.evaluate(() => {
        const w = window.innerWidth;
        const el = [...document.querySelectorAll('main *')].find((e) => e.getBoundingClientRect().right > w + 1
          && getComputedStyle(e).position !== 'fixed' && !e.closest('.scroll'));
        return el ? `${el.tagName.toLowerCase()}.${el.className} «${(el.textContent || '').trim().slice(0, 40)}»` : '?';
      });
      problems.push(`${who} ${size} ${url}: scrolls sideways by ${over}px (${culprit})`);
    }
  }
  await shot(page, `site-${who.replace(/\./g, '-')}-${slug(url)}-${size}`);
  return page.evaluate(() => [...document.querySelectorAll('main a[href^="/"]')].map((a) => a.getAttribute('href')));
}

for (const who of ['admin', 'canbo.cantho', 'xem.cantho', 'hoidong.cantho', 'nop.xaydung.hg']) {
  test(`every main page as ${who}, desk and phone`, async () => {
    const browser = await launch();
    const problems = [];
    try {
      for (const [size, ctx] of [['desk', DESK], ['phone', PHONE]]) {
        const page = await (await browser.newContext(ctx)).newPage();
        await login(page, who);
        const found = new Map();
        for (const url of START) {
          for (const href of await check(page, url, who, size, problems)) {
            const path = href.split('#')[0];
            const kind = DETAIL.findIndex((re) => re.test(path.split('?')[0]));
            if (kind >= 0 && !found.has(kind)) found.set(kind, path);
          }
        }
        // Detail pages lead to more (a cluster to its set-up, upload and
        // review; a person to their eligibility): follow until no new kind.
        const seen = new Set();
        for (let more = true; more;) {
          more = false;
          for (const url of [...found.values()]) {
            if (seen.has(url)) continue;
            seen.add(url);
            more = true;
            for (const href of await check(page, url, who, size, problems)) {
              const path = href.split('#')[0];
              const kind = DETAIL.findIndex((re) => re.test(path.split('?')[0]));
              if (kind >= 0 && !found.has(kind)) found.set(kind, path);
            }
          }
        }
        if (size === 'phone') {
          // the navigation folds into a menu button: content starts near the top
          await page.goto(`${BASE}/`);
          const top = await page.evaluate(() => document.querySelector('main').getBoundingClientRect().top);
          if (top > 160) problems.push(`${who} phone /: main starts at ${top}px`);
          // the menu button opens the navigation
          await page.click('.menu-toggle');
          if (!(await page.isVisible('header nav a[href="/dossiers"]'))) problems.push(`${who} phone: the menu does not open`);
          await shot(page, `site-${who.replace(/\./g, '-')}-menu-open-phone`);
        }
      }
    } finally {
      await browser.close();
    }
    assert.deepEqual(problems, []);
  });
}
