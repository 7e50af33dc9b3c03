import { pino } from "pino";

/**
 * The app's logger. Octokit attaches the whole delivery, payload included, as `event` to the error a
 * webhook handler throws, and Probot logs that error: the payload is redacted, so a failed delivery
 * logs its error and GUID, never its body.
 */
export function createLogger(options: { level: string; name?: string }, destination?: pino.DestinationStream): pino.Logger {
  return pino({ ...options, redact: { paths: ["event.payload", "err.event.payload"], censor: "[payload not logged]" } }, destination);
}
