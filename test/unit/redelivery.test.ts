import { describe, expect, test } from "@jest/globals";
import {
  attemptSucceeded,
  type DeliveryAttempt,
  REDELIVERY_POLICY,
  reachesBack,
  repairPendingClaims,
  type ScanWindow,
  scanWindow,
  selectRedeliveries,
} from "../../src/domain/redelivery.js";
import { seededRandom } from "../helpers/events.js";

const MINUTE = 60_000;
const DAY = 86_400_000;
const NOW = new Date("2026-07-01T12:00:00Z");
const HANDLED = new Set(["issues", "issue_comment", "pull_request", "pull_request_review"]);

const ago = (ms: number, from: Date = NOW) => new Date(from.getTime() - ms).toISOString();

let nextId = 1000;
/** One attempt as the job reads it from GitHub's log; failed with a 500 unless told. */
function attempt(guid: string, minutesAgo: number, overrides: Partial<DeliveryAttempt> = {}): DeliveryAttempt {
  nextId += 1;
  return {
    id: nextId,
    guid,
    deliveredAt: ago(minutesAgo * MINUTE),
    redelivery: false,
    status: "Invalid HTTP Response: 500",
    statusCode: 500,
    event: "issues",
    action: "opened",
    installationId: 7001,
    ...overrides,
  };
}
const ok = { status: "OK", statusCode: 200 } as const;

/** The window of a run at NOW after a run that read up to 15 minutes earlier. */
const regularWindow = scanWindow({ now: NOW, checkedUntil: new Date(NOW.getTime() - 15 * MINUTE - REDELIVERY_POLICY.settleMs) });

function select(attempts: DeliveryAttempt[], options: { window?: ScanWindow; stored?: string[]; claimed?: string[] } = {}) {
  return selectRedeliveries({
    attempts,
    window: options.window ?? regularWindow,
    stored: new Set(options.stored ?? []),
    claimed: new Set(options.claimed ?? []),
    handledEvents: HANDLED,
  }).map((c) => c.guid);
}

describe("attemptSucceeded", () => {
  test("any 2xx, or GitHub's status OK, is a success; anything else is a failure", () => {
    expect([200, 202, 204].map((statusCode) => attemptSucceeded({ status: "OK", statusCode }))).toEqual([true, true, true]);
    expect(attemptSucceeded({ status: "OK", statusCode: 0 })).toBe(true);
    expect(
      [
        { status: "Invalid HTTP Response: 500", statusCode: 500 },
        { status: "Invalid HTTP Response: 503", statusCode: 503 },
        { status: "timed out", statusCode: 0 },
        { status: "failed to connect", statusCode: 502 },
        { status: "Invalid HTTP Response: 400", statusCode: 400 },
        { status: "Moved Permanently", statusCode: 301 },
      ].map(attemptSucceeded),
    ).toEqual([false, false, false, false, false, false]);
  });
});

describe("scanWindow", () => {
  test("the first run reads back 3 days, GitHub's limit for redelivery; the newest 2 minutes wait", () => {
    expect(scanWindow({ now: NOW, checkedUntil: null })).toEqual({ from: NOW.getTime() - 3 * DAY, until: NOW.getTime() - 2 * MINUTE });
  });

  test("later runs read back to the previous run's upper bound, with 5 minutes of overlap", () => {
    const previous = new Date(NOW.getTime() - 17 * MINUTE);
    expect(scanWindow({ now: NOW, checkedUntil: previous })).toEqual({ from: previous.getTime() - 5 * MINUTE, until: NOW.getTime() - 2 * MINUTE });
  });

  test("after a long pause, never more than 3 days", () => {
    expect(scanWindow({ now: NOW, checkedUntil: new Date(NOW.getTime() - 10 * DAY) }).from).toBe(NOW.getTime() - 3 * DAY);
  });

  test("a pending claim older than the last run extends the window back to it, unless it is past the 3-day limit", () => {
    const claim = new Date(NOW.getTime() - 40 * MINUTE);
    const tooOld = new Date(NOW.getTime() - 3 * DAY);
    const window = scanWindow({ now: NOW, checkedUntil: new Date(NOW.getTime() - 17 * MINUTE), pendingClaims: [tooOld, claim] });
    expect(window.from).toBe(claim.getTime() - 6 * MINUTE);
  });

  test("a clock behind the stored bound still gives a window that is not inverted", () => {
    const window = scanWindow({ now: NOW, checkedUntil: new Date(NOW.getTime() + DAY) });
    expect(window.from).toBeLessThanOrEqual(window.until);
  });

  test("a page reaches back far enough once its oldest attempt is at or before the window's start", () => {
    const window = { from: Date.parse("2026-07-01T11:00:00Z"), until: Date.parse("2026-07-01T11:58:00Z") };
    expect(reachesBack("2026-07-01T11:00:00Z", window)).toBe(true);
    expect(reachesBack("2026-07-01T11:00:01Z", window)).toBe(false);
  });
});

describe("selectRedeliveries", () => {
  test("only GUIDs none of whose attempts succeeded", () => {
    const log = [
      attempt("failed-once", 10),
      attempt("failed-then-redelivered", 12),
      attempt("failed-then-redelivered", 8, { ...ok, redelivery: true }),
      attempt("succeeded-then-failed-redelivery", 12, ok),
      attempt("succeeded-then-failed-redelivery", 8, { redelivery: true }),
      attempt("succeeded", 9, ok),
      attempt("timed-out", 9, { status: "timed out", statusCode: 0 }),
    ];
    expect(select(log)).toEqual(["failed-once", "timed-out"]);
  });

  test("a GUID that failed several times is requested once, through its newest attempt", () => {
    const first = attempt("twice", 14);
    const second = attempt("twice", 6, { redelivery: true, status: "failed to connect", statusCode: 502 });
    const selected = selectRedeliveries({ attempts: [second, first], window: regularWindow, stored: new Set(), claimed: new Set(), handledEvents: HANDLED });
    expect(selected).toEqual([
      expect.objectContaining({ guid: "twice", deliveryId: second.id, attempts: 2, firstAttemptAt: first.deliveredAt, event: "issues", installationId: 7001 }),
    ]);
  });

  test("only within the window: not before the last run, not older than 3 days, not in the last 2 minutes", () => {
    const firstRun = scanWindow({ now: NOW, checkedUntil: null });
    const log = [
      attempt("three-days-and-a-minute", 3 * 24 * 60 + 1),
      attempt("two-days", 2 * 24 * 60),
      attempt("ten-minutes", 10),
      attempt("one-minute", 1),
    ];
    expect(select(log, { window: firstRun })).toEqual(["two-days", "ten-minutes"]);
    // The regular window starts 22 minutes back (15 + 2 + 5 overlap).
    expect(select([...log, attempt("twenty-minutes", 20), attempt("thirty-minutes", 30)])).toEqual(["twenty-minutes", "ten-minutes"]);
  });

  test("a GUID belongs to the window of its newest attempt", () => {
    // Failed long ago, failed again (someone redelivered it by hand) a minute ago: the next run decides.
    expect(select([attempt("retried-just-now", 40), attempt("retried-just-now", 1, { redelivery: true })])).toEqual([]);
    // Failed before the last run and again inside this window: it is this run's.
    expect(select([attempt("retried-recently", 40), attempt("retried-recently", 10, { redelivery: true })])).toEqual(["retried-recently"]);
  });

  test("GUIDs the app already stored are skipped, though GitHub logged a failure (the app answered too late)", () => {
    expect(select([attempt("stored", 10, { status: "timed out", statusCode: 0 }), attempt("lost", 10)], { stored: ["stored"] })).toEqual(["lost"]);
  });

  test("only once: a GUID claimed before, whatever became of it, is never selected again", () => {
    const log = [attempt("claimed", 10), attempt("claimed", 5, { redelivery: true }), attempt("new", 10)];
    expect(select(log, { claimed: ["claimed"] })).toEqual(["new"]);
  });

  test("events the app does not handle are not redelivered", () => {
    expect(select([attempt("check", 10, { event: "check_run", action: "completed" }), attempt("ping", 10, { event: "ping", action: null })])).toEqual([]);
  });

  test("oldest first", () => {
    expect(select([attempt("b", 5), attempt("a", 12), attempt("c", 3), attempt("a2", 12)])).toEqual(["a", "a2", "b", "c"]);
  });

  test("across two instances sharing the claims: the second finds nothing the first claimed", () => {
    const log = [attempt("x", 10), attempt("y", 9), attempt("z", 8, ok)];
    const claims = new Set<string>();
    // Both read the log before either claimed; each claim is an insert on a primary key, so the loser's does nothing.
    const first = select(log);
    const second = select(log);
    const claim = (guids: string[]) => guids.filter((guid) => !claims.has(guid) && claims.add(guid));
    expect({ first: claim(first), second: claim(second) }).toEqual({ first: ["x", "y"], second: [] });
    // An instance that reads after the claims selects nothing at all.
    expect(select(log, { claimed: [...claims] })).toEqual([]);
  });

  test("simulated: runs every 15 minutes over 6 hours request every lost GUID exactly once, and nothing else", () => {
    const random = seededRandom(7);
    const start = Date.parse("2026-07-01T00:00:00Z");
    const log: DeliveryAttempt[] = [];
    const stored = new Set<string>();
    const claims = new Map<string, number>();
    const requests: string[] = [];
    let checkedUntil: Date | null = null;
    let id = 1;
    // A delivery every ~20 s; about 1 in 6 fails. A stored delivery whose answer came too late is logged as failed.
    for (let t = start, n = 0; t < start + 6 * 60 * MINUTE; t += Math.floor(random() * 40_000), n++) {
      const roll = random();
      const guid = `g${n}`;
      const event = roll < 0.02 ? "check_run" : "issues";
      if (roll < 0.14) log.push({ ...attempt(guid, 0), id: id++, deliveredAt: new Date(t).toISOString(), event });
      else if (roll < 0.16) {
        log.push({ ...attempt(guid, 0, { status: "timed out", statusCode: 0 }), id: id++, deliveredAt: new Date(t).toISOString(), event });
        stored.add(guid);
      } else {
        log.push({ ...attempt(guid, 0, ok), id: id++, deliveredAt: new Date(t).toISOString(), event });
        if (event === "issues") stored.add(guid);
      }
      // Now and then a human redelivers a failed one by hand, a few minutes later, and it fails again.
      if (roll < 0.03) log.push({ ...attempt(guid, 0, { redelivery: true }), id: id++, deliveredAt: new Date(t + 4 * MINUTE).toISOString(), event });
    }
    for (let run = start + 15 * MINUTE; run <= start + 6 * 60 * MINUTE + 30 * MINUTE; run += 15 * MINUTE) {
      const now = new Date(run);
      const window = scanWindow({ now, checkedUntil });
      // What GitHub's log shows at that moment.
      const visible = log.filter((a) => Date.parse(a.deliveredAt) <= run);
      const selected = selectRedeliveries({ attempts: visible, window, stored, claimed: new Set(claims.keys()), handledEvents: HANDLED });
      for (const candidate of selected) {
        claims.set(candidate.guid, run);
        requests.push(candidate.guid);
        // GitHub redelivers it a few seconds later; the app stores it this time.
        log.push({ ...attempt(candidate.guid, 0, { ...ok, redelivery: true }), id: id++, deliveredAt: new Date(run + 5_000).toISOString() });
        stored.add(candidate.guid);
      }
      checkedUntil = new Date(window.until);
    }
    const lost = [...new Set(log.filter((a) => !a.redelivery && a.event === "issues" && a.statusCode === 500).map((a) => a.guid))];
    expect(lost.length).toBeGreaterThan(50);
    expect(new Set(requests).size).toBe(requests.length);
    expect(requests.sort()).toEqual(lost.sort());
  });
});

describe("repairPendingClaims", () => {
  const claimedAt = new Date(NOW.getTime() - 20 * MINUTE);
  const claim = (guid: string) => ({ guid, deliveryId: 42, claimedAt });

  test("a redelivery attempt logged after the claim proves the request went out, whatever its result", () => {
    const log = [attempt("sent", 40), attempt("sent", 19, { redelivery: true })];
    expect(repairPendingClaims({ now: NOW, claims: [claim("sent")], attempts: log, stored: new Set() })).toEqual([
      { guid: "sent", action: "settle", outcome: "requested", reason: "GitHub logged the redelivery" },
    ]);
  });

  test("a GUID stored, or delivered, meanwhile needs nothing more", () => {
    const log = [attempt("delivered", 40), attempt("delivered", 30, ok)];
    expect(repairPendingClaims({ now: NOW, claims: [claim("stored"), claim("delivered")], attempts: log, stored: new Set(["stored"]) }).map((r) => r.action === "settle" && r.outcome)).toEqual([
      "unneeded",
      "unneeded",
    ]);
  });

  test("no trace of the request: send it again, through the claimed attempt id", () => {
    // A redelivery from before the claim (a human's) is no evidence of ours.
    const log = [attempt("lost", 40), attempt("lost", 30, { redelivery: true })];
    expect(repairPendingClaims({ now: NOW, claims: [claim("lost")], attempts: log, stored: new Set() })).toEqual([
      { guid: "lost", action: "resend", deliveryId: 42, claimedAt },
    ]);
  });

  test("a claim too old for GitHub's 3-day limit is given up", () => {
    const old = { guid: "old", deliveryId: 42, claimedAt: new Date(NOW.getTime() - 3 * DAY + 5 * MINUTE) };
    expect(repairPendingClaims({ now: NOW, claims: [old], attempts: [], stored: new Set() })).toEqual([
      { guid: "old", action: "settle", outcome: "rejected", reason: "interrupted, and now past GitHub's 3-day limit" },
    ]);
  });

  test("GitHub's clock a little behind ours still counts as evidence", () => {
    const log = [attempt("skewed", 40), { ...attempt("skewed", 0, { redelivery: true }), deliveredAt: ago(30_000, claimedAt) }];
    expect(repairPendingClaims({ now: NOW, claims: [claim("skewed")], attempts: log, stored: new Set() })[0]).toEqual(expect.objectContaining({ action: "settle" }));
  });
});
