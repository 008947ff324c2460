/**
 * A windowed list: renders only the rows in view (plus a few), so folders with 100,000 entries
 * and jobs with thousands of snapshots stay fast (UX.md: "a GUI that stays fast").
 *
 * Rows have one fixed height given in rem, converted with the root font size, so the list stays
 * right when the user enlarges text. Each row is an ordinary element: buttons inside it stay
 * reachable with Tab, and the list scrolls the focused row into view.
 */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export interface VirtualListProps {
  readonly count: number;
  /** Row height in rem. */
  readonly rowRem: number;
  /** Visible height in rem (the list scrolls inside it). */
  readonly heightRem: number;
  readonly renderRow: (index: number) => ReactNode;
  readonly label: string;
  readonly overscan?: number;
  readonly testId?: string;
}

function remToPx(rem: number): number {
  const size = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  return rem * size;
}

export function VirtualList(props: VirtualListProps): ReactNode {
  const { count, rowRem, heightRem, renderRow, label, overscan = 6 } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [rowPx, setRowPx] = useState(() => remToPx(rowRem));
  const [viewPx, setViewPx] = useState(() => remToPx(heightRem));

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = (): void => {
      setRowPx(remToPx(rowRem));
      setViewPx(el.clientHeight || remToPx(heightRem));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [rowRem, heightRem]);

  const first = Math.max(0, Math.floor(scrollTop / rowPx) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewPx) / rowPx) + overscan);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div
        key={i}
        role="listitem"
        className="vlist-row"
        style={{ top: `${i * rowRem}rem`, height: `${rowRem}rem` }}
      >
        {renderRow(i)}
      </div>,
    );
  }

  return (
    <div
      ref={ref}
      className="vlist"
      style={{ maxHeight: `${heightRem}rem` }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid={props.testId}
    >
      <div role="list" aria-label={label} style={{ height: `${count * rowRem}rem` }}>
        {rows}
      </div>
    </div>
  );
}
