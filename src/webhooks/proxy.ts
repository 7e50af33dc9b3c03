import type { Logger } from "probot";
import { SmeeClient } from "smee-client";

export interface WebhookProxy {
  stop(): Promise<void>;
}

/**
 * Forwards the deliveries that GitHub sends to a smee.io channel (WEBHOOK_PROXY_URL) to this
 * process, as Probot apps do when they run on a laptop: GitHub cannot reach localhost, smee can.
 * Deliveries keep GitHub's headers and signature; the webhook route verifies them as any other.
 * The app does not wait for the channel: it reconnects by itself, and says so in the log.
 */
export function startWebhookProxy(options: { source: string; target: string; log: Logger }): WebhookProxy {
  const log = options.log.child({ component: "webhook-proxy", source: options.source });
  const client = new SmeeClient({
    source: options.source,
    target: options.target,
    logger: {
      // "POST <target> - 202" for every delivery is debug; connecting and forwarding are news.
      info: (message: unknown) => (String(message).startsWith("POST ") ? log.debug(String(message)) : log.info(String(message))),
      error: (message: unknown) => log.warn({ cause: String(message) }, "webhook proxy: connection problem, reconnecting"),
    },
  });
  client.start().catch((error: unknown) => {
    log.warn({ cause: String((error as Error)?.message ?? error) }, "webhook proxy: cannot reach the channel yet, retrying");
  });
  return { stop: () => client.stop() };
}

export { SmeeClient };
