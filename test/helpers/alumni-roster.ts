/**
 * The multi-program roster of test/fixtures/rosters/asyncapi-alumni.yml (built from AsyncAPI's real
 * rosters), resolved to ids. Stories with invented activity use `alumniModel()`, where every real
 * login is swapped for a fictional stand-in with the same role in the same places.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseRoster, peopleOf } from "../../src/config/roster.js";
import type { InstallationModel, Person } from "../../src/domain/program.js";
import { resolveRoster } from "../../src/domain/resolve-roster.js";
import { ghUser, type GhUser } from "./payloads.js";

const FIXTURE = fileURLToPath(new URL("../fixtures/rosters/asyncapi-alumni.yml", import.meta.url));

/** Real login → fictional stand-in. */
const STAND_INS: Record<string, string> = {
  derberg: "org-admin",
  thulieblack: "docs-admin",
  "asyncapi-bot": "org-machine",
  Souvikns: "mentor-2023",
  "Shurtu-gal": "alumna-mentor",
  quetzalliwrites: "docs-mentor",
  CynthiaPeter: "docs-writer-a",
  "Arya-Gupta": "docs-writer-b",
  J0SAL: "docs-writer-c",
  VaishnaviNandakumar: "docs-writer-d",
  AayushSaini101: "alumnus-mentor",
  bandantonio: "guides-mentor",
  SaxenaAnushka102: "guides-writer-a",
  Aahil13: "guides-writer-b",
  ezinneanne: "guides-writer-c",
  neoandmatrix: "cli-mentee",
  "Adi-204": "generator-mentor",
  batchu5: "generator-mentee",
};

export function alumniRosterText(): string {
  return readFileSync(FIXTURE, "utf8");
}

function modelOf(yamlText: string): InstallationModel {
  const parsed = parseRoster(yamlText);
  if (!parsed.ok) throw new Error(`alumni roster: ${JSON.stringify(parsed.errors)}`);
  const people = new Map<string, Person>(peopleOf(parsed.roster).map((login) => [login.toLowerCase(), { id: ghUser(login).id, login }]));
  const resolved = resolveRoster(parsed.roster, people);
  if (!resolved.ok) throw new Error(`alumni roster: unknown ${resolved.unknownLogins.join(", ")}`);
  return resolved.model;
}

/** The roster as written, real logins and all: for loading tests only. */
export function realAlumniModel(): InstallationModel {
  return modelOf(alumniRosterText());
}

/** The same roster with fictional people, for stories. */
export function alumniModel(): InstallationModel {
  let text = alumniRosterText().replace(/^#.*$/gm, "");
  for (const [real, standIn] of Object.entries(STAND_INS)) text = text.replace(new RegExp(`(?<![\\w-])${real}(?![\\w-])`, "g"), standIn);
  return modelOf(text);
}

/** The fictional people of `alumniModel()`, by stand-in login. */
export function alumnus(standIn: string): GhUser {
  if (!Object.values(STAND_INS).includes(standIn)) throw new Error(`no stand-in ${standIn}`);
  return ghUser(standIn);
}
