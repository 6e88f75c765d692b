/**
 * Offline text survives a reload (issue 20, defect 3), in real Chromium against the real server:
 * the service worker serves the app without a network, the editor opens the last known text plus
 * the unsent edits from IndexedDB, and once the network is back they reach the server exactly once.
 * Two tabs of one person never replay the same edits twice.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM_PATH,
  editorText,
  openPerson,
  type Person,
  pendingCount,
  type Stack,
  signIn as signInAs,
  startStack,
} from './harness.js';

const SCREENSHOT = process.env.OFFLINE_SCREENSHOT ?? '';
const POLL = { timeout: 15_000, interval: 100 };
const skip = !existsSync(CHROMIUM_PATH) && !process.env.CI;

let stack: Stack;
let ana: Person;
let ben: Person;
let checkerToken: string;

const signIn = (page: Page, name: string) => signInAs(stack, page, name);

/** Creates a job description from the list page and returns its id (the page is in its editor). */
async function createDocument(page: Page, title: string): Promise<string> {
  await page.getByRole('button', { name: 'New job description' }).click();
  await page.getByLabel('Role title').fill(title);
  await page.getByLabel('Department').fill('Operations');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/documents\//);
  await expect.poll(() => editorText(page), POLL).toContain('## About the team');
  return page.url().split('/documents/')[1] ?? '';
}

/** The stored text, over REST. */
async function storedContent(id: string): Promise<string> {
  const response = await fetch(`${stack.server.url}/api/documents/${id}`, {
    headers: { authorization: `Bearer ${checkerToken}` },
  });
  return ((await response.json()) as { content: string }).content;
}

function occurrences(text: string | null, part: string): number {
  return (text ?? '').split(part).length - 1;
}

/** Resolves once the service worker controls the page (so a reload can be served offline). */
async function serviceWorkerInControl(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), POLL).toBe(true);
}

/** Records of unsent edits in this page's IndexedDB. */
function storedRecords(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('jd-collab-pending');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('records')) {
            db.close();
            resolve(0);
            return;
          }
          const count = db.transaction('records').objectStore('records').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );
}

/** Types `text` at the end of the line holding `anchor`. */
async function typeAfter(page: Page, anchor: string, text: string): Promise<void> {
  await page.locator('.cm-line', { hasText: anchor }).first().click();
  await page.keyboard.press('End');
  await page.keyboard.type(text, { delay: 5 });
}

beforeAll(async () => {
  if (skip) return;
  stack = await startStack();
  checkerToken = await stack.signToken({ sub: 'checker', name: 'Checker', permissions: ['document:*:read'] });
  ana = await openPerson(stack);
  ben = await openPerson(stack);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe.skipIf(skip)('offline edits across reloads', () => {
  it('reloads offline from the service worker with the unsent line, and sends it exactly once', async () => {
    await signIn(ana.page, 'Ana Ruiz');
    await signIn(ben.page, 'Ben Okafor');
    const id = await createDocument(ana.page, 'Night Shift Supervisor');
    await serviceWorkerInControl(ana.page);
    await ben.page.goto(`${stack.server.url}/documents/${id}`);
    await expect.poll(() => editorText(ben.page), POLL).toContain('## About the team');

    await ana.context.setOffline(true);
    await ana.page.getByTestId('connection-status').filter({ hasText: 'Offline' }).waitFor();
    const line = '\n\nTyped offline by Ana: night shifts 22:00–06:00, forklift licence ✓';
    await typeAfter(ana.page, '## About the team', line);
    await expect.poll(() => pendingCount(ana.page), POLL).toBeGreaterThan(0);
    await expect.poll(() => storedRecords(ana.page), POLL).toBe(1);

    // A reload without a network: the app comes from the service worker, the text from IndexedDB.
    await ana.page.reload();
    await expect.poll(() => editorText(ana.page), POLL).toContain(line);
    expect(occurrences(await editorText(ana.page), line)).toBe(1);
    expect(await pendingCount(ana.page)).toBeGreaterThan(0);
    await ana.page.getByTestId('connection-status').filter({ hasText: 'Offline' }).waitFor();
    if (SCREENSHOT !== '') await ana.page.screenshot({ path: resolve(SCREENSHOT) });
    expect(await storedContent(id)).not.toContain('Typed offline by Ana');

    // Online again, and another reload: every character arrives, once, everywhere.
    await ana.context.setOffline(false);
    await ana.page.reload();
    await expect.poll(() => pendingCount(ana.page), POLL).toBe(0);
    await expect.poll(() => storedContent(id), POLL).toContain(line);
    const stored = await storedContent(id);
    expect(occurrences(stored, line)).toBe(1);
    await expect.poll(() => editorText(ana.page), POLL).toBe(stored);
    await expect.poll(() => editorText(ben.page), POLL).toBe(stored);
    await expect.poll(() => storedRecords(ana.page), POLL).toBe(0);
    expect(
      ana.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|WebSocket|Failed to load resource/.test(e)),
    ).toEqual([]);
  });

  it('two tabs of one person replay unsent edits once', async () => {
    await ana.page.goto(stack.server.url);
    await ana.page.getByRole('heading', { name: 'Job descriptions' }).waitFor();
    const id = await createDocument(ana.page, 'Dock Scheduler');
    await serviceWorkerInControl(ana.page);

    await ana.context.setOffline(true);
    await ana.page.getByTestId('connection-status').filter({ hasText: 'Offline' }).waitFor();
    const line = '\n\nTwo tabs, one line: dock 7 opens at 05:30';
    await typeAfter(ana.page, '## About the team', line);
    await expect.poll(() => storedRecords(ana.page), POLL).toBe(1);

    // A second tab of the same person opens the document while the first one lives: it does not
    // take the first tab's edits (they are not its to send).
    const second = await ana.context.newPage();
    await second.goto(`${stack.server.url}/documents/${id}`);
    await second.getByText('Opening the document…').waitFor();
    expect(await editorText(second)).toBeNull();

    // The first tab goes away with its edits unsent; both remaining tabs open the document.
    await ana.page.close();
    const third = await ana.context.newPage();
    await ana.context.setOffline(false);
    await Promise.all([second.reload(), third.goto(`${stack.server.url}/documents/${id}`)]);
    await expect.poll(() => storedContent(id), POLL).toContain(line);
    for (const tab of [second, third]) {
      await expect.poll(() => pendingCount(tab), POLL).toBe(0);
    }
    const stored = await storedContent(id);
    expect(occurrences(stored, line)).toBe(1);
    await expect.poll(() => editorText(second), POLL).toBe(stored);
    await expect.poll(() => editorText(third), POLL).toBe(stored);
    await expect.poll(() => storedRecords(third), POLL).toBe(0);
    ana.page = third;
  });
});
