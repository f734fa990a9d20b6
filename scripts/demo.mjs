#!/usr/bin/env node
// @ts-check
/**
 * The main job (README command 1): through the `activation-kit` facade, upsert two profiles to Releva, then
 * read and delete one profile on RudderStack, printing what was sent and what came back.
 *
 * With RELEVA_SECRET_KEY, RUDDERSTACK_ACCESS_TOKEN and RUDDERSTACK_DESTINATION_ID set, it calls the real APIs
 * (RELEVA_REALM and RUDDERSTACK_REGION=eu optional). Otherwise it starts Prism mocks of both specs on loopback
 * with `startMock` from @activation-kit/testing and runs against them. Credentials are never printed: requests
 * are shown without headers.
 */
import { createRelevaClient, createRudderStackClient, ActivationKitError } from "activation-kit";
import { startMock } from "@activation-kit/testing";

const env = process.env;
const live = Boolean(env.RELEVA_SECRET_KEY && env.RUDDERSTACK_ACCESS_TOKEN && env.RUDDERSTACK_DESTINATION_ID);

/** A fetch that prints each exchange (method, URL, JSON body both ways), never headers. */
function printingFetch(label) {
  /** @type {typeof fetch} */
  return async (input, init) => {
    const request = new Request(input, init);
    const sent = request.body ? await request.clone().text() : "";
    console.log(`\n→ ${label}: ${request.method} ${request.url}`);
    if (sent) console.log(indent(pretty(sent)));
    const response = await fetch(request);
    const received = await response.clone().text();
    console.log(`← ${response.status} ${response.statusText}`);
    if (received) console.log(indent(pretty(received)));
    return response;
  };
}

const pretty = (text) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};
const indent = (text) => text.replace(/^/gm, "    ");

async function main() {
  /** @type {import("@activation-kit/testing").MockServer[]} */
  const mocks = [];
  try {
    let releva;
    let rudderstack;
    let destinationId;
    if (live) {
      console.log("Vendor credentials found: calling the real Releva and RudderStack APIs.");
      releva = createRelevaClient({ secretKey: env.RELEVA_SECRET_KEY ?? "", realm: env.RELEVA_REALM, fetch: printingFetch("Releva") });
      rudderstack = createRudderStackClient({
        accessToken: env.RUDDERSTACK_ACCESS_TOKEN ?? "",
        region: env.RUDDERSTACK_REGION === "eu" ? "eu" : "us",
        fetch: printingFetch("RudderStack"),
      });
      destinationId = env.RUDDERSTACK_DESTINATION_ID ?? "";
    } else {
      console.log("No vendor credentials in the environment: starting embedded Prism mocks of the specs…");
      const [relevaMock, rudderMock] = await Promise.all([startMock("releva"), startMock("rudderstack")]);
      mocks.push(relevaMock, rudderMock);
      console.log(`  Releva mock:      ${relevaMock.baseUrl}\n  RudderStack mock: ${rudderMock.baseUrl}`);
      releva = createRelevaClient({ secretKey: "demo-secret-key", baseUrl: relevaMock.baseUrl, fetch: printingFetch("Releva") });
      rudderstack = createRudderStackClient({ accessToken: "demo-access-token", baseUrl: rudderMock.baseUrl, fetch: printingFetch("RudderStack") });
      destinationId = "2Mq8sGd7S3vVuQ9bXkPpNzE4aT1";
    }

    console.log("\n1. Releva: upsert two profiles");
    const upserted = await releva.profiles.upsertProfiles({
      body: {
        profiles: [
          {
            profile: {
              email: "ana.petrova@example.com",
              firstName: "Ana",
              lastName: "Petrova",
              phoneNumber: "+359888123456",
              consent: "privacyPolicy",
              birthday: "1990-04-12",
              location: { lat: 42.6977, lon: 23.3219 },
              addTags: ["vip"],
              custom: { string: [{ key: "tier", values: ["gold"] }] },
            },
            subscribedAtChanged: false,
          },
          { profile: { phoneNumber: "+4915112345678", firstName: "Jonas", subscriptions: ["weeklyNewsletter"] } },
        ],
      },
    });
    console.log(`   result: ${JSON.stringify(upserted)} (accepted)`);

    const lookup = { entity: "user", destinationId, id: { type: "email", value: "alex@example.com" } };
    console.log("\n2. RudderStack: read a profile's traits");
    const profile = await rudderstack.profiles.getUserProfiles({ body: lookup });
    console.log(`   traits: ${JSON.stringify(profile.data)}`);

    console.log("\n3. RudderStack: delete that profile");
    const deleted = await rudderstack.profiles.deleteUserProfiles({ body: lookup });
    console.log(`   deleted ${deleted.deletedKeys} of ${deleted.actualKeys} keys`);

    console.log("\n4. Bad input is rejected before anything is sent:");
    try {
      await releva.profiles.upsertProfiles({ body: { profiles: [{ profile: { phoneNumber: "123" } }] } });
    } catch (e) {
      console.log(`   ${e instanceof ActivationKitError ? e.name : "Error"}: ${e instanceof Error ? e.message : e}`.replace(/\n/g, "\n   "));
    }
    console.log("\nDone.");
  } finally {
    await Promise.all(mocks.map((m) => m.close()));
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
