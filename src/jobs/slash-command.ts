import type { AppDeps } from "../deps.js";
import { type ParsedCommand, type ReportArgs, SLASH_HELP, parseSlashCommand } from "../commands/parse.js";
import { recordCheckIn } from "../db/check-ins.js";
import { addJob } from "../db/events.js";
import { loadModel } from "../db/rosters.js";
import { type InstallationModel, type ProgramModel, isWithin, toInstant } from "../domain/program.js";
import type { ResponseTimeReport } from "../domain/types.js";
import { installationOctokit, type Octokit } from "../github/octokit.js";
import { canWrite, repoPermission } from "../github/permissions.js";
import { insightSettingsOf } from "../domain/insights.js";
import { renderInsightsMarkdown } from "../render/insights-text.js";
import { renderReportMarkdown } from "../render/report-markdown.js";
import { insightsReport } from "../reports/insights.js";
import { code } from "../render/safe-text.js";
import { reportApiPath, reportCliCommand, toReportFilters } from "../reports/query.js";
import { UnknownFilterError, UnknownProgramError, responseTimeReport } from "../reports/response-times.js";
import { enqueueProgressRefresh } from "./refresh-progress.js";

/** Enqueued by src/webhooks/receive.ts for a created comment whose first line is `/mentorship …`. */
export interface SlashCommandPayload {
  installationId: number;
  /** `owner/name`, lower-case. */
  repo: string;
  number: number;
  commentId: number;
  body: string;
  author: { id: number; login: string; type: string };
}

export const REFUSAL =
  "Sorry, `/mentorship` commands are for the program's admins and mentors and for people with write access to this repository.";

interface Thread {
  owner: string;
  repo: string;
  number: number;
  commentId: number;
}

/**
 * Answers one `/mentorship` command. Bots (this app included) are ignored before anything else,
 * so the app can never answer itself into a loop. Everyone else is checked first, so a stranger
 * learns nothing, not even whether the program or project they named exists.
 */
export async function slashCommandJob(deps: AppDeps, payload: SlashCommandPayload): Promise<void> {
  const log = deps.log.child({ installation: payload.installationId, repo: payload.repo, number: payload.number, comment: payload.commentId });
  if (isBot(payload.author)) {
    log.debug({ author: payload.author.login }, "command from a bot ignored");
    return;
  }
  const parsed = parseSlashCommand(payload.body);
  if (!parsed) return;

  const [owner, repo] = payload.repo.split("/") as [string, string];
  const thread: Thread = { owner, repo, number: payload.number, commentId: payload.commentId };
  const model = await loadModel(deps.db, payload.installationId);
  const octokit = await installationOctokit(deps, payload.installationId);

  if (!(await mayAsk(octokit, model, payload))) {
    log.info({ author: payload.author.login }, "command refused: not an admin, mentor or writer");
    await postReply(deps, octokit, thread, REFUSAL);
    return;
  }

  const reply = await answer(deps, model, payload, parsed);
  if (reply.kind === "comment") await postReply(deps, octokit, thread, reply.body);
  else await addReaction(deps, octokit, thread, reply.content);
  log.info({ author: payload.author.login, command: parsed.ok ? parsed.command.name : "malformed" }, "command answered");
}

type Reply = { kind: "comment"; body: string } | { kind: "reaction"; content: "+1" };

async function answer(deps: AppDeps, model: InstallationModel | null, payload: SlashCommandPayload, parsed: ParsedCommand): Promise<Reply> {
  if (!parsed.ok) return comment(`${parsed.reason}\n\n${SLASH_HELP}`);
  const command = parsed.command;
  switch (command.name) {
    case "help":
      return comment(SLASH_HELP);
    case "status":
      return status(deps, model, payload);
    case "report":
      return comment(await report(deps, model, payload.installationId, command.args));
    case "checkin":
      return checkIn(deps, model, payload, command.mentee, command.note);
    case "insights":
      return comment(await insights(deps, model, payload, command.program));
  }
}

function comment(body: string): Reply {
  return { kind: "comment", body };
}

export function isBot(author: { login: string; type: string }): boolean {
  return author.type === "Bot" || /\[bot\]$/i.test(author.login);
}

/**
 * Roster admins and mentors by numeric id (the roster is the program's own word, and needs no API
 * call); anyone else by their role on this repository.
 */
async function mayAsk(octokit: Octokit, model: InstallationModel | null, payload: SlashCommandPayload): Promise<boolean> {
  const id = payload.author.id;
  if (model && (model.admins.some((a) => a.id === id) || model.programs.some((p) => p.projects.some((j) => j.mentors.some((m) => m.id === id))))) {
    return true;
  }
  return canWrite(await repoPermission(octokit, payload.repo, payload.author.login));
}

async function report(deps: AppDeps, model: InstallationModel | null, installationId: number, args: ReportArgs): Promise<string> {
  const programs = model?.programs ?? [];
  if (programs.length === 0) {
    return "This organisation has no mentorship programs yet: they are listed in `.github/mentorship.yml` in the org's `.github` repository.";
  }
  const now = deps.now();
  const chosen = chooseProgram(programs, args.program, now);
  if ("message" in chosen) return chosen.message;
  const program = chosen.program;

  if (args.project && !program.projects.some((p) => p.id === args.project)) {
    return noSuchProject(program, args.project);
  }
  let result: ResponseTimeReport;
  try {
    result = await responseTimeReport(deps.db, installationId, program.id, toReportFilters(args), now);
  } catch (error) {
    // The roster changed between reading the model and running the report.
    if (error instanceof UnknownProgramError) return `Unknown program ${code(program.id)}.\n\n${programList(programs, now)}`;
    if (error instanceof UnknownFilterError) return unknownFilterReply(error, program);
    throw error;
  }
  const hint = `${code(`GET ${reportApiPath(program.id, args)}`)} on the tracker's API (JSON, or \`format=csv\`), or ${code(reportCliCommand(program.id, args))}`;
  return renderReportMarkdown(result, { fullReportHint: hint });
}

export const INSIGHTS_REFUSAL = "Sorry, `/mentorship insights` is for the roster's `admins`.";

/** Admins only: insights span every program and person, more than any one mentor's business. */
async function insights(deps: AppDeps, model: InstallationModel | null, payload: SlashCommandPayload, program: string | null): Promise<string> {
  if (!model?.admins.some((a) => a.id === payload.author.id)) return INSIGHTS_REFUSAL;
  const now = deps.now();
  if (program !== null && !model.programs.some((p) => p.id === program)) return `Unknown program ${code(program)}.\n\n${programList(model.programs, now)}`;
  const report = await insightsReport(deps.db, payload.installationId, { programIds: program === null ? null : [program], since: null, until: null }, now);
  return renderInsightsMarkdown(report, { showLogins: insightSettingsOf(model).publicLogins });
}

/** Names what was not found and what would have been: the projects, or the program's mentors. */
function unknownFilterReply(error: UnknownFilterError, program: ProgramModel): string {
  if (error.parameter === "project") return noSuchProject(program, error.value);
  return `${code(error.value)} mentors no project in ${code(program.id)}.`;
}

function noSuchProject(program: ProgramModel, id: string): string {
  return `${code(program.id)} has no project ${code(id)}. Its projects: ${program.projects.map((p) => code(p.id)).join(", ") || "none"}.`;
}

function chooseProgram(programs: ProgramModel[], requested: string | null, now: Date): { program: ProgramModel } | { message: string } {
  if (requested !== null) {
    const program =
      programs.find((p) => p.id === requested) ?? uniqueOrUndefined(programs.filter((p) => p.id.toLowerCase() === requested.toLowerCase()));
    return program ? { program } : { message: `Unknown program ${code(requested)}.\n\n${programList(programs, now)}` };
  }
  const active = programs.filter((p) => isWithin(toInstant(now), p.window));
  if (active.length === 1) return { program: active[0]! };
  const why = active.length === 0 ? "No program is running today" : `${active.length} programs are running today`;
  return { message: `${why}: which one? Name it, as in \`/mentorship report PROGRAM\`.\n\n${programList(programs, now)}` };
}

function uniqueOrUndefined<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

function programList(programs: ProgramModel[], now: Date): string {
  const lines = programs.map((p) => {
    const running = isWithin(toInstant(now), p.window) ? ", running" : "";
    return `- ${code(p.id)}: ${p.starts} to ${p.ends}${running}`;
  });
  return `Programs:\n${lines.join("\n")}`;
}

/**
 * Queues this thread's projects' progress refresh to run now (the same job key as the debounced
 * refresh, so a pending one is pulled forward rather than duplicated). Projects of running programs
 * win when the repository belongs to several programs over the years.
 */
async function status(deps: AppDeps, model: InstallationModel | null, payload: SlashCommandPayload): Promise<Reply> {
  const matches = (model?.programs ?? []).flatMap((program) =>
    program.projects
      .filter(
        (project) =>
          project.repos.includes(payload.repo) ||
          (project.trackingIssue?.repo === payload.repo && project.trackingIssue.number === payload.number),
      )
      .map((project) => ({ program, project })),
  );
  const now = toInstant(deps.now());
  const running = matches.filter((m) => isWithin(now, m.program.window));
  const chosen = running.length > 0 ? running : matches;
  if (chosen.length === 0) return comment("No project covers this repository, so there is no progress comment to refresh.");
  for (const { program, project } of chosen) {
    await addJob(deps.db, {
      task: "refresh-progress",
      payload: { installationId: payload.installationId, programId: program.id, projectId: project.id },
      key: `progress:${payload.installationId}:${program.id}/${project.id}`,
      delaySeconds: 0,
    });
  }
  return { kind: "reaction", content: "+1" };
}

export const CHECK_IN_REFUSAL = "Only a mentee's own mentors can record a check-in with them.";

/**
 * Records a check-in for each enrolment (of a running program, when there is one) where the author
 * mentors this mentee. The answer is a reaction; a redelivered command records nothing twice.
 */
async function checkIn(deps: AppDeps, model: InstallationModel | null, payload: SlashCommandPayload, menteeLogin: string, note: string | null): Promise<Reply> {
  const key = menteeLogin.toLowerCase();
  const pairs = (model?.programs ?? []).flatMap((program) =>
    program.projects.flatMap((project) => {
      const mentor = project.mentors.find((m) => m.id === payload.author.id);
      const mentee = project.mentees.find((m) => m.login.toLowerCase() === key);
      return mentor && mentee ? [{ program, project, mentor, mentee }] : [];
    }),
  );
  const now = toInstant(deps.now());
  const running = pairs.filter((p) => isWithin(now, p.program.window));
  const chosen = running.length > 0 ? running : pairs;
  if (chosen.length === 0) return comment(CHECK_IN_REFUSAL);
  for (const { program, project, mentor, mentee } of chosen) {
    await recordCheckIn(deps.db, {
      installationId: payload.installationId,
      programId: program.id,
      projectId: project.id,
      mentor,
      mentee,
      at: now,
      source: "command",
      sourceKey: `comment:${payload.commentId}:${program.id}/${project.id}`,
      note,
    });
    await enqueueProgressRefresh(deps, payload.installationId, program.id, project.id);
  }
  return { kind: "reaction", content: "+1" };
}

async function postReply(deps: AppDeps, octokit: Octokit, thread: Thread, body: string): Promise<void> {
  await final(deps, thread, () =>
    octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: thread.owner,
      repo: thread.repo,
      issue_number: thread.number,
      body,
    }),
  );
}

async function addReaction(deps: AppDeps, octokit: Octokit, thread: Thread, content: "+1"): Promise<void> {
  await final(deps, thread, () =>
    octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
      owner: thread.owner,
      repo: thread.repo,
      comment_id: thread.commentId,
      content,
    }),
  );
}

/**
 * A write GitHub will refuse again on every retry (thread deleted or locked, comment gone) is
 * logged and dropped; anything else throws so the job is retried.
 */
async function final(deps: AppDeps, thread: Thread, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    const status = (error as { status?: number }).status;
    const message = error instanceof Error ? error.message : "";
    if (status === 404 || status === 410 || status === 422 || (status === 403 && /locked/i.test(message))) {
      deps.log.warn({ status, thread, err: error }, "cannot answer the command on this thread; giving up");
      return;
    }
    throw error;
  }
}
