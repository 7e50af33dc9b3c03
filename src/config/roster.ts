/**
 * The roster: `.github/mentorship.yml` in the org's `.github` repo (DESIGN.md, "Roster format").
 *
 * `rosterSchema` (roster-schema.ts) validates the parsed YAML and turns it into the shape the app
 * uses. `parseRoster` adds what a schema alone cannot give admins: every error at once, each with its
 * YAML path and source line. Pure: no I/O here.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import type { Document, Node as YamlNode } from "yaml";
import { isRecord, quote } from "./roster-values.js";
import { rosterSchema, type Roster } from "./roster-schema.js";


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

/** Every login the app must resolve to a numeric id: the roster's people and those who opted out of being named. */
export function loginsToResolve(r: Roster): string[] {
  return distinct([...peopleOf(r), ...r.privacy.optOut]);
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
