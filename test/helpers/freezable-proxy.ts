import { connect, createServer, type Socket } from "node:net";

export interface FreezableProxy {
  /** A connection string that reaches the database through the proxy. */
  url: string;
  /** From now on the database accepts connections and receives nothing, answers nothing (as a SIGSTOPped server). */
  freeze(): void;
  /** Delivers everything held, in order, and forwards again. */
  thaw(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a PostgreSQL server (or the embedded one's socket): while
 * frozen it keeps every byte in both directions, which is what a hung database looks like to a
 * client: connections open, statements sent, no answer.
 */
export async function startFreezableProxy(connectionString: string): Promise<FreezableProxy> {
  const target = new URL(connectionString);
  let frozen = false;
  const held: Array<() => void> = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.once("close", () => sockets.delete(socket));
  };
  const forward = (from: Socket, to: Socket) => {
    from.on("data", (chunk) => (frozen ? held.push(() => to.write(chunk)) : to.write(chunk)));
    from.once("close", () => (frozen ? held.push(() => to.destroy()) : to.destroy()));
  };
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    track(client);
    track(upstream);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(connectionString);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const deliver of held.splice(0)) deliver();
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
