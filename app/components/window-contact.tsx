/**
 * The window's phone number, hours and address (settings windowPhone,
 * windowHours, windowAddress), read from the root loader so every page and the
 * error pages can show them; the defaults stand in when the root loader had
 * no data (its own error).
 */
import { useRouteLoaderData } from "@remix-run/react";
import { DEFAULT_WINDOW_CONTACT, telHref, type WindowContact } from "~/lib/window-contact";

export function useWindowContact(): WindowContact {
  const root = useRouteLoaderData("root") as { window?: WindowContact } | undefined;
  return root?.window ?? DEFAULT_WINDOW_CONTACT;
}

/** The number as a `tel:` link (a tap calls it on a phone). */
export function WindowPhone({ contact }: { contact?: WindowContact }) {
  const fallback = useWindowContact();
  const c = contact ?? fallback;
  return (
    <a href={telHref(c.windowPhone)} className="window-phone">
      {c.windowPhone}
    </a>
  );
}

/** The whole contact block: the number, the hours and the address. */
export function WindowContactBlock({ title = "お問い合わせ（出張申請窓口）", headingLevel = 2 }: { title?: string; headingLevel?: 2 | 3 }) {
  const c = useWindowContact();
  const Heading = `h${headingLevel}` as const;
  return (
    <section className="window-contact">
      <Heading className="window-contact__title">{title}</Heading>
      <p>
        電話 <WindowPhone contact={c} />
        <br />
        <span className="small">受付時間：{c.windowHours}</span>
        <br />
        <span className="small">{c.windowAddress}</span>
      </p>
    </section>
  );
}
