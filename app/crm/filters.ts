/** Organisation-list filters: read from and written to the URL (pure, shared by browser and server). */
import { ORGANISATION_KINDS, STAGES, type OrganisationKind, type Stage } from "../../db/enums";
import { parseId } from "../lib/ids";
import { PRIORITY_BANDS, type PriorityBand } from "./priority";

export const SORTS = {
  priority: "優先度",
  name: "団体名",
  nextAction: "次回予定日",
  lastActivity: "最終活動",
  stageChanged: "段階の更新",
} as const;
export type Sort = keyof typeof SORTS;

export type OrganisationFilters = {
  q: string;
  kind: OrganisationKind | "";
  district: number | null;
  stage: Stage | "";
  /** "me", a user id as text, "none" (no owner) or "" (anyone). */
  owner: string;
  band: PriorityBand | "";
  openTask: boolean;
  noNextAction: boolean;
  sort: Sort;
  page: number;
};

export const PAGE_SIZE = 50;

export function parseFilters(params: URLSearchParams): OrganisationFilters {
  const kind = params.get("kind") ?? "";
  const stage = params.get("stage") ?? "";
  const band = params.get("band") ?? "";
  const sort = params.get("sort") ?? "priority";
  const district = parseId(params.get("district"));
  const owner = params.get("owner") ?? "";
  const page = Math.floor(Number(params.get("page")));
  return {
    q: (params.get("q") ?? "").slice(0, 100),
    kind: (ORGANISATION_KINDS as readonly string[]).includes(kind) ? (kind as OrganisationKind) : "",
    district,
    stage: (STAGES as readonly string[]).includes(stage) ? (stage as Stage) : "",
    owner: owner === "me" || owner === "none" || parseId(owner) != null ? owner : "",
    band: band in PRIORITY_BANDS ? (band as PriorityBand) : "",
    openTask: params.get("openTask") === "1",
    noNextAction: params.get("noNext") === "1",
    sort: sort in SORTS ? (sort as Sort) : "priority",
    page: Number.isFinite(page) && page >= 1 ? page : 1,
  };
}

/** The query string of a filter set (defaults left out, page dropped). */
export function filtersToQuery(f: Partial<OrganisationFilters>): string {
  const p = new URLSearchParams();
  if (f.q) p.set("q", f.q);
  if (f.kind) p.set("kind", f.kind);
  if (f.district) p.set("district", String(f.district));
  if (f.stage) p.set("stage", f.stage);
  if (f.owner) p.set("owner", f.owner);
  if (f.band) p.set("band", f.band);
  if (f.openTask) p.set("openTask", "1");
  if (f.noNextAction) p.set("noNext", "1");
  if (f.sort && f.sort !== "priority") p.set("sort", f.sort);
  return p.toString();
}
