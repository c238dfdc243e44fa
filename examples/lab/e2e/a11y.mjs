// Accessibility checks for the CI test: axe-core injected into the page, and the keyboard.
import { createRequire } from 'node:module';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's serious and critical violations on the page as it is now, one line each. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}×, e.g. ${v.nodes[0]?.target.join(' ')})`);
}

/** Presses Tab until the element with this id has the focus; returns the number of presses, or -1 after `max`. */
export async function tabTo(page, id, max = 60) {
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((i) => document.activeElement?.id === i, id)) return n;
  }
  return -1;
}

/** The ids of the elements Tab reaches from the top of the page, in order, with whether each shows a focus outline. */
export async function tabOrder(page, presses = 80) {
  // A click on the heading (not focusable) moves the sequential focus starting point to the top of the page.
  await page.evaluate(() => document.activeElement?.blur?.());
  await page.click('h1');
  const seen = [];
  for (let n = 0; n < presses; n++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const s = getComputedStyle(e);
      return { id: e.id || `${e.tagName.toLowerCase()}${e.getAttribute('name') ? `[name=${e.getAttribute('name')}]` : ''}`, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
    });
    if (f === null) continue;
    if (seen.length > 0 && f.id === seen[0].id) break; // wrapped around
    seen.push(f);
  }
  return seen;
}
