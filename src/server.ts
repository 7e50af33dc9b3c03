import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { webhookEndpoint, type WebhookEndpointOptions } from "./webhooks/http.js";

export { MAX_WEBHOOK_BYTES } from "./webhooks/http.js";

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => unknown;

/** Sockets one address may hold open at once; the rest are closed as they connect. */
export const MAX_CONNECTIONS_PER_PEER = 64;
/** A webhook's headers are a few hundred bytes: a client slower than this is not GitHub. */
const HEADERS_TIMEOUT_MS = 5_000;
/** The whole request, body included (the webhook endpoint's own deadline is shorter). */
const REQUEST_TIMEOUT_MS = 10_000;

export interface StartedServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * Our own HTTP server. POSTs to the webhook path go to our webhook endpoint (src/webhooks/http.ts);
 * everything else (the report API, /healthz, Probot's pages) to Probot's middleware as `handler`.
 * Slow clients are cut off by header and request timeouts, and one address cannot hold more than
 * `maxConnectionsPerPeer` sockets, so a few hostile peers cannot exhaust the process.
 */
export function startServer(options: {
  handler: NodeHandler;
  webhookPath: string;
  webhook: WebhookEndpointOptions;
  host: string;
  port: number;
  maxConnectionsPerPeer?: number | undefined;
}): Promise<StartedServer> {
  const receiveWebhook = webhookEndpoint(options.webhook);
  const server = createServer(
    // Node checks these timeouts every connectionsCheckingInterval (30 s by default, longer than the timeouts).
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 500 },
    (req, res) => {
      void route(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    },
  );
  limitConnectionsPerPeer(server, options.maxConnectionsPerPeer ?? MAX_CONNECTIONS_PER_PEER);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "POST" && path === options.webhookPath) return receiveWebhook(req, res);
    const handled = (await options.handler(req, res, () => {})) === true;
    if (!handled && !res.headersSent) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
    }
  }

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(":") ? `[${options.host}]` : options.host;
      resolve({
        server,
        url: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function limitConnectionsPerPeer(server: Server, limit: number): void {
  const open = new Map<string, number>();
  server.on("connection", (socket: Socket) => {
    const peer = socket.remoteAddress ?? "";
    const count = (open.get(peer) ?? 0) + 1;
    if (count > limit) {
      socket.destroy();
      return;
    }
    open.set(peer, count);
    socket.once("close", () => {
      const left = (open.get(peer) ?? 1) - 1;
      if (left === 0) open.delete(peer);
      else open.set(peer, left);
    });
  });
}
