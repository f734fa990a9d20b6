/**
 * `isErrorOf` against real Prism responses: the error a call throws for a documented status is matched, with
 * the body the spec documents for that status (Prism answers with the spec's example for it).
 */
import { AuthenticationError, createRelevaClient, isErrorOf as isRelevaErrorOf } from "@activation-kit/releva";
import { createRudderStackClient, isErrorOf as isRudderStackErrorOf } from "@activation-kit/rudderstack";
import { describe, expect, inject, it } from "vitest";

const prefer = (code: number) => ({ headers: { prefer: `code=${code}` }, maxRetries: 0 });
const base = (slug: "releva" | "rudderstack") => `http://127.0.0.1:${inject("prismPorts")[slug]}`;
const caught = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe("typed error bodies (isErrorOf)", () => {
  it("Releva 400 and 401: matched by operation and status, body as documented", async () => {
    const releva = createRelevaClient({ secretKey: "releva-test-secret", baseUrl: base("releva") });
    const body = { profiles: [{ profile: { email: "ana@example.com" } }] };

    const badRequest = await caught(releva.profiles.upsertProfiles({ body }, prefer(400)));
    expect(isRelevaErrorOf(badRequest, "upsertProfiles", 401)).toBe(false);
    if (!isRelevaErrorOf(badRequest, "upsertProfiles", 400)) throw new Error(`expected the documented 400, got ${String(badRequest)}`);
    expect(badRequest.status).toBe(400);
    expect(typeof badRequest.body.message).toBe("string");

    const unauthorized = await caught(releva.profiles.upsertProfiles({ body }, prefer(401)));
    expect(unauthorized).toBeInstanceOf(AuthenticationError);
    if (!isRelevaErrorOf(unauthorized, "upsertProfiles")) throw new Error("expected a documented error of upsertProfiles");
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.body).toEqual({ message: expect.any(String) });
  });

  it("RudderStack: the 400 body (message) and the 404 body (error) differ, each typed by its status", async () => {
    const rudderstack = createRudderStackClient({ accessToken: "rs-test-token", baseUrl: base("rudderstack") });
    const lookup = { entity: "user", destinationId: "2mXYZ", id: { type: "email", value: "ana@example.com" } };

    const notFound = await caught(rudderstack.profiles.getUserProfiles({ body: lookup }, prefer(404)));
    if (!isRudderStackErrorOf(notFound, "getUserProfiles", 404)) throw new Error(`expected the documented 404, got ${String(notFound)}`);
    expect(typeof notFound.body.error).toBe("string");
    expect(isRudderStackErrorOf(notFound, "deleteUserProfiles")).toBe(false); // another operation's error

    const badRequest = await caught(rudderstack.profiles.getUserProfiles({ body: lookup }, prefer(400)));
    if (!isRudderStackErrorOf(badRequest, "getUserProfiles", 400)) throw new Error(`expected the documented 400, got ${String(badRequest)}`);
    expect(typeof badRequest.body.message).toBe("string");
  });
});
