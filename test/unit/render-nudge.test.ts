import { describe, expect, test } from "@jest/globals";
import { renderOverdueNudge, renderSilenceNudge, type OverdueNudgeInput, type SilenceNudgeInput } from "../../src/render/nudge.js";
import { readMarkers } from "../../src/render/markers.js";

const REAL_MENTION = /(?:^|[^A-Za-z0-9_])@([A-Za-z0-9][A-Za-z0-9-]*)/g;
const mentioned = (body: string) => [...body.matchAll(REAL_MENTION)].map((m) => m[1]);

const silence: SilenceNudgeInput = {
  program: "amp-2026",
  project: "cli",
  menteeId: 101,
  mentee: "NeoAndMatrix",
  silentSinceSeconds: 8 * 86400 + 3600,
  lastActivityAt: "2026-08-01T10:00:00Z",
  mentors: ["AayushSaini101", "Shurtu-gal"],
};

const overdue: OverdueNudgeInput = {
  program: "amp-2026",
  project: "cli",
  mentee: "neoandmatrix",
  repo: "AsyncAPI/CLI",
  number: 1260,
  kind: "ready_for_review",
  openedAt: "2026-08-07T07:30:00Z",
  ageSeconds: 3 * 86400 + 7200,
  slaSeconds: 48 * 3600,
  workingDaySeconds: null,
  mentors: ["AayushSaini101", "Shurtu-gal"],
};

describe("renderSilenceNudge", () => {
  test("snapshot; mentions exactly the mentors, not the mentee", () => {
    const body = renderSilenceNudge(silence);
    expect(body).toMatchSnapshot();
    expect(mentioned(body)).toEqual(["AayushSaini101", "Shurtu-gal"]);
    expect(body).toContain("**NeoAndMatrix**");
  });

  test("one marker per quiet stretch, keyed by the mentee's id (a rename is the same person)", () => {
    expect(readMarkers(renderSilenceNudge(silence))).toEqual([
      { kind: "nudge-silence", key: "amp-2026/cli/101/2026-08-01T10:00:00Z" },
    ]);
    expect(readMarkers(renderSilenceNudge({ ...silence, lastActivityAt: null }))).toEqual([
      { kind: "nudge-silence", key: "amp-2026/cli/101/never" },
    ]);
    expect(renderSilenceNudge({ ...silence, lastActivityAt: null })).toContain("No recorded activity from **NeoAndMatrix**");
  });

  test("hostile or duplicate mentor entries never add pings", () => {
    const body = renderSilenceNudge({ ...silence, mentors: ["a-b", "A-B", "@c", "d/e", "x\n@y", "bot[bot]"] });
    expect(mentioned(body)).toEqual(["a-b"]);
  });
});

describe("renderOverdueNudge", () => {
  test("snapshot; mentions exactly the mentors", () => {
    const body = renderOverdueNudge(overdue);
    expect(body).toMatchSnapshot();
    expect(mentioned(body)).toEqual(["AayushSaini101", "Shurtu-gal"]);
    expect(body).toContain("waiting 3d 2h on AsyncAPI/CLI#1260");
    expect(body).toContain("first-response target is 2d");
  });

  test("under business hours the age and the target are working time, in the program's working days", () => {
    // Mon–Fri 09–17: 50 working hours of waiting (8 calendar days), against a 48 working-hour target.
    const body = renderOverdueNudge({ ...overdue, ageSeconds: 50 * 3600, workingDaySeconds: 8 * 3600 });
    expect(body).toContain("has been waiting 6 working days 2h on AsyncAPI/CLI#1260");
    expect(body).toContain("the program's first-response target is 6 working days.");
    expect(body).not.toMatch(/\b2d\b/);
  });

  test("keyed by thread and request start", () => {
    expect(readMarkers(renderOverdueNudge(overdue))).toEqual([
      { kind: "nudge-overdue", key: "amp-2026/cli/asyncapi/cli/1260/2026-08-07T07:30:00Z" },
    ]);
  });

  test("a hostile mentee name pings nobody", () => {
    const body = renderOverdueNudge({ ...overdue, mentee: "@octocat", mentors: [] });
    expect(mentioned(body)).toEqual([]);
  });
});
