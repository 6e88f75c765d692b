/**
 * End-to-end fixtures: the web app built by Vite, the real server (SQLite in a temp directory, port
 * 0, serving that build) and Debian's Chromium driven by playwright-core. Everything started here
 * is stopped by `stop()`.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createTokenService } from '../../../server/src/auth/tokens.js';
import { loadConfig } from '../../../server/src/config.js';
import { type RunningServer, startServer } from '../../../server/src/server.js';

const WEB_ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(WEB_ROOT, 'dist');
/** Sources whose change makes the build stale: the app and the workspace packages it bundles. */
const BUILD_INPUTS = [
  join(WEB_ROOT, 'src'),
  join(WEB_ROOT, 'index.html'),
  join(WEB_ROOT, 'vite.config.ts'),
  resolve(WEB_ROOT, '../client/src'),
  resolve(WEB_ROOT, '../ot/src'),
  resolve(WEB_ROOT, '../protocol/src'),
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

/** Builds packages/web/dist with Vite when it is missing or older than any of its sources. */
export async function ensureWebBuild(): Promise<string> {
  const built = await stat(join(DIST, 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const sources = Math.max(...(await Promise.all(BUILD_INPUTS.map(newestMtime))));
  if (built === 0 || built < sources) {
    const { build } = await import('vite');
    await build({ configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  }
  return DIST;
}

export interface Stack {
  server: RunningServer;
  browser: Browser;
  /** Signs a token the way an identity provider would (same secret as the server). */
  signToken(claims: { sub: string; name: string; permissions: string[] }): Promise<string>;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const webDir = await ensureWebBuild();
  const dataDir = await mkdtemp(join(tmpdir(), 'jd-collab-web-e2e-'));
  const jwtSecret = 'e2e-secret-that-is-long-enough-for-hs256-0123456789';
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    WEB_DIR: webDir,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'silent',
    SHUTDOWN_TIMEOUT_MS: '2000',
  });
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    server = await startServer(config);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    await stop();
    throw error;
  }
  const tokens = createTokenService(jwtSecret);
  return {
    server,
    browser,
    signToken: (claims) => tokens.sign({ ...claims, roles: [] }, 3600),
    stop,
  };
}

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of the page, checked at the end of the tests. */
  errors: string[];
}

export async function openPerson(stack: Stack, viewport = { width: 1280, height: 800 }): Promise<Person> {
  const context = await stack.browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'en-GB' });
  // Fail with the locator that did not appear, well before the test's own timeout.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return { context, page, errors };
}

/** The exact text of the editor in `page` (through the app's diagnostics handle, see diagnostics.ts). */
export function editorText(page: Page): Promise<string | null> {
  return page.evaluate(() => window.jdCollab?.editorText() ?? null);
}

export function pendingCount(page: Page): Promise<number | null> {
  return page.evaluate(() => window.jdCollab?.state().pendingCount ?? null);
}

/** Signs `name` in through the development sign-in, and waits for the document list. */
export async function signIn(stack: Stack, page: Page, name: string): Promise<void> {
  await page.goto(stack.server.url);
  await page.getByLabel('Your name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Job descriptions' }).waitFor();
}
