/** The Program page (and the Project page, which is the same view narrowed to one project). */
import type { EvaluationRound } from "../../domain/evaluations.js";
import type { LatencyDistribution, TasksDoneByWeek, WeekLatency } from "../../domain/trends.js";
import type { ProgramModel } from "../../domain/program.js";
import type { ResponseTimeReport } from "../../domain/types.js";
import type { Block, Page, Section } from "./page.js";
import { dashboardPaths } from "./paths.js";
import { distributionChart, reportKpis, statsTable, tasksDoneChart, waitingTable, weeklyChart } from "./report-blocks.js";
import type { Table } from "./table.js";

export interface MilestoneRow {
  title: string;
  due: string;
  tasksDone: number;
  tasksTotal: number;
  status: string;
}

export interface FormCount {
  round: string;
  side: "mentor" | "mentee";
  state: string;
}

export interface ProgramFigures {
  program: ProgramModel;
  report: ResponseTimeReport;
  distribution: LatencyDistribution;
  weekly: WeekLatency[];
  tasksDone: TasksDoneByWeek;
  milestones: MilestoneRow[];
  forms: FormCount[];
}

export function milestonesTable(rows: readonly MilestoneRow[]): Table {
  return {
    id: "milestones",
    caption: "Milestones (dropped tasks do not count)",
    empty: "The program has no milestones.",
    columns: [{ title: "Milestone" }, { title: "Due", csv: "due" }, { title: "Tasks done", numeric: true, csv: "tasks_done" }, { title: "Tasks", numeric: true, csv: "tasks" }, { title: "Status", csv: "status" }],
    rows: rows.map((m) => [m.title, m.due, m.tasksDone, m.tasksTotal, m.status]),
  };
}

/** How many forms of each round are submitted, open, late…: public states only, never what they say. */
export function roundsTable(rounds: readonly EvaluationRound[], forms: readonly FormCount[]): Table {
  const states = ["submitted", "open", "late", "not open", "excused"];
  const rows = rounds.flatMap((r) =>
    (["mentor", "mentee"] as const)
      .filter((side) => forms.some((f) => f.round === r.id && f.side === side))
      .map((side) => {
        const mine = forms.filter((f) => f.round === r.id && f.side === side);
        return [`${r.title} (${side} forms)`, r.opens, r.due, ...states.map((s) => mine.filter((f) => f.state === s).length)];
      }),
  );
  return {
    id: "rounds",
    caption: "Evaluation rounds: forms by state",
    empty: "The program has no evaluation rounds.",
    columns: [
      { title: "Round" },
      { title: "Opens", csv: "opens" },
      { title: "Due", csv: "due" },
      ...states.map((s) => ({ title: s[0]!.toUpperCase() + s.slice(1), numeric: true, csv: s.replace(/ /g, "_") })),
    ],
    rows,
  };
}

function responseSection(f: ProgramFigures): Section {
  const { clock, workingDaySeconds, slaSeconds } = f.report;
  return {
    heading: "Response times",
    blocks: [
      reportKpis(f.report),
      { kind: "chart", chart: distributionChart(f.distribution, clock) },
      { kind: "chart", chart: weeklyChart(f.weekly, slaSeconds, clock, workingDaySeconds) },
    ],
  };
}

export function programPage(f: ProgramFigures, options: { view: "all" | "mentor"; viewerLogin: string }): Page {
  const { program, report } = f;
  const mentorLink = (login: string) => options.view === "all" || login.toLowerCase() === options.viewerLogin.toLowerCase();
  const sections: Section[] = [
    responseSection(f),
    { heading: "Waiting for a first response", blocks: [{ kind: "table", table: waitingTable(report, report.waiting, program.timezone, { showMentee: true }) }] },
    {
      heading: "Projects",
      blocks: [
        {
          kind: "table",
          table: statsTable(report, { id: "projects", caption: "Response times by project", first: "Project", rows: report.byProject, name: (p) => ({ text: p.title, href: dashboardPaths.project(program.id, p.id), csv: p.id }) }),
        },
        {
          kind: "table",
          table: statsTable(report, {
            id: "mentors",
            caption: "Response times by mentor (to the first response by one of the project's mentors)",
            first: "Mentor",
            rows: report.byMentor,
            name: (m) => (mentorLink(m.login) ? { text: m.login, href: dashboardPaths.mentor(program.id, m.login), csv: m.login } : m.login),
            extra: [{ column: { title: "Answered first", numeric: true, csv: "answered_first" }, cell: (m) => m.answeredFirst }],
          }),
        },
        {
          kind: "table",
          table: statsTable(report, { id: "mentees", caption: "Response times by mentee", first: "Mentee", rows: report.byMentee, name: (m) => ({ text: m.login, href: dashboardPaths.mentee(program.id, m.login), csv: m.login }) }),
        },
      ],
    },
    milestonesSection(f),
    { heading: "Tasks done over time", blocks: [{ kind: "chart", chart: tasksDoneChart(f.tasksDone) }] },
  ];
  return {
    title: program.name,
    subtitle: subtitle(program, options.view === "mentor" ? "the projects you mentor" : null),
    crumbs: [{ label: "Programs", href: dashboardPaths.home }],
    sections,
  };
}

function milestonesSection(f: ProgramFigures): Section {
  const blocks: Block[] = [{ kind: "table", table: milestonesTable(f.milestones) }];
  if ((f.program.evaluations ?? []).length > 0) blocks.push({ kind: "table", table: roundsTable(f.program.evaluations ?? [], f.forms) });
  return { heading: "Milestones and evaluation rounds", blocks };
}

export function subtitle(program: ProgramModel, narrowed: string | null): string {
  return `${program.starts} to ${program.ends} · times in ${program.timezone}${program.businessHours ? " · business hours" : ""}${narrowed ? ` · ${narrowed}` : ""}`;
}

/**
 * A project: the program view narrowed to it. `aggregate` is what its mentees see: the project's
 * figures, with no other mentee named (no waiting list, no per-person rows).
 */
export function projectPage(
  f: ProgramFigures & { tasks: Table | null; activity: Table | null },
  options: { projectId: string; view: "full" | "aggregate" },
): Page {
  const project = f.program.projects.find((p) => p.id === options.projectId)!;
  const full = options.view === "full";
  const sections: Section[] = [responseSection(f)];
  if (full) sections.push({ heading: "Waiting for a first response", blocks: [{ kind: "table", table: waitingTable(f.report, f.report.waiting, f.program.timezone, { showMentee: true }) }] });
  if (full && f.activity) sections.push({ heading: "Mentees", blocks: [{ kind: "table", table: f.activity }] });
  sections.push(milestonesSection(f));
  if (full && f.tasks) sections.push({ heading: "Tasks", blocks: [{ kind: "table", table: f.tasks }] });
  sections.push({ heading: "Tasks done over time", blocks: [{ kind: "chart", chart: tasksDoneChart(f.tasksDone) }] });
  return {
    title: project.title,
    subtitle: `${subtitle(f.program, null)} · mentors ${project.mentors.map((m) => m.login).join(", ") || "none"}`,
    crumbs: [
      { label: "Programs", href: dashboardPaths.home },
      ...(full ? [{ label: f.program.name, href: dashboardPaths.program(f.program.id) }] : []),
    ],
    sections,
  };
}
