/**
 * 事故・苦情の即時報告: a serious or urgent incident, to every active manager
 * and city official at once (seed 000 §5(9)①ア, §10(8)). Inline styles only.
 */
import { Facts, StaffEmailLayout, textFacts } from "./layout";

/** What the report email shows (already formatted for people). */
export type IncidentEmailData = {
  /** 重大 / 緊急 */
  severityLabel: string;
  /** 事故 / 苦情 / その他 */
  kindLabel: string;
  sessionTitle: string;
  /** 2026年12月1日(火) 10:00〜12:00 */
  sessionWhen: string;
  place: string;
  /** 2026年12月1日(火) 10:40 */
  occurredAt: string;
  what: string;
  actionTaken: string | null;
  reportedBy: string;
  link: string;
  senderName: string;
};

export const incidentSubject = (d: IncidentEmailData) => `【${d.severityLabel}・${d.kindLabel}】${d.sessionTitle}（${d.occurredAt}）`;
const TITLE = (d: IncidentEmailData) => `${d.severityLabel}の${d.kindLabel}が報告されました`;

const facts = (d: IncidentEmailData): [string, string | null][] => [
  ["重大度", d.severityLabel],
  ["種類", d.kindLabel],
  ["発生日時", d.occurredAt],
  ["実施日時", d.sessionWhen],
  ["会場", d.place],
  ["報告者", d.reportedBy],
];

const block = { whiteSpace: "pre-wrap" as const, background: "#fff", border: "1px solid #cbd2d9", padding: "8px 12px", margin: "4px 0 16px" };

export function IncidentEmail({ data }: { data: IncidentEmailData }) {
  return (
    <StaffEmailLayout title={TITLE(data)} heading={TITLE(data)} headingColor="#b42318" link={data.link} linkText="事故報告書はこちらから開いて印刷できます（サインインが必要です）。" senderName={data.senderName}>
      <p>{data.sessionTitle}で次の事案が起きました。対応が終わるまで、受託者の「今日の仕事」と市のトップページに表示されます。</p>
      <Facts rows={facts(data)} />
      <p style={{ fontWeight: 700, margin: 0 }}>何が起きたか</p>
      <p style={block}>{data.what}</p>
      <p style={{ fontWeight: 700, margin: 0 }}>とった対応</p>
      <p style={block}>{data.actionTaken || "（まだ記録されていません）"}</p>
    </StaffEmailLayout>
  );
}

export function incidentText(d: IncidentEmailData): string {
  return [
    "マイナンバーカード 出張申請窓口",
    `■ ${TITLE(d)}`,
    "",
    `${d.sessionTitle}で次の事案が起きました。対応が終わるまで、受託者の「今日の仕事」と市のトップページに表示されます。`,
    "",
    ...textFacts(facts(d)),
    "",
    "何が起きたか:",
    d.what,
    "",
    "とった対応:",
    d.actionTaken || "（まだ記録されていません）",
    "",
    "事故報告書はこちらから開いて印刷できます（サインインが必要です）。",
    d.link,
    "",
    "----",
    "このメールは送信専用です。",
    d.senderName,
    "",
  ].join("\n");
}
