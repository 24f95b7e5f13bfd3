import { Classes, type Intent } from '@blueprintjs/core';
import type { ReactNode } from 'react';

/**
 * A minimal Blueprint tag drawn as plain spans with Blueprint's own classes, for table cells.
 * Blueprint's <Tag> wraps its text in <Text>, which measures itself in a layout effect to
 * decide on a tooltip: a few hundred tags in a table's visible rows are a long task of their
 * own when a big list arrives. The cell's title already shows the whole text.
 */
export function CellTag({ intent, className, children }: { intent?: Intent; className?: string; children: ReactNode }) {
  const classes = [Classes.TAG, Classes.MINIMAL, intent && intent !== 'none' ? Classes.intentClass(intent) : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <span className={classes}>
      <span className={`${Classes.TEXT_OVERFLOW_ELLIPSIS} ${Classes.FILL}`}>{children}</span>
    </span>
  );
}
