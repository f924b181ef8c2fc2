/**
 * Motion that the user can turn off: a user who asked the system for less motion (`prefers-reduced-motion: reduce`,
 * WCAG 2.3.3) gets jumps instead of animations.
 */
export const prefersReducedMotion = (): boolean =>
  typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Scrolls `element` into view (centred by default): smoothly, unless the user prefers reduced motion. */
export const revealElement = (element: Element | null | undefined, block: ScrollLogicalPosition = 'center'): void => {
  element?.scrollIntoView({ block, behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
};
