import { describe, expect, it } from "@jest/globals";
import { timelineEvents } from "../../src/github/timeline.js";
import { parseMentions } from "../../src/webhooks/mentions.js";
import { normaliseWebhook } from "../../src/webhooks/normalise.js";
import { examplePayload } from "../helpers/payloads.js";

describe("who a comment @mentions", () => {
  it("logins as GitHub notifies them: distinct, lower-cased, in order", () => {
    expect(parseMentions("@Shurtu-gal can I take this? cc @AayushSaini101 and @shurtu-GAL again")).toEqual([
      "shurtu-gal",
      "aayushsaini101",
    ]);
    expect(parseMentions("(@mentor-one), @mentor-two: thanks!")).toEqual(["mentor-one", "mentor-two"]);
  });

  it("not code, quotes, e-mail addresses, teams or trailing hyphens", () => {
    const body = [
      "> @quoted-mentor said try `npm ci`",
      "see `@in-inline-code`",
      "```",
      "@in-a-fence",
      "```",
      "mail me@example.com, ping @asyncapi/tsc or @half-",
      "but @real-one",
    ].join("\n");
    expect(parseMentions(body)).toEqual(["real-one"]);
    expect(parseMentions(null)).toEqual([]);
    expect(parseMentions("no mentions here")).toEqual([]);
  });

  it("webhook and backfill record the same mentions for the same comment", () => {
    const payload = examplePayload("issue_comment", "created") as Record<string, any>;
    payload.comment.body = "@Mentor-One is this still open?";
    const webhook = normaliseWebhook("issue_comment", payload);
    expect(webhook.ok && webhook.events[0]?.data.mentions).toEqual(["mentor-one"]);

    const author = { __typename: "User", login: "Codertocat", databaseId: 21031067 };
    const fromTimeline = timelineEvents(
      {
        __typename: "Issue",
        id: payload.issue.node_id,
        number: 1,
        title: "t",
        url: "https://github.com/o/r/issues/1",
        createdAt: "2026-06-16T09:00:00Z",
        author,
        repository: { nameWithOwner: "o/r" },
        labels: { nodes: [] },
      } as never,
      [
        {
          __typename: "IssueComment",
          id: payload.comment.node_id,
          createdAt: "2026-06-16T10:00:00Z",
          url: "u",
          author,
          body: "@Mentor-One is this still open?",
        },
      ],
    ).find((e) => e.kind === "comment_created");
    expect(fromTimeline?.data.mentions).toEqual(["mentor-one"]);
  });
});
