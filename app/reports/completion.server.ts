/**
 * 委託業務完了報告書: the whole period's totals by month, kind and mode;
 * inquiries on site and by phone; PR and its reach; targets against results
 * (seed 000 §5(9)③).
 */
import { completionBody } from "./assemble";
import type { ProgramInfo, ReportSource } from "./data.server";
import type { CompletionBody } from "./types";

/** Every session and PR activity of the program counts, whatever its date (the booking check keeps sessions inside the period). */
const ALL_DAYS = ["0000-01-01", "9999-12-31"] as const;

export function buildCompletionReport(program: ProgramInfo, source: ReportSource): CompletionBody {
  return completionBody({
    header: { programId: program.id, programName: program.name, startsOn: program.startsOn, endsOn: program.endsOn },
    categories: source.categories,
    targets: program,
    sessions: source.sessions(...ALL_DAYS),
    inquiries: source.inquiries(program.startsOn, program.endsOn),
    prDone: source.pr("done", ...ALL_DAYS),
  });
}
