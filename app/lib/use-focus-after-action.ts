import { useFetchers, useLocation, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";

/**
 * Where keyboard and screen-reader users land after something happens (issue 15 items 20 and 21), for every page at
 * once instead of per form:
 * - after a submission (a page form or a fetcher): the first invalid field, else the result message that appeared
 *   or changed, else — if the page changed — its h1. Nothing is left focused on <body>.
 * - after moving to another page by a link: the new page's h1.
 * - focus on the message is what reads it out (a role=status element inserted together with its text is often
 *   not announced); when focus goes to an invalid field instead, a live region that is in the page from the
 *   start says how many fields need fixing, and the field's own error is read with it.
 * - a form is not sent twice while its first submission is under way; its button stays enabled (and focused)
 *   instead of being disabled, which used to drop focus to <body>.
 */
const MESSAGES = "main [role=status], main [role=alert], main .notice, main .field-error";

function snapshotMessages(): Map<Element, string> {
  return new Map([...document.querySelectorAll(MESSAGES)].map((el) => [el, el.textContent ?? ""]));
}

function focusElement(el: HTMLElement) {
  if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) el.setAttribute("tabindex", "-1");
  el.focus({ preventScroll: false });
}

function focusHeading(): boolean {
  const h1 = document.querySelector<HTMLElement>("main h1");
  if (!h1) return false;
  focusElement(h1);
  return true;
}

export function useFocusAfterAction(announcer: React.RefObject<HTMLElement>) {
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const location = useLocation();
  const busy = navigation.state !== "idle" || fetchers.some((f) => f.state !== "idle");
  const submitting = navigation.state === "submitting" || fetchers.some((f) => f.state === "submitting");
  // Read by the submit listener between renders (a fast second click), so kept in a ref set during render.
  const submittingRef = useRef(false);
  submittingRef.current = submitting;
  const pending = useRef<Map<Element, string> | null>(null);
  const last = useRef({ key: location.key, path: location.pathname });

  // A submission starts: remember the messages on the page, to find the one it changes, and where focus was.
  const focusedAtSubmit = useRef<Element | null>(null);
  useEffect(() => {
    if (submitting && !pending.current) {
      pending.current = snapshotMessages();
      focusedAtSubmit.current = document.activeElement;
    }
  }, [submitting]);

  // Everything is idle again: move focus to what the action produced.
  useEffect(() => {
    if (busy) return;
    const before = pending.current;
    const movedPage = location.pathname !== last.current.path;
    const navigated = location.key !== last.current.key;
    last.current = { key: location.key, path: location.pathname };
    pending.current = null;
    if (!before && !navigated) return;
    // After React has painted the new state.
    requestAnimationFrame(() => {
      if (announcer.current) announcer.current.textContent = "";
      const active = document.activeElement;
      const inMain = !!active && active !== document.body && !!document.querySelector("main")?.contains(active);
      // The page sent focus somewhere on purpose (a quick-entry form back on its first field): leave it there.
      if (before && !movedPage && inMain && active !== focusedAtSubmit.current && !active.matches("[aria-invalid=true]")) return;
      if (before && !movedPage) {
        const invalid = [...document.querySelectorAll<HTMLElement>("main [aria-invalid=true]")];
        if (invalid.length > 0) {
          // The field's own error is read with it (aria-describedby); the live region says how many need fixing.
          focusElement(invalid[0]);
          announce(announcer.current, `入力内容に確認が必要な項目が${invalid.length}件あります。`);
          return;
        }
        const message = [...document.querySelectorAll<HTMLElement>(MESSAGES)].find((el) => (el.textContent ?? "").trim() !== "" && before.get(el) !== el.textContent);
        // Focus reads the message out; repeating it in the live region would read it twice.
        if (message) return focusElement(message);
      }
      if (movedPage) {
        // An action that redirected: its result message on the new page. A link: the new page's heading, unless
        // the page put focus on its own main field (the activity summary).
        const result = before ? document.querySelector<HTMLElement>("main .notice--ok, main [role=alert]") : null;
        if (result) focusElement(result);
        else if (!inMain) focusHeading();
        return;
      }
      // Same page (filters, a refreshed list): leave focus where the user is, unless it fell to <body>.
      if (!active || active === document.body) focusHeading();
    });
  }, [busy, location.key, location.pathname, announcer]);

  // One submission at a time per form, without disabling the button the user is on.
  const lastForm = useRef<HTMLFormElement | null>(null);
  useEffect(() => {
    const onSubmit = (event: SubmitEvent) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || (form.getAttribute("method") ?? "get").toLowerCase() === "get") return;
      if (submittingRef.current && lastForm.current === form) {
        event.preventDefault();
        event.stopImmediatePropagation();
        return;
      }
      lastForm.current = form;
    };
    window.addEventListener("submit", onSubmit, true);
    return () => window.removeEventListener("submit", onSubmit, true);
  }, []);
}

function announce(region: HTMLElement | null, text: string) {
  if (!region) return;
  const clean = text.replace(/\s+/g, " ").trim();
  // Clear first, so the same message twice in a row is read again.
  region.textContent = "";
  if (clean) window.setTimeout(() => (region.textContent = clean), 50);
}
