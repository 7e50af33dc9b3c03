import { readFileSync } from "node:fs";
import { createPrivateKey } from "node:crypto";
import { z } from "zod";
import { parseDuration } from "./duration.js";

/** Process settings, from the environment and `.env` (see .env.example). */
export interface AppEnv {
  /** Absent when the app has not been registered yet: Probot's setup flow runs instead. */
  credentials: { appId: number; privateKey: string; webhookSecret: string } | null;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  host: string;
  port: number;
  webhookPath: string;
  /** A smee.io channel (or any such proxy) that forwards GitHub's deliveries to this process. */
  webhookProxyUrl: string | undefined;
  /** `https://HOST/api/v3` for GitHub Enterprise Server or a local stand-in; undefined for github.com. */
  githubBaseUrl: string | undefined;
  reportTokens: string[];
  dryRun: boolean;
  /** Sockets one client address may hold open (server.ts has the default); raise it behind a reverse proxy. */
  maxConnectionsPerPeer: number | undefined;
  /** A worker process silent this long is taken for dead: other processes take over its jobs. */
  workerDeadAfterSeconds: number;
  /** The web dashboard, on when the app's OAuth credentials are set (Probot's setup page writes them). */
  dashboard: DashboardEnv | null;
}

export interface DashboardEnv {
  clientId: string;
  clientSecret: string;
  /** Signs session cookies; when unset, derived from the app's private key (the same in every process). */
  sessionSecret: string | undefined;
  /** The address people open (behind a proxy: its https address); the OAuth callback is under it. */
  publicUrl: string | undefined;
  /** `https://github.com`, or the GHE host: where people sign in. */
  githubWebUrl: string;
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "EnvError";
  }
}

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

const httpUrl = (what: string) =>
  z.string().refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), { message: `must be an http(s) URL, ${what}` });

/** Every field carries its own plain message, so a problem reads as "VARIABLE: what to write". */
const schema = z.object({
  APP_ID: z.string().regex(/^\d+$/, "must be the numeric App ID shown on the app's settings page").optional(),
  PRIVATE_KEY: z.string().optional(),
  PRIVATE_KEY_PATH: z.string().optional(),
  WEBHOOK_SECRET: z.string().optional(),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v) && URL.canParse(v), {
      message: "must be a postgres:// URL, e.g. postgres://user:password@host:5432/dbname (unset it to use the embedded database)",
    })
    .optional(),
  DATA_DIR: z.string().default(".data"),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` })
    .default("info"),
  HOST: z.string().default("localhost"),
  PORT: z
    .string()
    .regex(/^\d+$/, "must be a port number from 0 to 65535, e.g. 3000")
    .transform(Number)
    .refine((n) => n <= 65535, { message: "must be a port number from 0 to 65535, e.g. 3000" })
    .default(3000),
  WEBHOOK_PATH: z.string().startsWith("/", "must be a path starting with /, e.g. /api/github/webhooks").default("/api/github/webhooks"),
  WEBHOOK_PROXY_URL: httpUrl("e.g. https://smee.io/AbCd1234 (a channel from https://smee.io/new)").optional(),
  GHE_HOST: z
    .string()
    .refine((v) => !v.includes("/"), { message: "must be a host name (and port), without http:// or a path, e.g. github.example.com" })
    .optional(),
  GHE_PROTOCOL: z.enum(["https", "http"], { error: "must be https or http" }).default("https"),
  REPORT_TOKENS: z.string().default(""),
  DRY_RUN: z
    .enum(["true", "false", "1", "0"], { error: "must be true or false" })
    .optional()
    .transform((v) => v === "true" || v === "1"),
  MAX_CONNECTIONS_PER_PEER: z.coerce.number({ error: "must be a whole number, e.g. 64" }).int("must be a whole number, e.g. 64").min(1, "must be at least 1").optional(),
  GITHUB_CLIENT_ID: z.string().optional(),
  GITHUB_CLIENT_SECRET: z.string().optional(),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters (e.g. the output of `openssl rand -hex 32`)").optional(),
  DASHBOARD_URL: httpUrl("the dashboard's public address, e.g. https://mentorship.example.org").optional(),
  WORKER_DEAD_AFTER: z
    .string()
    .default("2m")
    .transform((v, ctx) => {
      try {
        const seconds = parseDuration(v);
        if (seconds >= 1) return seconds;
        ctx.addIssue({ code: "custom", message: "must be at least 1s" });
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
      return z.NEVER;
    }),
});

/**
 * Validates the environment; throws EnvError with one readable line per problem, every problem at once.
 * An empty value (`APP_ID=` as a copied .env.example has it) means unset.
 */
export function loadEnv(env: NodeJS.ProcessEnv): AppEnv {
  const given = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1].trim() !== ""),
  );
  const parsed = schema.safeParse(given);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  const privateKey = readPrivateKey(given.PRIVATE_KEY, given.PRIVATE_KEY_PATH, problems);
  const credentials = checkCredentials(given, privateKey, problems);
  if (problems.length > 0 || !parsed.success) throw new EnvError(problems);

  const e = parsed.data;
  return {
    credentials,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    port: e.PORT,
    webhookPath: e.WEBHOOK_PATH,
    webhookProxyUrl: e.WEBHOOK_PROXY_URL,
    githubBaseUrl: e.GHE_HOST ? `${e.GHE_PROTOCOL}://${e.GHE_HOST}/api/v3` : undefined,
    reportTokens: e.REPORT_TOKENS.split(",").map((t) => t.trim()).filter(Boolean),
    dryRun: e.DRY_RUN,
    maxConnectionsPerPeer: e.MAX_CONNECTIONS_PER_PEER,
    workerDeadAfterSeconds: e.WORKER_DEAD_AFTER,
    dashboard:
      e.GITHUB_CLIENT_ID && e.GITHUB_CLIENT_SECRET
        ? {
            clientId: e.GITHUB_CLIENT_ID,
            clientSecret: e.GITHUB_CLIENT_SECRET,
            sessionSecret: e.SESSION_SECRET,
            publicUrl: e.DASHBOARD_URL?.replace(/\/+$/, ""),
            githubWebUrl: e.GHE_HOST ? `${e.GHE_PROTOCOL}://${e.GHE_HOST}` : "https://github.com",
          }
        : null,
  };
}

/** All three credentials, none (setup mode), or a problem naming each one missing. */
function checkCredentials(
  given: Record<string, string>,
  privateKey: string | undefined,
  problems: string[],
): AppEnv["credentials"] {
  const keyGiven = Boolean(given.PRIVATE_KEY || given.PRIVATE_KEY_PATH);
  if (given.APP_ID === undefined && !keyGiven && given.WEBHOOK_SECRET === undefined) return null;
  const why = "(the other app credentials are set; Probot's setup page writes all three to .env)";
  if (given.APP_ID === undefined) problems.push(`APP_ID: missing ${why}`);
  if (!keyGiven) problems.push("PRIVATE_KEY: missing (set PRIVATE_KEY to the PEM text, or PRIVATE_KEY_PATH to the .pem file)");
  if (given.WEBHOOK_SECRET === undefined) problems.push(`WEBHOOK_SECRET: missing ${why}`);
  if (given.APP_ID === undefined || !/^\d+$/.test(given.APP_ID) || privateKey === undefined || given.WEBHOOK_SECRET === undefined) {
    return null;
  }
  return { appId: Number(given.APP_ID), privateKey, webhookSecret: given.WEBHOOK_SECRET };
}

function readPrivateKey(inline: string | undefined, path: string | undefined, problems: string[]): string | undefined {
  let pem = inline;
  let source = "PRIVATE_KEY";
  if (!pem && path) {
    source = "PRIVATE_KEY_PATH";
    try {
      pem = readFileSync(path, "utf8");
    } catch (error) {
      problems.push(`PRIVATE_KEY_PATH: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
      return undefined;
    }
  }
  if (!pem) return undefined;
  // .env files often carry the key on one line with literal \n.
  pem = pem.replace(/\\n/g, "\n").trim();
  try {
    createPrivateKey(pem);
  } catch {
    problems.push(`${source}: not a valid PEM private key (download it from the app's settings page)`);
    return undefined;
  }
  return pem;
}
