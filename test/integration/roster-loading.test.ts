import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { loadModel } from "../../src/db/rosters.js";
import { createTestApp, mockInstallationToken, type TestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/db.js";
import { examplePayload, idForLogin } from "../helpers/payloads.js";
import { type GraphqlRequest, StandinOrg } from "../../src/demo/standin-graphql.js";
import { mountGraphql, operationOf } from "../helpers/backfill-story.js";

const INSTALLATION = 8101;
const ORG = "roster-org";

const validRoster = `
taskLabel: mentorship
admins: [Derberg]
programs:
  - id: amp-2026
    name: AsyncAPI Maintainership Program 2026
    starts: 2026-06-15
    ends: 2026-10-17
    milestones:
      - { id: midterm, title: Mid-term evaluation, due: 2026-08-22 }
    projects:
      - id: cli
        title: AsyncAPI CLI
        repos: [${ORG}/cli]
        mentors: [AayushSaini101]
        mentees: [NeoAndMatrix]
`;

const invalidRoster = validRoster.replace("mentors: [AayushSaini101]", 'mentors: [AayushSaini101, "@bob"]');

function contents(text: string) {
  return { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64"), sha: "blob" };
}

/** GitHub answers unknown logins with null data and a NOT_FOUND error next to the known ones. */
function mockLogins() {
  return nock("https://api.github.com")
    .post("/graphql")
    .reply(200, (_uri, body) => answerLogins((body as { query: string }).query));
}

function answerLogins(query: string) {
  const data: Record<string, unknown> = {};
  for (const [, alias, login] of query.matchAll(/(u\d+): user\(login: "([^"]+)"\)/g)) {
    data[alias!] = { databaseId: idForLogin(login!), login: login!.toLowerCase() === "derberg" ? "derberg" : login };
  }
  return { data };
}

function installationCreated() {
  const p = examplePayload("installation", "created") as Record<string, any>;
  p.installation.id = INSTALLATION;
  p.installation.account.login = ORG;
  p.installation.account.type = "Organization";
  return p;
}

function pushToRoster(sha: string, files: string[]) {
  const p = examplePayload("push") as Record<string, any>;
  p.installation = { id: INSTALLATION, node_id: "x" };
  p.repository.name = ".github";
  p.repository.full_name = `${ORG}/.github`;
  p.repository.default_branch = "main";
  p.ref = "refs/heads/main";
  p.after = sha;
  p.commits = [{ id: sha, added: [], removed: [], modified: files }];
  return p;
}

let database: DatabaseHandle;
let app: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await createTestApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});
afterEach(() => {
  expect(app.errors()).toEqual([]);
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe("roster loading", () => {
  it("on install, reads the org's roster, resolves every login to its numeric id, and stores it", async () => {
    mockInstallationToken(INSTALLATION);
    nock("https://api.github.com").get(`/repos/${ORG}/.github/contents/.github%2Fmentorship.yml`).reply(200, contents(validRoster));
    mockLogins();
    const searched: string[] = [];
    mountGraphql(new StandinOrg([]), [
      (request) => {
        if (operationOf(request) === "BackfillSearch") searched.push(String(request.variables?.q));
        return undefined;
      },
    ]);
    await app.receive("installation", installationCreated());
    await app.runJobs();
    // Installed mid-program: the history of the roster's people is read as soon as the roster is.
    expect(searched).toContain("org:roster-org involves:NeoAndMatrix updated:>=2026-06-15T00:00:00+00:00 sort:updated-asc");
    expect(app.logs.filter((l) => /job failed/.test(l.msg))).toEqual([]);

    const model = await loadModel(database.db, INSTALLATION);
    expect(model?.programs[0]?.projects[0]).toEqual(
      expect.objectContaining({
        repos: [`${ORG}/cli`],
        mentors: [{ id: idForLogin("AayushSaini101"), login: "AayushSaini101" }],
        mentees: [{ id: idForLogin("neoandmatrix"), login: "NeoAndMatrix" }],
      }),
    );
    expect(model?.admins).toEqual([{ id: idForLogin("derberg"), login: "derberg" }]);
    expect(model?.slaSeconds).toBe(48 * 3600);
  });

  it("a push that breaks the roster fails a check run with path and line, and the last valid roster stays", async () => {
    const sha = "b".repeat(40);
    let checkRun: Record<string, any> | undefined;
    mockInstallationToken(INSTALLATION);
    nock("https://api.github.com")
      .get(`/repos/${ORG}/.github/contents/.github%2Fmentorship.yml`)
      .query({ ref: sha })
      .reply(200, contents(invalidRoster));
    nock("https://api.github.com")
      .post(`/repos/${ORG}/.github/check-runs`, (body) => {
        checkRun = body;
        return true;
      })
      .reply(201, { id: 1 });
    await app.receive("push", pushToRoster(sha, [".github/mentorship.yml"]));
    await app.runJobs();

    expect(checkRun).toEqual(
      expect.objectContaining({
        head_sha: sha,
        conclusion: "failure",
        output: expect.objectContaining({
          text: '- programs[0].projects[0].mentors[1] (line 15): "@bob" is not a GitHub login (drop the @)',
        }),
      }),
    );
    const model = await loadModel(database.db, INSTALLATION);
    expect(model?.programs[0]?.projects[0]?.mentors.map((m) => m.login)).toEqual(["AayushSaini101"]);
    const warning = app.logs.find((l) => l.msg.startsWith("roster refused"));
    expect(warning?.errors).toEqual(['programs[0].projects[0].mentors[1] (line 15): "@bob" is not a GitHub login (drop the @)']);
  });

  it("new repositories: every search runs again, and only threads not read before are read", async () => {
    const neo = { __typename: "User", login: "NeoAndMatrix", databaseId: idForLogin("NeoAndMatrix") };
    const visibleNow = new StandinOrg([
      { __typename: "Issue", id: "I_new1", number: 1, repo: `${ORG}/cli`, title: "Now visible", createdAt: "2026-07-01T00:00:00Z", updatedAt: "2026-07-01T00:00:00Z", author: neo, labels: [], timeline: [] },
    ]);
    const searched: string[] = [];
    mountGraphql(visibleNow, [
      (request) => {
        if (operationOf(request) === "BackfillSearch") searched.push(String(request.variables?.q));
        return undefined;
      },
      // Roster loading resolves logins through the same endpoint, once per round.
      ...[1, 2].map(() => (request: GraphqlRequest) => (operationOf(request) === "" ? { status: 200, body: answerLogins(request.query) } : undefined)),
    ]);
    const reposAdded = () => {
      const p = examplePayload("installation_repositories", "added") as Record<string, any>;
      p.installation.id = INSTALLATION;
      p.installation.account.login = ORG;
      p.installation.account.type = "Organization";
      return p;
    };
    for (const round of [1, 2]) {
      mockInstallationToken(INSTALLATION);
      nock("https://api.github.com").get(`/repos/${ORG}/.github/contents/.github%2Fmentorship.yml`).reply(200, contents(validRoster));
      await app.receive("installation_repositories", reposAdded());
      await app.runJobs();
      expect(searched).toHaveLength(3 * round);
      expect(visibleNow.counts.byOperation.BackfillThreads).toBe(1);
    }
    expect(await database.db.selectFrom("events").select("dedupe_key").where("installation_id", "=", INSTALLATION).execute()).toEqual([
      { dedupe_key: "issue_opened:I_new1" },
    ]);
  });

  it("an open program's topic: the repositories carrying it are read with the roster, and the backfill searches their PRs", async () => {
    const sha = "d".repeat(40);
    const openRoster = `${validRoster}
  - id: hacktoberfest-2026
    name: Hacktoberfest 2026
    starts: 2026-10-01
    ends: 2026-10-31
    open: true
    projects:
      - { id: cli, title: CLI, repos: [${ORG}/cli], mentors: [AayushSaini101] }
      - { id: others, title: Repositories with the topic, mentors: [Derberg] }
`;
    mockInstallationToken(INSTALLATION);
    nock("https://api.github.com").get(`/repos/${ORG}/.github/contents/.github%2Fmentorship.yml`).query({ ref: sha }).reply(200, contents(openRoster));
    nock("https://api.github.com").post(`/repos/${ORG}/.github/check-runs`).reply(201, { id: 2 });
    const repository = (name: string, topics: string[]) => ({ id: name.length, name, full_name: `${ORG}/${name}`, topics });
    nock("https://api.github.com")
      .get("/installation/repositories")
      .query({ per_page: "100" })
      .reply(200, { total_count: 3, repositories: [repository("cli", []), repository("Website", ["docs", "Hacktoberfest"]), repository("spec", ["spec"])] });
    mockLogins();
    const searched: string[] = [];
    mountGraphql(new StandinOrg([]), [
      (request) => {
        if (operationOf(request) === "BackfillSearch") searched.push(String(request.variables?.q));
        return undefined;
      },
    ]);
    await app.receive("push", pushToRoster(sha, [".github/mentorship.yml"]));
    await app.runJobs();

    const event = (await loadModel(database.db, INSTALLATION))?.programs.find((p) => p.id === "hacktoberfest-2026");
    expect(event?.open).toEqual({
      rules: { window: "anywhere", topic: "hacktoberfest", acceptedLabel: "hacktoberfest-accepted", spamLabel: "spam", invalidLabel: "invalid", reviewPeriodSeconds: 7 * 86_400, goal: 4 },
      window: { from: "2026-09-30T10:00:00Z", to: "2026-11-01T12:00:00Z" },
      topicRepos: [`${ORG}/website`],
      trackingIssue: null,
    });
    expect(searched).toEqual(
      expect.arrayContaining([`${ORG}/cli`, `${ORG}/website`].map((repo) => `repo:${repo} is:pr created:2026-09-30T10:00:00+00:00..2026-11-01T12:00:00+00:00 updated:>=2026-09-30T10:00:00+00:00 sort:updated-asc`)),
    );
  });

  it("a push that does not touch the roster file loads nothing", async () => {
    await app.receive("push", pushToRoster("c".repeat(40), ["README.md"]));
    await app.runJobs();
    // nock would fail the test on any GitHub call.
  });
});
