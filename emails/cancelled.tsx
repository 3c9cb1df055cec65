import { EmailLayout, Facts, textFacts, textLayout } from "./layout";
import type { VisitEmailData } from "./types";

export const cancelledSubject = (d: VisitEmailData) => `【${d.receiptNo}】出張申請窓口のお申し込みを取り消しました`;
const TITLE = "お申し込みを取り消しました";

const facts = (d: VisitEmailData): [string, string | null][] => [
  ["予定していた日時", d.when],
  ["取消の理由", d.reason],
];

export function CancelledEmail({ data }: { data: VisitEmailData }) {
  return (
    <EmailLayout data={data} title={TITLE}>
      <p>次のお申し込みを取り消しました。ご連絡いただきありがとうございました。</p>
      <Facts rows={facts(data)} />
      <p>あらためて訪問を希望される場合は、お手数ですが申込フォームから新しくお申し込みください。</p>
    </EmailLayout>
  );
}

export function cancelledText(d: VisitEmailData): string {
  return textLayout(d, TITLE, [
    "次のお申し込みを取り消しました。ご連絡いただきありがとうございました。",
    "",
    ...textFacts(facts(d)),
    "",
    "あらためて訪問を希望される場合は、お手数ですが申込フォームから新しくお申し込みください。",
  ]);
}
