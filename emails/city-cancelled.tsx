/** To city officials: a visit or session they approved or agreed (or were asked about) was cancelled. */
import { Facts, StaffEmailLayout, textFacts } from "./layout";

export type CityCancelledData = {
  /** 団体訪問 / 巡回 / 拠点施設 */
  kindLabel: string;
  /** The organisation (group visits) or the session's title. */
  name: string;
  when: string | null;
  place: string | null;
  mode: string;
  reason: string | null;
  /** 受託者（担当者名）or 申込団体 */
  cancelledBy: string;
  /** Whether residents saw it on the public schedule until now. */
  wasPublic: boolean;
  link: string;
  senderName: string;
};

export const cityCancelledSubject = (d: CityCancelledData) => `【取消】${d.kindLabel}「${d.name}」${d.when ? `（${d.when}）` : ""}を取り消しました`;

const facts = (d: CityCancelledData): [string, string | null][] => [
  ["種類", d.kindLabel],
  ["予定", d.name],
  ["日時", d.when],
  ["会場", d.place],
  ["方式", d.mode],
  ["取消の理由", d.reason || "（記入なし）"],
  ["取り消した人", d.cancelledBy],
];


export function CityCancelledEmail({ data }: { data: CityCancelledData }) {
  return (
    <StaffEmailLayout title={cityCancelledSubject(data)} heading="予定が取り消されました" audience="市職員向けのお知らせ" link={data.link} linkText="詳しくは次のページで確認できます。" senderName={data.senderName}>
      <p>次の予定は実施しません。</p>
      <Facts rows={facts(data)} />
      {data.wasPublic ? <p>市民向けの予定表（ホームページ・カレンダー配信）からは自動的に外れました。</p> : null}
    </StaffEmailLayout>
  );
}

export function cityCancelledText(d: CityCancelledData): string {
  return [
    "マイナンバーカード 出張申請窓口（市職員向けのお知らせ）",
    "■ 予定が取り消されました",
    "",
    "次の予定は実施しません。",
    "",
    ...textFacts(facts(d)),
    "",
    ...(d.wasPublic ? ["市民向けの予定表（ホームページ・カレンダー配信）からは自動的に外れました。", ""] : []),
    "詳しくは次のページで確認できます。",
    d.link,
    "",
    "----",
    "このメールは送信専用です。",
    d.senderName,
    "",
  ].join("\n");
}
