import { readFileSync } from "node:fs";
import { createPrivateKey } from "node:crypto";
import { z } from "zod";

/** Process settings, from the environment (see .env.example). */
export interface AppEnv {
  /** Absent when the app has not been registered yet: Probot's setup flow runs instead. */
  credentials: { appId: number; privateKey: string; webhookSecret: string } | null;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  host: string;
  port: number;
  webhookPath: string;
  /** `https://HOST/api/v3` for GitHub Enterprise Server or a local stand-in; undefined for github.com. */
  githubBaseUrl: string | undefined;
  reportTokens: string[];
  dryRun: boolean;
  /** Sockets one client address may hold open (server.ts has the default); raise it behind a reverse proxy. */
  maxConnectionsPerPeer: number | undefined;
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "EnvError";
  }
}

const boolean = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const schema = z.object({
  APP_ID: z
    .string()
    .regex(/^\d+$/, "must be the numeric App ID shown on the app's settings page")
    .optional(),
  PRIVATE_KEY: z.string().optional(),
  PRIVATE_KEY_PATH: z.string().optional(),
  WEBHOOK_SECRET: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .refine((v) => v === "" || /^postgres(ql)?:\/\/[^\s]+$/.test(v) && URL.canParse(v), {
      message: "must be a postgres:// URL, e.g. postgres://user:password@host:5432/dbname (unset it to use the embedded database)",
    })
    .optional(),
  DATA_DIR: z.string().default(".data"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]).default("info"),
  HOST: z.string().default("localhost"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  WEBHOOK_PATH: z.string().startsWith("/").default("/api/github/webhooks"),
  GHE_HOST: z.string().optional(),
  GHE_PROTOCOL: z.enum(["https", "http"]).default("https"),
  REPORT_TOKENS: z.string().default(""),
  DRY_RUN: boolean,
  MAX_CONNECTIONS_PER_PEER: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).optional()),
});

/** Validates the environment; throws EnvError with one readable line per problem. */
export function loadEnv(env: NodeJS.ProcessEnv): AppEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];

  const privateKey = readPrivateKey(e.PRIVATE_KEY, e.PRIVATE_KEY_PATH, problems);
  const anyCredential =
    e.APP_ID !== undefined || Boolean(e.PRIVATE_KEY || e.PRIVATE_KEY_PATH) || e.WEBHOOK_SECRET !== undefined;
  let credentials: AppEnv["credentials"] = null;
  if (anyCredential) {
    if (e.APP_ID === undefined) problems.push("APP_ID: missing (the other app credentials are set)");
    if (privateKey === undefined && !problems.some((p) => p.startsWith("PRIVATE_KEY")))
      problems.push("PRIVATE_KEY: missing (set PRIVATE_KEY or PRIVATE_KEY_PATH)");
    if (e.WEBHOOK_SECRET === undefined) problems.push("WEBHOOK_SECRET: missing (the other app credentials are set)");
    if (e.APP_ID !== undefined && privateKey !== undefined && e.WEBHOOK_SECRET !== undefined) {
      credentials = { appId: Number(e.APP_ID), privateKey, webhookSecret: e.WEBHOOK_SECRET };
    }
  }
  if (problems.length > 0) throw new EnvError(problems);

  return {
    credentials,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    port: e.PORT,
    webhookPath: e.WEBHOOK_PATH,
    githubBaseUrl: e.GHE_HOST ? `${e.GHE_PROTOCOL}://${e.GHE_HOST}/api/v3` : undefined,
    reportTokens: e.REPORT_TOKENS.split(",").map((t) => t.trim()).filter(Boolean),
    dryRun: e.DRY_RUN,
    maxConnectionsPerPeer: e.MAX_CONNECTIONS_PER_PEER,
  };
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
