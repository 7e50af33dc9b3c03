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
  /** Absent from models stored before privacy settings existed: read it with `privacyOf` (src/domain/privacy.ts). */
  privacy?: PrivacyModel;
}

export interface PrivacyModel {
  /** Counted in every total, never named; in the roster's order, which numbers their labels. */
  optOut: Person[];
  /** Event payloads older than this are trimmed (README, "Privacy"). */
  payloadRetentionSeconds: number;
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

