/**
 * The shape of each report body: what is frozen in `reports.body` on
 * submission and what every format (page, XLSX, CSV) renders. Plain JSON,
 * browser-safe. A body never holds a timestamp of its own making, so two
 * builds from the same results are equal (see sameFigures in diff.ts).
 */
import type { IncidentKind, IncidentSeverity, InquiryChannel, OrganisationKind, PrMedium, VisitKind, VisitMode } from "../../db/enums";
import type { TargetKey } from "./targets";

/** A `key:label` category as the settings named it when the report was built. */
export type Category = { key: string; label: string };

export type Categories = {
  /** その他対応の内訳 (settings.assistanceCategories). */
  assistance: Category[];
  /** 受付方式からの切替理由 (settings.fallbackReasons). */
  fallbackReasons: Category[];
  /** 問合せの分類 (settings.inquiryCategories). */
  inquiry: Category[];
};

/** Counts of sessions and of what happened at them; every total of every report is one of these. */
export type Counts = {
  sessions: number;
  /** Session hours (scheduled start to end; set-up and tear-down excluded). */
  hours: number;
  /** 出張申請受付方式 */
  accept: number;
  /** サポート方式・オンライン */
  supportOnline: number;
  /** サポート方式・郵送 */
  supportMail: number;
  /** accept + supportOnline + supportMail */
  applications: number;
  inCity: number;
  outOfCity: number;
  acceptOutOfCity: number;
  supportOnlineOutOfCity: number;
  supportMailOutOfCity: number;
  /** 受付方式からサポート方式への切替 */
  fallback: number;
  fallbackReasons: Record<string, number>;
  otherAssistance: Record<string, number>;
  /** 現地での問合せ (from the results). */
  inquiries: number;
};

export type IncidentLine = {
  id: number;
  kind: IncidentKind;
  severity: IncidentSeverity;
  occurredAt: string;
  what: string;
  actionTaken: string | null;
  closed: boolean;
};

export type PhotoLine = { id: number; caption: string | null };

/** One completed session in a daily report. */
export type SessionLine = {
  visitId: number;
  kind: VisitKind;
  mode: VisitMode;
  place: string;
  organisationKind: OrganisationKind | null;
  startsAt: string | null;
  endsAt: string | null;
  /** No results were recorded for it (counts are zero). */
  resultsMissing: boolean;
  counts: Counts;
  notes: string | null;
  incidents: IncidentLine[];
  photos: PhotoLine[];
};

/** Everything about the report that is not a figure: left out when versions are compared. */
export type ReportHeader = {
  programId: number;
  programName: string;
};

export type DailyBody = {
  kind: "daily";
  header: ReportHeader;
  categories: Categories;
  date: string;
  sessions: SessionLine[];
  totals: Counts;
};

export type GroupRow = { key: string; label: string; counts: Counts };

/** A line of the analysis ranking: applications per session hour, with the month before beside. */
export type RankRow = {
  key: string;
  label: string;
  sessions: number;
  hours: number;
  applications: number;
  /** Applications per session hour (null without hours). */
  perHour: number | null;
  previous: { sessions: number; hours: number; applications: number; perHour: number | null } | null;
};

export type PrLine = {
  id: number;
  medium: PrMedium;
  title: string;
  on: string | null;
  reach: number | null;
  reachUnit: string | null;
  cityApprovedOn: string | null;
};

export type CountRow = { key: string; label: string; count: number };

export type InquirySummary = {
  total: number;
  byChannel: { channel: InquiryChannel; count: number }[];
  byCategory: CountRow[];
};

export type MonthlyBody = {
  kind: "monthly";
  header: ReportHeader;
  categories: Categories;
  month: string;
  totals: Counts;
  byKind: GroupRow[];
  byPlace: GroupRow[];
  byOrganisationKind: GroupRow[];
  days: { date: string; counts: Counts }[];
  incidents: { serious: number; total: number };
  pr: { done: PrLine[]; planned: PrLine[] };
  inquiries: InquirySummary;
  analysis: { previousMonth: string; places: RankRow[]; kinds: RankRow[]; organisationKinds: RankRow[] };
};

export type TargetRow = { key: TargetKey; label: string; wording: "at_least" | "about"; target: number; done: number };

export type CompletionBody = {
  kind: "completion";
  header: ReportHeader & { startsOn: string; endsOn: string };
  categories: Categories;
  firstSessionDate: string | null;
  lastSessionDate: string | null;
  totals: Counts;
  byMonth: { month: string; counts: Counts }[];
  byKind: GroupRow[];
  byKindMode: GroupRow[];
  targets: TargetRow[];
  inquiries: {
    site: InquirySummary;
    phone: InquirySummary;
    /** Email and counter. */
    other: InquirySummary;
  };
  pr: { done: PrLine[]; byMedium: { medium: PrMedium; count: number; reach: { unit: string; total: number }[] }[] };
};

export type ReportBody = DailyBody | MonthlyBody | CompletionBody;
