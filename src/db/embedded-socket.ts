import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * The embedded database's wire-protocol server: pg, kysely and graphile-worker reach PGlite over TCP
 * exactly as they reach a real server.
 *
 * It does what pglite-socket's server does, but hands PGlite every complete message a read brought in
 * one call, where pglite-socket makes one call per message: a statement is five messages (Parse,
 * Bind, Describe, Execute, Sync), and each call paid PGlite's entry, a file-system sync and a socket
 * write of its own. PGlite's backend reads any number of messages from one buffer, as Postgres reads
 * them from a socket. The demo's CPU went from 54 to 43 s with this alone (docs/benchmarks.md).
 *
 * PGlite is one backend for every connection: batches run one at a time, and while a connection has a
 * transaction or an extended-protocol exchange open (messages up to its Sync) only its own batches run,
 * so no other client's statement or message lands inside it (pglite-socket interleaves messages of
 * concurrent statements outside transactions, a protocol violation, 08P01). A connection that goes away mid-transaction has it rolled back.
 */
export interface EmbeddedSocketServer {
  /** host:port to connect to. */
  address: string;
  close(): Promise<void>;
}

const SSL_REQUEST_CODE = 80877103;
const CANCEL_REQUEST_CODE = 80877102;
const PROTOCOL_3 = 196608;
const TERMINATE = 0x58; // 'X'
/** Sync ('S') and a simple Query ('Q'): after them the backend answers ReadyForQuery. */
const ENDS_EXCHANGE = new Set([0x53, 0x51]);

interface Connection {
  socket: Socket;
  buffer: Buffer;
  started: boolean;
  closed: boolean;
  /** Its last batch left an extended-protocol exchange open (no Sync yet). */
  midExchange: boolean;
}

interface Batch {
  connection: Connection;
  message: Uint8Array;
  /** It ends with a Sync or a simple Query, where another connection may have its turn. */
  endsExchange: boolean;
}

export async function serveEmbedded(db: PGlite, options: { host: string; maxConnections: number }): Promise<EmbeddedSocketServer> {
  const connections = new Set<Connection>();
  const queue: Batch[] = [];
  let running = false;
  /** The connection whose transaction is open, if one is. */
  let owner: Connection | null = null;
  /** Closing: sockets closing now are the server's own doing, and PGlite may be gone already. */
  let stopped = false;

  const next = (): Batch | undefined => {
    if (owner !== null && (owner.midExchange || db.isInTransaction())) {
      const i = queue.findIndex((b) => b.connection === owner);
      return i === -1 ? undefined : queue.splice(i, 1)[0];
    }
    return queue.shift();
  };

  const pump = async () => {
    if (running) return;
    running = true;
    try {
      for (let batch = next(); batch !== undefined; batch = next()) {
        const { connection, message, endsExchange } = batch;
        await db.runExclusive(() =>
          db.execProtocolRawStream(message, {
            onRawData: (data) => {
              if (!connection.closed && data.length > 0) connection.socket.write(Buffer.from(data));
            },
          }),
        );
        owner = connection;
        connection.midExchange = !endsExchange;
        // It went away while its batch ran: its transaction, if it left one open, must not hold the rest.
        if (connection.closed) await rollBackAbandoned(connection);
      }
    } catch (error) {
      // PGlite itself failed (not a statement's error, which comes back as a message): nothing can go on.
      for (const c of connections) c.socket.destroy(error as Error);
    } finally {
      running = false;
    }
  };

  const enqueue = (connection: Connection, message: Uint8Array, endsExchange = true) => {
    queue.push({ connection, message, endsExchange });
    void pump();
  };

  const forget = async (connection: Connection) => {
    if (connection.closed) return;
    connection.closed = true;
    connections.delete(connection);
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.connection === connection) queue.splice(i, 1);
    if (!running) await rollBackAbandoned(connection);
  };

  const rollBackAbandoned = async (connection: Connection) => {
    if (owner !== connection) return;
    owner = null;
    if (stopped || db.closed) return;
    // exec takes PGlite's query lock itself.
    if (db.isInTransaction()) await db.exec("ROLLBACK");
    void pump();
  };

  /** Cuts what arrived into the start-up exchange and batches of complete messages. */
  const receive = (connection: Connection, chunk: Buffer) => {
    connection.buffer = connection.buffer.length === 0 ? chunk : Buffer.concat([connection.buffer, chunk]);
    let buffer = connection.buffer;
    while (!connection.started && buffer.length >= 8) {
      const length = buffer.readInt32BE(0);
      if (buffer.length < length) break;
      const code = buffer.readInt32BE(4);
      if (code === SSL_REQUEST_CODE) connection.socket.write("N");
      else if (code === PROTOCOL_3) {
        enqueue(connection, new Uint8Array(buffer.subarray(0, length)));
        connection.started = true;
      } else if (code !== CANCEL_REQUEST_CODE) {
        connection.socket.destroy();
        return;
      }
      buffer = buffer.subarray(length);
    }
    if (connection.started) {
      let end = 0;
      let last = 0;
      while (buffer.length >= end + 5) {
        if (buffer[end] === TERMINATE) {
          if (end > 0) enqueue(connection, new Uint8Array(buffer.subarray(0, end)), ENDS_EXCHANGE.has(last));
          connection.socket.end();
          connection.buffer = Buffer.alloc(0);
          return;
        }
        const length = 1 + buffer.readInt32BE(end + 1);
        if (buffer.length < end + length) break;
        last = buffer[end]!;
        end += length;
      }
      if (end > 0) enqueue(connection, new Uint8Array(buffer.subarray(0, end)), ENDS_EXCHANGE.has(last));
      buffer = buffer.subarray(end);
    }
    connection.buffer = buffer;
  };

  const server: Server = createServer((socket) => {
    if (connections.size >= options.maxConnections) {
      socket.end();
      return;
    }
    socket.setNoDelay(true);
    const connection: Connection = { socket, buffer: Buffer.alloc(0), started: false, closed: false, midExchange: false };
    connections.add(connection);
    socket.on("data", (chunk: Buffer) => receive(connection, chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => void forget(connection));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, options.host, () => resolve());
  });
  const bound = server.address();
  if (bound === null || typeof bound !== "object") throw new Error("the embedded database's server has no address");

  return {
    address: `${options.host}:${bound.port}`,
    async close() {
      stopped = true;
      for (const c of connections) c.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
