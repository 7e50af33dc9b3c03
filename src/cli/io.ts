/** What every `mentorship` command reads and writes: the process's streams and environment, or a test's. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** stderr is a terminal: progress redraws one line instead of printing many. */
  isTTY?: boolean;
}
