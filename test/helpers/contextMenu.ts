// Choosing an item of a tree row's context menu in code-server, for UI tests.
import type { Locator, Page } from 'playwright-core';

/**
 * Chooses an item of a row's context menu, and waits for what it opens. A click that lands while the menu is
 * still opening is lost (the menu stays open), and a webview taking focus can close the menu before the
 * click (both seen in failure screenshots): so hover first, and on no result choose again, opening the menu
 * again if it closed.
 */
export async function chooseFromContextMenu(page: Page, target: Locator, label: string, opened: Locator): Promise<void> {
  const item = page.locator('.context-view .action-label', { hasText: label }).first();
  for (let attempt = 1; ; attempt++) {
    if (!(await item.isVisible())) {
      await target.click({ button: 'right' });
      await item.waitFor({ timeout: 15_000 });
    }
    await item.hover();
    await item.click({ timeout: 5_000 }).catch(() => undefined);
    if (await opened.waitFor({ timeout: 5_000 }).then(() => true, () => false)) return;
    if (attempt === 3) {
      await opened.waitFor({ timeout: 15_000 });
      return;
    }
  }
}
