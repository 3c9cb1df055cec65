/**
 * The FullCalendar view. Browser only: the calendar route loads this module
 * lazily after mount (FullCalendar on the server leaves timers behind and its
 * time-zone maths would not match the browser's at hydration).
 */
import FullCalendar from "@fullcalendar/react";
import dayGridPlugin from "@fullcalendar/react/daygrid";
import interactionPlugin from "@fullcalendar/react/interaction";
import listPlugin from "@fullcalendar/react/list";
import jaLocale from "@fullcalendar/react/locales/ja";
import classicThemePlugin from "@fullcalendar/react/themes/classic";
import timeGridPlugin from "@fullcalendar/react/timegrid";
import { useEffect, useRef } from "react";
import type { VisitKind } from "../../db/schema";
import { localDateTime } from "../lib/dates";
import { dayNote, type ProgramDays } from "../visits/booking";

export type MoveResult = { ok: true; message: string } | { ok: false; message: string };

export type CalendarViewProps = {
  kinds: VisitKind[];
  showInactive: boolean;
  canPlan: boolean;
  programDays: ProgramDays;
  initialView: string;
  initialDate?: string;
  onViewChange?: (view: string, date: string) => void;
  onSelectSlot?: (slot: { date: string; start: string | null; end: string | null }) => void;
  onMove: (change: { visitId: number; startsAt: string; endsAt: string; version: number }) => Promise<MoveResult>;
  onEventOpen?: (event: {
    id: number;
    title: string;
    start: string;
    end: string;
    kind: VisitKind;
    status: string;
    venue: string | null;
    address: string | null;
    modeLabel: string;
    /** The event's page for this viewer (the feed's url), if any. */
    url: string | null;
  }) => void;
  announce: (message: string) => void;
  refreshKey: number;
};

function ymdOf(d: Date) {
  return localDateTime(d).slice(0, 10);
}

export default function CalendarView(props: CalendarViewProps) {
  const ref = useRef<{ getApi(): { refetchEvents(): void } } | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;

  // Kind checkboxes and the cancelled toggle re-query the feed.
  useEffect(() => {
    ref.current?.getApi().refetchEvents();
  }, [props.kinds.join(","), props.showInactive, props.refreshKey]);

  const handleChange = async (info: { event: { id: string; start: Date | null; end: Date | null; extendedProps: Record<string, unknown>; title: string }; revert: () => void }) => {
    const { event } = info;
    if (!event.start) return info.revert();
    const end = event.end ?? new Date(event.start.getTime() + 60 * 60 * 1000);
    const result = await propsRef.current.onMove({
      visitId: Number(event.id),
      startsAt: localDateTime(event.start),
      endsAt: localDateTime(end),
      version: Number(event.extendedProps.version ?? 0),
    });
    if (!result.ok) {
      info.revert();
      propsRef.current.announce(`「${event.title}」は移動できませんでした。元の日時に戻しました。${result.message}`);
    } else {
      propsRef.current.announce(result.message);
      ref.current?.getApi().refetchEvents();
    }
  };

  return (
    <FullCalendar
      ref={ref as never}
      plugins={[classicThemePlugin, dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin]}
      locale={jaLocale}
      initialView={props.initialView}
      initialDate={props.initialDate}
      headerToolbar={{ start: "prev,next today", center: "title", end: "dayGridMonth,timeGridWeek,timeGridDay,listMonth" }}
      height="auto"
      slotMinTime="07:00:00"
      slotMaxTime="20:00:00"
      scrollTime="08:00:00"
      nowIndicator
      navLinks
      dayMaxEvents={4}
      editable={props.canPlan}
      selectable={props.canPlan}
      selectMirror
      snapDuration="00:15:00"
      eventDisplay="block"
      displayEventTime={false}
      events={async (info: { start: Date; end: Date }) => {
        const p = propsRef.current;
        const params = new URLSearchParams({
          start: `${localDateTime(info.start)}:00+09:00`,
          end: `${localDateTime(info.end)}:00+09:00`,
          kinds: p.kinds.join(","),
          cancelled: p.showInactive ? "1" : "0",
        });
        const res = await fetch(`/calendar/events?${params}`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!res.ok) {
          p.announce("予定を読み込めませんでした。画面を再読み込みしてください。");
          return [];
        }
        return res.json();
      }}
      eventContent={(arg: { event: { title: string; start: Date | null; end: Date | null; extendedProps: Record<string, unknown> }; view: { type: string } }) => {
        const e = arg.event;
        const tall = arg.view.type.startsWith("timeGrid");
        const list = arg.view.type.startsWith("list");
        const from = e.start ? localDateTime(e.start).slice(11, 16) : "";
        const to = e.end ? localDateTime(e.end).slice(11, 16) : "";
        // Kind marker first (told apart at a glance), then the place; status as a text tag too.
        return (
          <span className={tall || list ? "ev__body ev__body--tall" : "ev__body"}>
            {tall ? null : <span className="ev__time">{list ? `${from}–${to}` : from} </span>}
            <span className="ev__title">{e.title}</span>
            <span className="ev__status"> {String(e.extendedProps.statusPrefix ?? "")}</span>
            {tall ? (
              <span className="ev__time ev__time--block">
                {from}–{to}
              </span>
            ) : null}
          </span>
        );
      }}
      dayCellClass={(arg: { date: Date }) => {
        const ymd = ymdOf(arg.date);
        const note = dayNote(ymd, propsRef.current.programDays);
        return note ? "day--closed" : undefined;
      }}
      dayLaneClass={(arg: { date: Date }) => (dayNote(ymdOf(arg.date), propsRef.current.programDays) ? "day--closed" : undefined)}
      dayHeaderContent={(arg: { date: Date; text: string; view: { type: string } }) => {
        // Month view headers are weekday names only; week and day views show the day's note.
        const note = arg.view.type.startsWith("timeGrid") ? dayNote(ymdOf(arg.date), propsRef.current.programDays) : null;
        return (
          <span>
            {arg.text}
            {note ? <span className="day-note day-note--header">{note}</span> : null}
          </span>
        );
      }}
      dayCellTopContent={(arg: { date: Date; dayNumberText: string }) => {
        const note = dayNote(ymdOf(arg.date), propsRef.current.programDays);
        return (
          <span className="day-top">
            {/* The space keeps "文化の日 3" one phrase apart in the visible text the accessible name must contain. */}
            {note ? <span className="day-note">{note}</span> : null}
            {note ? " " : null}
            <span>{arg.dayNumberText}</span>
          </span>
        );
      }}
      dayCellDidMount={(arg: { date: Date; el: HTMLElement }) => {
        // Holidays and closed days: the name starts with what the cell shows ("文化の日 3", WCAG 2.5.3), then the full date.
        const note = dayNote(ymdOf(arg.date), propsRef.current.programDays);
        if (!note) return;
        const labelled = arg.el.matches("[aria-label]") ? arg.el : arg.el.querySelector<HTMLElement>("[aria-label]");
        const label = labelled?.getAttribute("aria-label");
        if (labelled && label && !label.startsWith(note)) labelled.setAttribute("aria-label", `${note} ${arg.date.getDate()}（${label}）`);
      }}
      datesSet={(arg: { view: { type: string; currentStart: Date } }) => propsRef.current.onViewChange?.(arg.view.type, ymdOf(arg.view.currentStart))}
      select={(arg: { start: Date; end: Date; allDay: boolean }) => {
        const date = ymdOf(arg.start);
        propsRef.current.onSelectSlot?.({
          date,
          start: arg.allDay ? null : localDateTime(arg.start).slice(11, 16),
          end: arg.allDay ? null : localDateTime(arg.end).slice(11, 16),
        });
      }}
      eventClick={(arg: { event: { id: string; title: string; start: Date | null; end: Date | null; url: string; extendedProps: Record<string, unknown> }; jsEvent: { preventDefault(): void } }) => {
        // The detail card opens first; its link (the event's url) leads on to the page.
        arg.jsEvent.preventDefault();
        const e = arg.event;
        const p = e.extendedProps;
        if (!e.start) return;
        propsRef.current.onEventOpen?.({
          id: Number(e.id),
          title: e.title,
          start: localDateTime(e.start),
          end: localDateTime(e.end ?? e.start),
          kind: p.kind as VisitKind,
          status: String(p.status),
          venue: (p.venue as string | null) ?? null,
          address: (p.address as string | null) ?? null,
          modeLabel: String(p.modeLabel ?? ""),
          url: e.url || null,
        });
      }}
      eventDrop={handleChange as never}
      eventResize={handleChange as never}
    />
  );
}
