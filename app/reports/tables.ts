/**
 * A report body as tables: the one layout the XLSX and CSV writers share
 * (and the column order the web page follows). Pure.
 */
import { VISIT_KIND_LABELS, VISIT_MODE_SHORT_LABELS, labelOf } from "../lib/labels";
import { INCIDENT_KIND_LABELS, INCIDENT_SEVERITY_LABELS, INQUIRY_CHANNEL_LABELS, PR_MEDIUM_LABELS } from "../onsite/labels";
import { warekiDate, warekiMonth } from "./titles";
import { photoUrl } from "../visits/photos";
import type { Categories, CompletionBody, Counts, DailyBody, GroupRow, InquirySummary, MonthlyBody, PrLine, RankRow, ReportBody } from "./types";

export type Cell = string | number | null;
export type NumberFormat = "int" | "dec1" | "dec2";
export type Column = { header: string; group?: string; width?: number; format?: NumberFormat };
/** rowLinks: what a row's first cell opens, e.g. a photo of the session. */
export type Table = { heading: string; columns: Column[]; rows: Cell[][]; totals?: Cell[]; rowLinks?: (string | null)[] };
export type Sheet = { name: string; tables: Table[]; notes?: { heading: string; lines: string[] }[] };
export type ReportDocument = { title: string; meta: [string, string][]; sheets: Sheet[] };

/** Everything about the copy being written that is not in the body. */
export type CopyInfo = {
  title: string;
  deadlineText: string;
  /** 第2版（提出済 …） or 下書き（提出前） */
  versionText: string;
  remarks: string | null;
  changeSummary: string | null;
  deletedPhotoIds: number[];
};

const int = (header: string, group?: string): Column => ({ header, group, width: 9, format: "int" });

/** The count columns every table of sessions has, in this order. */
export function countColumns(categories: Categories): Column[] {
  return [
    int("受付方式"),
    int("オンライン", "サポート方式"),
    int("郵送", "サポート方式"),
    int("申請件数計"),
    int("市内", "住所地"),
    int("市外", "住所地"),
    int("受付→サポート切替"),
    ...categories.assistance.map((c) => int(c.label, "その他対応")),
    int("現地問合せ"),
  ];
}

export function countCells(c: Counts, categories: Categories): Cell[] {
  return [
    c.accept,
    c.supportOnline,
    c.supportMail,
    c.applications,
    c.inCity,
    c.outOfCity,
    c.fallback,
    ...categories.assistance.map((cat) => c.otherAssistance[cat.key] ?? 0),
    c.inquiries,
  ];
}

/** Categories counted in the body that the settings no longer name still show, under their key. */
function withLegacyCategories(categories: Categories, counts: Counts): Categories {
  const extra = Object.keys(counts.otherAssistance).filter((k) => !categories.assistance.some((c) => c.key === k));
  return extra.length ? { ...categories, assistance: [...categories.assistance, ...extra.map((key) => ({ key, label: key }))] } : categories;
}

const time = (startsAt: string | null, endsAt: string | null) => (startsAt ? `${startsAt.slice(11, 16)}〜${endsAt?.slice(11, 16) ?? ""}` : "");
const groupTable = (heading: string, first: string, rows: GroupRow[], categories: Categories, totals?: Counts): Table => ({
  heading,
  columns: [{ header: first, width: 28 }, int("回数"), { header: "時間", width: 8, format: "dec2" }, ...countColumns(categories)],
  rows: rows.map((r) => [r.label, r.counts.sessions, r.counts.hours, ...countCells(r.counts, categories)]),
  totals: totals ? ["合計", totals.sessions, totals.hours, ...countCells(totals, categories)] : undefined,
});

function fallbackTable(categories: Categories, counts: Counts): Table {
  return {
    heading: "受付方式からサポート方式への切替理由",
    columns: [{ header: "理由", width: 28 }, int("件数")],
    rows: Object.entries(counts.fallbackReasons).map(([k, n]) => [labelOf(categories.fallbackReasons, k), n]),
    totals: ["合計", counts.fallback],
  };
}

function dailySheets(b: DailyBody, info: CopyInfo): Sheet[] {
  const categories = withLegacyCategories(b.categories, b.totals);
  const deleted = new Set(info.deletedPhotoIds);
  const sessions: Table = {
    heading: "実施した回ごとの件数",
    columns: [
      int("No"),
      { header: "時間", width: 13 },
      { header: "実施場所", width: 30 },
      { header: "種別", width: 10 },
      { header: "方式", width: 12 },
      ...countColumns(categories),
      int("事故・苦情"),
      int("写真"),
    ],
    rows: b.sessions.map((s, i) => [
      i + 1,
      time(s.startsAt, s.endsAt),
      s.place,
      VISIT_KIND_LABELS[s.kind],
      VISIT_MODE_SHORT_LABELS[s.mode],
      ...countCells(s.counts, categories),
      s.incidents.length,
      s.photos.length,
    ]),
    totals: [
      "合計",
      "",
      "",
      "",
      "",
      ...countCells(b.totals, categories),
      b.sessions.reduce((n, s) => n + s.incidents.length, 0),
      b.sessions.reduce((n, s) => n + s.photos.length, 0),
    ],
  };
  const incidents: Table = {
    heading: "事故・苦情",
    columns: [
      { header: "実施場所", width: 24 },
      { header: "区分", width: 8 },
      { header: "重大度", width: 8 },
      { header: "発生時刻", width: 10 },
      { header: "内容", width: 40 },
      { header: "対応", width: 40 },
      { header: "状況", width: 10 },
    ],
    rows: b.sessions.flatMap((s) =>
      s.incidents.map((i) => [
        s.place,
        INCIDENT_KIND_LABELS[i.kind],
        INCIDENT_SEVERITY_LABELS[i.severity],
        i.occurredAt.slice(11, 16),
        i.what,
        i.actionTaken ?? "",
        i.closed ? "対応済" : "対応中",
      ])
    ),
  };
  const photos: Table = {
    heading: "実施状況の写真",
    columns: [int("写真番号"), { header: "実施場所", width: 24 }, { header: "説明", width: 40 }, { header: "状態", width: 30 }],
    rows: b.sessions.flatMap((s) => s.photos.map((p) => [p.id, s.place, p.caption ?? "", deleted.has(p.id) ? "保存期間の経過により削除済み" : "保存中"])),
    rowLinks: b.sessions.flatMap((s) => s.photos.map((p) => (deleted.has(p.id) ? null : photoUrl(s.visitId, p.id)))),
  };
  const notes = b.sessions.filter((s) => s.notes).map((s) => `${s.place}: ${s.notes}`);
  return [
    {
      name: "日次報告書",
      tables: [sessions, fallbackTable(categories, b.totals), incidents, photos],
      notes: [
        ...(notes.length ? [{ heading: "特記事項", lines: notes }] : []),
        { heading: "備考", lines: (info.remarks ?? "").split("\n").filter(Boolean) },
        ...(info.changeSummary ? [{ heading: "前の版からの訂正内容", lines: info.changeSummary.split("\n") }] : []),
      ],
    },
  ];
}

const rankTable = (heading: string, rows: RankRow[], previousMonth: string): Table => ({
  heading,
  columns: [
    int("順位"),
    { header: "名称", width: 28 },
    int("回数", "当月"),
    { header: "時間", group: "当月", width: 8, format: "dec2" },
    int("申請件数", "当月"),
    { header: "1時間あたり", group: "当月", width: 10, format: "dec1" },
    int("回数", `前月（${warekiMonth(previousMonth)}）`),
    int("申請件数", `前月（${warekiMonth(previousMonth)}）`),
    { header: "1時間あたり", group: `前月（${warekiMonth(previousMonth)}）`, width: 10, format: "dec1" },
  ],
  rows: rows.map((r, i) => [
    i + 1,
    r.label,
    r.sessions,
    r.hours,
    r.applications,
    r.perHour,
    r.previous?.sessions ?? null,
    r.previous?.applications ?? null,
    r.previous?.perHour ?? null,
  ]),
});

const prTable = (heading: string, rows: PrLine[], dateHeader: string): Table => ({
  heading,
  columns: [
    { header: dateHeader, width: 12 },
    { header: "媒体", width: 12 },
    { header: "内容", width: 40 },
    { header: "実績", width: 10, format: "int" },
    { header: "単位", width: 8 },
    { header: "市の承認日", width: 12 },
  ],
  rows: rows.map((p) => [p.on ?? "", PR_MEDIUM_LABELS[p.medium], p.title, p.reach, p.reachUnit ?? "", p.cityApprovedOn ?? ""]),
});

const inquiryTables = (prefix: string, s: InquirySummary): Table[] => [
  {
    heading: `${prefix}（受付方法別）`,
    columns: [{ header: "受付方法", width: 14 }, int("件数")],
    rows: s.byChannel.map((c) => [INQUIRY_CHANNEL_LABELS[c.channel], c.count]),
    totals: ["合計", s.total],
  },
  { heading: `${prefix}（内容別）`, columns: [{ header: "内容", width: 28 }, int("件数")], rows: s.byCategory.map((c) => [c.label, c.count]), totals: ["合計", s.total] },
];

function monthlySheets(b: MonthlyBody, info: CopyInfo): Sheet[] {
  const categories = withLegacyCategories(b.categories, b.totals);
  return [
    {
      name: "月次集計",
      tables: [
        groupTable("種別ごとの件数", "種別", b.byKind, categories, b.totals),
        groupTable(
          "実施日ごとの件数",
          "実施日",
          b.days.map((d) => ({ key: d.date, label: warekiDate(d.date), counts: d.counts })),
          categories,
          b.totals
        ),
        fallbackTable(categories, b.totals),
        { heading: "事故・苦情", columns: [{ header: "区分", width: 20 }, int("件数")], rows: [["重大・緊急", b.incidents.serious]], totals: ["合計", b.incidents.total] },
      ],
      notes: [
        { heading: "備考", lines: (info.remarks ?? "").split("\n").filter(Boolean) },
        ...(info.changeSummary ? [{ heading: "前の版からの訂正内容", lines: info.changeSummary.split("\n") }] : []),
      ],
    },
    { name: "場所別", tables: [groupTable("実施場所ごとの件数", "実施場所", b.byPlace, categories, b.totals)] },
    { name: "団体の種類別", tables: [groupTable("団体の種類ごとの件数（団体向け）", "団体の種類", b.byOrganisationKind, categories)] },
    {
      name: "分析",
      tables: [
        rankTable("実施場所（1時間あたりの申請件数の順）", b.analysis.places, b.analysis.previousMonth),
        rankTable("実施の種別", b.analysis.kinds, b.analysis.previousMonth),
        rankTable("団体の種類", b.analysis.organisationKinds, b.analysis.previousMonth),
      ],
    },
    { name: "広報", tables: [prTable("当月に実施した広報・PR活動", b.pr.done, "実施日"), prTable("次月に実施予定の活動", b.pr.planned, "予定日")] },
    { name: "問合せ", tables: inquiryTables("問合せ", b.inquiries) },
  ];
}

function completionSheets(b: CompletionBody, info: CopyInfo): Sheet[] {
  const categories = withLegacyCategories(b.categories, b.totals);
  return [
    {
      name: "月別",
      tables: [
        groupTable(
          "月ごとの件数",
          "月",
          b.byMonth.map((m) => ({ key: m.month, label: warekiMonth(m.month), counts: m.counts })),
          categories,
          b.totals
        ),
        fallbackTable(categories, b.totals),
      ],
      notes: [
        { heading: "備考", lines: (info.remarks ?? "").split("\n").filter(Boolean) },
        ...(info.changeSummary ? [{ heading: "前の版からの訂正内容", lines: info.changeSummary.split("\n") }] : []),
      ],
    },
    {
      name: "種別・方式",
      tables: [groupTable("種別ごとの件数", "種別", b.byKind, categories, b.totals), groupTable("種別・方式ごとの件数", "種別・方式", b.byKindMode, categories, b.totals)],
    },
    {
      name: "目標と実績",
      tables: [
        {
          heading: "実施回数の目標と実績",
          columns: [{ header: "区分", width: 34 }, int("目標"), int("実績"), { header: "達成率(%)", width: 10, format: "dec1" }, int("差")],
          rows: b.targets.map((t) => [
            `${t.label}（${t.wording === "at_least" ? "以上" : "程度"}）`,
            t.target,
            t.done,
            t.target ? Math.round((t.done / t.target) * 1000) / 10 : null,
            t.done - t.target,
          ]),
        },
      ],
    },
    {
      name: "問合せ",
      tables: [
        ...inquiryTables("実施会場での問合せ", b.inquiries.site),
        ...inquiryTables("電話による問合せ", b.inquiries.phone),
        ...inquiryTables("その他の問合せ", b.inquiries.other),
      ],
    },
    {
      name: "広報",
      tables: [
        {
          heading: "広報の媒体ごとの実績",
          columns: [{ header: "媒体", width: 14 }, int("件数"), { header: "放送・掲載・配布・アクセス等の実績", width: 40 }],
          rows: b.pr.byMedium.map((m) => [PR_MEDIUM_LABELS[m.medium], m.count, m.reach.map((r) => `${r.total.toLocaleString("ja-JP")}${r.unit}`).join("、")]),
        },
        prTable("実施した広報・PR活動", b.pr.done, "実施日"),
      ],
    },
  ];
}

export function reportDocument(body: ReportBody, info: CopyInfo): ReportDocument {
  const meta: [string, string][] = [["業務名", body.header.programName]];
  if (body.kind === "daily") meta.push(["実施日", warekiDate(body.date)]);
  if (body.kind === "monthly") meta.push(["対象月", warekiMonth(body.month)]);
  if (body.kind === "completion")
    meta.push(
      ["業務期間", `${warekiDate(body.header.startsOn)}〜${warekiDate(body.header.endsOn)}`],
      ["最終実施日", body.lastSessionDate ? warekiDate(body.lastSessionDate) : "—"]
    );
  meta.push(["提出期限", info.deadlineText], ["版", info.versionText]);
  const sheets = body.kind === "daily" ? dailySheets(body, info) : body.kind === "monthly" ? monthlySheets(body, info) : completionSheets(body, info);
  return { title: info.title, meta, sheets };
}
