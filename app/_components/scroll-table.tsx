import type { ReactNode } from "react";

/**
 * A wide table that scrolls sideways on a phone. The scrolling box is focusable so keyboard users
 * can scroll it (WCAG 2.1.1; axe `scrollable-region-focusable`), and it is a region named by the
 * heading `labelledBy` points to, so a screen reader says what the focused box holds.
 */
export function ScrollTable({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}
