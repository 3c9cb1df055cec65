/**
 * One contender of the car race (tests/integration/car-race.test.ts): its own
 * process, its own SQLite connection to the shared file. It loads the real
 * modules, says "ready", waits for "go", then asks for the car once.
 */
import { createSession } from "../../app/visits/sessions.server";
import { applyTransition } from "../../app/visits/transitions.server";

type Job =
  | { kind: "submit"; visitId: number; user: { id: number; email: string; name: string; role: "outreach"; sessionId: string } }
  | { kind: "roaming"; venueId: number; date: string; startsAt: string; endsAt: string; user: { id: number; email: string; name: string; role: "outreach"; sessionId: string } };

const job = JSON.parse(process.env.RACE_JOB!) as Job;

process.on("message", (msg) => {
  if (msg !== "go") return;
  try {
    const result =
      job.kind === "submit"
        ? applyTransition({ visitId: job.visitId, transition: "submit_for_approval", actor: job.user })
        : createSession({ kind: "roaming", mode: "support", venueId: job.venueId, date: job.date, startsAt: job.startsAt, endsAt: job.endsAt }, job.user);
    process.send!({ ok: result.ok, message: result.ok ? null : result.message }, () => process.exit(0));
  } catch (error) {
    process.send!({ ok: false, error: String((error as Error)?.stack ?? error) }, () => process.exit(0));
  }
});
process.send!("ready");
