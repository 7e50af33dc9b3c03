import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** GitHub caps webhook payloads at 25 MB; anything larger is not from GitHub. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => unknown;

export interface StartedServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * Our own HTTP server around Probot's middleware. Probot reads any body fully before verifying
 * its signature, so an unsigned 200 MB POST would cost 200 MB of memory; here the webhook body
 * is refused with 413 by its declared length, or as soon as the streamed bytes pass the limit,
 * and only a body within the limit is handed on (as a string, which Probot reads as the payload).
 */
export function startServer(options: {
  handler: NodeHandler;
  webhookPath: string;
  host: string;
  port: number;
  maxBodyBytes?: number;
}): Promise<StartedServer> {
  const limit = options.maxBodyBytes ?? MAX_WEBHOOK_BYTES;
  const server = createServer((req, res) => {
    void route(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "POST" && path === options.webhookPath) {
      const body = await readLimited(req, limit);
      if (body === null) {
        res.writeHead(413, { "content-type": "application/json", connection: "close" });
        res.end(JSON.stringify({ error: `payload larger than ${limit} bytes` }));
        req.destroy();
        return;
      }
      (req as IncomingMessage & { body?: string }).body = body.toString("utf8");
    }
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

/** The body, or null as soon as it is known to exceed `limit` (nothing past the limit is kept). */
function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.pause();
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}
