/**
 * Writing checks in the editor (issue 21, part 4), in two real browsers: both people see the same
 * underline on a jargon word one of them typed; the other applies the suggested fix from the hover
 * card, it travels like any edit, both converge on the fixed text, and the panel's score rises.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM_PATH,
  editorText,
  openPerson,
  type Person,
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

const signIn = (page: Page, name: string) => signInAs(stack, page, name);

async function score(page: Page): Promise<number> {
  return Number(await page.getByTestId('checks-score').textContent());
}

beforeAll(async () => {
  if (skip) return;
  stack = await startStack();
  await mkdir(SCREENSHOTS, { recursive: true });
  ana = await openPerson(stack);
  ben = await openPerson(stack);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe.skipIf(skip)('writing checks in the editor', () => {
  it('underlines the same words for both, and a fix applied by one reaches both', async () => {
    await signIn(ana.page, 'Ana Ruiz');
    await signIn(ben.page, 'Ben Okafor');
    await ana.page.getByRole('button', { name: 'New job description' }).click();
    await ana.page.getByLabel('Role title').fill('Data Analyst');
    await ana.page.getByLabel('Department').fill('Finance');
    await ana.page.getByRole('button', { name: 'Create' }).click();
    await ana.page.waitForURL(/\/documents\//);
    const url = ana.page.url();
    await ben.page.goto(url);
    for (const page of [ana.page, ben.page]) {
      await page.locator('.cm-content').waitFor();
      // The template's placeholders are errors: underlined, and the panel says what blocks publishing.
      await page.locator('.cm-lintRange-error').first().waitFor(POLL);
      await page
        .getByTestId('checks-panel')
        .getByText(/to fix before publishing/)
        .waitFor(POLL);
    }

    // Ana writes a sentence with jargon in it; both see it underlined.
    const line = ana.page.locator('.cm-line', { hasText: '## About the team' });
    await line.click();
    await ana.page.keyboard.press('End');
    await ana.page.keyboard.type('\n\nWe want a rockstar who loves numbers.', { delay: 5 });
    for (const page of [ana.page, ben.page]) {
      await page.locator('.cm-lintRange', { hasText: 'rockstar' }).waitFor(POLL);
    }
    await expect.poll(async () => (await score(ben.page)) > 0, POLL).toBe(true);
    const before = await score(ben.page);
    await ben.page.screenshot({ path: resolve(SCREENSHOTS, 'checks.png') });

    // Ben applies the first suggestion from the hover card.
    await ben.page.locator('.cm-lintRange', { hasText: 'rockstar' }).hover();
    const fix = ben.page.locator('.cm-diagnosticAction', { hasText: 'skilled' }).first();
    await fix.waitFor(POLL);
    await fix.click();
    for (const page of [ana.page, ben.page]) {
      await expect.poll(() => editorText(page), POLL).toContain('We want a skilled who loves numbers.');
      await expect.poll(() => page.locator('.cm-lintRange', { hasText: 'rockstar' }).count(), POLL).toBe(0);
    }
    await expect.poll(() => score(ben.page), POLL).toBeGreaterThan(before);
    await expect.poll(() => score(ana.page), POLL).toBe(await score(ben.page));
  });

  it('checks against posting fields set by someone else, live', async () => {
    const id = ana.page.url().split('/documents/')[1] ?? '';
    const pay = () =>
      ben.page.locator('.checks-parts li', { hasText: 'Pay' }).locator('strong').textContent();
    const before = Number(await pay());
    // A recruiter sets the location over the REST API: New York City requires a pay range.
    const token = await stack.signToken({
      sub: 'recruiter',
      name: 'Rita Recruiter',
      permissions: ['document:*:write'],
    });
    const res = await fetch(`${stack.server.url}/api/documents/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ posting: { locations: [{ city: 'New York', region: 'NY', country: 'US' }] } }),
    });
    expect(res.status).toBe(200);
    // Ben's next check (after he types) reads the new posting fields: the pay part drops.
    await ben.page.locator('.cm-line', { hasText: 'who loves numbers.' }).click();
    await ben.page.keyboard.press('End');
    await ben.page.keyboard.type(' Welcome!', { delay: 5 });
    await expect.poll(async () => Number(await pay()), POLL).toBeLessThan(before);
  });
});
