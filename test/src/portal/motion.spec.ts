import { prefersReducedMotion, revealElement } from '../../../frontends/api/src/motion';

/**
 * Scrolling to an error or a chosen item glides, unless the user asked the system for less motion (WCAG 2.3.3):
 * then it jumps. The browser specs run with `reducedMotion: 'reduce'` (support/portal.ts), so no click of theirs
 * races a scroll animation.
 */
describe('the portal’s motion', () => {
  const withReducedMotion = (reduce: boolean | null, run: () => void): void => {
    const global = globalThis as { window?: unknown };
    global.window = reduce === null ? {} : { matchMedia: (query: string) => ({ matches: reduce && query === '(prefers-reduced-motion: reduce)' }) };
    try {
      run();
    } finally {
      delete global.window;
    }
  };
  const scrolls = (): { element: Element; calls: ScrollIntoViewOptions[] } => {
    const calls: ScrollIntoViewOptions[] = [];
    return { element: { scrollIntoView: (options: ScrollIntoViewOptions) => calls.push(options) } as unknown as Element, calls };
  };

  it('scrolls smoothly by default and jumps when the user prefers reduced motion', () => {
    const smooth = scrolls();
    withReducedMotion(false, () => revealElement(smooth.element));
    expect(smooth.calls).toEqual([{ block: 'center', behavior: 'smooth' }]);

    const jump = scrolls();
    withReducedMotion(true, () => revealElement(jump.element, 'start'));
    expect(jump.calls).toEqual([{ block: 'start', behavior: 'auto' }]);
  });

  it('knows no preference without a browser or without matchMedia, and ignores a missing element', () => {
    expect(prefersReducedMotion()).toBe(false);
    withReducedMotion(null, () => expect(prefersReducedMotion()).toBe(false));
    withReducedMotion(true, () => expect(() => revealElement(null)).not.toThrow());
  });
});
