import { addDays, startOfDay } from "./milestones.js";
import type { EvaluationRound, MenteeTerms } from "./evaluations.js";
import type { BusinessHours, CalendarDate, InsightSettings, Instant, ResponderPolicy } from "./types.js";

/** A roster person resolved to their numeric GitHub id; `login` is as GitHub spells it now. */
export interface Person {
  id: number;
  login: string;
}

export interface ProjectModel {
  id: string;
  title: string;
  /** lower-case `owner/name`; empty for a project without repositories (its mentees' own threads count). */
  repos: string[];
  trackingIssue: { repo: string; number: number } | null;
  mentors: Person[];
  mentees: Person[];
  /** Per-enrolment terms (extensions, status), one per mentee; absent in models stored before issue 17. */
  menteeTerms?: MenteeTerms[];
}

export interface MilestoneModel {
  id: string;
  title: string;
  due: CalendarDate;
}

export interface ProgramModel {
  id: string;
  name: string;
  starts: CalendarDate;
  ends: CalendarDate;
  /** [starts 00:00, the day after ends 00:00) in the program's timezone. */
  window: { from: Instant; to: Instant };
  timezone: string;
  businessHours?: BusinessHours;
  trackingRepo: string | null;
  milestones: MilestoneModel[];
  /** Absent in models stored before issue 17: read through `roundsOf`. */
  evaluations?: EvaluationRound[];
  /** Seconds between expected check-ins; null or absent when the program sets no cadence. */
  checkInSeconds?: number | null;
  projects: ProjectModel[];
  /** Set on an open program (issue 18): an event whose participants are the authors of qualifying PRs. */
  open?: OpenEventModel;
}

/** The rules of an open program, every one defaulting to the public Hacktoberfest rule (config/open-program.ts). */
export interface OpenRules {
  /** `anywhere`: the program's days in any time zone, UTC+14 to UTC−12; `timezone`: in the program's own. */
  window: "anywhere" | "timezone";
  /** Installation repositories carrying this topic take part; null: only the projects' repos. */
  topic: string | null;
  acceptedLabel: string;
  /** Words matched as whole words, in any case, in a PR's labels. */
  spamLabel: string;
  invalidLabel: string;
  reviewPeriodSeconds: number;
  goal: number;
}

export interface OpenEventModel {
  rules: OpenRules;
  /** PRs created in [from, to) take part: the program's days as `rules.window` reads them. */
  window: { from: Instant; to: Instant };
  /** lower-case `owner/name` of the installation's repositories carrying `rules.topic`, read when the roster loaded. */
  topicRepos: string[];
  /** Where the event's progress comment lives; null: no comment. */
  trackingIssue: { repo: string; number: number } | null;
}

/** One installation's roster with every login resolved: what the app works from. */
export interface InstallationModel {
  taskLabel: string;
  responders: ResponderPolicy;
  slaSeconds: number;
  menteeSilenceSeconds: number;
  reminderSeconds: number[];
  admins: Person[];
  /** Machine users of type User (the roster's `ignore:`): they never open or answer anything. */
  ignored: Person[];
  programs: ProgramModel[];
  /** Absent from models stored before insights existed: read it with `insightSettingsOf`. */
  insights?: InsightSettings;
}

export { addDays } from "./milestones.js";

export function programWindow(starts: CalendarDate, ends: CalendarDate, timezone: string): { from: Instant; to: Instant } {
  return { from: toInstant(startOfDay(starts, timezone)), to: toInstant(startOfDay(addDays(ends, 1), timezone)) };
}

export function toInstant(value: number | string | Date): Instant {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function isWithin(instant: Instant, window: { from: Instant; to: Instant }): boolean {
  const t = Date.parse(instant);
  return t >= Date.parse(window.from) && t < Date.parse(window.to);
}

export function roundsOf(program: ProgramModel): EvaluationRound[] {
  return program.evaluations ?? [];
}

