/** The Programs page: every program the viewer may see, with its dates, phase and queue. */
import { html } from "./html.js";
import type { Page } from "./page.js";
import { dashboardPaths } from "./paths.js";
import type { CellInput } from "./table.js";

export type Phase = "before" | "running" | "ended";

export interface ProgramListRow {
  id: string;
  name: string;
  account: string;
  starts: string;
  ends: string;
  timezone: string;
  phase: Phase;
  /** Figures the viewer may see: null for a mentee (their own page has theirs). */
  figures: { mentees: number; waiting: number; overdue: number } | null;
  /** The viewer's own pages in this program. */
  links: Array<{ label: string; href: string }>;
}

export function phaseOf(window: { from: string; to: string }, now: string): Phase {
  const t = Date.parse(now);
  return t < Date.parse(window.from) ? "before" : t < Date.parse(window.to) ? "running" : "ended";
}

const PHASE_LABEL: Record<Phase, string> = { before: "not started", running: "running", ended: "ended" };

/** `admin`: the viewer admins a roster, and the page links to the Insights. */
export function programsPage(rows: readonly ProgramListRow[], admin: boolean): Page {
  const figure = (r: ProgramListRow, key: "mentees" | "waiting" | "overdue"): CellInput => (r.figures === null ? null : r.figures[key]);
  return {
    title: "Programs",
    crumbs: [],
    sections: [
      {
        heading: "Your programs",
        blocks: [
          {
            kind: "table",
            table: {
              id: "programs",
              caption: "Programs, with requests waiting for a mentor's first response",
              empty: "No program lists you yet.",
              columns: [
                { title: "Program" },
                { title: "Organisation", csv: "account" },
                { title: "Starts", csv: "starts" },
                { title: "Ends", csv: "ends" },
                { title: "Phase", csv: "phase" },
                { title: "Mentees", numeric: true, csv: "mentees" },
                { title: "Waiting", numeric: true, csv: "waiting" },
                { title: "Overdue", numeric: true, csv: "overdue" },
                { title: "Your pages", csv: "your_pages" },
              ],
              rows: rows.map((r) => [
                r.figures === null ? { text: r.name, csv: r.id } : { text: r.name, href: dashboardPaths.program(r.id), csv: r.id },
                r.account,
                r.starts,
                r.ends,
                { text: PHASE_LABEL[r.phase], csv: r.phase },
                figure(r, "mentees"),
                figure(r, "waiting"),
                figure(r, "overdue"),
                r.links.length === 0 ? "" : { text: r.links.map((l) => l.label).join(", "), href: r.links[0]!.href, csv: r.links.map((l) => l.href).join(" ") },
              ]),
            },
          },
          ...(admin ? [{ kind: "html" as const, content: html`<p><a href="${dashboardPaths.insights}">Insights</a>: participants per year, retention, returning mentors and mentees who became mentors.</p>` }] : []),
        ],
      },
    ],
  };
}
