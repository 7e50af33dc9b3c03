import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Page } from "playwright-core";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { REPORT_TOKEN } from "../helpers/app.js";
import { openChromium, seriousViolations, type BrowserProfile } from "../helpers/browser.js";
import { createTestDatabase } from "../helpers/db.js";
import { seedDashboardStory, startDashboard, STORY_PEOPLE, type DashboardWorld } from "../helpers/dashboard.js";

/** The dashboard in a real browser: sign-in through the stand-in's OAuth pages, every page, the forms, axe. */
let database: DatabaseHandle;
let world: DashboardWorld;
const clock = new Date("2026-08-20T12:00:00Z");

beforeAll(async () => {
  database = await createTestDatabase();
  world = await startDashboard(database, STORY_PEOPLE, { now: () => clock });
  await seedDashboardStory(database, world.app);
}, 60_000);

afterAll(async () => {
  await world.close();
  await database.close();
});

/** A fresh browser profile signed in by clicking through: dashboard → sign-in → the stand-in's account list. */
async function signInAs(login: string): Promise<{ context: BrowserProfile; page: Page }> {
  const context = await openChromium();
  const page = await context.context.newPage();
  await page.goto(`${world.app.url}/`);
  expect(new URL(page.url()).pathname).toBe("/signin");
  await page.getByRole("link", { name: "Sign in with GitHub" }).click();
  await page.getByRole("link", { name: login, exact: true }).click();
  await page.waitForURL(`${world.app.url}/`);
  return { context, page };
}

async function apiReport(): Promise<any> {
  return (await fetch(`${world.app.url}/api/v1/programs/amp-2026/response-times`, { headers: { authorization: `Bearer ${REPORT_TOKEN}` } })).json();
}

const PAGES = ["/", "/insights", "/programs/amp-2026", "/programs/amp-2026/projects/cli", "/programs/amp-2026/mentors/mentor-two", "/programs/amp-2026/mentees/mentee-two"];

describe("the dashboard in chromium", () => {
  it("an admin signs in through GitHub's OAuth pages and every page renders, charts and all, with no serious axe violation", async () => {
    const { context, page } = await signInAs("program-admin");
    const api = await apiReport();
    for (const path of PAGES) {
      const response = await page.goto(`${world.app.url}${path}`);
      expect([path, response!.status()]).toEqual([path, 200]);
      expect([path, await seriousViolations(page)]).toEqual([path, []]);
    }
    await page.goto(`${world.app.url}/programs/amp-2026`);
    expect(await page.locator("figure svg").count()).toBe(2);
    const figure = (label: string) => page.locator(".kpis div", { has: page.locator("dt", { hasText: new RegExp(`^${label}`) }) }).locator("dd");
    expect(await figure("Waiting").textContent()).toBe(String(api.totals.waiting));
    expect(await figure("Overdue").textContent()).toBe(String(api.totals.overdue));
    expect(await figure("Requests").textContent()).toBe(String(api.totals.requests));
    expect(await figure("Median first response").textContent()).toBe("5h");
    // The histogram's table holds the answered requests the report counts.
    const counts = await page.locator("figure").first().locator("tbody td").allTextContents();
    expect(counts.map(Number).filter((n) => !Number.isNaN(n)).reduce((a, b) => a + b, 0)).toBe(api.totals.answered);
    await context.close();
  }, 90_000);

  it("a mentee cannot open another mentee's page, CSV or JSON (403), and sees their project without the other mentee", async () => {
    const { context, page } = await signInAs("mentee-one");
    for (const path of ["/programs/amp-2026/mentees/mentee-two", "/programs/amp-2026/mentees/mentee-two?csv=requests", "/programs/amp-2026/mentees/mentee-two?format=json"]) {
      const status = await page.evaluate(async (url) => (await fetch(url)).status, `${world.app.url}${path}`);
      expect([path, status]).toEqual([path, 403]);
    }
    const own = await page.goto(`${world.app.url}/programs/amp-2026/projects/cli`);
    expect(own!.status()).toBe(200);
    expect(await page.content()).not.toContain("mentee-two");
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  }, 60_000);

  it("a signed-out visitor sees no figure; a form without its CSRF token records nothing, with it the evaluation is recorded", async () => {
    const anonymous = await openChromium();
    const out = await anonymous.context.newPage();
    await out.goto(`${world.app.url}/programs/amp-2026`);
    expect(new URL(out.url()).pathname).toBe("/signin");
    expect(await out.locator(".kpis, table, svg").count()).toBe(0);
    expect(await seriousViolations(out)).toEqual([]);
    await anonymous.close();

    const { context, page } = await signInAs("mentor-one");
    await page.goto(`${world.app.url}/programs/amp-2026/mentees/mentee-one`);
    expect(await seriousViolations(page)).toEqual([]);
    const form = page.locator("form.record", { hasText: "Record an evaluation" });
    await form.locator('input[name="csrf"]').evaluate((input) => input.remove());
    await form.getByRole("button", { name: "Record" }).click();
    await page.waitForLoadState();
    expect(await page.locator("h1").textContent()).toBe("Not recorded");
    expect(await database.db.selectFrom("evaluations").select("id").execute()).toEqual([]);

    await page.goto(`${world.app.url}/programs/amp-2026/mentees/mentee-one`);
    const fresh = page.locator("form.record", { hasText: "Record an evaluation" });
    await fresh.getByLabel("pass").check();
    await fresh.getByLabel(/Private note/).fill("kept the release on time");
    await fresh.getByRole("button", { name: "Record" }).click();
    await page.waitForURL(/recorded=evaluation/);
    expect(await page.getByRole("status").textContent()).toBe("Evaluation recorded.");
    expect(await page.locator("#table-records").textContent()).toContain("kept the release on time");
    await context.close();
  }, 60_000);
});
