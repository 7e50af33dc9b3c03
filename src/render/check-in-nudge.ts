/**
 * A missed check-in period: one comment on the tracking issue mentioning the one mentor who missed it.
 * Keyed by the pair and the period's start, so each missed period nudges once, ever.
 */
import type { MissedPeriod } from "../domain/check-ins.js";
import type { Instant } from "../domain/types.js";
import { formatDate, formatDuration } from "./format.js";
import { marker } from "./markers.js";
import { code, isGitHubLogin, mentionEach, plainLogin } from "./safe-text.js";

export const CHECK_IN_MARKER_KIND = "nudge-checkin";

export interface CheckInNudgeInput {
  program: string;
  project: string;
  mentor: string;
  mentee: string;
  period: MissedPeriod;
  cadenceSeconds: number;
  lastAt: Instant | null;
  /** What the hidden marker holds for each, when it is not their name (an opted-out person: src/domain/privacy.ts). */
  markerNames?: { mentor: string; mentee: string };
}

export function checkInNudgeMarker(program: string, project: string, mentor: string, mentee: string, periodFrom: Instant): string {
  return marker(CHECK_IN_MARKER_KIND, `${program}/${project}/${mentor.toLowerCase()}/${mentee.toLowerCase()}/${periodFrom}`);
}

function cadenceText(seconds: number): string {
  if (seconds === 7 * 86_400) return "weekly";
  if (seconds === 14 * 86_400) return "every two weeks";
  return `every ${formatDuration(seconds)}`;
}

export function renderCheckInNudge(input: CheckInNudgeInput): string {
  const last = new Date(Date.parse(input.period.to) - 1000).toISOString();
  const lines = [
    checkInNudgeMarker(input.program, input.project, input.markerNames?.mentor ?? input.mentor, input.markerNames?.mentee ?? input.mentee, input.period.from),
    `### 🤝 No check-in with ${plainLogin(input.mentee)} from ${formatDate(input.period.from)} to ${formatDate(last)}`,
    "",
    `${mentionEach([input.mentor]).join("")}: this program asks for a check-in ${cadenceText(input.cadenceSeconds)}. ` +
      (input.lastAt === null ? "None is recorded yet. " : `The last one was on ${formatDate(input.lastAt)}. `) +
      `Answering one of their questions counts, or record one with ${code(`/mentorship checkin ${isGitHubLogin(input.mentee) ? input.mentee : "<mentee>"}`)}.`,
    "",
    "<sub>One nudge per missed period · mentorship-tracker</sub>",
  ];
  return `${lines.join("\n")}\n`;
}
