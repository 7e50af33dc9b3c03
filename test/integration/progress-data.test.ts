import { afterAll, beforeAll, expect, it } from "@jest/globals";
import type { DatabaseHandle } from "../../src/db/connection.js";
import { replaceThreadState } from "../../src/db/derived.js";
import { insertEvents } from "../../src/db/events.js";
import { gatherProgressData } from "../../src/reports/progress-data.js";
import { createTestDatabase } from "../helpers/db.js";
import { INSTALLATION_ID, mentee, REPO, seedWorld, worldModel } from "../helpers/scenario.js";
import { namingOf } from "../../src/domain/privacy.js";

let database: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedWorld(database.db);
});

afterAll(async () => {
  await database.close();
});

it("a refresh in the same minute as the last activity shows it (nothing else would refresh for it)", async () => {
  const at = "2026-07-01T10:00:30Z";
  await insertEvents(
    database.db,
    INSTALLATION_ID,
    [
      {
        kind: "comment_created",
        dedupeKey: "comment_created:IC_same_minute",
        occurredAt: at,
        actor: { id: mentee.id, login: mentee.login, isBot: false },
        repo: REPO,
        number: 5,
        threadKind: "pr",
        threadAuthorId: mentee.id,
        data: {},
      },
    ],
    "webhook",
    null,
  );
  const model = worldModel();
  const program = model.programs[0]!;
  const project = program.projects[0]!;
  await replaceThreadState(database.db, INSTALLATION_ID, { repo: REPO, number: 5 }, null, [
    {
      programId: program.id,
      projectId: project.id,
      menteeId: mentee.id,
      menteeLogin: mentee.login,
      repo: REPO,
      number: 5,
      threadKind: "pr",
      kind: "comment",
      openedAt: at,
      openedBy: "comment_created:IC_same_minute",
      response: null,
      firstMentorResponse: null,
    },
  ]);

  const data = await gatherProgressData(database.db, model, { installationId: INSTALLATION_ID, program, project, trackingIssue: null, naming: namingOf(null) }, new Date("2026-07-01T10:00:45Z"));
  expect(data.now).toBe("2026-07-01T10:00:00Z");
  expect(data.activity.find((a) => a.login === mentee.login)?.comments).toBe(1);
  expect(data.response.waiting).toEqual([{ mentee: mentee.login, repo: REPO, number: 5, ageSeconds: 0, overdue: false }]);
});
