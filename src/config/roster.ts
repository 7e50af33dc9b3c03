/**
 * The roster: `.github/mentorship.yml` in the org's `.github` repo (DESIGN.md, "Roster format").
 *
 * `rosterSchema` validates the parsed YAML and turns it into the shape the app uses (durations in
 * seconds, repos lower-cased, tracking issues split into repo and number). `parseRoster` adds what a
 * schema alone cannot give admins: every error at once, each with its YAML path and source line.
 * Pure: no I/O here.
 */
import { z } from "zod";
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import { parseDuration } from "./duration.js";
import { openProgramIssues, openProgramKeys } from "./open-program.js";

// ---------------------------------------------------------------------------------------------
// Field schemas
// ---------------------------------------------------------------------------------------------

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** GitHub logins: letters, digits and hyphens, at most 39, not starting with a hyphen. Lenient about
 * consecutive and trailing hyphens, which some old accounts have. */
const LOGIN_RE = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
const ID_RE = /^[a-z0-9][a-z0-9-_.]*$/i;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
const OWNER = String.raw`[A-Za-z0-9][A-Za-z0-9-]{0,38}`;
const REPO_NAME = String.raw`[A-Za-z0-9._-]{1,100}`;
const REPO_RE = new RegExp(`^${OWNER}/${REPO_NAME}$`);
const ISSUE_REF_RE = new RegExp(`^(${OWNER}/${REPO_NAME})#([1-9]\\d{0,9})$`);

function quote(value: string): string {
  return JSON.stringify(value);
}

/** Why `value` is not a GitHub login, or null when it is one. */
function loginProblem(value: string): string | null {
  if (LOGIN_RE.test(value)) {
    return null;
  }
  if (value.startsWith("@") && LOGIN_RE.test(value.slice(1))) {
    return `${quote(value)} is not a GitHub login (drop the @)`;
  }
  return `${quote(value)} is not a GitHub login (letters, digits and hyphens, at most 39 characters)`;
}

function isRealDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (m === null) {
    return false;
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isKnownTimeZone(value: string): boolean {
  if (value.trim() === "") {
    return false;
  }
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A string checked by `problem`, which returns an error message or null. */
function checkedString(problem: (value: string) => string | null) {
  return z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message !== null) {
      ctx.addIssue({ code: "custom", message, input: value });
    }
  });
}

const login = checkedString(loginProblem);

const id = checkedString((v) =>
  ID_RE.test(v) ? null : `${quote(v)} is not a valid id: use letters, digits, "-", "_" and ".", starting with a letter or digit`,
);

const text = checkedString((v) => (v.trim() === "" ? "must not be empty" : null));

const calendarDate = checkedString((v) =>
  isRealDate(v) ? null : `${quote(v)} is not a date: write YYYY-MM-DD, e.g. 2026-06-15`,
);

const clockTime = checkedString((v) =>
  TIME_RE.test(v) ? null : `${quote(v)} is not a time of day: write HH:MM on a 24-hour clock, quoted, e.g. "09:00"`,
);

const timeZone = checkedString((v) =>
  isKnownTimeZone(v) ? null : `${quote(v)} is not a known timezone: use an IANA name such as "Europe/Berlin", "America/New_York" or "UTC"`,
);

const repo = checkedString((v) =>
  REPO_RE.test(v) && !/\/\.\.?$/.test(v) ? null : `${quote(v)} is not a repository: write owner/name, e.g. asyncapi/cli`,
).transform((v) => v.toLowerCase());

const issueRef = z.string().transform((value, ctx) => {
  const m = ISSUE_REF_RE.exec(value.trim());
  if (m === null || /\/\.\.?#/.test(value)) {
    ctx.addIssue({
      code: "custom",
      message: `${quote(value)} is not an issue reference: write owner/name#number, e.g. asyncapi/community#2001`,
      input: value,
    });
    return z.NEVER;
  }
  return { repo: (m[1] as string).toLowerCase(), number: Number(m[2]) };
});

const duration = z.string().transform((value, ctx) => {
  try {
    return parseDuration(value);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message, input: value });
    return z.NEVER;
  }
});

/** A list that may be left out or left empty (`mentees:` with nothing after it): both mean `fallback`. */
function listOr<T extends z.ZodType>(item: T, fallback: unknown[]) {
  return z.preprocess((v) => (v === undefined || v === null ? fallback : v), z.array(item));
}

// ---------------------------------------------------------------------------------------------
// The roster
// ---------------------------------------------------------------------------------------------

const businessHoursSchema = z
  .object({
    /** Working days, e.g. `[mon, tue, wed, thu, fri]`. At least one, each once. */
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1)
      .superRefine((days, ctx) => {
        days.forEach((day, i) => {
          if (days.indexOf(day) !== i) {
            ctx.addIssue({ code: "custom", message: `"${day}" is listed twice`, path: [i], input: day });
          }
        });
      }),
    /** Start of the working day, `"HH:MM"` (quote it), in the program's timezone. */
    start: clockTime,
    /** End of the working day, `"HH:MM"` (quote it), in the program's timezone; after `start`. */
    end: clockTime,
  })
  .strict()
  .superRefine(
    (hours: unknown, ctx) => {
      // Runs even when `days` is invalid, so it reads its input defensively.
      const start = isRecord(hours) ? hours["start"] : undefined;
      const end = isRecord(hours) ? hours["end"] : undefined;
      if (typeof start === "string" && typeof end === "string" && TIME_RE.test(start) && TIME_RE.test(end) && end <= start) {
        ctx.addIssue({ code: "custom", message: `end (${end}) must be after start (${start})`, path: ["end"], input: end });
      }
    },
    { when: () => true },
  );

const milestoneSchema = z
  .object({
    /** Stable id, unique within the program (used in reminder bookkeeping), e.g. `midterm`. */
    id,
    /** Shown in progress and reminder comments, e.g. `Mid-term evaluation`. */
    title: text,
    /** Due date `YYYY-MM-DD`, between the program's `starts` and `ends`. */
    due: calendarDate,
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Program lifecycle (issue 17): evaluation rounds, check-in cadence, per-enrolment terms
// ---------------------------------------------------------------------------------------------

const WEEK_SECONDS = 7 * 86_400;

/** `weekly`, `biweekly` (every two weeks) or a duration such as `10d`; in seconds. */
const checkInCadence = z.string().transform((value, ctx) => {
  if (value === "weekly") return WEEK_SECONDS;
  if (value === "biweekly") return 2 * WEEK_SECONDS;
  try {
    const seconds = parseDuration(value);
    if (seconds >= 86_400) return seconds;
    ctx.addIssue({ code: "custom", message: `${quote(value)} is too short for a check-in cadence: at least 1d`, input: value });
  } catch {
    ctx.addIssue({ code: "custom", message: `${quote(value)} is not a cadence: write weekly, biweekly or a duration such as 10d`, input: value });
  }
  return z.NEVER;
});

const evaluationRoundSchema = z
  .object({
    /** Stable id, unique within the program (extensions and the API name it), e.g. `midterm`. */
    id,
    /** Shown in reminders and the progress comment, e.g. `Midterm`. */
    title: text,
    /** First day the forms can be submitted, `YYYY-MM-DD`. */
    opens: calendarDate,
    /** Last day to submit, `YYYY-MM-DD`, inclusive; not before `opens`. */
    due: calendarDate,
    /** Who fills in a form: the project's `mentor`s about the mentee, the `mentee` about the mentoring, or `both`. */
    by: z.enum(["mentor", "mentee", "both"]),
  })
  .strict();

const ENROLMENT_STATUSES = ["active", "completed", "withdrawn", "failed"] as const;

const menteeTermsSchema = z
  .object({
    login,
    /** Later due dates for this mentee: a round id, or `ends` for a later end of their program. */
    extensions: z.record(z.string(), calendarDate).default({}),
    /** Where the enrolment stands; default `active`. */
    status: z.enum(ENROLMENT_STATUSES).default("active"),
    /** When the status took effect, `YYYY-MM-DD`. */
    statusDate: calendarDate.optional(),
  })
  .strict();

/** A mentee entry: a plain login, or `{ login, extensions, status, statusDate }`. */
const menteeEntry = z.unknown().transform((value, ctx) => {
  const result = (typeof value === "string" ? login : menteeTermsSchema).safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) ctx.addIssue({ ...issue, input: value } as never);
    return z.NEVER;
  }
  return typeof result.data === "string" ? { login: result.data, extensions: {}, status: "active" as const, plain: true as const } : result.data;
});

export type MenteeTerms = z.output<typeof menteeTermsSchema>;

/**
 * `mentees` stays a list of logins for every existing reader; the per-enrolment terms sit beside it,
 * one per mentee in the same order, and only when some mentee is written in the object form.
 */
function splitMenteeTerms<P extends { mentees: Array<MenteeTerms & { plain?: true }> }>(
  project: P,
): Omit<P, "mentees"> & { mentees: string[]; menteeTerms?: MenteeTerms[] } {
  const mentees = project.mentees.map((m) => m.login);
  if (project.mentees.every((m) => m.plain)) return { ...project, mentees };
  return { ...project, mentees, menteeTerms: project.mentees.map(({ plain: _plain, ...terms }) => terms) };
}

const projectSchema = z
  .object({
    /** Stable id, unique within the program, used in commands, URLs and the CLI, e.g. `cli`. */
    id,
    /** Human name of the project, shown in comments and reports. */
    title: text,
    /**
     * The `owner/name` repositories whose activity counts for this project. Optional (docs and community
     * projects have none): then the mentee's own threads anywhere in the installation count for it.
     */
    repos: listOr(repo, []),
    /**
     * Where the app keeps this project's progress comment, `owner/name#number`. Optional: without it
     * the app opens a tracking issue in the program's `trackingRepo`.
     */
    trackingIssue: issueRef.optional(),
    /** GitHub logins of the mentors (without `@`). They answer mentee requests. */
    mentors: listOr(login, []),
    /**
     * The mentees: GitHub logins (without `@`), or objects with per-enrolment terms
     * (`{ login, extensions, status, statusDate }`). Their activity is what the app tracks.
     */
    mentees: listOr(menteeEntry, []),
  })
  .strict()
  .transform(splitMenteeTerms);

const programSchema = z
  .object({
    /** Stable id used in commands, URLs and the CLI, e.g. `amp-2026`. Unique in the roster. */
    id,
    /** Human name, e.g. `AsyncAPI Maintainership Program 2026`. */
    name: text,
    /** First day of the program, `YYYY-MM-DD`: mentee activity before it does not count. */
    starts: calendarDate,
    /** Last day of the program, `YYYY-MM-DD`, inclusive; not before `starts`. */
    ends: calendarDate,
    /** IANA timezone of the program's dates and business hours, e.g. `Europe/Berlin`. Default `UTC`. */
    timezone: timeZone.default("UTC"),
    /**
     * Optional working hours. When set, response latency counts only these hours on these days;
     * otherwise it is calendar time.
     */
    businessHours: businessHoursSchema.optional(),
    /** `owner/name` where the app opens tracking issues for projects that name no `trackingIssue`. */
    trackingRepo: repo.optional(),
    /** Evaluations and deadlines; the app reminds everyone before each due date. Default none. */
    milestones: listOr(milestoneSchema, []),
    /** Evaluation rounds with their submission windows. Default none. */
    evaluations: z.preprocess((v) => (v === null ? undefined : v), z.array(evaluationRoundSchema).optional()),
    /** How often mentors should check in with each mentee: `weekly`, `biweekly` or a duration. Default none. */
    checkIns: checkInCadence.optional(),
    /** The projects of this program, each with its repos, mentors and mentees. */
    projects: z.array(projectSchema),
    /** `open: true`, its `rules` and its `trackingIssue`: an event without mentees (open-program.ts). */
    ...openProgramKeys({ duration, issueRef }),
  })
  .strict();

const slaSchema = z
  .object({
    /** Mentors should answer a mentee request within this long, e.g. `48h` (the default). */
    firstResponse: duration.default(172_800),
    /** Nudge the mentors when a mentee has been silent this long, e.g. `7d` (the default). */
    menteeSilence: duration.default(604_800),
  })
  .strict();

/**
 * Program insights (README, "Program insights"). Every threshold has a default; `publicLogins`
 * is `"true"` or `"false"` because the roster's YAML has no booleans.
 */
const DEFAULT_RETENTION = ["90d", "180d", "365d"];
const insightsSchema = z
  .object({
    /** Retention windows after each program ends. Default `[90d, 180d, 365d]`. */
    retention: listOr(duration, DEFAULT_RETENTION).refine((list) => list.length > 0, "must list at least one window"),
    /** "Currently active": a contribution within this long before today. Default `90d`. */
    activeWithin: duration.default(7_776_000),
    /** Whether public outputs (the markdown page, the slash command) may name people. Default `false`. */
    publicLogins: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  })
  .strict();

export const rosterSchema = z
  .object({
    /** Issues carrying this label are mentorship tasks. Default `mentorship`. */
    taskLabel: text.default("mentorship"),
    /**
     * Who may answer mentee requests: `mentors` of the mentee's project (default), also the roster's
     * `admins`, or `anyone` (never the mentee, never a bot).
     */
    responders: z.enum(["mentors", "admins", "anyone"]).default("mentors"),
    /** Response-time targets. Leave out for the defaults (48h first response, 7d mentee silence). */
    sla: slaSchema.prefault({}),
    /** Send milestone reminders this long before each due date (`0d` = on the day). Default `[10d, 5d, 0d]`. */
    reminders: listOr(duration, ["10d", "5d", "0d"]),
    /** GitHub logins that may read every report of every program. Default none. */
    admins: listOr(login, []),
    /**
     * Machine users that are plain `User` accounts (CI, welcome and release bots such as `asyncapi-bot`):
     * they never open or answer a request. Accounts of type `Bot` (`…[bot]`) are ignored without this.
     */
    ignore: listOr(login, []),
    /** The programs (cohorts) this app tracks. */
    programs: z.array(programSchema),
    /** Thresholds of the program insights; leave out for the defaults. */
    insights: insightsSchema.prefault({ retention: DEFAULT_RETENTION }),
  })
  .strict()
  .superRefine((roster, ctx) => crossCheck(roster, ctx), { when: () => true });

export type Roster = z.output<typeof rosterSchema>;
export type RosterProgram = Roster["programs"][number];
export type RosterProject = RosterProgram["projects"][number];

// ---------------------------------------------------------------------------------------------
// Rules across fields. This runs even when other parts of the roster are invalid (so that every error
// shows at once), hence it reads its input defensively.
// ---------------------------------------------------------------------------------------------

type Path = (string | number)[];
type Issue = { message: string; path: Path };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

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

function crossCheck(roster: unknown, ctx: z.RefinementCtx<unknown>): void {
  for (const issue of crossIssues(roster)) {
    ctx.addIssue({ code: "custom", message: issue.message, path: issue.path, input: undefined });
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing YAML with line-numbered errors
// ---------------------------------------------------------------------------------------------

export interface RosterError {
  /** YAML path such as `programs[0].projects[2].mentors[1]` or `sla.firstResponse`; `""` for the whole file. */
  path: string;
  /** 1-based line in the source, or null when there is none (an empty file). */
  line: number | null;
  message: string;
}

const YAML_TAG = "tag:yaml.org,2002:";

/**
 * YAML 1.2 core schema minus booleans and numbers: every roster value is a string, a list, a mapping
 * or empty, so `2026-06-15` (no timestamps in YAML 1.2 anyway), `007` or `true` stay exactly as written.
 */
function parseYaml(yamlText: string, lineCounter: LineCounter): Document.Parsed {
  return parseDocument(yamlText, {
    lineCounter,
    schema: "core",
    customTags: (tags) =>
      tags.filter((tag) => typeof tag !== "string" && ["map", "seq", "str", "null"].some((t) => tag.tag === YAML_TAG + t)),
    uniqueKeys: true,
    prettyErrors: true,
  });
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") {
      out += `[${segment}]`;
    } else {
      out += out === "" ? String(segment) : `.${String(segment)}`;
    }
  }
  return out;
}

/** The node at `path` (or, with `key`, the key of its last step); the deepest existing ancestor if it is missing. */
function nodeAt(doc: Document.Parsed, path: readonly PropertyKey[], key = false): YamlNode | null {
  let node: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isAlias(node)) {
      node = node.resolve(doc);
    }
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair !== undefined) {
        const last = i === path.length - 1;
        next = last && key ? pair.key : (pair.value ?? pair.key);
      }
    } else if (isSeq(node) && typeof segment === "number") {
      next = node.items[segment];
    }
    if (next === undefined || next === null) {
      break;
    }
    node = next;
  }
  return node as YamlNode | null;
}

function lineOf(node: YamlNode | null | undefined, lineCounter: LineCounter): number | null {
  const offset = node?.range?.[0];
  return offset === undefined ? null : lineCounter.linePos(offset).line;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === "number") {
      value = value[segment];
    } else if (isRecord(value) && typeof segment === "string") {
      value = Object.hasOwn(value, segment) ? value[segment] : undefined;
    } else {
      return undefined;
    }
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) {
    return "nothing";
  }
  if (Array.isArray(value)) {
    return "a list";
  }
  if (isRecord(value)) {
    return "a mapping";
  }
  if (typeof value === "string") {
    return quote(value);
  }
  return String(value);
}

const EXPECTED: Record<string, string> = {
  string: "a text value",
  array: "a list",
  object: "a mapping (key: value lines)",
};

/** Keys the object schema at `path` allows (to suggest a fix for a misspelt key). */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType | undefined = rosterSchema;
  const unwrap = (s: z.core.$ZodType | undefined): z.core.$ZodType | undefined => {
    for (let guard = 0; s !== undefined && guard < 20; guard++) {
      const def = s._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType; out?: z.core.$ZodType };
      if (def.innerType !== undefined) {
        s = def.innerType;
      } else if (def.type === "pipe") {
        s = def.in !== undefined && (def.in._zod.def as { type: string }).type !== "transform" ? def.in : def.out;
      } else {
        return s;
      }
    }
    return s;
  };
  for (const segment of path) {
    schema = unwrap(schema);
    if (schema === undefined) {
      return [];
    }
    const def = schema._zod.def as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType };
    schema = typeof segment === "number" ? def.element : def.shape?.[String(segment)];
  }
  const def = unwrap(schema)?._zod.def as { shape?: Record<string, unknown> } | undefined;
  return def?.shape !== undefined ? Object.keys(def.shape) : [];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

function unknownKeyMessage(key: string, known: string[]): string {
  const close = known
    .map((k) => ({ k, d: k.toLowerCase() === key.toLowerCase() ? 0 : editDistance(k.toLowerCase(), key.toLowerCase()) }))
    .filter(({ d }) => d <= Math.max(1, Math.floor(key.length / 4)))
    .sort((x, y) => x.d - y.d)[0];
  if (close !== undefined) {
    return `unknown key ${quote(key)} (did you mean ${quote(close.k)}?)`;
  }
  return known.length > 0 ? `unknown key ${quote(key)} (allowed here: ${known.join(", ")})` : `unknown key ${quote(key)}`;
}

function issueToErrors(issue: z.core.$ZodIssue, data: unknown, doc: Document.Parsed, lc: LineCounter): RosterError[] {
  const path = issue.path;
  const at = (p: readonly PropertyKey[], message: string, key = false): RosterError => ({
    path: formatPath(p),
    line: lineOf(nodeAt(doc, p, key), lc),
    message,
  });
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeysAt(path);
      return issue.keys.map((key) => at([...path, key], unknownKeyMessage(key, known), true));
    }
    case "invalid_type": {
      const value = valueAt(data, path);
      const parent = valueAt(data, path.slice(0, -1));
      const last = path[path.length - 1];
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (value === undefined && isRecord(parent) && typeof last === "string" && !Object.hasOwn(parent, last)) {
        return [at(path, `missing required key ${quote(last)}`)];
      }
      return [at(path, `expected ${expected}, got ${describeValue(value)}`)];
    }
    case "invalid_value": {
      const value = valueAt(data, path);
      const options = issue.values.map((v) => String(v)).join(", ");
      return [at(path, `${describeValue(value)} is not one of: ${options}`)];
    }
    case "too_small":
      if (issue.origin === "array") {
        return [at(path, Number(issue.minimum) === 1 ? "must list at least one entry" : `must list at least ${String(issue.minimum)} entries`)];
      }
      return [at(path, issue.message)];
    default:
      return [at(path, issue.message)];
  }
}

function compareErrors(a: RosterError, b: RosterError): number {
  const la = a.line ?? Number.POSITIVE_INFINITY;
  const lb = b.line ?? Number.POSITIVE_INFINITY;
  return la !== lb ? la - lb : a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** First line of a yaml parser message, without its "at line N, column M:" code frame. */
function yamlMessage(message: string): string {
  return message.replace(/\s+at line \d+, column \d+:[\s\S]*$/, "").split("\n")[0]?.trim() ?? message;
}

/**
 * Parses and validates the roster. On success the roster has every default applied; on failure every
 * error found, sorted by line, each with its YAML path and 1-based line.
 */
export function parseRoster(yamlText: string): { ok: true; roster: Roster } | { ok: false; errors: RosterError[] } {
  const lc = new LineCounter();
  const doc = parseYaml(yamlText, lc);

  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => ({
      path: "",
      line: e.linePos?.[0].line ?? lc.linePos(e.pos[0]).line,
      message: `invalid YAML: ${yamlMessage(e.message)}`,
    }));
    return { ok: false, errors: errors.sort(compareErrors) };
  }
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return {
      ok: false,
      errors: [{ path: "", line: null, message: "the roster is empty: it needs at least a `programs:` list" }],
    };
  }
  if (!isMap(contents)) {
    const kind = isSeq(contents) ? "a list" : "a single value";
    return {
      ok: false,
      errors: [
        {
          path: "",
          line: lineOf(contents, lc),
          message: `the roster must be a mapping of keys (taskLabel, sla, admins, programs, …), not ${kind}`,
        },
      ],
    };
  }

  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const result = rosterSchema.safeParse(data);
  if (result.success) {
    return { ok: true, roster: result.data };
  }
  const seen = new Set<string>();
  const errors: RosterError[] = [];
  for (const issue of result.error.issues) {
    for (const error of issueToErrors(issue, data, doc, lc)) {
      const key = `${error.path}\u0000${error.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        errors.push(error);
      }
    }
  }
  return { ok: false, errors: errors.sort(compareErrors) };
}

/** `programs[0].projects[2].mentors[1] (line 31): "@bob" is not a GitHub login (drop the @)` */
export function formatRosterError(e: RosterError): string {
  const where = e.path === "" ? (e.line === null ? "" : `line ${e.line}`) : e.line === null ? e.path : `${e.path} (line ${e.line})`;
  return where === "" ? e.message : `${where}: ${e.message}`;
}

// ---------------------------------------------------------------------------------------------
// Reading a valid roster
// ---------------------------------------------------------------------------------------------

function distinct(logins: Iterable<string>): string[] {
  const byKey = new Map<string, string>();
  for (const login of logins) {
    const key = login.toLowerCase();
    if (!byKey.has(key)) {
      byKey.set(key, login);
    }
  }
  return [...byKey.values()];
}

function* roleLogins(r: Roster, role: "mentors" | "mentees"): Generator<string> {
  for (const program of r.programs) {
    for (const project of program.projects) {
      yield* project[role];
    }
  }
}

/** Every distinct login in the roster (admins, ignored accounts, then mentors and mentees in roster order), first spelling kept. */
export function peopleOf(r: Roster): string[] {
  function* all(): Generator<string> {
    yield* r.admins;
    yield* r.ignore;
    for (const program of r.programs) {
      for (const project of program.projects) {
        yield* project.mentors;
        yield* project.mentees;
      }
    }
  }
  return distinct(all());
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * One line, e.g. `6 programs, 41 projects, 70 people (38 mentors, 45 mentees), 1 ignored account`; logins
 * counted case-insensitively.
 */
export function summarizeRoster(r: Roster): string {
  const projects = r.programs.reduce((n, program) => n + program.projects.length, 0);
  const mentors = distinct(roleLogins(r, "mentors")).length;
  const mentees = distinct(roleLogins(r, "mentees")).length;
  // An ignored account is never also a person of the roster (crossIssues), so the two counts add up.
  const ignored = distinct(r.ignore).length;
  return (
    `${count(r.programs.length, "program", "programs")}, ${count(projects, "project", "projects")}, ` +
    `${count(peopleOf(r).length - ignored, "person", "people")} ` +
    `(${count(mentors, "mentor", "mentors")}, ${count(mentees, "mentee", "mentees")})` +
    (ignored > 0 ? `, ${count(ignored, "ignored account", "ignored accounts")}` : "")
  );
}
