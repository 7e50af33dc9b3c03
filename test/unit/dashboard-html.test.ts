import { describe, expect, it } from "@jest/globals";
import { html, safeHref } from "../../src/render/dashboard/html.js";
import { renderTable, tableCsv } from "../../src/render/dashboard/table.js";

describe("dashboard HTML", () => {
  it("escapes every interpolated value, in text and in attributes; only Html made the same way passes as markup", () => {
    const title = `"><script>alert(1)</script>\u202eevil`;
    const out = html`<a title="${title}">${title}</a>${html`<b>${"<i>"}</b>`}`.value;
    expect(out).toBe(`<a title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;evil">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;evil</a><b>&lt;i&gt;</b>`);
  });

  it("links only to the dashboard's own paths, its query, or http(s) addresses", () => {
    expect(["/programs/x", "?csv=waiting", "https://github.com/a/b/pull/1", "javascript:alert(1)", "//evil.example", "data:text/html,x"].map(safeHref)).toEqual([
      "/programs/x",
      "?csv=waiting",
      "https://github.com/a/b/pull/1",
      "#",
      "#",
      "#",
    ]);
  });

  it("a table shows its first rows and says so; its CSV has every row, formula-safe", () => {
    const table = { id: "t", caption: "Things", columns: [{ title: "Name" }, { title: "Seconds", numeric: true }], rows: [["=cmd()", { text: "1h", csv: 3600 }], ["b", 2], ["c", null]], shown: 2 };
    const page = renderTable(table, "?csv=t").value;
    expect(page).toContain("Showing the first 2 of 3 rows");
    expect(page).not.toContain(">c<");
    expect(tableCsv(table)).toBe("Name,Seconds\r\n'=cmd(),3600\r\nb,2\r\nc,\r\n");
  });
});
