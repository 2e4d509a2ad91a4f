/**
 * Browser-test support for accessibility and layout: `checkPage` runs axe-core (through
 * @axe-core/playwright, on Debian's chromium) on the page as it is, writes a screenshot, and fails
 * on any serious or critical violation or when the page scrolls sideways (wide content must
 * scroll inside its own box). `launchChromium` is the one way browser tests start chromium.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshotPath } from '../../scripts/testing/env.js';

/** The widths every page is checked at: a small phone and a desktop screen. */
export const WIDTHS = [360, 1280] as const;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Checks the page as shown now: 0 serious or critical axe violations (WCAG 2.1 A/AA rules and
 * best practices), no sideways scroll of the page, and a screenshot `<name>.png`.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(`${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `${name}: accessibility violations`).toEqual([]);
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow, `${name}: the page scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
}

/** `checkPage` at each of WIDTHS, after `ready` says the page has its content. */
export async function checkPageAtWidths(page: Page, name: string, ready: (page: Page) => Promise<unknown>): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    await ready(page);
    await checkPage(page, `${name}-${width}`);
  }
}
