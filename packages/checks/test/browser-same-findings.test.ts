/**
 * "The same corpus gives identical findings in Node and in Chromium" (issue 21): the package is
 * bundled for the browser with esbuild (as a Web Worker or Vite would take it), loaded into
 * Debian's headless Chromium, and every corpus case is checked there and compared with Node's
 * whole report.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckReport, checkJobDescription } from '../src/index.js';
import { loadCorpus } from './corpus.js';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

describe('the same findings in Chromium as in Node', () => {
  let browser: Browser | undefined;
  let bundle = '';

  beforeAll(async () => {
    expect(existsSync(CHROMIUM_PATH), `Chromium at ${CHROMIUM_PATH}`).toBe(true);
    const result = await build({
      entryPoints: [join(import.meta.dirname, '../src/index.ts')],
      bundle: true,
      format: 'iife',
      globalName: 'JdChecks',
      platform: 'browser',
      // Workspace packages (@jd-collab/protocol) from their sources, as Vite and Vitest take them:
      // a fresh clone has no dist/ builds.
      conditions: ['@jd-collab/source'],
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    bundle = result.outputFiles[0]!.text;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('bundles without Node built-ins (the package does no I/O)', () => {
    expect(bundle).not.toMatch(/require\("(node:)?(fs|path|os|child_process)"\)/);
  });

  it('checks every corpus job description to the same report', async () => {
    const corpus = loadCorpus().map(({ markdown, posting, options }) => ({ markdown, posting, options }));
    const page = await browser!.newPage();
    try {
      await page.addScriptTag({ content: bundle });
      const inBrowser = await page.evaluate(
        (cases) =>
          cases.map((c) =>
            (
              globalThis as unknown as { JdChecks: { checkJobDescription: typeof checkJobDescription } }
            ).JdChecks.checkJobDescription(c.markdown, c.posting, c.options),
          ),
        corpus,
      );
      const inNode: CheckReport[] = corpus.map((c) => checkJobDescription(c.markdown, c.posting, c.options));
      expect(inBrowser).toHaveLength(corpus.length);
      expect(inBrowser).toEqual(inNode);
      expect(inNode.reduce((n, r) => n + r.findings.length, 0)).toBeGreaterThan(100);
    } finally {
      await page.close();
    }
  }, 120_000);
});
