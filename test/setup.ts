import nock from "nock";
import { afterEach, beforeAll } from "@jest/globals";

// Tests never touch the network; local sockets (embedded DB, test servers) stay allowed.
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});

// A test that logs at error level without saying it expects to fails.
const unexpectedErrors: unknown[][] = [];
const originalError = console.error;
console.error = (...args: unknown[]) => {
  unexpectedErrors.push(args);
  originalError(...args);
};

afterEach(() => {
  const errors = unexpectedErrors.splice(0);
  if (errors.length > 0) {
    throw new Error(`unexpected console.error during test:\n${errors.map((a) => a.map(String).join(" ")).join("\n")}`);
  }
});
