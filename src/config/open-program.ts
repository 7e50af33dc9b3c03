/**
 * Open programs in the roster (issue 18): Hacktoberfest-style events with no list of mentees. Anyone
 * whose pull request qualifies takes part; the projects name the repositories and their maintainers
 * (`mentors`). Every rule has the public Hacktoberfest default and can be overridden.
 *
 * roster.ts builds its program schema with these keys, handing in its own field schemas, so this file
 * needs nothing from it (no import cycle) and repeats none of its checks. Pure: no I/O here.
 */
import { z } from "zod";

/** The public Hacktoberfest rules, parsed, as the app applies them when `rules:` leaves a key out. */
export const HACKTOBERFEST_RULES = {
  window: "anywhere" as "anywhere" | "timezone",
  topic: "hacktoberfest" as string | null,
  acceptedLabel: "hacktoberfest-accepted",
  spamLabel: "spam",
  invalidLabel: "invalid",
  /** 7 days. */
  reviewPeriod: 604_800,
  goal: 4,
};

const LABEL_WORD_RE = /^[\p{L}\p{N}][\p{L}\p{N}_-]*$/u;
const TOPIC_RE = /^[a-z0-9][a-z0-9-]{0,49}$/;

function quote(value: string): string {
  return JSON.stringify(value);
}

function refined(base: z.ZodString, problem: (value: string) => string | null) {
  return base.superRefine((value, ctx) => {
    const message = problem(value);
    if (message !== null) ctx.addIssue({ code: "custom", message, input: value });
  });
}

const labelWord = refined(z.string(), (v) =>
  LABEL_WORD_RE.test(v) ? null : `${quote(v)} is not a label word: one word such as "spam", matched as a whole word in any case`,
);

const labelName = refined(z.string(), (v) => (v.trim() === "" ? "must not be empty" : null));

const topic = z.preprocess(
  (v) => (v === null ? "" : v),
  refined(z.string(), (v) =>
    v === "" || TOPIC_RE.test(v) ? null : `${quote(v)} is not a GitHub topic: lower-case letters, digits and hyphens, e.g. hacktoberfest`,
  ).transform((v) => (v === "" ? null : v)),
);

const goal = refined(z.string(), (v) => (/^[1-9]\d{0,3}$/.test(v) ? null : `${quote(v)} is not a goal: write a whole number of pull requests, e.g. 4`)).transform(Number);

/** The open-program keys of a program, built on roster.ts's own duration and issue-reference schemas. */
export function openProgramKeys<I extends z.ZodType<{ repo: string; number: number }>>(fields: { duration: z.ZodType<number, string>; issueRef: I }) {
  const rules = z
    .object({
      /**
       * `anywhere` (default): a PR counts when it was created on one of the program's days somewhere on
       * Earth, from UTC+14 to UTC−12, as the public rules say "any time zone". `timezone`: in the
       * program's own timezone only.
       */
      window: z.enum(["anywhere", "timezone"]).default(HACKTOBERFEST_RULES.window),
      /** Repositories of the installation carrying this topic take part, besides the projects' repos. Empty: none. */
      topic: topic.default(HACKTOBERFEST_RULES.topic),
      /** A PR with this label is accepted (besides merged, or approved and still open). */
      acceptedLabel: labelName.default(HACKTOBERFEST_RULES.acceptedLabel),
      /** A label containing this word (any case) marks a PR as spam; two such PRs flag their author. */
      spamLabel: labelWord.default(HACKTOBERFEST_RULES.spamLabel),
      /** A label containing this word (any case) marks a PR as invalid. */
      invalidLabel: labelWord.default(HACKTOBERFEST_RULES.invalidLabel),
      /** An accepted PR counts this long after it was accepted; until then it is pending. */
      reviewPeriod: fields.duration.default(HACKTOBERFEST_RULES.reviewPeriod),
      /** Pull requests a participant needs to complete the event. */
      goal: goal.default(HACKTOBERFEST_RULES.goal),
    })
    .strict();
  return {
    /** `true`: no mentees are listed; the authors of qualifying pull requests take part. */
    open: z
      .enum(["true", "false"])
      .optional()
      .transform((v) => (v === "true" ? true : undefined)),
    /** The event's rules (open programs only); every key defaults to the public Hacktoberfest rule. */
    rules: rules.optional(),
    /** The issue that carries the event's progress comment (open programs only), `owner/name#number`. */
    trackingIssue: fields.issueRef.optional(),
  };
}

type Path = (string | number)[];

/** What an open program may not have, and what only an open program may have. Reads its input defensively. */
export function openProgramIssues(program: Record<string, unknown>, at: (...rest: Path) => Path): Array<{ message: string; path: Path }> {
  const issues: Array<{ message: string; path: Path }> = [];
  // The rule sees the raw "true" when the program is invalid, the parsed boolean when it is valid.
  if (program["open"] !== "true" && program["open"] !== true) {
    for (const key of ["rules", "trackingIssue"]) {
      if (program[key] !== undefined) issues.push({ path: at(key), message: `${key} applies to open programs only: add open: true to this program, or move it` });
    }
    return issues;
  }
  const projects = Array.isArray(program["projects"]) ? program["projects"] : [];
  if (Array.isArray(program["projects"]) && projects.length === 0) {
    issues.push({ path: at("projects"), message: "an open program needs a project: its mentors are the maintainers who answer the participants (leave out repos for the topic's repositories)" });
  }
  projects.forEach((project, j) => {
    if (typeof project !== "object" || project === null) return;
    const mentees = (project as Record<string, unknown>)["mentees"];
    if (Array.isArray(mentees) && mentees.length > 0) {
      issues.push({ path: at("projects", j, "mentees"), message: "an open program lists no mentees: the authors of qualifying pull requests take part" });
    }
  });
  return issues;
}
