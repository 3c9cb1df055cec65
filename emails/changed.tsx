import { BringSection, bringText } from "./bring";
import { EmailLayout, Facts, textFacts, textLayout } from "./layout";
import type { VisitEmailData } from "./types";

export const changedSubject = (d: VisitEmailData) => `【${d.receiptNo}】出張申請窓口の訪問内容が変更されました`;
const TITLE = "訪問の内容が変更されました";

const facts = (d: VisitEmailData): [string, string | null][] => [
  ["新しい日時", d.when ?? "調整中（決まりしだいお知らせします）"],
  ["場所", d.place ?? d.venueText],
  ["変更の理由", d.reason],
];

export function ChangedEmail({ data }: { data: VisitEmailData }) {
  return (
    <EmailLayout data={data} title={TITLE}>
      <p>お申し込みいただいている訪問の内容が、次のとおり変更になりました。お手数ですがご確認ください。</p>
      <Facts rows={facts(data)} />
      <BringSection mode={data.mode} />
    </EmailLayout>
  );
}

export function changedText(d: VisitEmailData): string {
  return textLayout(d, TITLE, [
    "お申し込みいただいている訪問の内容が、次のとおり変更になりました。お手数ですがご確認ください。",
    "",
    ...textFacts(facts(d)),
    "",
    ...bringText(d.mode),
  ]);
}
