/**
 * Each dashboard page, gathered for one signed-in viewer: who they are decides what is read at all
 * (src/dashboard/access.ts), and every figure comes from the report functions the API uses.
 */
import { programContext, type ProgramContext } from "../reports/program-context.js";
import type { AppDeps } from "../deps.js";
import { findTrackingIssue } from "../db/comments.js";
import { findInstallation, installationsWithRoster, loadModel } from "../db/rosters.js";
import { toInstant, type Person, type ProgramModel, type ProjectModel } from "../domain/program.js";
import type { Insights } from "../domain/insights.js";
import { insightsReport } from "../reports/insights.js";
import { insightsPage } from "../render/dashboard/insights-page.js";
import { namingFor } from "../domain/privacy.js";
import { privacyPageInput, renderPrivacyPage } from "../render/privacy-page.js";
import { programLifecycle, projectLifecycle, type MenteeLifecycle } from "../reports/lifecycle-data.js";
import { programForms, visibleEvaluations } from "../reports/evaluations.js";
import { menteeActivity, minuteOf, programTasks, summariseMilestones, type TaskRow } from "../reports/progress-data.js";
import { threadUrl } from "../reports/report-assembly.js";
import { AmbiguousProgramError, responseTimeReport, type ReportFilters } from "../reports/response-times.js";
import { localDay } from "../render/dashboard/dates.js";
import { checkInForm, evaluationForm } from "../render/dashboard/forms.js";
import type { Html } from "../render/dashboard/html.js";
import type { Page } from "../render/dashboard/page.js";
import { dashboardPaths } from "../render/dashboard/paths.js";
import { menteePage, mentorPage, type CheckInRow } from "../render/dashboard/person-pages.js";
import { programPage, projectPage, type ProgramFigures } from "../render/dashboard/program-page.js";
import { phaseOf, programsPage, type ProgramListRow } from "../render/dashboard/programs-page.js";
import type { Table } from "../render/dashboard/table.js";
import { enrolledProjects, isRosterAdmin, mayRecordCheckIn, mentoredProjects, programView, projectView, visibleMentee, visibleMentor } from "./access.js";
import { latencyTrends, menteePullRequests, menteeRequests, queueCounts, tasksDone, type Scope } from "./figures.js";

type Deps = Pick<AppDeps, "db" | "now">;
export type Viewer = Person;

export type PageResult = { status: 200; page: Page } | { status: 403 | 404 | 409; message: string };

export const NOT_YOURS = "There is nothing here for you: this page does not exist, or it is not yours to see.";


/** The programs the viewer may see at all, in every installation. */
export async function programsPageFor(deps: Deps, viewer: Viewer): Promise<Page> {
  const rows: ProgramListRow[] = [];
  const now = toInstant(deps.now());
  let admin = false;
  for (const installationId of await installationsWithRoster(deps.db)) {
    const model = await loadModel(deps.db, installationId);
    if (!model) continue;
    admin ||= isRosterAdmin(model, viewer.id);
    const account = (await findInstallation(deps.db, installationId))?.account_login ?? String(installationId);
    for (const program of model.programs) {
      const view = programView(model, program, viewer.id);
      if (view === null) continue;
      const links: ProgramListRow["links"] = [];
      let figures: ProgramListRow["figures"] = null;
      if (view === "mentee") {
        links.push({ label: "your page", href: dashboardPaths.mentee(program.id, viewer.login) });
      } else {
        const projects = view === "all" ? program.projects : mentoredProjects(program, viewer.id);
        const queue = await queueCounts(deps.db, model, { installationId, program, projectIds: view === "all" ? null : projects.map((p) => p.id) }, now);
        figures = { mentees: new Set(projects.flatMap((p) => p.mentees.map((m) => m.id))).size, ...queue };
        if (mentoredProjects(program, viewer.id).length > 0) links.push({ label: "waiting for you", href: dashboardPaths.mentor(program.id, viewer.login) });
      }
      rows.push({ id: program.id, name: program.name, account, starts: program.starts, ends: program.ends, timezone: program.timezone, phase: phaseOf(program.window, now), figures, links });
    }
  }
  return programsPage(rows, admin);
}

/** The program, or the answer to give: unknown and not-yours read the same to everyone but admins. */
async function contextFor(deps: Deps, programId: string, installationId: number | null): Promise<ProgramContext | Exclude<PageResult, { status: 200 }>> {
  const context = await programContext(deps.db, programId, installationId);
  if (context instanceof AmbiguousProgramError) {
    return { status: 409, message: `Program "${programId}" exists in installations ${context.installationIds.join(", ")}: add ?installation=<id> to the address.` };
  }
  return context ?? { status: 403, message: NOT_YOURS };
}

function refused(context: ProgramContext, viewer: Viewer, what: string): Exclude<PageResult, { status: 200 }> {
  return isRosterAdmin(context.model, viewer.id) ? { status: 404, message: `No ${what} in program "${context.program.id}".` } : { status: 403, message: NOT_YOURS };
}

function allTasks(deps: Deps, context: ProgramContext, projects: readonly ProjectModel[]): Promise<TaskRow[]> {
  return programTasks(deps.db, context.installationId, context.program.id, projects.map((p) => p.id), namingFor(context.model));
}

async function figuresFor(deps: Deps, context: ProgramContext, filters: ReportFilters, projects: readonly ProjectModel[], narrowed: boolean): Promise<ProgramFigures & { taskRows: TaskRow[] }> {
  const { installationId, program } = context;
  const now = deps.now();
  const scope: Scope = { installationId, program, projectIds: narrowed ? projects.map((p) => p.id) : null };
  // Independent reads, side by side on the pool's connections: the report and the trends each scan the
  // program's requests. (The embedded database's server runs them one at a time, whole.)
  const [report, { distribution, weekly }, done, taskRows, allForms] = await Promise.all([
    responseTimeReport(deps.db, installationId, program.id, filters, now),
    latencyTrends(deps.db, scope, context.model.slaSeconds),
    tasksDone(deps.db, scope),
    allTasks(deps, context, projects),
    programForms(deps.db, program.id, now, installationId),
  ]);
  const ids = new Set(projects.map((p) => p.id));
  const forms = (allForms ?? []).filter((f) => ids.has(f.project));
  return {
    program,
    report,
    distribution,
    weekly,
    tasksDone: done,
    milestones: summariseMilestones(program, taskRows, minuteOf(now)),
    forms,
    taskRows,
  };
}

export async function programPageFor(deps: Deps, viewer: Viewer, programId: string, installationId: number | null): Promise<PageResult> {
  const context = await contextFor(deps, programId, installationId);
  if ("status" in context) return context;
  const view = programView(context.model, context.program, viewer.id);
  if (view !== "all" && view !== "mentor") return { status: 403, message: NOT_YOURS };
  const projects = view === "all" ? context.program.projects : mentoredProjects(context.program, viewer.id);
  const filters = view === "all" ? {} : { mentor: mentorLogin(context.program, viewer) };
  const figures = await figuresFor(deps, context, filters, projects, view === "mentor");
  return { status: 200, page: programPage(figures, { view, viewerLogin: viewer.login }) };
}

/** The viewer's login as the roster spells it (the report's mentor filter matches logins). */
function mentorLogin(program: ProgramModel, viewer: Viewer): string {
  return program.projects.flatMap((p) => p.mentors).find((m) => m.id === viewer.id)?.login ?? viewer.login;
}

export async function projectPageFor(deps: Deps, viewer: Viewer, programId: string, projectId: string, installationId: number | null): Promise<PageResult> {
  const context = await contextFor(deps, programId, installationId);
  if ("status" in context) return context;
  const project = context.program.projects.find((p) => p.id === projectId);
  const view = project ? projectView(context.model, project, viewer.id) : null;
  if (!project || view === null) return project ? { status: 403, message: NOT_YOURS } : refused(context, viewer, `project "${projectId}"`);
  const figures = await figuresFor(deps, context, { project: project.id }, [project], true);
  let activity: Table | null = null;
  let tasks: Table | null = null;
  if (view === "full") {
    const trackingIssue = project.trackingIssue ?? (await findTrackingIssue(deps.db, { installationId: context.installationId, programId, projectId }));
    const rows = await menteeActivity(deps.db, { installationId: context.installationId, program: context.program, project, trackingIssue, naming: namingFor(context.model) }, minuteOf(deps.now()));
    activity = activityTable(rows, context.program.timezone);
    tasks = tasksTable(figures.taskRows);
  }
  return { status: 200, page: projectPage({ ...figures, activity, tasks }, { projectId, view }) };
}

function activityTable(rows: Awaited<ReturnType<typeof menteeActivity>>, timezone: string): Table {
  return {
    id: "activity",
    caption: `Mentee activity in the project (last activity in ${timezone})`,
    columns: [
      { title: "Mentee" },
      { title: "PRs opened", numeric: true, csv: "prs_opened" },
      { title: "PRs merged", numeric: true, csv: "prs_merged" },
      { title: "Reviews", numeric: true, csv: "reviews" },
      { title: "Issues", numeric: true, csv: "issues" },
      { title: "Comments", numeric: true, csv: "comments" },
      { title: "Last activity", csv: "last_activity_at" },
    ],
    rows: rows.map((r) => [r.login, r.prsOpened, r.prsMerged, r.reviews, r.issues, r.comments, r.lastActivityAt === null ? null : { text: localDay(r.lastActivityAt, timezone), csv: r.lastActivityAt }]),
  };
}

function tasksTable(rows: readonly TaskRow[]): Table {
  return {
    id: "tasks",
    caption: "Tasks",
    empty: "No task yet.",
    columns: [{ title: "Task" }, { title: "Title" }, { title: "Mentee" }, { title: "State" }, { title: "Pull request" }],
    rows: rows.map((t) => [
      { text: `${t.repo}#${t.number}`, href: threadUrl(t.repo, "issue", t.number), csv: `${t.repo}#${t.number}` },
      t.title,
      t.mentee,
      t.state,
      t.linkedPr ? { text: `${t.linkedPr.repo}#${t.linkedPr.number}${t.linkedPr.merged ? " (merged)" : ""}`, href: threadUrl(t.linkedPr.repo, "pr", t.linkedPr.number) } : null,
    ]),
  };
}

export async function mentorPageFor(deps: Deps, viewer: Viewer, programId: string, login: string, installationId: number | null): Promise<PageResult> {
  const context = await contextFor(deps, programId, installationId);
  if ("status" in context) return context;
  const mentor = visibleMentor(context.model, context.program, login, viewer.id);
  if (!mentor) return refused(context, viewer, `mentor "${login}"`);
  const now = deps.now();
  const report = await responseTimeReport(deps.db, context.installationId, programId, { mentor: mentor.login }, now);
  const lifecycle = await programLifecycle(deps.db, context.installationId, context.program, toInstant(now), namingFor(context.model), { mentor: mentor.login });
  return { status: 200, page: mentorPage({ program: context.program, mentor: mentor.login, report, checkIns: checkInRows(lifecycle) }) };
}

function checkInRows(lifecycle: readonly MenteeLifecycle[]): CheckInRow[] {
  return lifecycle.flatMap((m) => m.checkIns.map((c) => ({ mentee: m.mentee, mentor: c.mentor, lastAt: c.lastAt, periods: c.periods, periodsKept: c.periodsKept })));
}

export async function menteePageFor(
  deps: Deps,
  viewer: Viewer,
  programId: string,
  login: string,
  installationId: number | null,
  csrf: string,
): Promise<PageResult> {
  const context = await contextFor(deps, programId, installationId);
  if ("status" in context) return context;
  const { model, program } = context;
  const found = visibleMentee(model, program, login, viewer.id);
  if (!found) return refused(context, viewer, `mentee "${login}"`);
  const { mentee, projects } = found;
  const naming = namingFor(model);
  // Rows read for display carry an opted-out mentee's label (src/domain/privacy.ts), not their login.
  const shownMentee = naming.name(mentee, "mentee").toLowerCase();
  const now = deps.now();
  const scope: Scope = { installationId: context.installationId, program, projectIds: projects.map((p) => p.id) };
  const report = await responseTimeReport(deps.db, context.installationId, programId, projects.length === 1 ? { project: projects[0]!.id } : {}, now);
  const requests = (await menteeRequests(deps.db, scope, mentee.id)).map((r) => ({ ...r, url: threadUrl(r.repo, r.threadKind, r.number) }));
  const tasks = (await allTasks(deps, context, projects))
    .filter((t) => t.mentee?.toLowerCase() === shownMentee)
    .map((t) => ({ repo: t.repo, number: t.number, title: t.title, state: t.state, url: threadUrl(t.repo, "issue", t.number), pr: t.linkedPr ? `${t.linkedPr.repo}#${t.linkedPr.number}` : null }));
  const pullRequests = (await menteePullRequests(deps.db, scope, mentee.id)).map((p) => ({ ...p, url: threadUrl(p.repo, "pr", p.number) }));
  const evaluations = await visibleEvaluations(deps, programId, viewer, context.installationId);
  const projectIds = new Set(projects.map((p) => p.id));
  const mine = "body" in evaluations ? evaluations.body.mentees.filter((m) => m.mentee.toLowerCase() === mentee.login.toLowerCase() && projectIds.has(m.project)) : [];
  const lifecycle: MenteeLifecycle[] = [];
  for (const project of projects) lifecycle.push(...(await projectLifecycle(deps.db, context.installationId, program, project, toInstant(now), naming)).filter((m) => m.mentee.toLowerCase() === shownMentee));
  return {
    status: 200,
    page: menteePage({
      program,
      mentee: mentee.login,
      projects: projects.map((p) => ({ id: p.id, title: p.title, linked: projectView(model, p, viewer.id) !== null })),
      report,
      requests,
      tasks,
      pullRequests,
      forms: mine.flatMap((m) => m.forms.map((f) => ({ project: m.project, round: f.round, side: f.side, label: f.label, due: f.due }))),
      history: mine.flatMap((m) => m.history),
      checkIns: checkInRows(lifecycle),
      forms_html: formsFor(context, viewer, mentee, projects, csrf),
    }),
  };
}

function formsFor(context: ProgramContext, viewer: Viewer, mentee: Person, projects: readonly ProjectModel[], csrf: string): Html[] {
  const { program, model } = context;
  const rounds = program.evaluations ?? [];
  const forms: Html[] = [];
  for (const project of projects) {
    const mentorHere = project.mentors.some((m) => m.id === viewer.id) || (isRosterAdmin(model, viewer.id) && mentee.id !== viewer.id);
    if (mentee.id === viewer.id) forms.push(evaluationForm({ action: dashboardPaths.evaluations(program.id, mentee.login), csrf, side: "mentee", rounds, project: project.id }));
    else if (mentorHere) forms.push(evaluationForm({ action: dashboardPaths.evaluations(program.id, mentee.login), csrf, side: "mentor", rounds, project: project.id }));
    if (mayRecordCheckIn(project, viewer.id)) forms.push(checkInForm({ action: dashboardPaths.checkIns(program.id, mentee.login), csrf }));
  }
  return forms;
}

/** The insights of every installation the viewer is a roster admin of; null when they admin none. */
export async function insightsPageFor(deps: Deps, viewer: Viewer): Promise<PageResult> {
  const sections: Array<{ account: string; insights: Insights }> = [];
  for (const installationId of await installationsWithRoster(deps.db)) {
    const model = await loadModel(deps.db, installationId);
    if (!model || !isRosterAdmin(model, viewer.id)) continue;
    const account = (await findInstallation(deps.db, installationId))?.account_login ?? String(installationId);
    sections.push({ account, insights: await insightsReport(deps.db, installationId, { programIds: null, since: null, until: null }, deps.now()) });
  }
  return sections.length === 0 ? { status: 403, message: NOT_YOURS } : { status: 200, page: insightsPage(sections) };
}

/** Whether the viewer is on any roster at all: anyone else sees only the sign-in page. */
export async function isOnAnyRoster(deps: Deps, viewer: Viewer): Promise<boolean> {
  for (const installationId of await installationsWithRoster(deps.db)) {
    const model = await loadModel(deps.db, installationId);
    if (model && (isRosterAdmin(model, viewer.id) || model.programs.some((p) => enrolledProjects(p, viewer.id).length > 0 || mentoredProjects(p, viewer.id).length > 0))) return true;
  }
  return false;
}

/**
 * The privacy page's body, readable signed out: whoever GitHub activity is tracked of may read what is
 * kept. With one installation its roster's retention and organisation; otherwise the defaults.
 */
export async function privacyPageBody(deps: Deps): Promise<string> {
  const installations = await installationsWithRoster(deps.db);
  if (installations.length !== 1) return renderPrivacyPage(privacyPageInput(null, null));
  const installationId = installations[0]!;
  const organisation = (await findInstallation(deps.db, installationId))?.account_login ?? null;
  return renderPrivacyPage(privacyPageInput(organisation, await loadModel(deps.db, installationId)));
}
