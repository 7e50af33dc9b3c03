/**
 * `mentorship evaluate` and `mentorship evaluations`: evaluation forms for an operator with database
 * access. Recording names the mentor or admin it is recorded for (`--by`), and checks it like the API.
 */
import { parseArgs } from "node:util";
import { terminalText } from "../render/report-table.js";
import { programForms, programStaff, submitEvaluation } from "../reports/evaluations.js";
import type { CliIo } from "./io.js";
import { table, withDatabase } from "./report.js";

export const EVALUATE_HELP = `Usage: mentorship evaluate --program ID --mentee LOGIN --round ID --outcome pass|fail|extend --by LOGIN [options]

Records a mentor's evaluation form, as that mentor (or a program admin) would through the API.
Each call adds a record; the latest one counts and the earlier ones stay as history.

Options:
  --program ID          the program
  --mentee LOGIN        the mentee evaluated
  --round ID            the evaluation round (the roster's evaluations: id)
  --outcome OUTCOME     pass, fail or extend
  --extend-to DATE      with extend: the new due date, YYYY-MM-DD
  --note TEXT           a private note (never shown in a public comment)
  --by LOGIN            the mentor or admin this is recorded for
  --project ID          when the mentee is in several projects of the program
  --installation ID     when two installations use the same program id

Exit codes: 0 recorded, 1 refused (with the reason), 2 bad arguments.`;

export const EVALUATIONS_HELP = `Usage: mentorship evaluations --program ID [--owed] [--format table|json] [--installation ID]

Lists every evaluation form of the program: mentee, round, side, due date and state (submitted,
due in N days, late, ...), and who owes it. --owed leaves out forms submitted or excused.
Outcomes, ratings and notes are not shown here.`;

class Usage extends Error {}

function usage(io: CliIo, command: string, error: unknown): number {
  const message = String((error as { message?: unknown })?.message ?? error);
  io.stderr(`mentorship ${command}: ${message.split("\n", 1)[0]!}\n`);
  return 2;
}

function installationOf(text: string | undefined): number | null {
  if (text === undefined) return null;
  if (!/^\d+$/.test(text)) throw new Usage(`--installation must be a numeric installation id, not "${text}"`);
  return Number(text);
}

export async function evaluateCommand(args: string[], io: CliIo): Promise<number> {
  let values: Record<string, string | undefined>;
  let installationId: number | null;
  try {
    const parsed = parseArgs({
      args,
      options: Object.fromEntries(
        ["program", "mentee", "round", "outcome", "extend-to", "note", "by", "project", "installation"].map((k) => [k, { type: "string" as const }]),
      ),
      strict: true,
    });
    values = parsed.values as Record<string, string | undefined>;
    for (const required of ["program", "mentee", "round", "outcome", "by"]) {
      if (values[required] === undefined) throw new Usage(`missing --${required}`);
    }
    if (!["pass", "fail", "extend"].includes(values.outcome!)) throw new Usage(`--outcome must be pass, fail or extend, not "${values.outcome}"`);
    if (values["extend-to"] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values["extend-to"])) throw new Usage("--extend-to must be a date, YYYY-MM-DD");
    installationId = installationOf(values.installation);
  } catch (error) {
    return usage(io, "evaluate", error);
  }
  return withDatabase(io, "evaluate", async (database) => {
    const program = values.program!;
    const by = await programStaff(database.db, program, values.by!.replace(/^@/, ""), installationId);
    if (by === null) {
      io.stderr(`mentorship evaluate: --by ${terminalText(values.by!)} is not a mentor or admin of program "${terminalText(program)}"\n`);
      return 1;
    }
    const deps = { db: database.db, now: () => new Date(), timing: { deriveDelaySeconds: 0, progressDelaySeconds: 0 } };
    const result = await submitEvaluation(deps, program, by, {
      mentee: values.mentee!.replace(/^@/, ""),
      round: values.round!,
      outcome: values.outcome as "pass" | "fail" | "extend",
      extendTo: values["extend-to"],
      note: values.note,
      project: values.project,
      installationId,
    });
    if (!("body" in result)) {
      io.stderr(`mentorship evaluate: ${result.error}\n`);
      return 1;
    }
    const r = result.body;
    io.stdout(`recorded ${values.outcome} in ${r.round} for ${terminalText(r.mentee)} (${r.project}) by ${terminalText(r.recordedBy)}: form ${r.form}, enrolment ${r.completion.outcome}\n`);
    return 0;
  });
}

export async function evaluationsCommand(args: string[], io: CliIo): Promise<number> {
  let values: { program?: string | undefined; format?: string | undefined; owed?: boolean | undefined; installation?: string | undefined };
  let installationId: number | null;
  try {
    values = parseArgs({
      args,
      options: { program: { type: "string" }, format: { type: "string" }, owed: { type: "boolean" }, installation: { type: "string" } },
      strict: true,
    }).values;
    if (values.program === undefined) throw new Usage("missing --program ID (see mentorship programs)");
    if (values.format !== undefined && values.format !== "table" && values.format !== "json") throw new Usage(`--format must be table or json, not "${values.format}"`);
    installationId = installationOf(values.installation);
  } catch (error) {
    return usage(io, "evaluations", error);
  }
  return withDatabase(io, "evaluations", async (database) => {
    const all = await programForms(database.db, values.program!, new Date(), installationId);
    if (all === null) {
      io.stderr(`mentorship evaluations: unknown program "${terminalText(values.program!)}" (see mentorship programs)\n`);
      return 1;
    }
    const forms = values.owed ? all.filter((f) => f.state !== "submitted" && f.state !== "excused") : all;
    if (values.format === "json") {
      io.stdout(`${JSON.stringify({ program: values.program, forms }, null, 2)}\n`);
      return 0;
    }
    if (forms.length === 0) {
      io.stdout(all.length === 0 ? "no evaluation forms: the program lists no rounds or no mentees\n" : "nothing owed\n");
      return 0;
    }
    const rows = forms.map((f) => [f.project, f.mentee, f.round, f.side, f.due, f.label, f.state === "submitted" || f.state === "excused" ? "" : f.owedBy.join(", ")]);
    io.stdout(table(["PROJECT", "MENTEE", "ROUND", "FORM", "DUE", "STATE", "OWED BY"], rows.map((r) => r.map(terminalText))));
    return 0;
  });
}
