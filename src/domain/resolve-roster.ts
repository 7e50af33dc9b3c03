import type { Roster } from "../config/roster-schema.js";
import type { InstallationModel, Person, ProgramModel } from "./program.js";
import { programWindow } from "./program.js";
import { openWindow } from "./open-program.js";
import { HACKTOBERFEST_RULES } from "../config/open-program.js";

/**
 * Binds a validated roster to numeric GitHub ids. `people` maps lower-cased logins to who they
 * are on GitHub now; a login missing from it is reported rather than silently dropped, because
 * a mentee the app cannot identify would quietly get no credit for their work.
 */
export function resolveRoster(
  roster: Roster,
  people: ReadonlyMap<string, Person>,
): { ok: true; model: InstallationModel } | { ok: false; unknownLogins: string[] } {
  const unknown = new Set<string>();
  const person = (login: string): Person => {
    const found = people.get(login.toLowerCase());
    if (!found) {
      unknown.add(login);
      return { id: -1, login };
    }
    return found;
  };

  const model: InstallationModel = {
    taskLabel: roster.taskLabel,
    responders: roster.responders,
    slaSeconds: roster.sla.firstResponse,
    menteeSilenceSeconds: roster.sla.menteeSilence,
    reminderSeconds: roster.reminders,
    admins: roster.admins.map(person),
    ignored: roster.ignore.map(person),
    insights: {
      retentionSeconds: roster.insights.retention,
      activeSeconds: roster.insights.activeWithin,
      publicLogins: roster.insights.publicLogins,
    },
    privacy: { optOut: roster.privacy.optOut.map(person), payloadRetentionSeconds: roster.privacy.payloadRetention },
    programs: roster.programs.map((program) => ({
      id: program.id,
      name: program.name,
      starts: program.starts,
      ends: program.ends,
      window: programWindow(program.starts, program.ends, program.timezone),
      timezone: program.timezone,
      ...(program.businessHours ? { businessHours: program.businessHours } : {}),
      trackingRepo: program.trackingRepo ?? null,
      milestones: program.milestones.map((m) => ({ id: m.id, title: m.title, due: m.due })),
      evaluations: (program.evaluations ?? []).map((r) => ({ id: r.id, title: r.title, opens: r.opens, due: r.due, by: r.by })),
      checkInSeconds: program.checkIns ?? null,
      ...(program.open ? { open: openEvent(program) } : {}),
      projects: program.projects.map((project) => ({
        id: project.id,
        title: project.title,
        repos: project.repos,
        trackingIssue: project.trackingIssue ?? null,
        mentors: project.mentors.map(person),
        mentees: project.mentees.map(person),
        menteeTerms: (project.menteeTerms ?? []).map((t) => ({
          menteeId: person(t.login).id,
          extensions: t.extensions,
          status: t.status,
          statusDate: t.statusDate ?? null,
        })),
      })),
    })),
  };
  if (unknown.size > 0) return { ok: false, unknownLogins: [...unknown].sort() };
  return { ok: true, model };
}

/** An open program's rules with the public defaults filled in; its topic's repositories are read when the roster loads. */
function openEvent(program: Roster["programs"][number]): NonNullable<ProgramModel["open"]> {
  const { reviewPeriod, ...given } = program.rules ?? HACKTOBERFEST_RULES;
  const rules = { ...given, reviewPeriodSeconds: reviewPeriod };
  return {
    rules,
    window: openWindow(program.starts, program.ends, program.timezone, rules.window),
    topicRepos: [],
    trackingIssue: program.trackingIssue ?? null,
  };
}
