/**
 * An open program's progress comment (issue 18): one on the event's tracking issue, edited in place.
 *
 * It names no participant: an event's comment is read by everyone who takes part, its counts are enough
 * to follow it, and who is flagged for spam is for the admins' report only. The PRs waiting for a
 * maintainer are linked by number. A pure function of its input, like the project progress comment, so an
 * unchanged event renders the same bytes and the comment is not edited.
 */
import type { PrCounts } from "../domain/open-program.js";
import type { Instant, LatencyStats } from "../domain/types.js";
import { compareStrings, formatDuration, formatOptionalDuration, plural } from "./format.js";
import { marker } from "./markers.js";
import { formatWaitingAge, PROGRESS_MARKER_KIND, progressFooter } from "./progress.js";
import { inlineText, issueRef } from "./safe-text.js";

export interface EventProgressData {
  program: string;
  name: string;
  starts: string;
  ends: string;
  generatedAt: Instant;
  rules: { window: "anywhere" | "timezone"; goal: number; reviewPeriodSeconds: number; topic: string | null };
  timezone: string;
  workingDaySeconds: number | null;
  totals: PrCounts & { participants: number; reachedGoal: number; latency: LatencyStats };
  repos: Array<PrCounts & { repo: string; latency: LatencyStats; waiting: Array<{ repo: string; number: number; ageSeconds: number; overdue: boolean }> }>;
}

/** The event's comment is keyed by the program alone: no project key has no `/`. */
export function eventProgressMarkerKey(programId: string): string {
  return programId;
}

export function renderEventProgress(data: EventProgressData): string {
  const day = data.workingDaySeconds;
  const where = data.rules.window === "anywhere" ? "in any time zone" : `in ${inlineText(data.timezone)}`;
  const t = data.totals;
  const lines = [
    marker(PROGRESS_MARKER_KIND, eventProgressMarkerKey(data.program)),
    `## ${inlineText(data.name)}: progress`,
    "",
    `Pull requests created ${inlineText(data.starts)} to ${inlineText(data.ends)} ${where} count. Goal: ${plural(data.rules.goal, "accepted pull request")}, ` +
      `each counting ${formatDuration(data.rules.reviewPeriodSeconds)} after it was accepted.`,
    "",
    `**${plural(t.participants, "participant")}**, ${t.reachedGoal} of them at the goal · ${plural(t.prs, "pull request")}: ` +
      `${t.accepted} accepted, ${t.pending} in their review period, ${t.open} waiting for a decision, ${plural(t.drafts, "draft")}, ${t.excluded} not counted`,
    "",
    "| Repository | PRs | Accepted | In review period | Waiting for a decision | Not counted | Maintainers' first answer p50 | p90 |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const repos = [...data.repos].sort((a, b) => compareStrings(a.repo, b.repo));
  for (const r of repos) {
    lines.push(
      `| ${inlineText(r.repo)} | ${r.prs} | ${r.accepted} | ${r.pending} | ${r.open} | ${r.excluded} | ${formatOptionalDuration(r.latency.p50Seconds, day)} | ${formatOptionalDuration(r.latency.p90Seconds, day)} |`,
    );
  }
  lines.push(`| **All** | ${t.prs} | ${t.accepted} | ${t.pending} | ${t.open} | ${t.excluded} | ${formatOptionalDuration(t.latency.p50Seconds, day)} | ${formatOptionalDuration(t.latency.p90Seconds, day)} |`);

  const waiting = repos.flatMap((r) => r.waiting).sort((a, b) => b.ageSeconds - a.ageSeconds || compareStrings(a.repo, b.repo) || a.number - b.number);
  lines.push("");
  if (waiting.length === 0) lines.push("No pull request is waiting for a maintainer.");
  else {
    lines.push(`Waiting for a maintainer (${waiting.length}):`, "");
    for (const w of waiting) lines.push(`- ${issueRef(w.repo, w.number)}, waiting ${formatWaitingAge(w.ageSeconds, day)}${w.overdue ? " · ⚠️ **overdue**" : ""}`);
  }
  lines.push("", "---", progressFooter(data.generatedAt));
  return `${lines.join("\n")}\n`;
}
