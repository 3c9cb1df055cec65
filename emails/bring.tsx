import { NO_INDIVIDUAL_NUMBER_NOTE, WHAT_TO_BRING } from "../app/lib/what-to-bring";
import type { VisitEmailData } from "./types";

export function BringSection({ mode }: { mode: VisitEmailData["mode"] }) {
  const g = WHAT_TO_BRING[mode];
  return (
    <div style={{ background: "#fff", border: "1px solid #cbd2d9", borderRadius: "6px", padding: "8px 16px", margin: "16px 0" }}>
      <p style={{ fontWeight: 700, margin: "8px 0" }}>当日お持ちいただくもの（{g.title}）</p>
      <p>{g.summary}</p>
      <ul>
        {g.items.map((i) => (
          <li key={i}>{i}</li>
        ))}
      </ul>
      <p>{g.note}</p>
      <p style={{ fontWeight: 700 }}>{NO_INDIVIDUAL_NUMBER_NOTE}</p>
    </div>
  );
}

export function bringText(mode: VisitEmailData["mode"]): string[] {
  const g = WHAT_TO_BRING[mode];
  return [`【当日お持ちいただくもの（${g.title}）】`, g.summary, ...g.items.map((i) => `・${i}`), g.note, NO_INDIVIDUAL_NUMBER_NOTE];
}
