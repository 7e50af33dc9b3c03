import { pino } from "pino";

/**
 * The app's logger. Octokit attaches the whole delivery (payload included) as `event` to an error a
 * webhook handler throws, and Probot logs that error: the serializer drops it, so a failed delivery
 * logs its error, never its body.
 */
export function createLogger(options: { level: string; name?: string }, destination?: pino.DestinationStream): pino.Logger {
  return pino({ ...options, serializers: { err: withoutEvent } }, destination);
}

function withoutEvent(error: unknown): unknown {
  if (typeof error !== "object" || error === null) return error;
  const { event: _event, ...serialized } = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  return serialized;
}
