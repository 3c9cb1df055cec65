import type { VisitMode } from "../../db/enums";
import { WHAT_TO_BRING } from "../lib/what-to-bring";

/** What to bring for one mode: title, list, and optionally the note about collecting the card. */
export function WhatToBringList({ mode, withNote = false }: { mode: VisitMode; withNote?: boolean }) {
  const w = WHAT_TO_BRING[mode];
  return (
    <div>
      <p>
        <strong>{w.title}</strong>
      </p>
      <ul>
        {w.items.map((i) => (
          <li key={i}>{i}</li>
        ))}
      </ul>
      {withNote ? <p className="small">{w.note}</p> : null}
    </div>
  );
}
