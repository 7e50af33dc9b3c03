import { describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { csrfToken, isCsrfToken, openSession, openSignIn, safeNext, sealSession, sealSignIn, SESSION_SECONDS, SIGN_IN_SECONDS } from "../../src/dashboard/session.js";

const key = randomBytes(32);
const session = { userId: 4242, login: "mentor-one", issuedAt: 1_800_000_000, nonce: "n1" };

describe("session cookies", () => {
  it("open with the key that sealed them, until they expire", () => {
    const cookie = sealSession(key, session);
    expect(openSession(key, cookie, session.issuedAt + 60)).toEqual(session);
    expect(openSession(key, cookie, session.issuedAt + SESSION_SECONDS + 1)).toBeNull();
    expect(openSession(randomBytes(32), cookie, session.issuedAt)).toBeNull();
    expect(openSession(key, undefined, session.issuedAt)).toBeNull();
  });

  it("refuse a cookie whose contents were changed, such as another user id", () => {
    const [, mac] = sealSession(key, session).split(".");
    const other = Buffer.from(JSON.stringify({ ...session, userId: 1 })).toString("base64url");
    expect(openSession(key, `${other}.${mac}`, session.issuedAt)).toBeNull();
  });

  it("a sign-in cookie is no session, and a session cookie is no sign-in", () => {
    const signIn = sealSignIn(key, { state: "s", next: "/", issuedAt: session.issuedAt });
    expect(openSession(key, signIn, session.issuedAt)).toBeNull();
    expect(openSignIn(key, sealSession(key, session), session.issuedAt)).toBeNull();
    expect(openSignIn(key, signIn, session.issuedAt + SIGN_IN_SECONDS + 1)).toBeNull();
  });
});

describe("CSRF tokens", () => {
  it("belong to one session: another sign-in of the same person gets another token", () => {
    const token = csrfToken(key, session);
    expect(isCsrfToken(key, session, token)).toBe(true);
    expect(isCsrfToken(key, { ...session, nonce: "n2" }, token)).toBe(false);
    expect(isCsrfToken(key, session, undefined)).toBe(false);
    expect(isCsrfToken(key, session, "")).toBe(false);
  });
});

describe("where a sign-in returns to", () => {
  it.each([
    ["/programs/amp-2026", "/programs/amp-2026"],
    ["//evil.example/x", "/"],
    ["https://evil.example/", "/"],
    ["/\\evil.example", "/"],
    ["/auth/github", "/"],
    [null, "/"],
  ])("%s → %s", (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});
