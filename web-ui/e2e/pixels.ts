import type { BrowserContext, Page } from 'playwright';

/**
 * Pixels brighter than mid-grey in a region of the page as drawn: a look at what the user sees,
 * for what the DOM cannot tell (a glyph clipped by its row). The PNG is decoded in a blank page of
 * the same browser, where the console's content policy does not apply.
 */
export async function brightPixels(
  context: BrowserContext,
  page: Page,
  clip: { x: number; y: number; width: number; height: number },
): Promise<number> {
  const png = await page.screenshot({ clip });
  const scratch = await context.newPage();
  try {
    return await scratch.evaluate(
      async (bytes) => {
        const image = await createImageBitmap(
          new Blob([new Uint8Array(bytes)], { type: 'image/png' }),
        );
        const canvas = new OffscreenCanvas(image.width, image.height);
        const g = canvas.getContext('2d');
        if (!g) return -1;
        g.drawImage(image, 0, 0);
        const { data } = g.getImageData(0, 0, image.width, image.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 4)
          if ((data[i] ?? 0) + (data[i + 1] ?? 0) + (data[i + 2] ?? 0) > 3 * 128) n++;
        return n;
      },
      [...png],
    );
  } finally {
    await scratch.close();
  }
}
