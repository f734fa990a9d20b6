/**
 * The harness must be able to fail: a request that breaks the spec, sent with client-side validation switched
 * off, is caught by the real Prism mock (an error status and an `sl-violations` header), so the contract tests
 * would fail on it.
 */
import { createRelevaClient } from "@activation-kit/releva";
import { createRudderStackClient } from "@activation-kit/rudderstack";
import { UnprocessableEntityError, BadRequestError } from "@activation-kit/core";
import { expect, inject, it } from "vitest";
import { recordingFetch } from "../harness/recording-fetch.js";

it("Prism rejects a request that violates the spec (validation off on the client)", async () => {
  const rec = recordingFetch();
  const releva = createRelevaClient({
    secretKey: "releva-test-secret",
    baseUrl: `http://127.0.0.1:${inject("prismPorts").releva}`,
    ...rec.client,
    validate: false,
    maxRetries: 0,
  });
  const error = await releva.profiles
    .upsertProfiles({ body: { profiles: [{ profile: { phoneNumber: "123" } }] } })
    .then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expect([BadRequestError, UnprocessableEntityError].some((c) => error instanceof c)).toBe(true);
  expect(rec.exchanges).toHaveLength(1);
  expect(rec.exchanges[0].violations).toBeTruthy();
});

it("Prism rejects a request without credentials where the spec requires them", async () => {
  const rec = recordingFetch();
  const rs = createRudderStackClient({ accessToken: "x-token", baseUrl: `http://127.0.0.1:${inject("prismPorts").rudderstack}`, ...rec.client, maxRetries: 0 });
  // Bypass the runtime's auth by calling the mock directly through the recording fetch.
  const res = await rec.fetch(`${rs.runtime.baseUrl}/activation`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ entity: "user", destinationId: "d", id: { type: "email", value: "a@b.co" } }),
  });
  expect(res.status).toBe(401);
});
