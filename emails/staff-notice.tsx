/** A short notice to staff (e.g. an organisation cancelled on its status page). */
export type StaffNotice = { title: string; lines: string[]; link: string };

export function StaffNoticeEmail({ notice }: { notice: StaffNotice }) {
  return (
    <html lang="ja">
      <head>
        <meta charSet="utf-8" />
        <title>{notice.title}</title>
      </head>
      <body style={{ fontFamily: "sans-serif", lineHeight: 1.6 }}>
        <h1 style={{ fontSize: "18px" }}>{notice.title}</h1>
        {notice.lines.map((l, i) => (
          <p key={i}>{l}</p>
        ))}
        <p>
          <a href={notice.link}>{notice.link}</a>
        </p>
      </body>
    </html>
  );
}

export const staffNoticeText = (n: StaffNotice) => [n.title, "", ...n.lines, "", n.link, ""].join("\n");
