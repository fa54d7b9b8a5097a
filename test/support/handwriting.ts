import type { Locator, Page } from 'playwright-core';

type Box = { x: number; y: number; width: number; height: number };

/**
 * The pad's box once it has stopped moving. A pad inside an antd modal is scaled by the
 * modal's zoom-in animation for its first ~300 ms: strokes aimed at a box read during it land
 * beside the canvas, the pad records no ink and the confirm button stays disabled.
 */
async function settledBox(pad: Locator, timeout = 10_000): Promise<Box> {
  const deadline = Date.now() + timeout;
  let last: Box | null = null;
  for (;;) {
    const box = await pad.boundingBox();
    if (box && last && box.x === last.x && box.y === last.y && box.width === last.width && box.height === last.height) return box;
    if (Date.now() > deadline) throw new Error(`签名板位置一直在变化：${JSON.stringify(box)}`);
    last = box;
    await pad.page().waitForTimeout(80);
  }
}

/** Handwriting with the mouse: three strokes of several segments each; `seed` shifts them so two signatures differ. */
export async function signOn(page: Page, pad: Locator, seed = 0): Promise<void> {
  await pad.scrollIntoViewIfNeeded();
  const box = await settledBox(pad);
  const strokes = [
    [[0.1, 0.55], [0.14, 0.3], [0.18, 0.6], [0.22, 0.35], [0.26, 0.62], [0.3, 0.4]],
    [[0.36, 0.35], [0.42, 0.65], [0.46, 0.3], [0.52, 0.6], [0.56, 0.42]],
    [[0.62, 0.5], [0.7, 0.32], [0.74, 0.66], [0.82, 0.4], [0.88, 0.58]],
  ];
  const at = (x: number, y: number) => [box.x + box.width * x, box.y + box.height * (y + seed * 0.02)] as const;
  for (const s of strokes) {
    const [x0, y0] = s[0]!;
    await page.mouse.move(...at(x0!, y0!));
    await page.mouse.down();
    for (const [x, y] of s.slice(1)) await page.mouse.move(...at(x!, y!), { steps: 6 });
    await page.mouse.up();
  }
}
