/**
 * Progress on stderr for long phases: a line rewritten in place on a terminal, otherwise a line at
 * most every few seconds, so a log file stays readable. Nothing here goes to stdout.
 */
export interface Progress {
  /** A one-off line: "ingestion: starting the full app". */
  note(text: string): void;
  /** A phase with a known amount of work (`total`) or a known duration in seconds (`seconds`). */
  phase(label: string, size: { total?: number; seconds?: number }): Phase;
}

export interface Phase {
  /** Work done so far (for `total`), or nothing for a timed phase. */
  update(done?: number, extra?: string): void;
  end(summary?: string): void;
}

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let open = false;
  const clear = () => {
    if (open && tty) stream.write("\r\x1b[K");
    open = false;
  };
  return {
    note(text) {
      clear();
      stream.write(`[bench] ${text}\n`);
    },
    phase(label, size) {
      const started = Date.now();
      let lastPrinted = 0;
      let timer: NodeJS.Timeout | undefined;
      let lastDone: number | undefined;
      let lastExtra = "";
      const line = () => {
        const elapsed = (Date.now() - started) / 1000;
        let part = "";
        if (size.total !== undefined && lastDone !== undefined) {
          part = ` ${lastDone.toLocaleString("en-US")}/${size.total.toLocaleString("en-US")} (${Math.floor((100 * lastDone) / size.total)}%)`;
        } else if (size.seconds !== undefined) {
          part = ` ${Math.min(100, Math.floor((100 * elapsed) / size.seconds))}%`;
        }
        return `[bench] ${label}${part} ${elapsed.toFixed(0)}s${lastExtra ? ` ${lastExtra}` : ""}`;
      };
      const print = (force = false) => {
        const now = Date.now();
        if (tty) {
          stream.write(`\r\x1b[K${line()}`);
          open = true;
        } else if (force || now - lastPrinted >= 5000) {
          stream.write(`${line()}\n`);
          lastPrinted = now;
        }
      };
      print(true);
      // A timed phase has nothing to report but the time passing.
      if (size.seconds !== undefined) timer = setInterval(() => print(), tty ? 500 : 5000).unref();
      return {
        update(done, extra) {
          if (done !== undefined) lastDone = done;
          if (extra !== undefined) lastExtra = extra;
          print();
        },
        end(summary) {
          if (timer) clearInterval(timer);
          clear();
          const elapsed = ((Date.now() - started) / 1000).toFixed(1);
          stream.write(`[bench] ${label}: ${summary ?? "done"} (${elapsed}s)\n`);
        },
      };
    },
  };
}

/** For tests and nested tools: swallows everything. */
export const silentProgress: Progress = {
  note() {},
  phase() {
    return { update() {}, end() {} };
  },
};
