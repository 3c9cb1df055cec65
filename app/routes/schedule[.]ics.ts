import { icsResponse, publicIcs } from "~/calendar/feeds.server";

/** Public .ics of the residents' schedule (agreed roaming and base-facility sessions only). */
export async function loader() {
  return icsResponse(publicIcs(), "schedule.ics");
}
