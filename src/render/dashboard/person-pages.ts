/** The Mentor page ("what is waiting for me") and the Mentee page (their work, their answers, their rounds). */
import type { ProgramModel } from "../../domain/program.js";
import type { ResponseTimeReport } from "../../domain/types.js";
import { formatOptionalDuration, REQUEST_KIND_LABEL } from "../format.js";
import { localDateTime } from "./dates.js";
import type { Html } from "./html.js";
import type { Block, Page, Section } from "./page.js";
import { dashboardPaths } from "./paths.js";
import { reportKpis, statsTable, waitingTable } from "./report-blocks.js";
import { subtitle } from "./program-page.js";
import type { Table } from "./table.js";

export interface CheckInRow {
  mentee: string;
  mentor: string;
  lastAt: string | null;
  periods: number | null;
  periodsKept: number | null;
}

export function checkInsTable(rows: readonly CheckInRow[], timezone: string): Table {
  return {
    id: "check-ins",
    caption: `Check-ins (times in ${timezone})`,
    empty: "No check-ins to show.",
    columns: [{ title: "Mentee" }, { title: "Mentor" }, { title: "Last check-in", csv: "last_at" }, { title: "Periods kept", csv: "periods_kept" }, { title: "Periods", csv: "periods" }],
    rows: rows.map((r) => [r.mentee, r.mentor, r.lastAt === null ? "never" : { text: localDateTime(r.lastAt, timezone), csv: r.lastAt }, r.periodsKept, r.periods]),
  };
}

export function mentorPage(input: { program: ProgramModel; mentor: string; report: ResponseTimeReport; checkIns: CheckInRow[] }): Page {
  const { program, report } = input;
  const sections: Section[] = [
    {
      heading: "Waiting for you",
      blocks: [{ kind: "table", table: waitingTable(report, report.waiting, program.timezone, { showMentee: true, caption: `Requests of your mentees waiting for a first response, oldest first (times in ${program.timezone})` }) }],
    },
    {
      heading: "Your response times",
      blocks: [
        reportKpis(report),
        {
          kind: "table",
          table: statsTable(report, {
            id: "you",
            caption: "Your projects' requests, to the first response by one of their mentors",
            first: "Mentor",
            rows: report.byMentor,
            name: (m) => m.login,
            extra: [{ column: { title: "Answered first", numeric: true, csv: "answered_first" }, cell: (m) => m.answeredFirst }],
          }),
        },
        {
          kind: "table",
          table: statsTable(report, { id: "projects", caption: "By project", first: "Project", rows: report.byProject, name: (p) => ({ text: p.title, href: dashboardPaths.project(program.id, p.id), csv: p.id }) }),
        },
        {
          kind: "table",
          table: statsTable(report, { id: "mentees", caption: "By mentee", first: "Mentee", rows: report.byMentee, name: (m) => ({ text: m.login, href: dashboardPaths.mentee(program.id, m.login), csv: m.login }) }),
        },
      ],
    },
    { heading: "Check-ins", blocks: [{ kind: "table", table: checkInsTable(input.checkIns, program.timezone) }] },
  ];
  return {
    title: `Mentor: ${input.mentor}`,
    subtitle: subtitle(program, null),
    crumbs: [
      { label: "Programs", href: dashboardPaths.home },
      { label: program.name, href: dashboardPaths.program(program.id) },
    ],
    sections,
  };
}

export interface MenteePageInput {
  program: ProgramModel;
  mentee: string;
  projects: Array<{ id: string; title: string; linked: boolean }>;
  report: ResponseTimeReport;
  requests: Array<{ repo: string; number: number; threadKind: "issue" | "pr"; kind: string; openedAt: string; respondedAt: string | null; responder: string | null; latencySeconds: number | null; closedUnansweredAt: string | null; url: string }>;
  tasks: Array<{ repo: string; number: number; title: string; state: string; url: string; pr: string | null }>;
  pullRequests: Array<{ repo: string; number: number; openedAt: string; merged: boolean; url: string }>;
  forms: Array<{ project: string; round: string; side: "mentor" | "mentee"; label: string; due: string }>;
  /** Only what the viewer may read (src/reports/evaluations.ts `visibleEvaluations`). */
  history: Array<{ round: string; side: "mentor" | "mentee"; by: string; at: string; outcome?: string | null | undefined; extendTo?: string | null | undefined; rating?: number | null | undefined; note?: string | null | undefined }>;
  checkIns: CheckInRow[];
  forms_html: Html[];
}

export function menteePage(input: MenteePageInput): Page {
  const { program, report } = input;
  const tz = program.timezone;
  const day = report.workingDaySeconds;
  const own = report.byMentee.filter((m) => m.login.toLowerCase() === input.mentee.toLowerCase());
  const rounds = new Map((program.evaluations ?? []).map((r) => [r.id, r.title]));
  const blocks: Block[] = input.forms_html.map((content) => ({ kind: "html", content }));
  const sections: Section[] = [
    {
      heading: "Projects",
      blocks: [
        {
          kind: "table",
          table: {
            id: "projects",
            caption: "Enrolled in",
            columns: [{ title: "Project" }],
            rows: input.projects.map((p) => [p.linked ? { text: p.title, href: dashboardPaths.project(program.id, p.id), csv: p.id } : { text: p.title, csv: p.id }]),
          },
        },
      ],
    },
    {
      heading: "Tasks and pull requests",
      blocks: [
        {
          kind: "table",
          table: { id: "tasks", caption: "Tasks", empty: "No task yet.", columns: [{ title: "Task" }, { title: "Title" }, { title: "State" }, { title: "Pull request" }], rows: input.tasks.map((t) => [{ text: `${t.repo}#${t.number}`, href: t.url, csv: t.url }, t.title, t.state, t.pr]) },
        },
        {
          kind: "table",
          table: {
            id: "pull-requests",
            caption: `Pull requests opened during the program (times in ${tz})`,
            empty: "No pull request yet.",
            columns: [{ title: "Pull request" }, { title: "Opened", csv: "opened_at" }, { title: "Merged" }],
            rows: input.pullRequests.map((p) => [{ text: `${p.repo}#${p.number}`, href: p.url, csv: p.url }, { text: localDateTime(p.openedAt, tz), csv: p.openedAt }, p.merged ? "yes" : "no"]),
          },
        },
      ],
    },
    {
      heading: "Response times",
      blocks: [
        { kind: "table", table: statsTable(report, { id: "summary", caption: "First responses to this mentee's requests", first: "Mentee", rows: own, name: (m) => m.login }) },
        {
          kind: "table",
          table: {
            id: "requests",
            caption: `Requests, newest first (times in ${tz}${day === null ? "" : "; durations in working time"})`,
            empty: "No request yet.",
            columns: [
              { title: "Thread" },
              { title: "Kind" },
              { title: "Opened", csv: "opened_at" },
              { title: "First response", csv: "responded_at" },
              { title: "By" },
              { title: "Time to answer", csv: day === null ? "latency_seconds" : "latency_working_seconds", numeric: true },
            ],
            rows: input.requests.map((r) => [
              { text: `${r.repo}#${r.number}`, href: r.url, csv: r.url },
              REQUEST_KIND_LABEL[r.kind as keyof typeof REQUEST_KIND_LABEL] ?? r.kind,
              { text: localDateTime(r.openedAt, tz), csv: r.openedAt },
              r.respondedAt ? { text: localDateTime(r.respondedAt, tz), csv: r.respondedAt } : r.closedUnansweredAt ? "closed unanswered" : "waiting",
              r.responder,
              { text: formatOptionalDuration(r.latencySeconds, day), csv: r.latencySeconds },
            ]),
          },
        },
      ],
    },
    {
      heading: "Evaluations",
      blocks: [
        {
          kind: "table",
          table: {
            id: "rounds",
            caption: "Evaluation forms",
            empty: "The program has no evaluation rounds.",
            columns: [{ title: "Round" }, { title: "Form" }, { title: "Due", csv: "due" }, { title: "State", csv: "state" }],
            rows: input.forms.map((f) => [rounds.get(f.round) ?? f.round, `${f.side} form`, f.due, f.label]),
          },
        },
        ...(input.history.length > 0
          ? [
              {
                kind: "table" as const,
                table: {
                  id: "records",
                  caption: `What was recorded (private; times in ${tz})`,
                  columns: [{ title: "Round" }, { title: "Form" }, { title: "By" }, { title: "At", csv: "at" }, { title: "Outcome or rating", csv: "outcome_or_rating" }, { title: "Note" }],
                  rows: input.history.map((h) => [
                    rounds.get(h.round) ?? h.round,
                    `${h.side} form`,
                    h.by,
                    { text: localDateTime(h.at, tz), csv: h.at },
                    h.side === "mentor" ? `${h.outcome ?? ""}${h.extendTo ? ` to ${h.extendTo}` : ""}` : h.rating === null || h.rating === undefined ? null : `${h.rating} of 5`,
                    h.note ?? "",
                  ]),
                },
              },
            ]
          : []),
        ...blocks,
      ],
    },
    { heading: "Check-ins", blocks: [{ kind: "table", table: checkInsTable(input.checkIns, tz) }] },
  ];
  return {
    title: `Mentee: ${input.mentee}`,
    subtitle: subtitle(program, null),
    crumbs: [{ label: "Programs", href: dashboardPaths.home }],
    sections,
  };
}

