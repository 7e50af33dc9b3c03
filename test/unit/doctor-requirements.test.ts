import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";
import { REQUIRED_EVENTS, REQUIRED_PERMISSIONS } from "../../src/doctor/requirements.js";
import { HANDLED_EVENTS } from "../../src/webhooks/receive.js";

describe("what mentorship doctor requires", () => {
  it("is what app.yml registers, and every required event is one the app handles", () => {
    const manifest = parse(readFileSync("app.yml", "utf8")) as { default_events: string[]; default_permissions: Record<string, string> };
    expect([...REQUIRED_EVENTS].sort()).toEqual([...manifest.default_events].sort());
    expect(REQUIRED_PERMISSIONS).toEqual(manifest.default_permissions);
    for (const event of REQUIRED_EVENTS) expect(HANDLED_EVENTS).toContain(event);
  });
});
