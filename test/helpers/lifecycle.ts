/**
 * The scenario world with a program lifecycle: two evaluation rounds, a weekly check-in cadence and
 * one mentee whose final round and end are extended, GSoC-style.
 */
import nock from "nock";
import type { InstallationModel } from "../../src/domain/program.js";
import { API } from "./github-comments.js";
import type { GhUser } from "./payloads.js";
import { mentee2, worldModel } from "./scenario.js";

export const ROUNDS = [
  { id: "midterm", title: "Midterm evaluation", opens: "2026-08-15", due: "2026-08-22", by: "both" as const },
  { id: "final", title: "Final evaluation", opens: "2026-10-10", due: "2026-10-17", by: "both" as const },
];

export function lifecycleModel(options: { extendFinalTo?: string; checkInSeconds?: number | null } = {}): InstallationModel {
  const model = worldModel();
  const program = model.programs[0]!;
  program.evaluations = ROUNDS.map((r) => ({ ...r }));
  program.checkInSeconds = options.checkInSeconds === undefined ? 7 * 86_400 : options.checkInSeconds;
  const project = program.projects[0]!;
  const extension = options.extendFinalTo;
  project.menteeTerms =
    extension === undefined ? [] : [{ menteeId: mentee2.id, extensions: { final: extension, ends: extension }, status: "active", statusDate: null }];
  return model;
}

/** `GET /user` with this token answers as `user` (once, or every time with `persist`). */
export function mockTokenUser(token: string, user: GhUser, persist = false) {
  const scope = nock(API, { reqheaders: { authorization: `token ${token}` } });
  return (persist ? scope.persist() : scope).get("/user").reply(200, { login: user.login, id: user.id, type: "User" });
}

export function mockBadToken(token: string) {
  return nock(API, { reqheaders: { authorization: `token ${token}` } }).get("/user").reply(401, { message: "Bad credentials" });
}
