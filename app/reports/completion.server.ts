/**
 * 委託業務完了報告書: the whole period's totals by month, kind and mode;
 * inquiries on site and by phone; PR and its reach; targets against results
 * (seed 000 §5(9)③).
 */
import type { Db, Tx } from "../db.server";
import { completionBody } from "./assemble";
import { categoriesOf, completedSessions, inquiriesBetween, prActivitiesOf, type ProgramInfo } from "./data.server";
import type { CompletionBody } from "./types";

/** Every session of the program counts, whatever its date (the booking check keeps them inside the period). */
const ALL_DAYS = ["0000-01-01", "9999-12-31"] as const;

export function buildCompletionReport(program: ProgramInfo, db: Db | Tx): CompletionBody {
  return completionBody({
    header: { programId: program.id, programName: program.name, startsOn: program.startsOn, endsOn: program.endsOn },
    categories: categoriesOf(db),
    targets: program,
    sessions: completedSessions(program.id, ...ALL_DAYS, db),
    inquiries: inquiriesBetween(program.startsOn, program.endsOn, db),
    prDone: prActivitiesOf(program.id, "done", ...ALL_DAYS, db),
  });
}
