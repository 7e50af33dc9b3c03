import { pino } from "pino";

/**
 * The app's logger. Webhooks no longer pass through Probot's handlers, but Octokit's webhooks attach
 * the whole delivery, payload included, as `event` to any error they raise: that payload stays
 * redacted, so no log line ever carries a delivery's body.
 */
export function createLogger(options: { level: string; name?: string }, destination?: pino.DestinationStream): pino.Logger {
  return pino({ ...options, redact: { paths: ["event.payload", "err.event.payload"], censor: "[payload not logged]" } }, destination);
}
