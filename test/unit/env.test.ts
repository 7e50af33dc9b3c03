import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { EnvError, loadEnv } from "../../src/config/env.js";

const key = generateKeyPairSync("rsa", { modulusLength: 1024, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadEnv(env);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("environment", () => {
  it("with no credentials at all, asks for Probot's setup flow (credentials null) and defaults the rest", () => {
    const env = loadEnv({});
    expect(env.credentials).toBeNull();
    expect(env).toEqual(expect.objectContaining({ databaseUrl: undefined, port: 3000, logLevel: "info", dryRun: false, reportTokens: [] }));
  });

  it("accepts a key whose newlines are written as \\n, as .env files often carry it", () => {
    const env = loadEnv({ APP_ID: "12", PRIVATE_KEY: key.replace(/\n/g, "\\n"), WEBHOOK_SECRET: "s" });
    expect(env.credentials).toEqual({ appId: 12, privateKey: key.trim(), webhookSecret: "s" });
  });

  it("names every problem on its own line", () => {
    expect(problems({ APP_ID: "abc", PRIVATE_KEY: "-----BEGIN nonsense", WEBHOOK_SECRET: "s", DATABASE_URL: "mysql://x" })).toEqual([
      "APP_ID: must be the numeric App ID shown on the app's settings page",
      "DATABASE_URL: must be a postgres:// URL, e.g. postgres://user:password@host:5432/dbname (unset it to use the embedded database)",
    ]);
    expect(problems({ APP_ID: "12", PRIVATE_KEY: "-----BEGIN nonsense", WEBHOOK_SECRET: "s" })).toEqual([
      "PRIVATE_KEY: not a valid PEM private key (download it from the app's settings page)",
    ]);
    expect(problems({ APP_ID: "12" })).toEqual([
      "PRIVATE_KEY: missing (set PRIVATE_KEY or PRIVATE_KEY_PATH)",
      "WEBHOOK_SECRET: missing (the other app credentials are set)",
    ]);
    expect(problems({ PRIVATE_KEY_PATH: "/nonexistent/key.pem" })).toEqual([
      "PRIVATE_KEY_PATH: cannot read /nonexistent/key.pem (ENOENT)",
      "APP_ID: missing (the other app credentials are set)",
      "WEBHOOK_SECRET: missing (the other app credentials are set)",
    ]);
  });

  it("builds the GitHub Enterprise (or local stand-in) API URL, and reads report tokens and dry run", () => {
    const env = loadEnv({ GHE_HOST: "127.0.0.1:8080", GHE_PROTOCOL: "http", REPORT_TOKENS: "a, b,,", DRY_RUN: "true" });
    expect(env.githubBaseUrl).toBe("http://127.0.0.1:8080/api/v3");
    expect(env.reportTokens).toEqual(["a", "b"]);
    expect(env.dryRun).toBe(true);
  });

  it("reads how long a silent worker process has before others take over its jobs", () => {
    expect(loadEnv({}).workerDeadAfterSeconds).toBe(120);
    expect(loadEnv({ WORKER_DEAD_AFTER: "30s" }).workerDeadAfterSeconds).toBe(30);
    expect(problems({ WORKER_DEAD_AFTER: "soon" })).toEqual([expect.stringMatching(/^WORKER_DEAD_AFTER: "soon" is not a duration/)]);
    expect(problems({ WORKER_DEAD_AFTER: "0s" })).toEqual(["WORKER_DEAD_AFTER: must be at least 1s"]);
  });
});
