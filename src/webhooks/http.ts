import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "probot";
import { DatabaseDeadlineError, withDatabaseDeadline } from "../db/deadline.js";

/** GitHub caps webhook payloads at 25 MB; anything larger is not from GitHub. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
/** Four bodies of the largest size GitHub sends; ordinary deliveries are a few kB. */
export const MAX_WEBHOOK_BYTES_IN_FLIGHT = 4 * MAX_WEBHOOK_BYTES;
/** GitHub gives up on a delivery after 10 s and records whatever it saw; answer well before. */
export const WEBHOOK_DEADLINE_MS = 7_000;
/** How long a refused request may go on sending its body, discarded, so that the client reads the refusal. */
const LINGER_MS = 2_000;

export interface VerifiedDelivery {
  id: string;
  name: string;
  /**
   * The body as it came, the text the signature was checked over, not parsed: it begins with `{` and
   * ends with `}`, and a signed body that is not JSON inside them is the expansion's to set aside.
   */
  body: string;
}

export interface WebhookEndpointOptions {
  secret: string;
  /** Hands on a verified delivery; resolves once it is committed, so only then is 200 sent. */
  receive(delivery: VerifiedDelivery): Promise<void>;
  log: Logger;
  maxBodyBytes?: number;
  /** Bytes of webhook bodies held at once over all requests; a request that would pass it gets 503. */
  maxBytesInFlight?: number;
  /** From the request's arrival to its answer, body and database included. */
  deadlineMs?: number;
}

type Refusal = { status: number; reason: string };

/**
 * The webhook endpoint, in place of Probot's middleware, which reads a body into several copies before
 * verifying it, logs refused payloads in full, and answers 202 on its own after 9 s while the delivery
 * may still fail. Here the signature is computed while the body streams into one buffer of its declared
 * size, the bytes held across requests are capped, a refusal is one log line without the body, and the
 * answer is 200 only after the delivery is committed, or 5xx by the deadline.
 */
export function webhookEndpoint(options: WebhookEndpointOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_WEBHOOK_BYTES;
  const deadlineMs = options.deadlineMs ?? WEBHOOK_DEADLINE_MS;
  const budget = byteBudget(options.maxBytesInFlight ?? MAX_WEBHOOK_BYTES_IN_FLIGHT);

  return async (req, res) => {
    // A client that aborts makes the request emit an error; its only consequence is that nobody reads the answer.
    req.on("error", () => {});
    const deadline = Date.now() + deadlineMs;
    const id = header(req, "x-github-delivery");
    const name = header(req, "x-github-event");
    const signature = header(req, "x-hub-signature-256");
    const length = declaredLength(req);
    const facts = { delivery: id ?? null, event: name ?? null, bytes: length };
    const refuse = ({ status, reason }: Refusal, headers: Record<string, string> = {}) => {
      options.log.warn({ ...facts, status, reason }, "webhook delivery refused");
      answerAndLinger(req, res, status, JSON.stringify({ error: reason }), headers);
    };

    if (!id || !name || !signature) return refuse({ status: 400, reason: "missing x-github-delivery, x-github-event or x-hub-signature-256" });
    if (!/^\s*application\/json\s*(;|$)/i.test(header(req, "content-type") ?? "")) {
      return refuse({ status: 415, reason: "content-type must be application/json" });
    }
    if (length === null) return refuse({ status: 411, reason: "content-length is required" });
    if (length > maxBodyBytes) return refuse({ status: 413, reason: `payload larger than ${maxBodyBytes} bytes` });
    if (!budget.take(length)) return refuse({ status: 503, reason: "too many webhook bytes in flight" }, { "retry-after": "1" });

    let body: string;
    try {
      const read = await readSigned(req, length, options.secret, deadline);
      if (read === "gone") {
        options.log.warn({ ...facts, reason: "client closed the connection before sending the body" }, "webhook delivery refused");
        return;
      }
      if ("status" in read) return refuse(read);
      if (!verified(read.digest, signature)) return refuse({ status: 400, reason: "signature does not match (is WEBHOOK_SECRET the app's webhook secret?)" });
      if (!bracedAsAnObject(read.body)) return refuse({ status: 400, reason: "body is not a JSON object" });
      body = read.body.toString("utf8");
    } finally {
      budget.give(length);
    }
    await dispatch(options, { id, name, body }, deadline, (status, reason) => {
      const outcome = { ...facts, status, reason };
      if (status < 300) options.log.debug(outcome, "webhook delivery stored");
      // A 500 is the database refusing or gone: the operator's to look at. A 503 is slowness, retried.
      else if (status === 500) options.log.error(outcome, "webhook delivery not stored");
      else options.log.warn(outcome, "webhook delivery not stored");
      if (!res.headersSent) answer(res, status, status < 300 ? "ok\n" : JSON.stringify({ error: reason }));
    });
  };
}

/** Receives under the deadline; `settle` is called once, with 200 only after the delivery committed. */
async function dispatch(
  options: WebhookEndpointOptions,
  delivery: VerifiedDelivery,
  deadline: number,
  settle: (status: number, reason: string) => void,
): Promise<void> {
  let settled = false;
  const once = (status: number, reason: string) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    settle(status, reason);
  };
  // Also covers time spent outside the database (a busy event loop): nothing is answered after the deadline.
  const timer = setTimeout(() => once(503, "not stored within the deadline"), Math.max(0, deadline - Date.now()));
  try {
    await withDatabaseDeadline(deadline, () => options.receive(delivery));
    once(200, "stored");
  } catch (error) {
    const causes: unknown[] = error instanceof AggregateError ? error.errors : [error];
    const late = causes.some((e) => e instanceof DatabaseDeadlineError);
    once(late ? 503 : 500, late ? "the database did not answer within the deadline" : describe(causes[0]));
  }
}

interface SignedBody {
  body: Buffer;
  digest: Buffer;
}

/** The body in one buffer of its declared size, HMAC'd chunk by chunk as it arrives. */
function readSigned(req: IncomingMessage, length: number, secret: string, deadline: number): Promise<SignedBody | Refusal | "gone"> {
  return new Promise((resolve) => {
    const body = Buffer.allocUnsafe(length);
    const hmac = createHmac("sha256", secret);
    let received = 0;
    const finish = (result: SignedBody | Refusal | "gone") => {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      // Node's parser stops at content-length, so a chunk never runs past the buffer.
      chunk.copy(body, received);
      received += chunk.length;
      hmac.update(chunk);
    };
    const onEnd = () => finish(received === length ? { body, digest: hmac.digest() } : "gone");
    const onClose = () => finish("gone");
    const timer = setTimeout(() => finish({ status: 408, reason: "body not received within the deadline" }), Math.max(0, deadline - Date.now()));
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("close", onClose);
  });
}

function verified(digest: Buffer, signature: string): boolean {
  const given = Buffer.from(signature.startsWith("sha256=") ? signature.slice(7) : "", "hex");
  return given.length === digest.length && timingSafeEqual(given, digest);
}

/**
 * Whether the body's first and last non-blank bytes are `{` and `}`: a cut-off or non-JSON body is
 * refused here, without the cost of parsing it (src/webhooks/receive.ts says why that matters).
 */
function bracedAsAnObject(body: Buffer): boolean {
  const blank = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
  let first = 0;
  let last = body.length - 1;
  while (first <= last && blank(body[first]!)) first++;
  while (last > first && blank(body[last]!)) last--;
  return last > first && body[first] === 0x7b && body[last] === 0x7d;
}

function answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const type = text.startsWith("{") ? "application/json" : "text/plain";
  res.writeHead(status, { "content-type": type, "content-length": String(Buffer.byteLength(text)), ...headers }).end(text);
}

/**
 * Answers a request whose body will not be read, then discards what the client still sends, for a
 * bounded time, before closing. Closing a socket with unread bytes makes the kernel send a reset, which
 * reaches the client before it has read the answer (fetch reports ECONNRESET instead of the status).
 */
function answerAndLinger(req: IncomingMessage, res: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  if (res.headersSent) return;
  const type = text.startsWith("{") ? "application/json" : "text/plain";
  res.writeHead(status, { "content-type": type, "content-length": String(Buffer.byteLength(text)), connection: "close", ...headers });
  if (req.complete) {
    res.end(text);
    return;
  }
  // The whole answer is on the wire now; ending the response would close the socket (Connection: close).
  res.write(text);
  const socket = req.socket;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  req.once("end", () => {
    clearTimeout(timer);
    res.end();
  });
  req.resume();
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function declaredLength(req: IncomingMessage): number | null {
  const value = req.headers["content-length"];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Bytes reserved by requests whose bodies are being read. */
function byteBudget(capacity: number) {
  let used = 0;
  return {
    take(bytes: number): boolean {
      if (used + bytes > capacity) return false;
      used += bytes;
      return true;
    },
    give(bytes: number): void {
      used -= bytes;
    },
  };
}
