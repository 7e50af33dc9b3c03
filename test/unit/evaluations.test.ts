import { describe, expect, test } from "@jest/globals";
import {
  completionOf,
  formLabel,
  menteeForms,
  type EvaluationRecord,
  type EvaluationRound,
  type MenteeTerms,
} from "../../src/domain/evaluations.js";

const ROUNDS: EvaluationRound[] = [
  { id: "midterm", title: "Midterm", opens: "2026-07-07", due: "2026-07-11", by: "both" },
  { id: "final", title: "Final", opens: "2026-08-25", due: "2026-09-01", by: "mentor" },
];
const MENTEE = 7;

function record(overrides: Partial<EvaluationRecord>): EvaluationRecord {
  return {
    roundId: "midterm",
    menteeId: MENTEE,
    side: "mentor",
    authorId: 1,
    authorLogin: "a-mentor",
    outcome: "pass",
    rating: null,
    note: null,
    extendTo: null,
    recordedAt: "2026-07-09T10:00:00Z",
    ...overrides,
  };
}

function states(now: string, records: EvaluationRecord[] = [], terms?: MenteeTerms, timezone = "UTC") {
  return menteeForms({ rounds: ROUNDS, menteeId: MENTEE, terms: terms ? [terms] : [], records, timezone, now }).map((f) => `${f.roundId}/${f.side}: ${formLabel(f)} (${f.due})`);
}

describe("form status", () => {
  test("not open, due in N days, due today, late, in the program's timezone", () => {
    expect(states("2026-07-06T23:59:59Z")).toEqual([
      "midterm/mentor: not open yet (2026-07-11)",
      "midterm/mentee: not open yet (2026-07-11)",
      "final/mentor: not open yet (2026-09-01)",
    ]);
    expect(states("2026-07-08T12:00:00Z").slice(0, 2)).toEqual(["midterm/mentor: due in 3 days (2026-07-11)", "midterm/mentee: due in 3 days (2026-07-11)"]);
    expect(states("2026-07-11T23:59:59Z")[0]).toBe("midterm/mentor: due today (2026-07-11)");
    expect(states("2026-07-12T00:00:00Z")[0]).toBe("midterm/mentor: late (2026-07-11)");
    // Still the 11th in São Paulo.
    expect(states("2026-07-12T02:00:00Z", [], undefined, "America/Sao_Paulo")[0]).toBe("midterm/mentor: due today (2026-07-11)");
  });

  test("each side is submitted by its own record; an edit keeps it submitted", () => {
    const forms = states("2026-07-20T00:00:00Z", [record({}), record({ outcome: "fail", recordedAt: "2026-07-10T00:00:00Z" })]);
    expect(forms.slice(0, 2)).toEqual(["midterm/mentor: submitted (2026-07-11)", "midterm/mentee: late (2026-07-11)"]);
    const feedback = record({ side: "mentee", outcome: null, rating: 4, authorId: MENTEE });
    expect(states("2026-07-20T00:00:00Z", [feedback]).slice(0, 2)).toEqual(["midterm/mentor: late (2026-07-11)", "midterm/mentee: submitted (2026-07-11)"]);
  });

  test("the roster's extension moves one round's due date for this mentee only", () => {
    const terms: MenteeTerms = { menteeId: MENTEE, extensions: { final: "2026-10-01" }, status: "active", statusDate: null };
    expect(states("2026-09-02T00:00:00Z", [], terms)[2]).toBe("final/mentor: due in 29 days (2026-10-01)");
    expect(states("2026-09-02T00:00:00Z", [], { ...terms, menteeId: 8 })[2]).toBe("final/mentor: late (2026-09-01)");
  });

  test("a mentor's extend keeps the form owed against the new date, and never moves it earlier", () => {
    const extend = record({ roundId: "final", outcome: "extend", extendTo: "2026-09-15", recordedAt: "2026-08-30T00:00:00Z" });
    expect(states("2026-09-05T00:00:00Z", [extend])[2]).toBe("final/mentor: due in 10 days (2026-09-15)");
    const terms: MenteeTerms = { menteeId: MENTEE, extensions: { final: "2026-10-01" }, status: "active", statusDate: null };
    expect(states("2026-09-05T00:00:00Z", [extend], terms)[2]).toBe("final/mentor: due in 26 days (2026-10-01)");
  });

  test("a withdrawn enrolment owes nothing more, but what was submitted stays submitted", () => {
    const terms: MenteeTerms = { menteeId: MENTEE, extensions: {}, status: "withdrawn", statusDate: "2026-07-20" };
    expect(states("2026-09-05T00:00:00Z", [record({})], terms)).toEqual([
      "midterm/mentor: submitted (2026-07-11)",
      "midterm/mentee: excused (2026-07-11)",
      "final/mentor: excused (2026-09-01)",
    ]);
  });
});

describe("completion", () => {
  const outcome = (records: EvaluationRecord[], terms?: MenteeTerms) => completionOf(ROUNDS, terms ? [terms] : [], records, MENTEE, "UTC");

  test("completed on the day the final round passed", () => {
    expect(outcome([record({}), record({ roundId: "final", recordedAt: "2026-08-30T09:00:00Z" })])).toEqual({ outcome: "completed", date: "2026-08-30" });
  });

  test("failed when any round's current mentor record fails; a later pass replaces an earlier fail", () => {
    expect(outcome([record({ outcome: "fail" })])).toEqual({ outcome: "failed", date: "2026-07-09" });
    expect(outcome([record({ outcome: "fail" }), record({ recordedAt: "2026-07-10T00:00:00Z" })])).toEqual({ outcome: "active", date: null });
    // The same records in the other order: the latest by time wins, not the last in the list.
    expect(outcome([record({ recordedAt: "2026-07-10T00:00:00Z" }), record({ outcome: "fail" })])).toEqual({ outcome: "active", date: null });
  });

  test("extended when the final round or the end moved for this mentee", () => {
    const terms: MenteeTerms = { menteeId: MENTEE, extensions: { ends: "2026-10-10" }, status: "active", statusDate: null };
    expect(outcome([], terms)).toEqual({ outcome: "extended", date: "2026-10-10" });
    expect(outcome([record({ roundId: "final", outcome: "extend", extendTo: "2026-09-20" })])).toEqual({ outcome: "extended", date: "2026-09-20" });
  });

  test("the roster's word wins: withdrawn with its date", () => {
    const terms: MenteeTerms = { menteeId: MENTEE, extensions: {}, status: "withdrawn", statusDate: "2026-07-20" };
    expect(outcome([record({ roundId: "final" })], terms)).toEqual({ outcome: "withdrawn", date: "2026-07-20" });
  });
});

describe("outcomes stay private", () => {
  test("a fail changes no form's public state: the later rounds read as they would after a pass", () => {
    const later = (outcome: "pass" | "fail") => states("2026-08-26T00:00:00Z", [record({ outcome })]);
    expect(later("fail")).toEqual(later("pass"));
    expect(later("fail")[2]).toBe("final/mentor: due in 6 days (2026-09-01)");
  });
});
