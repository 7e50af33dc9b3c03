import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "@jest/globals";
import { freePort, spawnApp } from "../helpers/app-process.js";

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

function start(env: Record<string, string>) {
  const app = spawnApp(env);
  children.push(app.child);
  return app;
}

describe("npm start", () => {
  it("exits 1 with one readable line per problem, and no stack trace, when credentials are wrong", async () => {
    const app = start({ APP_ID: "abc", PRIVATE_KEY: "not a key", WEBHOOK_SECRET: "x", DATABASE_URL: "mysql://nope" });
    expect(await app.exited).toBe(1);
    const { stderr } = app.output();
    expect(stderr.trim().split("\n")).toEqual([
      "mentorship-tracker: APP_ID: must be the numeric App ID shown on the app's settings page",
      "mentorship-tracker: DATABASE_URL: must be a postgres:// URL, e.g. postgres://user:password@host:5432/dbname (unset it to use the embedded database)",
    ]);
    const malformedKey = start({ APP_ID: "1", PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\nxx\n-----END RSA PRIVATE KEY-----", WEBHOOK_SECRET: "x" });
    expect(await malformedKey.exited).toBe(1);
    expect(malformedKey.output().stderr).toBe(
      "mentorship-tracker: PRIVATE_KEY: not a valid PEM private key (download it from the app's settings page)\n",
    );
  });

  it("says so in one line when the database cannot be reached", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const key = generateKeyPairSync("rsa", { modulusLength: 1024, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
    const app = start({ APP_ID: "1", PRIVATE_KEY: key, WEBHOOK_SECRET: "x", DATABASE_URL: "postgres://postgres@127.0.0.1:1/none" });
    expect(await app.exited).toBe(1);
    expect(app.output().stderr).toBe(
      "mentorship-tracker: cannot reach the database at 127.0.0.1:1 (is PostgreSQL running? check DATABASE_URL)\n",
    );
  });

  it("with nothing configured, serves Probot's page that registers the app from app.yml", async () => {
    const port = await freePort();
    const app = start({ PORT: String(port), HOST: "127.0.0.1" });
    let page: Response | undefined;
    for (let i = 0; i < 100 && !page; i++) {
      page = await fetch(`http://127.0.0.1:${port}/probot`).catch(() => undefined);
      if (!page) await new Promise((r) => setTimeout(r, 100));
    }
    expect(page?.status).toBe(200);
    const html = await page!.text();
    expect(html).toContain("mentorship-tracker");
    // The manifest Probot posts to GitHub is our app.yml.
    expect(html).toContain("pull_request_review_comment");
    app.child.kill("SIGTERM");
  });
});
