/**
 * Headless Chromium for browser tests: Debian's /usr/bin/chromium (installed by
 * hack/install-deps.sh with TMC_NEED_CHROMIUM=1) driven by playwright-core, with a fresh profile
 * in a temp dir and nothing reaching out to the network on its own. The test CA is not trusted,
 * so HTTPS errors are ignored for the test servers. Screenshots go to TMC_SCREENSHOT_DIR (else a
 * temp dir kept after the test, printed as a comment).
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDir, type Teardown } from './tmc.js';

export const CHROMIUM = process.env.TMC_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export async function launchBrowser(t: Teardown, viewport = { width: 1366, height: 900 }): Promise<BrowserContext> {
  const profile = tempDir(t, 'tmc-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, ignoreHTTPSErrors: true, viewport, timeout: 60_000,
  });
  // waits are for things a loaded CI machine may take a while to do (heartbeats missed, failover)
  context.setDefaultTimeout(60_000);
  t.teardown(() => context.close());
  return context;
}

/** Where this run's screenshots go. */
export function screenshotDir(): string {
  const dir = process.env.TMC_SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), 'tmc-console-shots-'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every request a page makes, to check it never leaves the server's origin. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}
