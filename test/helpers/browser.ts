import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach } from 'vitest';

/** Debian's Chromium; tests never download a browser of their own. */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a headless Chromium on a CI box: no sandbox (containers), no GPU, no phoning home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

let shared: Promise<Browser> | null = null;
const contexts = new Set<BrowserContext>();

/** One Chromium per test file (launching costs a second), closed after the file. */
export function browser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`browser tests need Debian's Chromium at ${CHROMIUM}: sudo apt-get install chromium`);
  }
  shared ??= chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  return shared;
}

afterEach(async () => {
  await Promise.all([...contexts].map((c) => c.close().catch(() => undefined)));
  contexts.clear();
});

afterAll(async () => {
  const b = shared;
  shared = null;
  if (b) await (await b).close();
});

/** A page of the UI with what it did that a test must check: console errors, dialogs, navigations. */
export interface UiPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught page errors, as text. */
  errors: string[];
  /** Messages of any alert/confirm/prompt the page opened (each is dismissed). */
  dialogs: string[];
  /** URLs of documents the top frame loaded after the first (the History API's own moves aside). */
  navigations: string[];
}

/** Opens `url` in a fresh context (own storage), with downloads accepted, and waits for the list. */
export async function openUi(
  url: string,
  options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {},
): Promise<UiPage> {
  const context = await (
    await browser()
  ).newContext({
    acceptDownloads: true,
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1440, height: 900 },
  });
  contexts.add(context);
  const page = await context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  const navigations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  let loaded = false;
  page.on('load', () => {
    if (loaded) navigations.push(page.url());
  });
  await page.goto(url);
  await page.getByRole('listbox', { name: 'Messages' }).waitFor();
  loaded = true;
  return { page, context, errors, dialogs, navigations };
}

/** The row of the list whose accessible name contains `text`. */
export function row(page: Page, text: string | RegExp) {
  return page.getByRole('option', { name: text });
}

/** Fails with a clear message when the web UI has not been built (`npm run build -w web`). */
export function expectUiBuilt(): void {
  const index = fileURLToPath(new URL('../../server/dist/web/index.html', import.meta.url));
  if (!existsSync(index)) throw new Error(`the web UI is not built (${index} is missing): run npm run build -w web`);
}
