import type { BusinessHours, CalendarDate, Instant, ResponderPolicy } from "./types.js";

/** A roster person resolved to their numeric GitHub id; `login` is as GitHub spells it now. */
export interface Person {
  id: number;
  login: string;
}

export interface ProjectModel {
  id: string;
  title: string;
  /** lower-case `owner/name` */
  repos: string[];
  trackingIssue: { repo: string; number: number } | null;
  mentors: Person[];
  mentees: Person[];
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
  programs: ProgramModel[];
}

/** The instant a calendar day starts in an IANA timezone (DST-safe). */
export function startOfDay(date: CalendarDate, timezone: string): Instant {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const utcGuess = Date.UTC(y, m - 1, d);
  // Two passes: the offset at the guess, then at the corrected instant (differs only across a DST change).
  let instant = utcGuess - offsetMillis(utcGuess, timezone);
  instant = utcGuess - offsetMillis(instant, timezone);
  return toInstant(instant);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function programWindow(starts: CalendarDate, ends: CalendarDate, timezone: string): { from: Instant; to: Instant } {
  return { from: startOfDay(starts, timezone), to: startOfDay(addDays(ends, 1), timezone) };
}

export function toInstant(value: number | string | Date): Instant {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function offsetMillis(utcMillis: number, timezone: string): number {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timezone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(utcMillis)).map((p) => [p.type, p.value]));
  const local = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return local - Math.floor(utcMillis / 1000) * 1000;
}

export function isWithin(instant: Instant, window: { from: Instant; to: Instant }): boolean {
  const t = Date.parse(instant);
  return t >= Date.parse(window.from) && t < Date.parse(window.to);
}

/** Every enrolment of a person as a mentee, across programs, in roster order. */
export function menteeEnrolmentsOf(model: InstallationModel, personId: number) {
  return model.programs.flatMap((program) =>
    program.projects.filter((p) => p.mentees.some((m) => m.id === personId)).map((project) => ({ program, project })),
  );
}
