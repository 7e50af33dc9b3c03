import { type InstallationModel, toInstant } from "./program.js";
import type { Instant } from "./types.js";
import { eventRepos } from "./open-program.js";

/**
 * Pure: which GitHub searches find every thread the roster cares about. Per mentee, the threads they
 * authored, commented on, were assigned or mentioned in (`involves:`) and the PRs they reviewed
 * (`reviewed-by:`), updated since their program started; per project repository, its task issues
 * (a task nobody has taken yet is still on the progress comment).
 *
 * `involves:` also covers what counts beyond a project's repositories: a repo-less project's threads
 * (the mentee's own, or assigned to them), comments that @mention a mentor, and comments on the
 * tracking issues the app opened. A project without repositories adds no label search. An open
 * program searches each of its repositories for the PRs created in its window (issue 18).
 */

export interface SearchScope {
  /** Stable name of the search, also the key of its stored cursor. */
  key: string;
  /** The search qualifiers without the date range. */
  qualifiers: string;
  from: Instant;
  /** Open-ended until a search is split because it found more than GitHub's 1,000-result cap. */
  to: Instant | null;
}

export interface PlanOptions {
  /** Only this program's people and repositories. */
  programId?: string;
  /** Nothing updated before this instant (the later of this and the program's start). */
  since?: Instant;
}

/** GitHub search returns at most this many results per query, however many match. */
export const SEARCH_RESULT_CAP = 1000;

export function planSearches(model: InstallationModel, account: { login: string; type: string }, options: PlanOptions = {}): SearchScope[] {
  const owner = account.type === "User" ? `user:${account.login}` : `org:${account.login}`;
  const earliest = new Map<string, Instant>();
  const want = (qualifiers: string, from: Instant) => {
    const known = earliest.get(qualifiers);
    if (known === undefined || Date.parse(from) < Date.parse(known)) earliest.set(qualifiers, from);
  };
  for (const program of model.programs) {
    if (options.programId !== undefined && program.id !== options.programId) continue;
    const from = laterOf(options.since, program.window.from);
    for (const project of program.projects) {
      for (const mentee of project.mentees) {
        want(`${owner} involves:${mentee.login}`, from);
        want(`${owner} reviewed-by:${mentee.login}`, from);
      }
      for (const repo of project.repos) want(`repo:${repo} label:${quote(model.taskLabel)}`, from);
    }
    // An open program's participants are found by their PRs: every PR created in the event's window.
    if (program.open) {
      const created = `created:${searchInstant(program.open.window.from)}..${searchInstant(program.open.window.to)}`;
      for (const repo of eventRepos(program)) want(`repo:${repo} is:pr ${created}`, laterOf(options.since, program.open.window.from));
    }
  }
  return [...earliest].map(([qualifiers, from]) => ({ key: `${qualifiers} from:${from}`, qualifiers, from, to: null }));
}

function laterOf(since: Instant | undefined, start: Instant): Instant {
  return since && Date.parse(since) > Date.parse(start) ? since : start;
}

/** The query string GitHub receives; oldest first, so a resumed cursor never skips what moved up. */
export function searchQuery(scope: Pick<SearchScope, "qualifiers" | "from" | "to">): string {
  const range = scope.to === null ? `updated:>=${searchInstant(scope.from)}` : `updated:${searchInstant(scope.from)}..${searchInstant(scope.to)}`;
  return `${scope.qualifiers} ${range} sort:updated-asc`;
}

/**
 * Halves a search's date range when it matches more than the cap; null when the range is already
 * too short to split (one minute), then the first 1,000 are all GitHub will give.
 */
export function splitScope(scope: SearchScope, until: Instant): [SearchScope, SearchScope] | null {
  const from = Date.parse(scope.from);
  const to = Date.parse(scope.to ?? until);
  if (to - from < 2 * 60_000) return null;
  const mid = toInstant(from + Math.floor((to - from) / 2 / 60_000) * 60_000);
  const end = toInstant(to);
  return [
    { key: `${scope.key} part:${scope.from}..${mid}`, qualifiers: scope.qualifiers, from: scope.from, to: mid },
    { key: `${scope.key} part:${mid}..${end}`, qualifiers: scope.qualifiers, from: mid, to: end },
  ];
}

function searchInstant(instant: Instant): string {
  return instant.replace(/Z$/, "+00:00");
}

function quote(label: string): string {
  return /^[\w.-]+$/.test(label) ? label : `"${label.replace(/"/g, "")}"`;
}
