/**
 * Program insights (README, "Program insights"): participants per year, retention of alumni,
 * returning mentors, mentees who become mentors or maintainers, and a comparison cohort of
 * newcomers nobody mentored. Pure: the roster model and a few facts about activity in, figures out.
 *
 * Activity is asked for in two steps so the database never ships every event here: `activityQuestions`
 * says which (person, window) pairs matter, the caller answers which of them saw a contribution,
 * and `computeInsights` turns the answers into figures.
 */
import type { InstallationModel, Person, ProgramModel } from "./program.js";
import { toInstant } from "./program.js";
import type { CalendarDate, InsightSettings, Instant } from "./types.js";

export type { InsightSettings } from "./types.js";

const DAY_SECONDS = 86_400;

export const DEFAULT_INSIGHT_SETTINGS: InsightSettings = {
  retentionSeconds: [90, 180, 365].map((d) => d * DAY_SECONDS),
  activeSeconds: 90 * DAY_SECONDS,
  publicLogins: false,
};

/** The model's settings, or the defaults for a model stored before insights existed. */
export function insightSettingsOf(model: InstallationModel): InsightSettings {
  return model.insights ?? DEFAULT_INSIGHT_SETTINGS;
}

export interface InsightScope {
  /** Only these programs (null: every program). */
  programIds: string[] | null;
  /** Programs starting on or after this day. */
  since: CalendarDate | null;
  /** Programs starting before this day. */
  until: CalendarDate | null;
}

/** A window (from, to] in which a person's contributions are looked for. */
export interface ActivityQuestion {
  key: string;
  personId: number;
  from: Instant;
  to: Instant;
}

/** Someone's first contribution (issue or PR opened, comment, review) in the installation. */
export interface FirstContribution {
  personId: number;
  at: Instant;
}

export interface MaintainerSignal {
  personId: number;
  at: Instant;
  /** `merge`: merged a PR someone else opened; `codeowners` / `maintainers`: named in that file. */
  how: "merge" | "codeowners" | "maintainers";
  /** `owner/name` (and `#number` for a merge). */
  where: string;
}

export interface InsightFacts {
  /** Keys of the `activityQuestions` whose window holds at least one contribution. */
  answered: ReadonlySet<string>;
  /** First contribution of every person who is not a bot (the comparison cohort is drawn from it). */
  firstContributions: FirstContribution[];
  maintainerSignals: MaintainerSignal[];
  /** Earliest stored contribution: nothing before it is known. Null when none is stored. */
  activityFrom: Instant | null;
  /**
   * Since when everyone's activity is stored (the app's install: webhooks carry every contribution,
   * while the backfill reads only mentees' threads). Null: not known, so no comparison cohort.
   */
  everyoneFrom: Instant | null;
}

export interface RetentionFigure {
  days: number;
  /** People whose window has closed and lies wholly within the known data. */
  eligible: number;
  retained: number;
  rate: number | null;
  /** Windows still open: neither retained nor lost yet. */
  tooEarly: number;
  /** Windows that opened before the activity data begins: not counted either way. */
  noData: number;
}

export interface PeopleRate {
  count: number;
  rate: number | null;
  logins: string[];
}

export interface Insights {
  scope: InsightScope;
  generatedAt: Instant;
  byYear: {
    year: number;
    programs: { id: string; name: string; mentees: number; menteeSlots: number; mentors: number }[];
    mentees: number;
    menteeSlots: number;
    mentors: number;
  }[];
  people: { mentees: number; mentors: number; menteeSlots: number };
  /** Mentees whose (latest) program in scope has ended. */
  alumni: number;
  retention: RetentionFigure[];
  currentlyActive: { days: number; count: number; rate: number | null; of: number };
  returningMentors: PeopleRate;
  menteeToMentor: PeopleRate;
  menteeToMaintainer: PeopleRate & { signals: { login: string; at: Instant; how: MaintainerSignal["how"]; where: string }[] };
  comparison: {
    /** Programs starting before everyone's activity is stored have no comparison cohort. */
    programsLeftOut: string[];
    newcomers: number;
    retention: RetentionFigure[];
    currentlyActive: { count: number; rate: number | null };
  };
  dataFrom: { activity: CalendarDate | null; everyone: CalendarDate | null; note: string };
  settings: { retentionDays: number[]; activeDays: number; publicLogins: boolean };
}

interface Cohort {
  personId: number;
  /** The end of the program the window counts from (the instant after its last day). */
  endsAt: Instant;
}

interface Plan {
  programs: ProgramModel[];
  alumni: Cohort[];
  newcomers: Cohort[];
  /** Programs in scope that start before everyone's activity is stored. */
  uncompared: ProgramModel[];
}

export function programsInScope(model: InstallationModel, scope: InsightScope): ProgramModel[] {
  return model.programs
    .filter((p) => scope.programIds === null || scope.programIds.includes(p.id))
    .filter((p) => (scope.since === null || p.starts >= scope.since) && (scope.until === null || p.starts < scope.until))
    .sort((a, b) => (a.starts < b.starts ? -1 : a.starts > b.starts ? 1 : 0));
}

/** Everyone the roster names, including the machine users it ignores: none of them is a newcomer. */
function rosterIds(model: InstallationModel): Set<number> {
  const ids = new Set([...model.admins, ...(model.ignored ?? [])].map((a) => a.id));
  for (const program of model.programs) {
    for (const project of program.projects) for (const p of [...project.mentors, ...project.mentees]) ids.add(p.id);
  }
  return ids;
}

/** What the event log says about who contributed when, as far as the cohorts need it. */
export interface Contributors {
  firstContributions: FirstContribution[];
  everyoneFrom: Instant | null;
}

function plan(model: InstallationModel, scope: InsightScope, contributors: Contributors): Plan {
  const programs = programsInScope(model, scope);
  // Retention counts from the end of a person's latest program: activity in a second program as a
  // mentee is still being mentored, not staying on.
  const lastEnd = new Map<number, Instant>();
  for (const program of programs) {
    for (const project of program.projects) {
      for (const mentee of project.mentees) {
        const seen = lastEnd.get(mentee.id);
        if (seen === undefined || seen < program.window.to) lastEnd.set(mentee.id, program.window.to);
      }
    }
  }
  const alumni = [...lastEnd].map(([personId, endsAt]) => ({ personId, endsAt }));

  // Anyone on the roster (mentee, mentor or admin of any program) is not a newcomer nobody mentored.
  // Before the install only mentees' threads were read, so a "first" contribution there may not be one.
  const everyoneFrom = contributors.everyoneFrom;
  const compared = programs.filter((p) => everyoneFrom !== null && p.window.from >= everyoneFrom);
  const onRoster = rosterIds(model);
  const newcomers: Plan["newcomers"] = [];
  for (const first of contributors.firstContributions) {
    if (onRoster.has(first.personId)) continue;
    const program = compared.find((p) => first.at >= p.window.from && first.at < p.window.to);
    if (program) newcomers.push({ personId: first.personId, endsAt: program.window.to });
  }
  return { programs, alumni, newcomers, uncompared: programs.filter((p) => !compared.includes(p)) };
}

function plus(instant: Instant, seconds: number): Instant {
  return toInstant(Date.parse(instant) + seconds * 1000);
}

function windowsOf(cohort: Cohort, settings: InsightSettings, now: Date): ActivityQuestion[] {
  const questions = settings.retentionSeconds.map((seconds) => ({
    key: `${cohort.personId}:${seconds}`,
    personId: cohort.personId,
    from: cohort.endsAt,
    to: plus(cohort.endsAt, seconds),
  }));
  const nowInstant = toInstant(now);
  questions.push({ key: `${cohort.personId}:now`, personId: cohort.personId, from: plus(nowInstant, -settings.activeSeconds), to: nowInstant });
  return questions;
}

/**
 * The windows whose activity the figures need: each alumnus's and each newcomer's retention windows
 * and the "currently active" window. Windows still open are asked too: they feed nothing but are cheap,
 * and asking fewer would make this depend on the clock in two places.
 */
export function activityQuestions(
  model: InstallationModel,
  scope: InsightScope,
  settings: InsightSettings,
  now: Date,
  contributors: Contributors,
): ActivityQuestion[] {
  const { alumni, newcomers } = plan(model, scope, contributors);
  const seen = new Set<number>();
  const out: ActivityQuestion[] = [];
  for (const cohort of [...alumni, ...newcomers]) {
    if (seen.has(cohort.personId)) continue;
    seen.add(cohort.personId);
    out.push(...windowsOf(cohort, settings, now));
  }
  return out;
}

/** Each mentee in scope with the start of their first program: maintainer signals count from then on. */
export function maintainerQuestions(model: InstallationModel, scope: InsightScope): { personId: number; from: Instant }[] {
  const firstStart = new Map<number, Instant>();
  for (const program of programsInScope(model, scope)) {
    for (const project of program.projects) {
      for (const mentee of project.mentees) if (!firstStart.has(mentee.id)) firstStart.set(mentee.id, program.window.from);
    }
  }
  return [...firstStart].map(([personId, from]) => ({ personId, from }));
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function retentionOf(cohorts: Cohort[], settings: InsightSettings, now: Date, facts: InsightFacts): RetentionFigure[] {
  const endsAt = cohorts.map((c) => Date.parse(c.endsAt));
  return settings.retentionSeconds.map((seconds) => {
    const figure = { days: seconds / DAY_SECONDS, eligible: 0, retained: 0, rate: null as number | null, tooEarly: 0, noData: 0 };
    for (const [i, cohort] of cohorts.entries()) {
      if (endsAt[i]! + seconds * 1000 > now.getTime()) figure.tooEarly++;
      else if (facts.activityFrom === null || cohort.endsAt < facts.activityFrom) figure.noData++;
      else {
        figure.eligible++;
        if (facts.answered.has(`${cohort.personId}:${seconds}`)) figure.retained++;
      }
    }
    figure.rate = ratio(figure.retained, figure.eligible);
    return figure;
  });
}

function byLogin(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function distinctPeople(people: Person[]): Map<number, Person> {
  const out = new Map<number, Person>();
  for (const p of people) if (!out.has(p.id)) out.set(p.id, p);
  return out;
}

function yearOf(program: ProgramModel): number {
  return Number(program.starts.slice(0, 4));
}

export function computeInsights(
  model: InstallationModel,
  scope: InsightScope,
  settings: InsightSettings,
  now: Date,
  facts: InsightFacts,
): Insights {
  const { programs, alumni: mentees, newcomers, uncompared } = plan(model, scope, facts);
  const menteesOf = (p: ProgramModel) => p.projects.flatMap((j) => j.mentees);
  const mentorsOf = (p: ProgramModel) => p.projects.flatMap((j) => j.mentors);

  const years = [...new Set(programs.map(yearOf))].sort((a, b) => a - b);
  const byYear = years.map((year) => {
    const ofYear = programs.filter((p) => yearOf(p) === year);
    return {
      year,
      programs: ofYear.map((p) => ({
        id: p.id,
        name: p.name,
        mentees: distinctPeople(menteesOf(p)).size,
        menteeSlots: menteesOf(p).length,
        mentors: distinctPeople(mentorsOf(p)).size,
      })),
      mentees: distinctPeople(ofYear.flatMap(menteesOf)).size,
      menteeSlots: ofYear.reduce((n, p) => n + menteesOf(p).length, 0),
      mentors: distinctPeople(ofYear.flatMap(mentorsOf)).size,
    };
  });

  const allMentees = distinctPeople(programs.flatMap(menteesOf));
  const allMentors = distinctPeople(programs.flatMap(mentorsOf));

  const mentorYears = new Map<number, Set<number>>();
  for (const program of programs) {
    for (const mentor of mentorsOf(program)) {
      const set = mentorYears.get(mentor.id) ?? new Set<number>();
      set.add(yearOf(program));
      mentorYears.set(mentor.id, set);
    }
  }
  const returning = [...allMentors.values()].filter((m) => (mentorYears.get(m.id)?.size ?? 0) >= 2);

  // First start as a mentee, against any later start as a mentor.
  const firstMenteeStart = new Map<number, CalendarDate>();
  for (const program of programs) {
    for (const mentee of menteesOf(program)) if (!firstMenteeStart.has(mentee.id)) firstMenteeStart.set(mentee.id, program.starts);
  }
  const lastMentorStart = new Map<number, CalendarDate>();
  for (const program of programs) for (const mentor of mentorsOf(program)) lastMentorStart.set(mentor.id, program.starts);
  const becameMentor = [...allMentees.values()].filter((m) => (lastMentorStart.get(m.id) ?? "") > (firstMenteeStart.get(m.id) ?? "9999"));

  const nowInstant = toInstant(now);
  const alumni = mentees.filter((c) => c.endsAt <= nowInstant);
  const signalFrom = new Map(maintainerQuestions(model, scope).map((q) => [q.personId, q.from]));
  const firstSignal = new Map<number, MaintainerSignal>();
  for (const signal of [...facts.maintainerSignals].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) {
    const from = signalFrom.get(signal.personId);
    // "Later": a signal from before someone was ever mentored says nothing about the program.
    if (from === undefined || signal.at < from) continue;
    if (!firstSignal.has(signal.personId)) firstSignal.set(signal.personId, signal);
  }
  const maintainers = [...firstSignal.values()].map((s) => ({ login: allMentees.get(s.personId)!.login, at: s.at, how: s.how, where: s.where }));
  maintainers.sort((a, b) => byLogin(a.login, b.login));

  const active = (cohorts: Cohort[]) => cohorts.filter((c) => facts.answered.has(`${c.personId}:now`)).length;
  const activeAlumni = active(alumni);
  const activeNewcomers = active(newcomers.filter((c) => c.endsAt <= nowInstant));
  const endedNewcomers = newcomers.filter((c) => c.endsAt <= nowInstant).length;

  const activityDay = facts.activityFrom?.slice(0, 10) ?? null;
  const everyoneDay = facts.everyoneFrom?.slice(0, 10) ?? null;
  const notes = [activityDay === null ? "no activity stored yet: retention is unknown" : `activity known from ${activityDay}`];
  if (everyoneDay !== null) notes.push(`everyone's activity (newcomers) from ${everyoneDay}`);
  return {
    scope,
    generatedAt: nowInstant,
    byYear,
    people: { mentees: allMentees.size, mentors: allMentors.size, menteeSlots: programs.reduce((n, p) => n + menteesOf(p).length, 0) },
    alumni: alumni.length,
    retention: retentionOf(mentees, settings, now, facts),
    currentlyActive: { days: settings.activeSeconds / DAY_SECONDS, count: activeAlumni, rate: ratio(activeAlumni, alumni.length), of: alumni.length },
    returningMentors: { count: returning.length, rate: ratio(returning.length, allMentors.size), logins: returning.map((p) => p.login).sort(byLogin) },
    menteeToMentor: { count: becameMentor.length, rate: ratio(becameMentor.length, allMentees.size), logins: becameMentor.map((p) => p.login).sort(byLogin) },
    menteeToMaintainer: {
      count: maintainers.length,
      rate: ratio(maintainers.length, alumni.length),
      logins: maintainers.map((m) => m.login),
      signals: maintainers,
    },
    comparison: {
      programsLeftOut: uncompared.map((p) => p.id),
      newcomers: newcomers.length,
      retention: retentionOf(newcomers, settings, now, facts),
      currentlyActive: { count: activeNewcomers, rate: ratio(activeNewcomers, endedNewcomers) },
    },
    dataFrom: { activity: activityDay, everyone: everyoneDay, note: notes.join("; ") },
    settings: {
      retentionDays: settings.retentionSeconds.map((s) => s / DAY_SECONDS),
      activeDays: settings.activeSeconds / DAY_SECONDS,
      publicLogins: settings.publicLogins,
    },
  };
}
