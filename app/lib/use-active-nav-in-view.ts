import { useLocation } from "@remix-run/react";
import { useEffect } from "react";

/** Scroll the sideways-scrolling menu row (not the page) so `item` is wholly in view; centre it when it was not. */
function revealInRow(item: HTMLElement) {
  const row = item.closest("ul");
  if (!row || row.scrollWidth <= row.clientWidth) return;
  const left = item.offsetLeft - row.offsetLeft;
  if (left < row.scrollLeft || left + item.offsetWidth > row.scrollLeft + row.clientWidth) {
    row.scrollLeft = Math.max(0, left - (row.clientWidth - item.offsetWidth) / 2);
  }
}

/**
 * On a phone the staff menu is one row that scrolls sideways. After each navigation the current page's item is
 * brought into view, and so is an item reached with Tab (the browser leaves a half-visible item where it is).
 * Without JavaScript the row starts at its first item and still scrolls.
 */
export function useActiveNavInView() {
  const { pathname } = useLocation();
  useEffect(() => {
    const active = document.querySelector<HTMLElement>(".site-nav ul a[aria-current='page']");
    if (active) revealInRow(active);
  }, [pathname]);
  useEffect(() => {
    const onFocus = (event: FocusEvent) => {
      const target = event.target;
      if (target instanceof HTMLElement && target.matches(".site-nav ul a")) revealInRow(target);
    };
    document.addEventListener("focusin", onFocus);
    return () => document.removeEventListener("focusin", onFocus);
  }, []);
}
