/** The Insights page (admins): the insights issue's figures as charts, one section per installation. */
import type { Insights } from "../../domain/insights.js";
import { renderInsightsCharts } from "../insights-charts.js";
import { renderInsightsCsv } from "../insights-csv.js";
import type { Page } from "./page.js";
import { dashboardPaths } from "./paths.js";

export function insightsPage(installations: ReadonlyArray<{ account: string; insights: Insights }>): Page {
  return {
    title: "Insights",
    subtitle: "Participants per year, retention after a program, returning mentors and mentees who became mentors or maintainers",
    crumbs: [{ label: "Programs", href: dashboardPaths.home }],
    sections: installations.map(({ account, insights }, i) => ({
      heading: installations.length > 1 ? `Insights: ${account}` : "Insights",
      blocks: [
        {
          kind: "chart",
          chart: {
            figure: renderInsightsCharts(insights, { showLogins: true, idPrefix: `insights-${i + 1}` }),
            table: { id: installations.length > 1 ? `insights-${i + 1}` : "insights", caption: `Insights of ${account}, one figure per row`, columns: [], rows: [], csvText: renderInsightsCsv(insights) },
          },
        },
      ],
    })),
  };
}
