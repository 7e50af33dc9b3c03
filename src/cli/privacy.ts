/**
 * `mentorship privacy export|forget LOGIN`: a person's right of access and erasure (README, "Privacy"),
 * on the database the app writes; no GitHub credentials needed.
 */
import { parseArgs } from "node:util";
import { exportPerson, forgetPerson } from "../db/privacy.js";
import { terminalText } from "../render/report-table.js";
import type { CliIo } from "./io.js";
import { withDatabase } from "./report.js";

export const PRIVACY_HELP = `Usage: mentorship privacy export LOGIN
       mentorship privacy forget LOGIN [--yes]

export  prints, as JSON, every row the database holds about the person: the events they caused or
        that name them (assigned, review requested, mentioned), their requests and responses, tasks,
        evaluations, check-ins, roster places and comment keys. A renamed account is found by any of
        its logins, through its numeric id.
forget  replaces them in every stored row by an anonymous person ("forgotten person N", a negative
        id), so every total keeps their activity. Without --yes it only says what it would change.
        Remove them from the roster file too: a roster that still lists them enrols them afresh
        (the anonymous person stays enrolled where they were, so the figures keep their history).

Exit codes: 0 done, 1 failure (nothing confirmed, database unreachable), 2 bad arguments.`;

const LOGIN = /^@?[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;

export async function privacyCommand(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { yes: { type: "boolean" } }, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`mentorship privacy: ${String((error as Error).message).split("\n", 1)[0]}\n`);
    return 2;
  }
  const [action, login, extra] = parsed.positionals;
  const usage = (message: string) => {
    io.stderr(`mentorship privacy: ${message} (see mentorship privacy --help)\n`);
    return 2;
  };
  if (action !== "export" && action !== "forget") return usage(action ? `unknown action "${terminalText(action)}"` : "missing action: export or forget");
  if (!login || !LOGIN.test(login)) return usage(login ? `"${terminalText(login)}" is not a GitHub login` : "missing LOGIN");
  if (extra !== undefined) return usage(`unexpected argument "${terminalText(extra)}"`);
  if (action === "export" && parsed.values.yes) return usage("--yes is for forget");

  return withDatabase(io, "privacy", async (database) => {
    const found = await exportPerson(database.db, login);
    if (action === "export") {
      io.stdout(`${JSON.stringify({ generatedAt: new Date().toISOString(), ...found }, null, 2)}\n`);
      return 0;
    }
    const held = Object.entries(found.rows).filter(([, rows]) => rows.length > 0);
    if (held.length === 0) {
      io.stdout(`${terminalText(login)}: nothing stored about them; nothing to forget\n`);
      return 0;
    }
    const summary = held.map(([table, rows]) => `${table} ${rows.length}`).join(", ");
    if (!parsed.values.yes) {
      io.stderr(`mentorship privacy: would replace ${terminalText(login)} (ids ${found.ids.join(", ")}) in: ${summary}\n`);
      io.stderr(`mentorship privacy: nothing changed; run again with --yes to forget them\n`);
      return 1;
    }
    const result = await forgetPerson(database.db, login);
    const changed = Object.entries(result.changed).map(([table, n]) => `${table} ${n}`).join(", ");
    io.stdout(`${terminalText(login)} is now "${result.anonymous?.login}" (id ${result.anonymous?.id}); rows changed: ${changed || "none"}\n`);
    io.stdout(`Remove ${terminalText(login)} from the roster file too, or its next load enrols them again.\n`);
    return 0;
  });
}
