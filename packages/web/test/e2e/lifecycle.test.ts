/**
 * The life of a job description in a real browser (issue 20): a link to an id that does not exist
 * creates nothing; a document deleted while someone has unsent edits shows them "This job
 * description was deleted by NAME" and offers their text (copy, download), and their edits never
 * reach the server; the owner finds it in the Trash and restores it; Delete in the list has Undo.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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

const SCREENSHOTS = resolve(import.meta.dirname, '../../../../docs/images');
const POLL = { timeout: 15_000, interval: 100 };

const skip = !existsSync(CHROMIUM_PATH) && !process.env.CI;

let stack: Stack;
let ana: Person;
let ben: Person;
let checkerToken: string;
let documentId = '';

const signIn = (page: Page, name: string) => signInAs(stack, page, name);

async function status(id: string): Promise<number> {
  const response = await fetch(`${stack.server.url}/api/documents/${id}`, {
    headers: { authorization: `Bearer ${checkerToken}` },
  });
  return response.status;
}

beforeAll(async () => {
  if (skip) return;
  stack = await startStack();
  checkerToken = await stack.signToken({ sub: 'checker', name: 'Checker', permissions: ['document:*:read'] });
  ana = await openPerson(stack);
  ben = await openPerson(stack);
  await ben.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.server.url });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe.skipIf(skip)('deleting a job description', () => {
  it('a link to an id that does not exist says so and creates nothing', async () => {
    await signIn(ana.page, 'Ana Ruiz');
    await signIn(ben.page, 'Ben Okafor');
    await ana.page.goto(`${stack.server.url}/documents/no-such-role-123`);
    await ana.page.getByRole('heading', { name: 'This job description does not exist' }).waitFor();
    // Give a (wrong) WebSocket open every chance to have created it.
    await ana.page.waitForTimeout(500);
    expect(await status('no-such-role-123')).toBe(404);
    await ana.page.getByRole('link', { name: 'Back to all job descriptions' }).click();
    await ana.page.getByRole('heading', { name: 'Job descriptions' }).waitFor();
    expect(await ana.page.getByRole('link', { name: 'Untitled' }).count()).toBe(0);
  });

  it('shows who deleted it and offers the unsent text, which never reaches the server', async () => {
    await ana.page.getByRole('button', { name: 'New job description' }).click();
    await ana.page.getByLabel('Role title').fill('Warehouse Team Lead');
    await ana.page.getByLabel('Department').fill('Operations');
    await ana.page.getByRole('button', { name: 'Create' }).click();
    await ana.page.waitForURL(/\/documents\/warehouse-team-lead-/);
    documentId = ana.page.url().split('/documents/')[1] ?? '';
    await ana.page
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: 'Job descriptions' })
      .click();

    await ben.page.goto(`${stack.server.url}/documents/${documentId}`);
    await ben.page.locator('.cm-content').waitFor();
    await expect.poll(() => editorText(ben.page), POLL).toContain('## About the team');
    await ben.context.setOffline(true);
    await ben.page.getByTestId('connection-status').filter({ hasText: 'Offline' }).waitFor();
    await ben.page.locator('.cm-line', { hasText: '## About the team' }).first().click();
    await ben.page.keyboard.press('End');
    await ben.page.keyboard.type('\n\nUnsent line from Ben: forklift licence a plus.', { delay: 5 });
    await expect.poll(() => pendingCount(ben.page), POLL).toBeGreaterThan(0);

    // Ana, its creator, deletes it from the list while Ben is offline.
    await ana.page.getByRole('button', { name: 'Delete Warehouse Team Lead' }).click();
    await ana.page.getByText('“Warehouse Team Lead” was moved to the trash.').waitFor();
    await expect.poll(() => status(documentId), POLL).toBe(404);

    // Ben comes back: no "All changes saved", no recreated document, but who deleted it and his text.
    await ben.context.setOffline(false);
    await ben.page.getByRole('heading', { name: 'This job description was deleted by Ana Ruiz' }).waitFor();
    const copy = ben.page.getByLabel('Your text, with the unsaved edits');
    expect(await copy.inputValue()).toContain('Unsent line from Ben: forklift licence a plus.');
    await ben.page.getByRole('button', { name: 'Copy your text' }).click();
    await ben.page.getByText('Copied to the clipboard.').waitFor();
    const clipboard = await ben.page.evaluate(() => navigator.clipboard.readText());
    expect(clipboard).toContain('Unsent line from Ben');
    const [download] = await Promise.all([
      ben.page.waitForEvent('download'),
      ben.page.getByRole('button', { name: 'Download as .md' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Warehouse-Team-Lead.md');
    expect(await readFile((await download.path()) ?? '', 'utf8')).toContain('Unsent line from Ben');
    await ben.page.screenshot({ path: resolve(SCREENSHOTS, 'deleted-document.png') });

    // A reload does not bring it back either.
    await ben.page.reload();
    await ben.page.getByRole('heading', { name: 'This job description does not exist' }).waitFor();
    expect(await status(documentId)).toBe(404);
    const trashed = await stack.server.store.findDocument(documentId);
    expect(trashed?.deletedByName).toBe('Ana Ruiz');
  });

  it('lists it in the Trash with who deleted it, and restores it without the unsent edits', async () => {
    await ana.page.getByRole('link', { name: 'Trash' }).click();
    await ana.page.getByRole('heading', { name: 'Trash' }).waitFor();
    await ana.page.getByText('Deleted by Ana Ruiz').waitFor();
    await ana.page.screenshot({ path: resolve(SCREENSHOTS, 'trash.png') });
    await ana.page.getByRole('button', { name: 'Restore Warehouse Team Lead' }).click();
    await ana.page.getByText('“Warehouse Team Lead” was restored.').waitFor();
    await expect.poll(() => status(documentId), POLL).toBe(200);
    await ana.page.getByRole('link', { name: 'Open it' }).click();
    await expect.poll(() => editorText(ana.page), POLL).toContain('## About the team');
    expect(await editorText(ana.page)).not.toContain('Unsent line from Ben');
  });

  it('deletes from the list with Undo in a toast', async () => {
    await ana.page
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: 'Job descriptions' })
      .click();
    const row = ana.page.getByRole('link', { name: 'Warehouse Team Lead' });
    await row.waitFor();
    await ana.page.getByRole('button', { name: 'Delete Warehouse Team Lead' }).click();
    await ana.page.getByText('“Warehouse Team Lead” was moved to the trash.').waitFor();
    expect(await row.count()).toBe(0);
    expect(await status(documentId)).toBe(404);
    await ana.page.getByRole('button', { name: 'Undo' }).click();
    await row.waitFor();
    await expect.poll(() => status(documentId), POLL).toBe(200);
    expect(
      [...ana.errors, ...ben.errors].filter((e) => !/WebSocket|Failed to load resource/.test(e)),
    ).toEqual([]);
  });
});
