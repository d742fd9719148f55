import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Every run's screenshots; with UPDATE_SCREENSHOTS=1 the ones docs/console.md shows, too. */
export const SHOTS = join(HERE, '../test-results/screenshots');
const DOCS = join(HERE, '../../docs/console');

/** The page as it is now, light and dark, under `name`: the whole page, or the window only. */
export async function shoot(page: Page, name: string, fullPage = true): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await snap(page, `${name}-${scheme}.png`, fullPage);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** One screenshot, as the page is (its current colour scheme and size). */
export async function snap(page: Page, file: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(SHOTS, file), fullPage });
  if (process.env.UPDATE_SCREENSHOTS === '1')
    await page.screenshot({ path: join(DOCS, file), fullPage });
}
