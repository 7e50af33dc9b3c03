import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

/**
 * Reads `.env` in the working directory into `env`, as Probot's own loader would, but before we
 * validate anything: variables already set (non-empty) in the environment win over the file.
 * Returns the file's path when there was one.
 */
export function loadDotEnv(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = join(cwd, ".env");
  if (!existsSync(path)) return undefined;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(path, "utf8")))) {
    // Empty means unset, on either side: an empty line in the file sets nothing, and an empty
    // variable in the environment may be filled from the file.
    if (value && !env[key]) env[key] = value;
  }
  return path;
}

/**
 * `.env` with `vars` set: a line `KEY=…` already there is replaced in place and the rest of the
 * file (comments, other settings) is kept, so a copied .env.example keeps its explanations.
 * Values with newlines are written with `\n`, inside double quotes.
 */
export function setEnvVars(text: string, vars: NodeJS.ProcessEnv): string {
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  for (const [key, raw] of Object.entries(vars)) {
    if (raw === undefined) continue;
    const value = formatValue(raw);
    const at = lines.findIndex((line) => new RegExp(`^\\s*(export\\s+)?${key}\\s*=`).test(line));
    if (at >= 0) lines[at] = `${key}=${value}`;
    else lines.push(`${key}=${value}`);
  }
  return `${lines.join("\n")}\n`;
}

function formatValue(raw: string): string {
  const unquoted = raw.replace(/^"([\s\S]*)"$/, "$1");
  if (!/[\n"'#\s]/.test(unquoted)) return unquoted;
  return `"${unquoted.replace(/\n/g, "\\n")}"`;
}

/** Writes `vars` into `<cwd>/.env` (creating it) and into `process.env`. */
export function writeDotEnv(vars: NodeJS.ProcessEnv, cwd: string = process.cwd()): void {
  const path = join(cwd, ".env");
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  writeFileSync(path, setEnvVars(text, vars), { mode: 0o600 });
  for (const [key, raw] of Object.entries(vars)) if (raw !== undefined) process.env[key] = raw.replace(/^"([\s\S]*)"$/, "$1");
}
