import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { loadDotEnv, setEnvVars } from "../../src/config/dotenv.js";
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

/** .env.example as a newcomer copies it: every variable present, the credentials empty. */
function copiedExample(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  loadDotEnvText(readFileSync(".env.example", "utf8"), env);
  return env;
}

function loadDotEnvText(text: string, env: NodeJS.ProcessEnv): void {
  const dir = mkdtempSync(join(tmpdir(), "env-test-"));
  writeFileSync(join(dir, ".env"), text);
  loadDotEnv(dir, env);
}

describe("environment", () => {
  it("with no credentials at all, asks for Probot's setup flow (credentials null) and defaults the rest", () => {
    const env = loadEnv({});
    expect(env.credentials).toBeNull();
    expect(env).toEqual(expect.objectContaining({ databaseUrl: undefined, port: 3000, logLevel: "info", dryRun: false, reportTokens: [] }));
  });

  it("reads a copied .env.example as 'not registered yet', not as errors: empty values are unset", () => {
    const env = copiedExample();
    expect(env.APP_ID).toBeUndefined();
    expect(env.DATA_DIR).toBe(".data");
    expect(problems(env)).toEqual([]);
    expect(loadEnv(env)).toEqual(expect.objectContaining({ credentials: null, databaseUrl: undefined, port: 3000, githubBaseUrl: undefined }));
  });

  it("accepts a key whose newlines are written as \\n, as .env files often carry it", () => {
    const env = loadEnv({ APP_ID: "12", PRIVATE_KEY: key.replace(/\n/g, "\\n"), WEBHOOK_SECRET: "s" });
    expect(env.credentials).toEqual({ appId: 12, privateKey: key.trim(), webhookSecret: "s" });
  });

  it("names every problem at once, each on its own line, naming the variable and what to write", () => {
    expect(problems({ APP_ID: "abc", PRIVATE_KEY: "garbage", WEBHOOK_SECRET: "s", DATABASE_URL: "mysql://x" })).toEqual([
      "APP_ID: must be the numeric App ID shown on the app's settings page",
      "DATABASE_URL: must be a postgres:// URL, e.g. postgres://user:password@host:5432/dbname (unset it to use the embedded database)",
      "PRIVATE_KEY: not a valid PEM private key (download it from the app's settings page)",
    ]);
    expect(problems({ PORT: "abc", LOG_LEVEL: "loud", DRY_RUN: "yes", GHE_HOST: "https://ghe.example.com", WEBHOOK_PROXY_URL: "smee" } as unknown as NodeJS.ProcessEnv)).toEqual([
      "LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal",
      "PORT: must be a port number from 0 to 65535, e.g. 3000",
      "WEBHOOK_PROXY_URL: must be an http(s) URL, e.g. https://smee.io/AbCd1234 (a channel from https://smee.io/new)",
      "GHE_HOST: must be a host name (and port), without http:// or a path, e.g. github.example.com",
      "DRY_RUN: must be true or false",
    ]);
    expect(problems({ PORT: "70000" })).toEqual(["PORT: must be a port number from 0 to 65535, e.g. 3000"]);
    expect(problems({ APP_ID: "12" })).toEqual([
      "PRIVATE_KEY: missing (set PRIVATE_KEY to the PEM text, or PRIVATE_KEY_PATH to the .pem file)",
      "WEBHOOK_SECRET: missing (the other app credentials are set; Probot's setup page writes all three to .env)",
    ]);
    expect(problems({ PRIVATE_KEY_PATH: "/nonexistent/key.pem" })).toEqual([
      "PRIVATE_KEY_PATH: cannot read /nonexistent/key.pem (ENOENT)",
      "APP_ID: missing (the other app credentials are set; Probot's setup page writes all three to .env)",
      "WEBHOOK_SECRET: missing (the other app credentials are set; Probot's setup page writes all three to .env)",
    ]);
  });

  it("builds the GitHub Enterprise (or local stand-in) API URL, and reads report tokens, dry run and the webhook proxy", () => {
    const env = loadEnv({ GHE_HOST: "127.0.0.1:8080", GHE_PROTOCOL: "http", REPORT_TOKENS: "a, b,,", DRY_RUN: "true", WEBHOOK_PROXY_URL: "https://smee.io/abc" });
    expect(env.githubBaseUrl).toBe("http://127.0.0.1:8080/api/v3");
    expect(env.reportTokens).toEqual(["a", "b"]);
    expect(env.dryRun).toBe(true);
    expect(env.webhookProxyUrl).toBe("https://smee.io/abc");
  });

  it("turns the dashboard on with both OAuth credentials, signing in on the GHE host when one is set", () => {
    expect(loadEnv({ GITHUB_CLIENT_ID: "Iv1.x" }).dashboard).toBeNull();
    expect(loadEnv({ GITHUB_CLIENT_ID: "Iv1.x", GITHUB_CLIENT_SECRET: "s", GHE_HOST: "ghe.example.com", DASHBOARD_URL: "https://m.example.org/" }).dashboard).toEqual({
      clientId: "Iv1.x",
      clientSecret: "s",
      sessionSecret: undefined,
      publicUrl: "https://m.example.org",
      githubWebUrl: "https://ghe.example.com",
    });
    expect(problems({ SESSION_SECRET: "short" })).toEqual([expect.stringMatching(/^SESSION_SECRET: must be at least 32 characters/)]);
  });
});

describe(".env", () => {
  it("fills what the environment leaves unset (or empty); the environment wins, multi-line quoted keys included", () => {
    const env: NodeJS.ProcessEnv = { PORT: "4000", APP_ID: "" };
    loadDotEnvText(`APP_ID=77\nPORT=5000\nPRIVATE_KEY="${key.trim().replace(/\n/g, "\\n")}"\nWEBHOOK_SECRET=s3cret # a comment\n`, env);
    expect(env).toEqual(expect.objectContaining({ APP_ID: "77", PORT: "4000", WEBHOOK_SECRET: "s3cret" }));
    expect(loadEnv(env).credentials).toEqual({ appId: 77, privateKey: key.trim(), webhookSecret: "s3cret" });
  });

  it("is written back in place: Probot's setup values replace the empty lines and every comment stays", () => {
    const example = readFileSync(".env.example", "utf8");
    const written = setEnvVars(example, { APP_ID: "123", PRIVATE_KEY: `"${key.trim()}"`, WEBHOOK_SECRET: "w", GITHUB_CLIENT_ID: "Iv1.x" });
    const lines = written.split("\n");
    expect(lines.filter((l) => l.startsWith("#"))).toEqual(example.split("\n").filter((l) => l.startsWith("#")));
    expect(lines).toContain("APP_ID=123");
    expect(lines).toContain("WEBHOOK_SECRET=w");
    expect(lines).toContain("GITHUB_CLIENT_ID=Iv1.x");
    const env: NodeJS.ProcessEnv = {};
    loadDotEnvText(written, env);
    expect(loadEnv(env).credentials).toEqual({ appId: 123, privateKey: key.trim(), webhookSecret: "w" });
  });

  it("reads how long a silent worker process has before others take over its jobs", () => {
    expect(loadEnv({}).workerDeadAfterSeconds).toBe(120);
    expect(loadEnv({ WORKER_DEAD_AFTER: "30s" }).workerDeadAfterSeconds).toBe(30);
    expect(problems({ WORKER_DEAD_AFTER: "soon" })).toEqual([expect.stringMatching(/^WORKER_DEAD_AFTER: "soon" is not a duration/)]);
    expect(problems({ WORKER_DEAD_AFTER: "0s" })).toEqual(["WORKER_DEAD_AFTER: must be at least 1s"]);
  });
});
