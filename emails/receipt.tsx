import { EmailLayout, Facts, textFacts, textLayout } from "./layout";
import type { VisitEmailData } from "./types";

export const receiptSubject = (d: VisitEmailData) => `【${d.receiptNo}】出張申請窓口のお申し込みを受け付けました`;
const TITLE = "お申し込みを受け付けました";

function facts(d: VisitEmailData): [string, string | null][] {
  return [
    ["団体名", d.organisationName],
    ...d.preferred.map((p, i): [string, string] => [`第${i + 1}希望日`, p]),
    ["申請予定人数", d.expectedApplicants ? `${d.expectedApplicants}人` : null],
    ["会場", d.venueText],
  ];
}

export function ReceiptEmail({ data }: { data: VisitEmailData }) {
  return (
    <EmailLayout data={data} title={TITLE}>
      <p>このたびは、マイナンバーカードの出張申請窓口にお申し込みいただき、ありがとうございます。次の内容で受け付けました。</p>
      <Facts rows={facts(data)} />
      <p>
        担当者から、日程・会場・駐車場所などについて数日以内にご連絡します。その後、市の承認を経て訪問日が確定し、あらためてメールでお知らせします。
        <strong>この時点では訪問日はまだ確定していません。</strong>
      </p>
    </EmailLayout>
  );
}

export function receiptText(d: VisitEmailData): string {
  return textLayout(d, TITLE, [
    "このたびは、マイナンバーカードの出張申請窓口にお申し込みいただき、ありがとうございます。次の内容で受け付けました。",
    "",
    ...textFacts(facts(d)),
    "",
    "担当者から、日程・会場・駐車場所などについて数日以内にご連絡します。その後、市の承認を経て訪問日が確定し、あらためてメールでお知らせします。",
    "この時点では訪問日はまだ確定していません。",
  ]);
}
