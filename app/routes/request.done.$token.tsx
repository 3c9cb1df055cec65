/**
 * The receipt after a successful request (/request/done/:token): the form's
 * POST answers 303 here, so a reload or the back button shows the same 受付番号
 * and status link again instead of losing them or posting twice.
 */
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { getRequestStatus } from "~/requests/status.server";
import { PLAIN_HTML } from "~/lib/hydrate";

// Plain HTML on a full page load (a reload, a bookmark): no JavaScript sent (docs/decisions/013). Reached from the
// hydrated form, it renders in the browser and its effect moves the focus to the heading.
export const handle = PLAIN_HTML;

/** The token in the address is the status link's secret: never cache, never index, never leak it in a Referer. */
const PRIVATE_HEADERS = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow" };
export const headers: HeadersFunction = () => PRIVATE_HEADERS;

export const meta: MetaFunction = () => [
  { title: "お申し込みを受け付けました | マイナンバーカード出張申請窓口" },
  { name: "robots", content: "noindex, nofollow" },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const status = getRequestStatus(token);
  if (!status) throw data("お申し込みが見つかりません。メールに記載されたリンクをもう一度お確かめください。", { status: 404, headers: PRIVATE_HEADERS });
  return { receiptNo: status.receiptNo, token };
}

export default function RequestReceiptPage() {
  const { receiptNo, token } = useLoaderData<typeof loader>();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const href = `/request/status/${token}`;
  return (
    <div className="page page--narrow">
      <h1 ref={heading} tabIndex={-1}>
        お申し込みを受け付けました
      </h1>
      <div className="card receipt" role="status">
        <p>受付番号</p>
        <p className="receipt__number" data-testid="receipt-no">
          {receiptNo}
        </p>
        <p>お問い合わせの際は、この受付番号をお伝えください。</p>
      </div>
      <p>
        受付内容と状況確認ページのリンクを、ご入力のメールアドレスにお送りしました。担当者から、日程や会場についてご連絡します。訪問日は市の承認を経て確定し、あらためてお知らせします。
      </p>
      <p>
        <Link to={href} className="button button--large">
          申し込みの状況を確認する
        </Link>
      </p>
      <p className="small muted">
        このページと状況確認ページのアドレスは、ご担当の方だけが見られるよう他の人に教えないでください。メールが届かない場合は、このページをブックマークしておくと便利です。
      </p>
    </div>
  );
}
