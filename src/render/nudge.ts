/**
 * Nudges posted on a project's tracking issue: a silent mentee, or a mentee request waiting past the
 * first-response SLA. Each mentions exactly the project's mentors (through `mention()`), nobody else:
 * the mentee is named as plain bold text, since the nudge is about them, not to them.
 *
 * "Once per stretch" lives in the marker key:
 *  - silence: keyed by the mentee's numeric id (a renamed account is the same person) and last activity
 *    instant (`never` if none), so the next nudge comes only after the mentee was active again and then
 *    went quiet again;
 *  - overdue request: keyed by the thread and the request's `openedAt`, so a later request on the same
 *    thread earns its own nudge but the same one never earns two.
 * Logins and repos are lower-cased in keys: GitHub is case-insensitive about them and payloads are not
 * consistent about case.
 */
import type { Instant, RequestKind } from "../domain/types.js";
import { formatClockDuration, formatDate, formatDuration } from "./format.js";
import { marker } from "./markers.js";
import { issueRef, mentionEach, plainLogin } from "./safe-text.js";

export const SILENCE_MARKER_KIND = "nudge-silence";
export const OVERDUE_MARKER_KIND = "nudge-overdue";

export interface SilenceNudgeInput {
  program: string;
  project: string;
  /** The numeric id in the marker, or what stands for an opted-out mentee there. */
  menteeId: number | string;
  mentee: string;
  silentSinceSeconds: number;
  /** null when the mentee has no recorded activity in the project at all. */
  lastActivityAt: Instant | null;
  mentors: string[];
}

export interface OverdueNudgeInput {
  program: string;
  project: string;
  mentee: string;
  repo: string;
  number: number;
  kind: RequestKind;
  /** When the request was opened: part of the marker key (see above). */
  openedAt: Instant;
  /** On the program's clock: working seconds when it sets business hours. */
  ageSeconds: number;
  slaSeconds: number;
  /** The program's working day under business hours, else null (calendar time). */
  workingDaySeconds: number | null;
  mentors: string[];
}

/** `mentee`: the mentee's numeric id, or what stands for an opted-out one (src/domain/privacy.ts, `markerName`). */
export function silenceNudgeMarker(program: string, project: string, mentee: number | string, lastActivityAt: Instant | null): string {
  return marker(SILENCE_MARKER_KIND, `${program}/${project}/${mentee}/${lastActivityAt ?? "never"}`);
}

/** The login-keyed marker of nudges posted before they were keyed by id: a stretch nudged then is not nudged again. */
export function loginSilenceNudgeMarker(program: string, project: string, mentee: string, lastActivityAt: Instant | null): string {
  return marker(SILENCE_MARKER_KIND, `${program}/${project}/${mentee.toLowerCase()}/${lastActivityAt ?? "never"}`);
}

export function overdueNudgeMarker(program: string, project: string, repo: string, number: number, openedAt: Instant): string {
  return marker(OVERDUE_MARKER_KIND, `${program}/${project}/${repo.toLowerCase()}/${number}/${openedAt}`);
}

const REQUEST_KIND_TEXT: Record<RequestKind, string> = {
  ready_for_review: "a pull request ready for review",
  review_requested: "a review request",
  push_after_changes: "new commits after requested changes",
  comment: "a comment",
  issue_opened: "a new issue",
};

export function renderSilenceNudge(input: SilenceNudgeInput): string {
  const who = plainLogin(input.mentee);
  const quiet = formatDuration(input.silentSinceSeconds);
  const since =
    input.lastActivityAt === null
      ? `No recorded activity from ${who} in this project yet (${quiet}).`
      : `No activity from ${who} in this project since ${formatDate(input.lastActivityAt)} (${quiet}).`;
  return [
    silenceNudgeMarker(input.program, input.project, input.menteeId, input.lastActivityAt),
    `### 👋 ${who} has been quiet for ${quiet}`,
    "",
    since,
    "",
    askMentors(input.mentors, "could one of you check in with them? They may be stuck."),
    "",
    "<sub>Posted once per quiet stretch by mentorship-tracker</sub>",
  ].join("\n") + "\n";
}

export function renderOverdueNudge(input: OverdueNudgeInput): string {
  const who = plainLogin(input.mentee);
  const ref = issueRef(input.repo, input.number);
  const age = formatClockDuration(input.ageSeconds, input.workingDaySeconds);
  return [
    overdueNudgeMarker(input.program, input.project, input.repo, input.number, input.openedAt),
    `### ⏳ ${who} has been waiting ${age} on ${ref}`,
    "",
    `${who} is waiting for a first response to ${REQUEST_KIND_TEXT[input.kind] ?? "a request"} on ${ref} ` +
      `since ${formatDate(input.openedAt)}; the program's first-response target is ${formatClockDuration(input.slaSeconds, input.workingDaySeconds)}.`,
    "",
    askMentors(input.mentors, "could one of you take a look?"),
    "",
    "<sub>Posted once per request by mentorship-tracker</sub>",
  ].join("\n") + "\n";
}

function askMentors(mentors: string[], ask: string): string {
  const mentions = mentionEach(mentors);
  return mentions.length > 0 ? `${mentions.join(" ")}: ${ask}` : "This project lists no mentors: a program admin should follow up.";
}
