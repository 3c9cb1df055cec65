import { EmailLayout, Facts, textFacts, textLayout } from "./layout";
import type { VisitEmailData } from "./types";

export const declinedSubject = (d: VisitEmailData) => `【${d.receiptNo}】出張申請窓口のお申し込みについて`;
const TITLE = "今回は訪問を見送らせていただきます";

const facts = (d: VisitEmailData): [string, string | null][] => [["理由", d.reason]];

export function DeclinedEmail({ data }: { data: VisitEmailData }) {
  return (
    <EmailLayout data={data} title={TITLE}>
      <p>お申し込みいただきありがとうございました。検討の結果、誠に恐れ入りますが、今回は訪問を見送らせていただくことになりました。</p>
      <Facts rows={facts(data)} />
      <p>市内のスーパーや公共施設などを巡回する窓口（予約不要）もご利用いただけます。日程は当サイトの「巡回スケジュール」でご覧いただけます。</p>
    </EmailLayout>
  );
}

export function declinedText(d: VisitEmailData): string {
  return textLayout(d, TITLE, [
    "お申し込みいただきありがとうございました。検討の結果、誠に恐れ入りますが、今回は訪問を見送らせていただくことになりました。",
    "",
    ...textFacts(facts(d)),
    "",
    "市内のスーパーや公共施設などを巡回する窓口（予約不要）もご利用いただけます。日程は当サイトの「巡回スケジュール」でご覧いただけます。",
  ]);
}
