/**
 * autocannon, driven programmatically: each request is the stream's next signed delivery
 * (`setupRequest`), so no two requests carry the same GUID or the same GitHub objects.
 *
 * Latency percentiles are computed here from every response's own time (autocannon's "response"
 * event, in fractional milliseconds), not from autocannon's integer-millisecond histogram: at a few
 * milliseconds per acknowledgement that histogram's rounding would be most of the figure.
 */
import { Agent, request } from "node:http";
import autocannon from "autocannon";
import type { Delivery } from "./deliveries.js";
import { seededRandom } from "./random.js";

export interface LoadOptions {
  url: string;
  path: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration?: number;
  amount?: number;
  /** Requests per second over all connections; unset: as fast as the server answers. */
  overallRate?: number;
  next: () => Delivery;
  /** Called about once a second with the responses so far. */
  onTick?: (responses: number) => void;
}

export interface LoadResult {
  sent: number;
  responses: number;
  ok: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  seconds: number;
  /** 2xx answers per second over the run. */
  throughput: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const samples: number[] = [];
  let ticker: NodeJS.Timeout | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? 5 }),
        ...(options.overallRate !== undefined ? { overallRate: options.overallRate } : {}),
        timeout: 30,
        requests: [
          {
            method: "POST",
            path: options.path,
            setupRequest: (request) => {
              const d = options.next();
              request.headers = d.headers;
              request.body = d.body;
              return request;
            },
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    // The instance re-emits each client's "response" with the client first (autocannon's run.js).
    (instance as NodeJS.EventEmitter).on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      samples.push(responseTime);
    });
    if (options.onTick) ticker = setInterval(() => options.onTick!(samples.length), 1000);
  });
  if (ticker) clearInterval(ticker);

  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  const seconds = result.duration;
  return {
    sent: result.requests.sent,
    responses: samples.length,
    ok: result["2xx"],
    non2xx: result.non2xx,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
    throughput: seconds > 0 ? result["2xx"] / seconds : 0,
    latencyMs: latencySummary(samples),
  };
}

export interface PacedOptions {
  url: string;
  path: string;
  /** Mean deliveries per second. */
  rate: number;
  seconds: number;
  next: () => Delivery;
  /** Seed of the arrival times. */
  seed?: number;
}

/**
 * Open-loop load at a mean rate, with Poisson arrivals (exponential gaps, seeded), as independent
 * webhook deliveries arrive. autocannon's rate limit is not used for this: it sends each second's
 * quota back to back at the start of the second, a burst of `rate` requests, which measures queueing
 * behind that burst rather than the latency of a delivery at that rate. A request is sent at its
 * scheduled time whether or not earlier ones were answered (no coordinated omission); its latency runs
 * from that moment to the end of its response.
 */
export async function runPaced(options: PacedOptions): Promise<LoadResult> {
  const target = new URL(options.path, options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.max(1, Math.round(options.rate * options.seconds));
  const samples: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const uniform = seededRandom(options.seed ?? 7);
  const inflight: Promise<void>[] = [];
  const started = performance.now();
  let at = 0;
  for (let i = 0; i < total; i++) {
    at += (-Math.log(uniform()) / options.rate) * 1000;
    const wait = started + at - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const delivery = options.next();
    inflight.push(
      new Promise<void>((resolve) => {
        const sent = performance.now();
        const req = request(
          target,
          { method: "POST", agent, headers: { ...delivery.headers, "content-length": Buffer.byteLength(delivery.body) } },
          (res) => {
            res.resume();
            res.on("end", () => {
              samples.push(performance.now() - sent);
              const code = String(res.statusCode ?? 0);
              statusCodes[code] = (statusCodes[code] ?? 0) + 1;
              if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) ok++;
              else non2xx++;
              resolve();
            });
          },
        );
        req.on("error", () => {
          errors++;
          resolve();
        });
        req.end(delivery.body);
      }),
    );
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    sent: total,
    responses: samples.length,
    ok,
    non2xx,
    statusCodes,
    errors,
    timeouts: 0,
    seconds,
    throughput: ok / seconds,
    latencyMs: latencySummary(samples),
  };
}

function latencySummary(samples: number[]): LoadResult["latencyMs"] {
  const sorted = Float64Array.from(samples).sort();
  return {
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN,
  };
}

/** Linear interpolation between closest ranks (numpy's default), on sorted values. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function median(values: number[]): number {
  return percentile(Float64Array.from(values).sort(), 0.5);
}
