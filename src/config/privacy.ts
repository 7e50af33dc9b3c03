/**
 * The roster's `privacy:` section (README, "Privacy"). Its own file so the rest of the roster schema can
 * change beside it; roster.ts hands it the field schemas it shares (a GitHub login, a duration) rather
 * than this file importing roster.ts back.
 */
import { z } from "zod";

/** How long raw event payloads are kept when the roster does not say: a year covers every insights window. */
export const DEFAULT_PAYLOAD_RETENTION = "365d";
const DAY = 86_400;

export function privacySchema(fields: { login: z.ZodType<string>; duration: z.ZodType<number, string> }) {
  return z
    .object({
      /**
       * People counted in every total but never named: reports, comments and insights show an anonymous
       * label instead. Logins, resolved to numeric ids like every roster login (a rename keeps the opt-out).
       */
      optOut: z.preprocess((v) => (v === undefined || v === null ? [] : v), z.array(fields.login)),
      /**
       * How long the events' payloads (titles, links, mentioned logins) are kept; older ones are trimmed
       * to what the figures are computed from. At least 1d; default 365d.
       */
      payloadRetention: fields.duration.refine((s) => s >= DAY, "must be at least 1d").default(365 * DAY),
    })
    .strict();
}

export type PrivacySettings = z.output<ReturnType<typeof privacySchema>>;
