/** A table's box: it scrolls sideways on its own when the screen is narrower than the table, and takes keyboard focus to do so. */
import type { ReactNode } from 'react';

export function TableBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="lupa-table-box" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
