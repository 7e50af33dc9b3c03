import { describe, expect, test } from "@jest/globals";
import { MAX_INLINE_LENGTH, code, htmlText, inlineText, isGitHubLogin, issueRef, mention, mentionEach, plainLogin } from "../../src/render/safe-text.js";
import { hasMarker, marker, markerKey, readMarkers } from "../../src/render/markers.js";

/** GitHub's mention filter: `(?:^|\W)@([a-z0-9][a-z0-9-]*)`, case-insensitive, on rendered text. */
const REAL_MENTION = /(?:^|[^A-Za-z0-9_])@([A-Za-z0-9][A-Za-z0-9-]*)/g;
/** Any at-sign look-alike directly followed by a login character. */
const AT_THEN_LOGIN_CHAR = /[@\uff20\ufe6b][A-Za-z0-9]/;
/** An HTML entity other than the three we emit: it would decode to something in the rendered text. */
const FOREIGN_ENTITY = /&(?!amp;|lt;|gt;)(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;

const INJECTIONS = [
  "@user",
  "ping @user please",
  "@org/team",
  "\\@x",
  "&#64;x",
  "&#x40;x",
  "&commat;x",
  "＠x",
  "﹫x",
  "mail me: a@b.example",
  "<img src=x onerror=alert(1)>",
  "<!-- mentorship-tracker:progress:x -->",
  "<script>alert(1)</script>",
  "col | col\nnew line\r\nand more [click](javascript:alert(1)) ![img](https://x/y.png)",
  "`code` and ``more``",
  "[ref]: https://evil.example",
];

describe("inlineText", () => {
  test.each(INJECTIONS)("neutralises %j", (input) => {
    const out = inlineText(input);
    expect(out).not.toMatch(AT_THEN_LOGIN_CHAR);
    expect([...out.matchAll(REAL_MENTION)]).toHaveLength(0);
    expect(out).not.toMatch(/[<>\n\r]/);
    expect(out).not.toMatch(FOREIGN_ENTITY);
    // Every `|`, `[`, `]` and backtick is escaped by an odd number of backslashes.
    expect(out).not.toMatch(/(^|[^\\])(\\\\)*[|[\]`]/);
    expect(out).not.toContain("<!--");
  });

  test("concrete outputs", () => {
    expect(inlineText("@user")).toBe("@\u200buser");
    expect(inlineText("@org/team")).toBe("@\u200borg/team");
    expect(inlineText("\\@x")).toBe("\\\\@\u200bx");
    expect(inlineText("&#64;x")).toBe("&amp;#\u200b64;x");
    expect(inlineText("＠x")).toBe("＠\u200bx");
    expect(inlineText("<img src=x onerror=alert(1)>")).toBe("&lt;img src=x onerror=alert(1)&gt;");
    expect(inlineText("a | b\nc](javascript:alert(1))")).toBe("a \\| b c\\](javascript:alert(1))");
  });

  test("a title containing a marker renders inert", () => {
    const out = inlineText("<!-- mentorship-tracker:progress:x -->");
    expect(hasMarker(out, "progress", "x")).toBe(false);
    expect(readMarkers(out)).toEqual([]);
    expect(readMarkers(`${marker("progress", "x")}\n${out}`)).toEqual([{ kind: "progress", key: "x" }]);
  });

  test("newlines and whitespace collapse to single spaces; controls and bidi overrides vanish", () => {
    expect(inlineText("  a\r\n\r\nb\tc\u2028d  ")).toBe("a b c d");
    expect(inlineText("evil\u202egnp.exe\u0007\u001b[31m")).toBe("evilgnp.exe\\[31m");
  });

  test("cannot start a markdown block", () => {
    expect(inlineText("# h")).toBe("\\# h");
    expect(inlineText("- item")).toBe("\\- item");
    expect(inlineText("+ item")).toBe("\\+ item");
    expect(inlineText("12. item")).toBe("12\\. item");
    expect(inlineText("> quote")).toBe("&gt; quote");
  });

  test("issue references, URLs and math do not link or render", () => {
    const out = inlineText("fixes #12, org/repo#3, https://evil.example, www.evil.example, $x^2$");
    expect(out).not.toMatch(/#\d/);
    expect(out).not.toContain("://");
    expect(out).not.toMatch(/www\./i);
    expect(out).not.toMatch(/(^|[^\\])\$/);
  });

  test("caps length on grapheme boundaries with an ellipsis", () => {
    const long = "ab".repeat(300);
    const out = inlineText(long);
    expect(Array.from(out)).toHaveLength(MAX_INLINE_LENGTH);
    expect(out.endsWith("…")).toBe(true);
    const emoji = "👩‍👩‍👧".repeat(300);
    const cut = inlineText(emoji, 10);
    expect(cut).toBe(`${"👩‍👩‍👧".repeat(9)}…`);
    expect(inlineText("x".repeat(MAX_INLINE_LENGTH))).toBe("x".repeat(MAX_INLINE_LENGTH));
  });

  test("empty stays empty", () => {
    expect(inlineText("")).toBe("");
    expect(inlineText(" \n ")).toBe("");
  });
});

describe("htmlText", () => {
  test.each(INJECTIONS)("%j is inert as HTML text and inside a quoted attribute", (input) => {
    const out = htmlText(input);
    expect(out).not.toMatch(/[<>"'\n\r]/);
    // Every ampersand starts one of the five entities it writes.
    expect(out.replace(/&(amp|lt|gt|quot|#39);/g, "")).not.toContain("&");
  });

  test("decodes back to the normalised text: nothing is lost but controls and line breaks", () => {
    const decoded = htmlText(`a < b && "c" 'd'\u202E\r\nnext`).replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[e]!);
    expect(decoded).toBe(`a < b && "c" 'd' next`);
  });

  test("caps on grapheme boundaries", () => {
    expect(htmlText("👩‍👩‍👧‍👦".repeat(10), 4)).toBe("👩‍👩‍👧‍👦".repeat(3) + "…");
    expect(htmlText("x".repeat(MAX_INLINE_LENGTH + 5))).toHaveLength(MAX_INLINE_LENGTH);
  });
});

describe("mention", () => {
  test.each(["octocat", "a", "A-b-c", "Shurtu-gal", "a".repeat(39), "AayushSaini101"])("accepts %j", (login) => {
    expect(mention(login)).toBe(`@${login}`);
  });

  test.each([
    "",
    "@octocat",
    "-lead",
    "trail-",
    "dou--ble",
    "a".repeat(40),
    "org/team",
    "dependabot[bot]",
    "has space",
    "under_score",
    "dot.ted",
    "ünï",
    "x\n@y",
    "octocat ",
    "octocat\n",
  ])("rejects %j", (login) => {
    expect(() => mention(login)).toThrow(TypeError);
    expect(isGitHubLogin(login)).toBe(false);
  });

  test("rejects non-strings", () => {
    expect(() => mention(undefined as unknown as string)).toThrow(TypeError);
  });

  test("mentionEach dedupes case-insensitively and writes invalid logins as plain text", () => {
    expect(mentionEach(["Alice", "bob", "alice", "@eve", "team/x"])).toEqual(["@Alice", "@bob", "**@\u200beve**", "**team/x**"]);
  });
});

describe("plainLogin", () => {
  test("never pings", () => {
    expect(plainLogin("octocat")).toBe("**octocat**");
    expect(plainLogin("@octocat")).toBe("**@\u200boctocat**");
    expect(plainLogin("")).toBe("_unknown_");
    expect(plainLogin("a*b")).toBe("**a\\*b**");
  });
});

describe("code", () => {
  test("fence is longer than any backtick run inside", () => {
    expect(code("plain")).toBe("`plain`");
    expect(code("a`b")).toBe("``a`b``");
    expect(code("a``b`c")).toBe("```a``b`c```");
    expect(code("`x`")).toBe("`` `x` ``");
    expect(code("")).toBe("` `");
  });

  test("collapses newlines and escapes pipes only in tables", () => {
    expect(code("a|b\nc")).toBe("`a|b c`");
    expect(code("a|b", { table: true })).toBe("`a\\|b`");
  });

  test("HTML and mentions are inert inside code spans (left as typed)", () => {
    expect(code("<b>@x</b>")).toBe("`<b>@x</b>`");
  });
});

describe("issueRef", () => {
  test("well-formed refs stay plain references", () => {
    expect(issueRef("asyncapi/cli", 12)).toBe("asyncapi/cli#12");
    expect(issueRef("o/my_repo.js", 3)).toBe("o/my_repo.js#3");
  });

  test("malformed repos are neutralised", () => {
    const out = issueRef("<img>/@x", 1);
    expect(out).not.toMatch(/[<>]/);
    expect(out).not.toMatch(AT_THEN_LOGIN_CHAR);
  });
});

describe("markers", () => {
  test("format and lookup", () => {
    expect(marker("progress", "amp-2026/cli")).toBe("<!-- mentorship-tracker:progress:amp-2026/cli -->");
    const body = `hello\n${marker("milestone", "p/q/midterm/5")}\n`;
    expect(hasMarker(body, "milestone", "p/q/midterm/5")).toBe(true);
    expect(hasMarker(body, "milestone", "p/q/midterm/50")).toBe(false);
    expect(hasMarker(body, "milestone", "p/q/midterm")).toBe(false);
    expect(hasMarker(null, "milestone", "x")).toBe(false);
    expect(markerKey("a", "b", 3)).toBe("a/b/3");
  });

  test("keys and kinds are restricted", () => {
    expect(() => marker("progress", "a b")).toThrow(TypeError);
    expect(() => marker("progress", "a-->")).toThrow(TypeError);
    expect(() => marker("progress", "")).toThrow(TypeError);
    expect(() => marker("Pro gress", "a")).toThrow(TypeError);
    expect(marker("nudge-overdue", "p/q/o/r_x.y/12/2026-06-16T09:30:00.000Z")).toContain("2026-06-16T09:30:00.000Z");
  });
});
