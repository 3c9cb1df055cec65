/**
 * Charts of /progress, drawn on the server as plain SVG (no charting library
 * in the browser). Each is an image with a title and a description for
 * screen readers, and the same numbers as a table beside it.
 */
import { useId, type ReactNode } from "react";

const W = 640;
const H = 260;
const PAD = { left: 48, right: 12, top: 14, bottom: 36 };
const plotW = W - PAD.left - PAD.right;
const plotH = H - PAD.top - PAD.bottom;

/** A round top for the axis: 1, 2, 5 × 10^n. */
export function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

const md = (ymd: string) => `${Number(ymd.slice(5, 7))}/${Number(ymd.slice(8, 10))}`;

function YAxis({ max }: { max: number }) {
  const ticks = [0, max / 2, max];
  return (
    <g className="chart__axis" aria-hidden="true">
      {ticks.map((t) => {
        const y = PAD.top + plotH - (t / max) * plotH;
        return (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} className="chart__grid" />
            <text x={PAD.left - 6} y={y + 4} textAnchor="end">
              {Number.isInteger(t) ? t : t.toFixed(1)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/** X labels: at most 8, evenly spread. */
function XLabels({ labels, x }: { labels: string[]; x: (i: number) => number }) {
  const step = Math.max(1, Math.ceil(labels.length / 7));
  return (
    <g className="chart__axis" aria-hidden="true">
      {labels.map((l, i) =>
        i % step === 0 ? (
          <text key={l} x={x(i)} y={H - PAD.bottom + 18} textAnchor="middle">
            {md(l)}
          </text>
        ) : null
      )}
    </g>
  );
}

function Figure({ title, desc, svg, table, legend }: { title: string; desc: string; svg: (ids: { t: string; d: string }) => ReactNode; table: ReactNode; legend?: ReactNode }) {
  const id = useId();
  const ids = { t: `${id}-t`, d: `${id}-d` };
  return (
    <figure className="chart">
      <div className="chart__image">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${ids.t} ${ids.d}`} className="chart__svg">
          <title id={ids.t}>{title}</title>
          <desc id={ids.d}>{desc}</desc>
          {svg(ids)}
        </svg>
        {legend}
      </div>
      <div className="chart__table table-wrap" role="region" aria-label={`${title}（表）`} tabIndex={0}>
        {table}
      </div>
      <figcaption className="visually-hidden">{title}</figcaption>
    </figure>
  );
}

export type Series = { key: string; label: string; className: string };

/** Stacked weekly bars (applications by kind). */
export function StackedBars({ title, desc, rows, series }: { title: string; desc: string; rows: ({ weekStart: string } & Record<string, number | string>)[]; series: Series[] }) {
  const totals = rows.map((r) => series.reduce((n, s) => n + Number(r[s.key] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const band = plotW / Math.max(1, rows.length);
  const x = (i: number) => PAD.left + band * i + band / 2;
  return (
    <Figure
      title={title}
      desc={desc}
      legend={<Legend series={series} />}
      svg={() => (
        <>
          <YAxis max={max} />
          {rows.map((r, i) => {
            let y = PAD.top + plotH;
            return (
              <g key={r.weekStart}>
                {series.map((s) => {
                  const h = (Number(r[s.key] ?? 0) / max) * plotH;
                  y -= h;
                  return h > 0 ? <rect key={s.key} x={x(i) - band * 0.35} width={band * 0.7} y={y} height={h} className={s.className} /> : null;
                })}
              </g>
            );
          })}
          <XLabels labels={rows.map((r) => r.weekStart)} x={x} />
        </>
      )}
      table={
        <table>
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">週（月曜・新しい順）</th>
              {series.map((s) => (
                <th key={s.key} scope="col" className="num">
                  {s.label}
                </th>
              ))}
              <th scope="col" className="num">
                計
              </th>
            </tr>
          </thead>
          <tbody>
            {rows
              .map((r, i) => ({ r, i }))
              .reverse()
              .map(({ r, i }) => (
                <tr key={r.weekStart}>
                  <th scope="row">{md(r.weekStart)}</th>
                  {series.map((s) => (
                    <td key={s.key} className="num">
                      {Number(r[s.key] ?? 0)}
                    </td>
                  ))}
                  <td className="num">{totals[i]}</td>
                </tr>
              ))}
          </tbody>
        </table>
      }
    />
  );
}

export type Line = { key: string; label: string; className: string; dashed?: boolean };

/** Lines over weeks (cumulative sessions, dashed target lines); null values are not drawn (weeks to come). */
/** `tableRows`: the rows the table beside shows (default: all, newest first). */
export function Lines({
  title,
  desc,
  rows,
  lines,
  todayIndex,
  tableRows,
}: {
  title: string;
  desc: string;
  rows: ({ weekStart: string } & Record<string, number | string | null>)[];
  lines: Line[];
  todayIndex: number;
  tableRows?: ({ weekStart: string } & Record<string, number | string | null>)[];
}) {
  const max = niceMax(Math.max(0, ...rows.flatMap((r) => lines.map((l) => Number(r[l.key] ?? 0)))));
  const step = plotW / Math.max(1, rows.length - 1);
  const x = (i: number) => PAD.left + step * i;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  return (
    <Figure
      title={title}
      desc={desc}
      legend={<Legend series={lines} />}
      svg={() => (
        <>
          <YAxis max={max} />
          {todayIndex >= 0 && todayIndex < rows.length ? (
            <g aria-hidden="true">
              <line x1={x(todayIndex)} x2={x(todayIndex)} y1={PAD.top} y2={PAD.top + plotH} className="chart__today" />
              <text x={x(todayIndex) + 4} y={PAD.top + 10} className="chart__today-label">
                今週
              </text>
            </g>
          ) : null}
          {lines.map((l) => {
            const points = rows.map((r, i) => (r[l.key] == null ? null : `${x(i).toFixed(1)},${y(Number(r[l.key])).toFixed(1)}`)).filter(Boolean);
            return <polyline key={l.key} points={points.join(" ")} className={`${l.className} chart__line${l.dashed ? " chart__line--dashed" : ""}`} fill="none" />;
          })}
          <XLabels labels={rows.map((r) => r.weekStart)} x={x} />
        </>
      )}
      table={
        <table>
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">週（月曜・新しい順）</th>
              {lines.map((l) => (
                <th key={l.key} scope="col" className="num">
                  {l.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(tableRows ?? [...rows].reverse()).map((r) => (
              <tr key={r.weekStart}>
                <th scope="row">{md(r.weekStart)}</th>
                {lines.map((l) => (
                  <td key={l.key} className="num">
                    {r[l.key] == null ? "—" : Number(r[l.key])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

/** Horizontal bars (the pipeline by stage). */
export function Bars({ title, desc, rows, unit }: { title: string; desc: string; rows: { key: string; label: string; value: number }[]; unit: string }) {
  const max = niceMax(Math.max(0, ...rows.map((r) => r.value)));
  const left = 110;
  const rowH = (H - PAD.top - 10) / Math.max(1, rows.length);
  return (
    <Figure
      title={title}
      desc={desc}
      svg={() => (
        <>
          {rows.map((r, i) => {
            const yTop = PAD.top + i * rowH;
            const w = (r.value / max) * (W - left - 60);
            return (
              <g key={r.key}>
                <text x={left - 8} y={yTop + rowH * 0.65} textAnchor="end" className="chart__label" aria-hidden="true">
                  {r.label}
                </text>
                <rect x={left} y={yTop + rowH * 0.15} width={Math.max(w, r.value > 0 ? 2 : 0)} height={rowH * 0.7} className="chart__bar" />
                <text x={left + w + 6} y={yTop + rowH * 0.65} className="chart__value" aria-hidden="true">
                  {r.value}
                </text>
              </g>
            );
          })}
        </>
      )}
      table={
        <table>
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">段階</th>
              <th scope="col" className="num">
                {unit}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                <td className="num">{r.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

function Legend({ series }: { series: { key: string; label: string; className: string; dashed?: boolean }[] }) {
  return (
    <ul className="chart__legend" aria-hidden="true">
      {series.map((s) => (
        <li key={s.key}>
          <svg width="22" height="10" viewBox="0 0 22 10">
            {s.dashed !== undefined ? (
              <line x1="0" x2="22" y1="5" y2="5" className={`${s.className} chart__line${s.dashed ? " chart__line--dashed" : ""}`} />
            ) : (
              <rect width="22" height="10" className={s.className} />
            )}
          </svg>
          {s.label}
        </li>
      ))}
    </ul>
  );
}
