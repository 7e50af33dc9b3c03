import { describe, expect, it } from "@jest/globals";
import { transferredTo, withTransferredHistory } from "../../src/domain/transfers.js";
import { MENTEE, MENTOR, story } from "../helpers/events.js";

describe("a transferred issue keeps its history", () => {
  const old = story({ threadKind: "issue", number: 14, author: MENTOR })
    .issueOpened("2026-06-26 09:00")
    .comment("2026-06-26 10:00", MENTEE)
    .add("issue_transferred", "2026-06-27 09:00", MENTOR, { transferredTo: { repo: "asyncapi/generator", number: 20 } });
  const moved = story({ repo: "asyncapi/generator", threadKind: "issue", number: 20, author: MENTOR }).comment("2026-06-27 10:00", MENTOR);

  it("the old thread says where it went; the new one has no such event", () => {
    expect(transferredTo(old.events)).toEqual({ repo: "asyncapi/generator", number: 20 });
    expect(transferredTo(moved.events)).toBeNull();
  });

  it("the new thread's log is its own plus the old one's, re-addressed, without the move itself", () => {
    const log = withTransferredHistory(moved.events, old.events, { repo: "asyncapi/generator", number: 20 });
    expect(log.map((e) => [e.kind, e.repo, e.number])).toEqual([
      ["issue_opened", "asyncapi/generator", 20],
      ["comment_created", "asyncapi/generator", 20],
      ["comment_created", "asyncapi/generator", 20],
    ]);
  });
});
