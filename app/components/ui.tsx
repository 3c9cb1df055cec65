import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { VisitKind, VisitStatus } from "../../db/schema";
import { VISIT_KIND_LABELS, VISIT_KIND_MARKERS, VISIT_STATUS_LABELS, VISIT_STATUS_TONES, type Tone } from "../lib/labels";

export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children ? <div className="row">{children}</div> : null}
    </div>
  );
}

export function Badge({ tone = "neutral", children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}

export function VisitStatusBadge({ status }: { status: VisitStatus }) {
  return <Badge tone={VISIT_STATUS_TONES[status]}>{VISIT_STATUS_LABELS[status]}</Badge>;
}

/** Kind of session: colour plus a text marker and name. */
export function KindTag({ kind }: { kind: VisitKind }) {
  return (
    <span className={`kind kind--${kind}`}>
      <span aria-hidden="true">{VISIT_KIND_MARKERS[kind]}</span>
      {VISIT_KIND_LABELS[kind]}
    </span>
  );
}

export function Notice({ tone = "info", title, children }: { tone?: "info" | "error" | "warn" | "ok"; title?: string; children?: ReactNode }) {
  return (
    <div className={`notice notice--${tone}`} role={tone === "error" ? "alert" : "status"}>
      {title ? <p>
          <strong>{title}</strong>
        </p> : null}
      {children}
    </div>
  );
}

/**
 * A status message whose live region is in the page from the start (only its text comes and goes), so screen
 * readers announce it even where focus is deliberately sent elsewhere — e.g. back to the first field of a
 * quick-entry form.
 */
export function StatusSlot({ tone = "ok", children }: { tone?: "ok" | "info"; children?: ReactNode }) {
  return (
    <div role="status" className="status-slot">
      {children ? <div className={`notice notice--${tone}`}>{children}</div> : null}
    </div>
  );
}

/** A list filter (GET form) over codes shown by their labels, with 「すべて」 (no filter) first. */
export function FilterSelect({ label, name, value, options }: { label: string; name: string; value?: string | null; options: ReadonlyArray<readonly [code: string, label: string]> }) {
  return (
    <label className="filter">
      <span>{label}</span>
      <select name={name} defaultValue={value ?? ""}>
        <option value="">すべて</option>
        {options.map(([code, text]) => (
          <option key={code} value={code}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

type FieldProps = {
  id: string;
  label: string;
  error?: string | null;
  hint?: string;
  required?: boolean;
  children: (aria: { id: string; "aria-invalid"?: true; "aria-describedby"?: string; "aria-required"?: true }) => ReactNode;
};

/** A labelled control with its hint and error wired up for screen readers. */
export function Field({ id, label, error, hint, required, children }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id} className={required ? "required" : undefined}>
        {label}
      </label>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy, "aria-required": required ? true : undefined })}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Page links that keep the rest of the query string. */
export function Pagination({ page, pageCount, search }: { page: number; pageCount: number; search: string }) {
  if (pageCount <= 1) return null;
  const href = (p: number) => {
    const params = new URLSearchParams(search);
    params.set("page", String(p));
    return `?${params}`;
  };
  return (
    <nav className="pagination" aria-label="ページ送り">
      {page > 1 ? (
        <Link className="button button--secondary button--small" to={href(page - 1)} rel="prev">
          ← 前へ
        </Link>
      ) : null}
      <span>
        {page} / {pageCount} ページ
      </span>
      {page < pageCount ? (
        <Link className="button button--secondary button--small" to={href(page + 1)} rel="next">
          次へ →
        </Link>
      ) : null}
    </nav>
  );
}
