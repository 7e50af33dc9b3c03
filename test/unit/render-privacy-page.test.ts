import { describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { privacyPageInput, renderPrivacyPage } from "../../src/render/privacy-page.js";
import { worldModel } from "../helpers/scenario.js";

const page = (organisation: string | null, retentionSeconds = 90 * 86_400, optedOut = 2) =>
  renderPrivacyPage({ organisation, payloadRetentionSeconds: retentionSeconds, optedOut });

describe("the privacy page", () => {
  test("names every table the database has, so a new table cannot go unexplained", () => {
    const schema = readFileSync(new URL("../../src/db/schema.ts", import.meta.url), "utf8");
    const database = /export interface Database \{([^}]*)\}/.exec(schema)![1]!;
    const tables = [...database.matchAll(/^\s*(\w+):/gm)].map((m) => m[1]!);
    expect(tables.length).toBeGreaterThan(15);
    const html = page("asyncapi");
    for (const table of tables) expect(html).toMatch(new RegExp(`<code>[^<]*\\b${table}\\b[^<]*</code>`));
  });

  test("says the roster's retention, how many opted out, and how to export, forget and opt out", () => {
    const html = page("asyncapi", 30 * 86_400, 1);
    expect(html).toContain("kept for <strong>30d</strong>");
    expect(html).toContain("1 person has opted out here");
    expect(page("asyncapi", 365 * 86_400, 3)).toContain("kept for <strong>365d</strong>");
    expect(page("asyncapi")).toContain("2 people have opted out here");
    expect(html).toContain("<code>mentorship privacy export &lt;your login&gt;</code>");
    expect(html).toContain("<code>mentorship privacy forget &lt;your login&gt; --yes</code>");
    expect(html).toContain("<code>privacy.optOut</code>");
  });

  test("escapes what comes from outside, and is a fragment whose tags balance", () => {
    const html = page(`<script>alert("x")</script> & co`);
    expect(html).not.toContain("<script>");
    expect(html).toContain("<strong>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</strong>");
    expect(html).not.toMatch(/<(html|body|head)\b/);
    for (const tag of ["section", "table", "ul", "li", "tr", "h2"]) {
      expect((html.match(new RegExp(`<${tag}[ >]`, "g")) ?? []).length).toBe((html.match(new RegExp(`</${tag}>`, "g")) ?? []).length);
    }
  });

  test("reads its facts from the installation's model, with the defaults before privacy settings existed", () => {
    const model = worldModel({ privacy: { optOut: [{ id: 1, login: "a" }, { id: 2, login: "b" }], payloadRetentionSeconds: 14 * 86_400 } });
    expect(privacyPageInput("asyncapi", model)).toEqual({ organisation: "asyncapi", payloadRetentionSeconds: 14 * 86_400, optedOut: 2 });
    expect(privacyPageInput(null, worldModel())).toEqual({ organisation: null, payloadRetentionSeconds: 365 * 86_400, optedOut: 0 });
    expect(renderPrivacyPage(privacyPageInput(null, null))).toContain("the organisation that installed it");
  });
});
