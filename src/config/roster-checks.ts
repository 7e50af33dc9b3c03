/**
 * The roster's rules across fields (duplicates, references between programs, projects and people, a
 * program's lifecycle dates), which a field schema cannot state. Pure.
 */
import type { z } from "zod";
import { openProgramIssues } from "./open-program.js";
import { isRealDate, isRecord, quote } from "./roster-values.js";

// ---------------------------------------------------------------------------------------------
// Rules across fields. This runs even when other parts of the roster are invalid (so that every error
// shows at once), hence it reads its input defensively.
// ---------------------------------------------------------------------------------------------

type Path = (string | number)[];
type Issue = { message: string; path: Path };

function listAt(obj: Record<string, unknown>, key: string): unknown[] {
  const v = obj[key];
  return Array.isArray(v) ? v : [];
}

function stringAt(obj: Record<string, unknown>, key: string): string | null {
  const v = obj[key];
  return typeof v === "string" ? v : null;
}

function dateAt(obj: Record<string, unknown>, key: string): string | null {
  const v = stringAt(obj, key);
  return v !== null && isRealDate(v) ? v : null;
}

/** Reports later entries whose `key(entry)` repeats an earlier one (case-insensitively). */
function findDuplicates(
  entries: unknown[],
  key: (entry: unknown) => string | null,
  report: (index: number, value: string, firstIndex: number, firstValue: string) => void,
): void {
  const seen = new Map<string, { index: number; value: string }>();
  entries.forEach((entry, index) => {
    const value = key(entry);
    if (value === null) {
      return;
    }
    const first = seen.get(value.toLowerCase());
    if (first === undefined) {
      seen.set(value.toLowerCase(), { index, value });
    } else {
      report(index, value, first.index, first.value);
    }
  });
}

const idOf = (entry: unknown): string | null => (isRecord(entry) ? stringAt(entry, "id") : null);
const stringOf = (entry: unknown): string | null => (typeof entry === "string" ? entry : null);
/** A mentee entry's login, whether it is written as a plain login or as an object. */
const loginOf = (entry: unknown): string | null => (isRecord(entry) ? stringAt(entry, "login") : stringOf(entry));

function crossIssues(roster: unknown): Issue[] {
  const issues: Issue[] = [];
  if (!isRecord(roster)) {
    return issues;
  }
  const ignored = new Map<string, number>();
  listAt(roster, "ignore").forEach((entry, i) => {
    if (typeof entry === "string" && !ignored.has(entry.toLowerCase())) ignored.set(entry.toLowerCase(), i);
  });
  // An ignored account's activity counts for nothing, so naming it as a person of a program is a mistake.
  const notIgnored = (value: unknown, path: Path, role: string) => {
    const i = typeof value === "string" ? ignored.get(value.toLowerCase()) : undefined;
    if (i !== undefined) issues.push({ path, message: `${quote(value as string)} is in ignore[${i}] and cannot also be ${role}` });
  };
  listAt(roster, "admins").forEach((admin, i) => notIgnored(admin, ["admins", i], "an admin"));

  const programs = listAt(roster, "programs");
  findDuplicates(programs, idOf, (i, value, first) => {
    issues.push({ path: ["programs", i, "id"], message: `duplicate program id ${quote(value)} (also programs[${first}].id)` });
  });

  programs.forEach((program, p) => {
    if (!isRecord(program)) {
      return;
    }
    const at = (...rest: Path): Path => ["programs", p, ...rest];
    const starts = dateAt(program, "starts");
    const ends = dateAt(program, "ends");
    if (starts !== null && ends !== null && ends < starts) {
      issues.push({ path: at("ends"), message: `ends (${ends}) is before starts (${starts})` });
    }

    const milestones = listAt(program, "milestones");
    findDuplicates(milestones, idOf, (i, value, first) => {
      issues.push({ path: at("milestones", i, "id"), message: `duplicate milestone id ${quote(value)} (also milestones[${first}].id)` });
    });
    milestones.forEach((milestone, m) => {
      const due = isRecord(milestone) ? dateAt(milestone, "due") : null;
      if (due === null) {
        return;
      }
      if (starts !== null && due < starts) {
        issues.push({ path: at("milestones", m, "due"), message: `due date ${due} is before the program starts (${starts})` });
      } else if (ends !== null && due > ends) {
        issues.push({ path: at("milestones", m, "due"), message: `due date ${due} is after the program ends (${ends})` });
      }
    });

    const projects = listAt(program, "projects");
    findDuplicates(projects, idOf, (i, value, first) => {
      issues.push({ path: at("projects", i, "id"), message: `duplicate project id ${quote(value)} in this program (also projects[${first}].id)` });
    });
    projects.forEach((project, j) => {
      if (!isRecord(project)) {
        return;
      }
      for (const role of ["mentors", "mentees"] as const) {
        findDuplicates(listAt(project, role), loginOf, (i, value, first, firstValue) => {
          const also = firstValue === value ? `${role}[${first}]` : `${role}[${first}] as ${quote(firstValue)}`;
          issues.push({ path: at("projects", j, role, i), message: `${quote(value)} is listed twice in ${role} (also ${also})` });
        });
      }
      listAt(project, "mentors").forEach((mentor, i) => notIgnored(mentor, at("projects", j, "mentors", i), "a mentor"));
      listAt(project, "mentees").forEach((mentee, i) => notIgnored(loginOf(mentee), at("projects", j, "mentees", i), "a mentee"));
      const mentors = new Map<string, number>();
      listAt(project, "mentors").forEach((mentor, i) => {
        if (typeof mentor === "string" && !mentors.has(mentor.toLowerCase())) {
          mentors.set(mentor.toLowerCase(), i);
        }
      });
      listAt(project, "mentees").forEach((entry, i) => {
        const mentee = loginOf(entry);
        const mentorIndex = mentee !== null ? mentors.get(mentee.toLowerCase()) : undefined;
        if (mentee !== null && mentorIndex !== undefined) {
          issues.push({
            path: at("projects", j, "mentees", i),
            message: `${quote(mentee)} is both a mentor (mentors[${mentorIndex}]) and a mentee of this project`,
          });
        }
      });
    });
    issues.push(...lifecycleIssues(program, at));
    issues.push(...openProgramIssues(program, at));
  });
  return issues;
}

/** Evaluation rounds inside the program's dates, and extensions that name a round (or `ends`) and move it later. */
function lifecycleIssues(program: Record<string, unknown>, at: (...rest: Path) => Path): Issue[] {
  const issues: Issue[] = [];
  const starts = dateAt(program, "starts");
  const ends = dateAt(program, "ends");
  const rounds = listAt(program, "evaluations");
  findDuplicates(rounds, idOf, (i, value, first) => {
    issues.push({ path: at("evaluations", i, "id"), message: `duplicate evaluation id ${quote(value)} (also evaluations[${first}].id)` });
  });
  const dueOf = new Map<string, string | null>();
  rounds.forEach((round, r) => {
    if (!isRecord(round)) return;
    const opens = dateAt(round, "opens");
    const due = dateAt(round, "due");
    const roundId = idOf(round);
    if (roundId !== null && !dueOf.has(roundId)) dueOf.set(roundId, due);
    if (opens !== null && due !== null && due < opens) {
      issues.push({ path: at("evaluations", r, "due"), message: `due (${due}) is before opens (${opens})` });
    }
    if (opens !== null && starts !== null && opens < starts) {
      issues.push({ path: at("evaluations", r, "opens"), message: `opens (${opens}) before the program starts (${starts})` });
    }
    if (due !== null && ends !== null && due > ends) {
      issues.push({ path: at("evaluations", r, "due"), message: `due date ${due} is after the program ends (${ends})` });
    }
  });
  listAt(program, "projects").forEach((project, j) => {
    if (!isRecord(project)) return;
    // The rule sees the project after `splitMenteeTerms` when the project itself is valid; index i is the same either way.
    listAt(project, Object.hasOwn(project, "menteeTerms") ? "menteeTerms" : "mentees").forEach((entry, i) => {
      const extensions = isRecord(entry) ? entry["extensions"] : undefined;
      if (!isRecord(extensions)) return;
      for (const [key, value] of Object.entries(extensions)) {
        const path = at("projects", j, "mentees", i, "extensions", key);
        const original = key === "ends" ? ends : dueOf.get(key);
        if (original === undefined) {
          const known = [...dueOf.keys(), "ends"].map(quote).join(", ");
          issues.push({ path, message: `${quote(key)} is not an evaluation round of this program (extend one of: ${known})` });
        } else if (typeof value === "string" && isRealDate(value) && original !== null && value < original) {
          issues.push({ path, message: `extension ${value} is before the date it extends (${original})` });
        }
      }
    });
  });
  return issues;
}

export function crossCheck(roster: unknown, ctx: z.RefinementCtx<unknown>): void {
  for (const issue of crossIssues(roster)) {
    ctx.addIssue({ code: "custom", message: issue.message, path: issue.path, input: undefined });
  }
}
