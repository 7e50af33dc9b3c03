import { describe, expect, test } from "@jest/globals";
import { loginsInMaintainerFile, maintainerFileKind } from "../../src/domain/maintainer-files.js";

describe("maintainer files", () => {
  test("CODEOWNERS: owners after each pattern, people only, comments ignored", () => {
    const text = [
      "# This file is read by GitHub: @not-an-owner in a comment",
      "*       @derberg @asyncapi/tsc_members",
      "/docs/  @Mayaleeeee docs-team@example.com   # @commented-out",
      "*.md    @derberg",
      "",
    ].join("\n");
    expect(loginsInMaintainerFile("codeowners", text)).toEqual(["derberg", "mayaleeeee"]);
  });

  test("MAINTAINERS.yaml, markdown and links; e-mail addresses are not logins", () => {
    const yaml = "- name: Maya\n  github: Mayaleeeee\n  availableForHire: false\n- name: Lukasz\n  github: \"derberg\"\n";
    expect(loginsInMaintainerFile("maintainers", yaml)).toEqual(["mayaleeeee", "derberg"]);
    const md = "| Name | GitHub |\n| --- | --- |\n| Ana | [@ana-dev](https://github.com/ana-dev) |\n| Bo | https://github.com/bo |\n\nWrite to team@example.com or https://github.com/asyncapi/cli/issues.\n";
    expect(loginsInMaintainerFile("maintainers", md)).toEqual(["ana-dev", "bo"]);
  });

  test("only the known paths are maintainer files", () => {
    expect(maintainerFileKind(".github/CODEOWNERS")).toBe("codeowners");
    expect(maintainerFileKind("MAINTAINERS.yaml")).toBe("maintainers");
    expect(maintainerFileKind("src/CODEOWNERS")).toBeNull();
  });
});
