/** To city officials: a visit or session they approved or agreed (or were asked about) was cancelled. */
import { Facts, textFacts } from "./layout";

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

const box = { fontFamily: "'Hiragino Sans','Noto Sans JP','Meiryo',sans-serif", fontSize: "16px", lineHeight: 1.7, color: "#1f2933", maxWidth: "600px", margin: "0 auto", padding: "16px" };

export function CityCancelledEmail({ data }: { data: CityCancelledData }) {
  return (
    <html lang="ja">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{cityCancelledSubject(data)}</title>
      </head>
      <body style={{ margin: 0, background: "#f5f7fa" }}>
        <div style={box}>
          <p style={{ fontWeight: 700, color: "#0b5394", margin: "0 0 8px" }}>マイナンバーカード 出張申請窓口（市職員向けのお知らせ）</p>
          <h1 style={{ fontSize: "20px", margin: "0 0 16px" }}>予定が取り消されました</h1>
          <p>次の予定は実施しません。</p>
          <Facts rows={facts(data)} />
          {data.wasPublic ? <p>市民向けの予定表（ホームページ・カレンダー配信）からは自動的に外れました。</p> : null}
          <p>
            詳しくは次のページで確認できます。
            <br />
            <a href={data.link} style={{ color: "#0b5394" }}>
              {data.link}
            </a>
          </p>
          <p style={{ fontSize: "14px", color: "#52606d", borderTop: "1px solid #cbd2d9", paddingTop: "12px", marginTop: "24px" }}>
            このメールは送信専用です。
            <br />
            {data.senderName}
          </p>
        </div>
      </body>
    </html>
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
