/**
 * The roster's schema: `.github/mentorship.yml` (DESIGN.md, "Roster format") as zod turns it into the
 * shape the app uses (durations in seconds, repos lower-cased, tracking issues split into repo and
 * number). The rules across fields are in roster-checks.ts; errors with lines in roster.ts. Pure.
 */
import { z } from "zod";
import { parseDuration } from "./duration.js";
import { privacySchema } from "./privacy.js";
import { openProgramKeys } from "./open-program.js";
import { crossCheck } from "./roster-checks.js";
import { isRealDate, isRecord, quote } from "./roster-values.js";

// ---------------------------------------------------------------------------------------------
// Field schemas
// ---------------------------------------------------------------------------------------------

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** GitHub logins: letters, digits and hyphens, at most 39, not starting with a hyphen. Lenient about
 * consecutive and trailing hyphens, which some old accounts have. */
const LOGIN_RE = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
const ID_RE = /^[a-z0-9][a-z0-9-_.]*$/i;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
const OWNER = String.raw`[A-Za-z0-9][A-Za-z0-9-]{0,38}`;
const REPO_NAME = String.raw`[A-Za-z0-9._-]{1,100}`;
const REPO_RE = new RegExp(`^${OWNER}/${REPO_NAME}$`);
const ISSUE_REF_RE = new RegExp(`^(${OWNER}/${REPO_NAME})#([1-9]\\d{0,9})$`);

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
    /** Who is never named, and how long raw event payloads are kept (README, "Privacy"). */
    privacy: privacySchema({ login, duration }).prefault({ optOut: [] }),
  })
  .strict()
  .superRefine((roster, ctx) => crossCheck(roster, ctx), { when: () => true });

export type Roster = z.output<typeof rosterSchema>;
export type RosterProgram = Roster["programs"][number];
export type RosterProject = RosterProgram["projects"][number];
