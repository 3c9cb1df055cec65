import { EmailLayout, Facts, textFacts, textLayout } from "./layout";
import type { VisitEmailData } from "./types";

/** A visit's email data plus what the day's results say (sent once, when they are first recorded). */
export type ThankYouData = VisitEmailData & { applications: number };

export const thankYouSubject = (d: ThankYouData) => `【${d.receiptNo}】出張申請窓口へのご協力ありがとうございました`;
const TITLE = "ご協力ありがとうございました";

const facts = (d: ThankYouData): [string, string | null][] => [
  ["実施日時", d.when],
  ["場所", d.place ?? d.venueText],
  ["当日の申請", `${d.applications}件`],
];

const BODY = "このたびは出張申請窓口の会場のご提供と、参加者への周知にご協力いただき、ありがとうございました。当日の実施結果は次のとおりです。";
const AFTER = "当日申請できなかった方がいらっしゃる場合や、あらためての訪問をご希望の場合は、窓口までお気軽にご相談ください。";

export function ThankYouEmail({ data }: { data: ThankYouData }) {
  return (
    <EmailLayout data={data} title={TITLE}>
      <p>{BODY}</p>
      <Facts rows={facts(data)} />
      <p>{AFTER}</p>
    </EmailLayout>
  );
}

export function thankYouText(d: ThankYouData): string {
  return textLayout(d, TITLE, [BODY, "", ...textFacts(facts(d)), "", AFTER]);
}
