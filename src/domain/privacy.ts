/**
 * Who may be named (README, "Privacy"). People on the roster's `privacy.optOut` are counted like anyone
 * else, but wherever a person is shown (reports, comments, insights) they appear as a stable label,
 * `opted-out mentee 2`, numbered by their place in the list. Every output turns people into names
 * through this module: the model's people with `displayModel`, rows read from the database with
 * `namingOf(…).name`. Pure.
 */
import type { InstallationModel, Person, PrivacyModel } from "./program.js";

const DAY = 86_400;
export const DEFAULT_PAYLOAD_RETENTION_SECONDS = 365 * DAY;

/** The model's privacy settings, or the defaults for a model stored before they existed. */
export function privacyOf(model: Pick<InstallationModel, "privacy"> | null | undefined): PrivacyModel {
  return model?.privacy ?? { optOut: [], payloadRetentionSeconds: DEFAULT_PAYLOAD_RETENTION_SECONDS };
}

/** What the person is where they are shown; the label says it, so a table of mentors reads as one. */
export type ShownAs = "mentee" | "mentor" | "admin" | "person";

export interface Naming {
  /** The person's login, or their anonymous label when they opted out. */
  name(person: { id: number; login: string }, as: ShownAs): string;
  isOptedOut(id: number): boolean;
  /**
   * The person as a hidden marker in a public comment may hold them: their login (or `fallback`, their
   * id, where the marker used one), or their label with hyphens. A numeric id names someone as surely
   * as a login does.
   */
  markerName(person: { id: number; login: string }, as: ShownAs, fallback?: string | number): string;
}

/** How the installation's people are named: `namingOf` its privacy settings. */
export function namingFor(model: Pick<InstallationModel, "privacy"> | null | undefined): Naming {
  return namingOf(privacyOf(model));
}

export function namingOf(privacy: Pick<PrivacyModel, "optOut"> | null | undefined): Naming {
  const numberOf = new Map<number, number>();
  for (const person of privacy?.optOut ?? []) if (!numberOf.has(person.id)) numberOf.set(person.id, numberOf.size + 1);
  return {
    name: (person, as) => {
      const n = numberOf.get(Number(person.id));
      return n === undefined ? person.login : `opted-out ${as} ${n}`;
    },
    isOptedOut: (id) => numberOf.has(Number(id)),
    markerName(person, as, fallback) {
      return numberOf.has(Number(person.id)) ? this.name(person, as).replace(/ /g, "-") : String(fallback ?? person.login);
    },
  };
}

/**
 * The model with every opted-out person's login replaced by their label, for outputs that read people
 * from the roster. Ids stay, so every count and every lookup by id is unchanged. A label is not a
 * login, so it can never be mentioned.
 */
export function displayModel(model: InstallationModel): InstallationModel {
  const privacy = privacyOf(model);
  if (privacy.optOut.length === 0) return model;
  const naming = namingOf(privacy);
  const shown = (as: ShownAs) => (p: Person): Person => ({ ...p, login: naming.name(p, as) });
  return {
    ...model,
    admins: model.admins.map(shown("admin")),
    privacy: { ...privacy, optOut: privacy.optOut.map(shown("person")) },
    programs: model.programs.map((program) => ({
      ...program,
      projects: program.projects.map((project) => ({
        ...project,
        mentors: project.mentors.map(shown("mentor")),
        mentees: project.mentees.map(shown("mentee")),
      })),
    })),
  };
}

/** Who a forgotten person becomes: a negative id (GitHub's are positive) and a name that is no login. */
export function anonymousPerson(n: number): Person {
  return { id: -n, login: `forgotten person ${n}` };
}

/** The model with each of `ids` replaced by `anonymous` wherever a person is listed. Pure. */
export function replacePerson(model: InstallationModel, ids: ReadonlySet<number>, anonymous: Person): InstallationModel {
  const swap = (p: Person): Person => (ids.has(Number(p.id)) ? { ...anonymous } : p);
  const privacy = model.privacy;
  return {
    ...model,
    admins: model.admins.map(swap),
    ignored: model.ignored.map(swap),
    ...(privacy ? { privacy: { ...privacy, optOut: privacy.optOut.map(swap) } } : {}),
    programs: model.programs.map((program) => ({
      ...program,
      projects: program.projects.map((project) => ({
        ...project,
        mentors: project.mentors.map(swap),
        mentees: project.mentees.map(swap),
        ...(project.menteeTerms
          ? { menteeTerms: project.menteeTerms.map((t) => (ids.has(Number(t.menteeId)) ? { ...t, menteeId: anonymous.id } : t)) }
          : {}),
      })),
    })),
  };
}

/**
 * `next` (a roster just loaded) with the forgotten people (negative ids) that `previous` enrolled,
 * kept where their program and project still are: their past activity keeps counting there, as no one
 * in particular, though the roster file no longer names them. Pure.
 */
export function keepForgotten(previous: InstallationModel | null, next: InstallationModel): InstallationModel {
  if (previous === null) return next;
  const forgotten = (people: Person[]) => people.filter((p) => p.id < 0);
  const programs = next.programs.map((program) => {
    const before = previous.programs.find((p) => p.id === program.id);
    if (!before) return program;
    return {
      ...program,
      projects: program.projects.map((project) => {
        const was = before.projects.find((p) => p.id === project.id);
        if (!was) return project;
        const add = (now: Person[], then: Person[]) => [...now, ...forgotten(then).filter((f) => !now.some((p) => p.id === f.id))];
        const mentees = add(project.mentees, was.mentees);
        const terms = (was.menteeTerms ?? []).filter((t) => t.menteeId < 0 && !project.mentees.some((m) => m.id === t.menteeId));
        return {
          ...project,
          mentors: add(project.mentors, was.mentors),
          mentees,
          ...(terms.length > 0 || project.menteeTerms ? { menteeTerms: [...(project.menteeTerms ?? []), ...terms] } : {}),
        };
      }),
    };
  });
  return { ...next, programs };
}
