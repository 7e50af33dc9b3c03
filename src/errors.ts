/** The innermost error that carries a system code (pg, fetch and Octokit wrap them in `cause`). */
export function rootCause(error: unknown): NodeJS.ErrnoException & { address?: string; port?: number } {
  let e = error as NodeJS.ErrnoException & { address?: string; port?: number };
  while (e instanceof Error && !e.code && e.cause) e = e.cause as typeof e;
  return e;
}
