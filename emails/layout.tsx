/** The frame of every email: plain, readable on phones, inline styles only (mail clients drop <style>). */
import type { ReactNode } from "react";
import { telHref } from "../app/lib/window-contact";
import type { VisitEmailData } from "./types";

const box = { fontFamily: "'Hiragino Sans','Noto Sans JP','Meiryo',sans-serif", fontSize: "16px", lineHeight: 1.7, color: "#1f2933", maxWidth: "600px", margin: "0 auto", padding: "16px" };

/** The document every email shares: the program's name (with whom it is for), the heading, then the body. */
function EmailDocument({ title, heading, audience, headingColor, children }: { title: string; heading: string; audience?: string; headingColor?: string; children: ReactNode }) {
  return (
    <html lang="ja">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
      </head>
      <body style={{ margin: 0, background: "#f5f7fa" }}>
        <div style={box}>
          <p style={{ fontWeight: 700, color: "#0b5394", margin: "0 0 8px" }}>マイナンバーカード 出張申請窓口{audience ? `（${audience}）` : ""}</p>
          <h1 style={{ fontSize: "20px", margin: "0 0 16px", ...(headingColor ? { color: headingColor } : {}) }}>{heading}</h1>
          {children}
        </div>
      </body>
    </html>
  );
}

export function EmailLayout({ data, title, children }: { data: VisitEmailData; title: string; children: ReactNode }) {
  return (
    <EmailDocument title={title} heading={title}>
      <p>
        {data.organisationName}
        <br />
        {data.contactName} 様
      </p>
      {children}
      <p>
        受付番号: <strong>{data.receiptNo}</strong>
      </p>
      <p>
        お申し込みの状況は、次のページでいつでも確認できます（取消もこのページからできます）。
        <br />
        <a href={data.statusUrl} style={{ color: "#0b5394" }}>
          {data.statusUrl}
        </a>
      </p>
      <p style={{ fontSize: "14px", color: "#52606d", borderTop: "1px solid #cbd2d9", paddingTop: "12px", marginTop: "24px" }}>
        このメールは送信専用です。ご不明な点は、受付番号を添えて窓口までお問い合わせください。
        <br />
        出張申請窓口 電話{" "}
        <a href={telHref(data.window.windowPhone)} style={{ color: "#0b5394" }}>
          {data.window.windowPhone}
        </a>
        （{data.window.windowHours}）
        <br />
        {data.window.windowAddress}
        <br />
        マイナンバー（個人番号）は、メールやお問い合わせに書かないでください。
        <br />
        {data.senderName}
      </p>
    </EmailDocument>
  );
}

export function Facts({ rows }: { rows: [string, string | null | undefined][] }) {
  return (
    <table style={{ borderCollapse: "collapse", margin: "8px 0 16px" }}>
      <tbody>
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <tr key={k}>
              <th style={{ textAlign: "left", padding: "4px 12px 4px 0", verticalAlign: "top", whiteSpace: "nowrap" }}>{k}</th>
              <td style={{ padding: "4px 0" }}>{v}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

/** The plain-text part: the same words as the HTML. */
export function textLayout(data: VisitEmailData, title: string, body: string[]): string {
  return [
    "マイナンバーカード 出張申請窓口",
    `■ ${title}`,
    "",
    data.organisationName,
    `${data.contactName} 様`,
    "",
    ...body,
    "",
    `受付番号: ${data.receiptNo}`,
    "お申し込みの状況は、次のページでいつでも確認できます（取消もこのページからできます）。",
    data.statusUrl,
    "",
    "----",
    "このメールは送信専用です。ご不明な点は、受付番号を添えて窓口までお問い合わせください。",
    `出張申請窓口 電話 ${data.window.windowPhone}（${data.window.windowHours}）`,
    data.window.windowAddress,
    "マイナンバー（個人番号）は、メールやお問い合わせに書かないでください。",
    data.senderName,
    "",
  ].join("\n");
}

export function textFacts(rows: [string, string | null | undefined][]): string[] {
  return rows.filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`);
}

/**
 * The frame of an email to staff and city officials (no organisation, no
 * status link): the program's name with whom it is for, the heading, the
 * body, the way to the page in the app, and the send-only footer.
 */
export function StaffEmailLayout({
  title,
  heading,
  audience,
  headingColor,
  link,
  linkText,
  senderName,
  children,
}: {
  title: string;
  heading: string;
  audience?: string;
  headingColor?: string;
  link: string;
  linkText: string;
  senderName: string;
  children: ReactNode;
}) {
  return (
    <EmailDocument title={title} heading={heading} audience={audience} headingColor={headingColor}>
      {children}
      <p>
        {linkText}
        <br />
        <a href={link} style={{ color: "#0b5394" }}>
          {link}
        </a>
      </p>
      <p style={{ fontSize: "14px", color: "#52606d", borderTop: "1px solid #cbd2d9", paddingTop: "12px", marginTop: "24px" }}>
        このメールは送信専用です。
        <br />
        {senderName}
      </p>
    </EmailDocument>
  );
}
