// Issue 15: the user guide. Signs in as each demo role and saves the
// screenshots the guide's pages show into docs/huong-dan/anh/ (committed;
// 1200 px wide, the top of the page, or a clip of the part a step speaks
// of), then checks the guide as tdkt serves it: the help menu "Hướng dẫn"
// leads each role to its own page, every picture loads, nothing scrolls
// sideways on a phone. Run it after a change of the pages it shows, then
// rebuild: the next `cargo build` compiles the new pictures in.
// Check screenshots: target/screenshots/guide-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { BASE, launch, login, shot } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ANH = path.join(root, 'docs', 'huong-dan', 'anh');
mkdirSync(ANH, { recursive: true });

const DESK = { viewport: { width: 1200, height: 720 }, deviceScaleFactor: 1, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' };

/** The visible top of the page, as the reader sees it after opening it. */
async function picture(page, name) {
  await page.screenshot({ path: path.join(ANH, `${name}.png`), fullPage: false });
}

/** Opens `url` and expects a page, not an error. */
async function open(page, url) {
  const res = await page.goto(`${BASE}${url}`);
  assert.ok(res && res.status() < 400, `${url}: HTTP ${res && res.status()}`);
}

/** The first link of `main` whose address matches `re`. */
async function firstLink(page, re) {
  const hrefs = await page.evaluate(() => [...document.querySelectorAll('main a[href^="/"]')].map((a) => a.getAttribute('href')));
  return hrefs.find((h) => re.test(h.split('?')[0]));
}

// What each role's page shows: [file name, address or a function that opens it].
const ROLES = [
  ['canbo.cantho', '/huong-dan/can-bo-tdkt', [
    ['can-bo-trang-chu', '/'],
    ['can-bo-phong-trao', '/movements'],
    ['can-bo-cum-khoi', '/clusters'],
    ['can-bo-ho-so', '/dossiers'],
    ['can-bo-ho-so-chi-tiet', async (page) => {
      await open(page, '/dossiers');
      const href = await firstLink(page, /^\/dossiers\/\d+$/);
      assert.ok(href, 'a dossier in the demo');
      await open(page, href);
    }],
    ['can-bo-quyet-dinh', '/decisions'],
    ['can-bo-xet-dieu-kien', async (page) => {
      await open(page, '/people');
      const href = await firstLink(page, /^\/people\/\d+$/);
      assert.ok(href, 'a person in the demo');
      await open(page, `${href}/eligibility`);
    }],
  ]],
  ['nop.xaydung.hg', '/huong-dan/don-vi-nop-ho-so', [
    ['nop-trang-chu', '/'],
    ['nop-phong-trao', '/movements'],
  ]],
  ['hoidong.cantho', '/huong-dan/thanh-vien-hoi-dong', [
    ['hoi-dong-phien-hop', '/councils/can-tho'],
    ['hoi-dong-bo-phieu', '/ballots'],
  ]],
  ['xem.cantho', '/huong-dan/lanh-dao', [
    ['lanh-dao-trang-chu', '/'],
    ['lanh-dao-don-vi', '/units/can-tho'],
    ['lanh-dao-tra-cuu', '/search?q=nguyen'],
  ]],
  ['admin', '/huong-dan/quan-tri', [
    ['quan-tri-nhat-ky', '/admin/audit'],
    ['quan-tri-quy-tac', '/admin/rules'],
  ]],
];

test('each role: the screenshots of its guide page, and the help menu leads to that page', async () => {
  const browser = await launch();
  try {
    // Before signing in: the login page, and the guide is open to all.
    {
      const ctx = await browser.newContext(DESK);
      const page = await ctx.newPage();
      await open(page, '/login');
      await picture(page, 'dang-nhap');
      await open(page, '/huong-dan');
      assert.match(await page.textContent('main h1'), /Hướng dẫn sử dụng/);
      await ctx.close();
    }
    for (const [user, guide, shots] of ROLES) {
      const ctx = await browser.newContext(DESK);
      const page = await ctx.newPage();
      await login(page, user);
      for (const [name, where] of shots) {
        if (typeof where === 'function') await where(page);
        else await open(page, where);
        await picture(page, name);
      }
      // The help menu is in the navigation and opens the role's own page.
      await open(page, '/');
      const help = page.locator('header nav a', { hasText: 'Hướng dẫn' });
      assert.equal(await help.getAttribute('href'), guide, `${user}: help menu`);
      await Promise.all([page.waitForLoadState('load'), help.click()]);
      assert.equal(new URL(page.url()).pathname, guide);
      await shot(page, `guide-${user.replace(/\./g, '-')}-desk`);
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
});

test('the guide as tdkt serves it: every page, every picture, at desk and phone size', async () => {
  const browser = await launch();
  try {
    for (const [size, opts] of [['phone', PHONE], ['desk', { ...DESK, viewport: { width: 1366, height: 768 } }]]) {
      const ctx = await browser.newContext(opts);
      const page = await ctx.newPage();
      if (size === 'phone') {
        // The picture of the guide on a phone, with the menu open.
        await open(page, '/huong-dan');
        await page.click('button.menu-toggle');
        await picture(page, 'huong-dan-dien-thoai');
      }
      await open(page, '/huong-dan');
      const pages = await page.evaluate(() => [...document.querySelectorAll('nav.guide-pages a')].map((a) => a.getAttribute('href')));
      assert.equal(pages.length, 6, 'the index and five role pages');
      for (const p of pages) {
        await open(page, p);
        // Every picture loads (a broken one has no natural width).
        const broken = await page.evaluate(() => [...document.querySelectorAll('article.guide img')]
          .filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.getAttribute('src')));
        assert.deepEqual(broken, [], `${p}: pictures that do not load`);
        // Links between the guide's pages are the site's addresses, not files.
        const mdLinks = await page.evaluate(() => [...document.querySelectorAll('article.guide a')]
          .map((a) => a.getAttribute('href')).filter((h) => h.endsWith('.md')));
        assert.deepEqual(mdLinks, [], `${p}: links to .md files`);
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(over <= 1, `${p} (${size}): scrolls sideways by ${over}px`);
        await shot(page, `guide-${p.replace(/^\//, '').replace(/\//g, '-')}-${size}`);
      }
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
});
