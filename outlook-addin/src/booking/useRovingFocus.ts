import { useRef, useState, type KeyboardEvent } from 'react';

const moves: Record<string, (index: number, last: number) => number> = {
  ArrowRight: (index) => index + 1,
  ArrowDown: (index) => index + 1,
  ArrowLeft: (index) => index - 1,
  ArrowUp: (index) => index - 1,
  Home: () => 0,
  End: (_index, last) => last,
};

/**
 * A roving tab stop over `count` items (WAI-ARIA): Tab enters and leaves the group in one press, at the item
 * focused last; arrow keys, Home and End move within it. Long lists of slots stay quick to get past.
 */
export function useRovingFocus(count: number) {
  const [current, setCurrent] = useState(0);
  const items = useRef<(HTMLElement | null)[]>([]);
  const last = count - 1;

  return (index: number) => ({
    tabIndex: index === Math.min(current, last) ? 0 : -1,
    ref: (element: HTMLElement | null) => {
      items.current[index] = element;
    },
    onFocus: () => setCurrent(index),
    onKeyDown: (event: KeyboardEvent) => {
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      items.current[Math.max(0, Math.min(last, move(index, last)))]?.focus();
    },
  });
}
