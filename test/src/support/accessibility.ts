import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { scaled } from './timing';

/** Shared by the browser specs that check accessibility (axe-core) and the phone layout. */

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export type Violation = { id: string; impact: string | null; help: string; nodes: string[] };

/**
 * Runs axe-core on the page as it is; returns the serious and critical violations (rule, what, where). A toast
 * ("saved", "started") fades in and out, and axe measures its text mid-animation (opacity) as low contrast: the page
 * is checked once the transient messages are gone.
 */
export async function axeViolations(target: Page): Promise<Violation[]> {
  await target.locator('.n-message').first().waitFor({ state: 'detached', timeout: scaled(15_000) });
  await target.evaluate(AXE_SOURCE);
  const violations = await target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 8).map((node) => `${JSON.stringify(node.target)} ${node.failureSummary?.split('\n').slice(1, 2).join(' ') ?? ''}`.trim()),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

export type Overflow = { scroll: number; viewport: number; widest: string[] };

/** The page's width against the viewport, and (when wider) the deepest elements reaching past the right edge: what to fix. */
export const pageOverflow = (target: Page): Promise<Overflow> =>
  target.evaluate(() => {
    const viewport = window.innerWidth;
    const describe = (element: Element): string => {
      const testId = element.getAttribute('data-testid');
      const classes = [...element.classList].slice(0, 3).join('.');
      return `${element.tagName.toLowerCase()}${testId ? `[data-testid=${testId}]` : ''}${classes ? `.${classes}` : ''} → ${Math.round(element.getBoundingClientRect().right)}px`;
    };
    const past = [...document.querySelectorAll('body *')].filter((element) => {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.right <= viewport + 1) return false;
      // inside a box that scrolls sideways by itself: that box is what counts
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (style.overflowX === 'auto' || style.overflowX === 'scroll' || style.overflowX === 'hidden' || style.overflowX === 'clip') return false;
      }
      return true;
    });
    const deepest = past.filter((element) => !past.some((other) => other !== element && element.contains(other)));
    return { scroll: document.documentElement.scrollWidth, viewport, widest: deepest.slice(0, 6).map(describe) };
  });

