// Shared set-up for browser tests: Debian's chromium, the app under test at
// TDKT_BASE_URL (started by run.sh with demo data), screenshots under
// target/screenshots/.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const BASE = process.env.TDKT_BASE_URL ?? 'http://127.0.0.1:18080';
export const PASSWORD = 'tdkt-demo-2026';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = path.join(root, 'target', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function login(page, username) {
  await page.goto(`${BASE}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
}

export function shot(page, name) {
  return page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

// The address a save landed on, once app.js has dropped the confirmation
// flag («?luu=…», issue 15) from it: what a bookmark or a reload would keep.
export async function landed(page) {
  await page.waitForFunction(() => !/[?&]luu=/.test(location.search));
  return page.url();
}
