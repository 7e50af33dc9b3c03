import { describe, expect, it } from "@jest/globals";
import { isCommand } from "../../src/webhooks/expand.js";

describe("which comments are commands", () => {
  it("only a first line starting with /mentorship, in any case", () => {
    expect(isCommand("/mentorship report")).toBe(true);
    expect(isCommand("  /Mentorship help\nthanks")).toBe(true);
    expect(isCommand("/mentorship")).toBe(true);
    expect(isCommand("Hello\n/mentorship report")).toBe(false);
    expect(isCommand("/mentorshipx")).toBe(false);
    expect(isCommand("see /mentorship report")).toBe(false);
    expect(isCommand(undefined)).toBe(false);
  });
});
