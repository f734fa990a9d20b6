// @ts-check
/**
 * Smoke test of the published artifacts: run by scripts/smoke-packed.sh from a temp project where the packed
 * tarballs (not the workspace) are installed. Uses only the public entry points and a local HTTP server.
 */
import { createServer } from "node:http";
import { createRelevaClient, RequestValidationError, AuthenticationError } from "activation-kit";
import { createRudderStackClient } from "activation-kit/rudderstack";
import { createRelay42Client } from "@activation-kit/relay42";
import { createContacthubClient } from "@activation-kit/contacthub";
import { createMarigoldEngageClient } from "@activation-kit/marigold-engage";

let requests = 0;
const server = createServer((req, res) => {
  requests += 1;
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const auth = req.headers.authorization ?? "";
    if (auth !== "Bearer smoke-secret") {
      res.writeHead(401, { "content-type": "application/json" });
      return res.end(JSON.stringify({ message: "Unauthorized" }));
    }
    res.writeHead(202, { "content-type": "application/json" });
    res.end("{}");
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", () => r(undefined)));
const address = server.address();
const baseUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

const check = (cond, what) => {
  if (!cond) throw new Error(`smoke: ${what}`);
  console.log(`  ok ${what}`);
};

const releva = createRelevaClient({ secretKey: "smoke-secret", baseUrl });
check(JSON.stringify(await releva.profiles.upsertProfiles({ body: { profiles: [{ profile: { email: "a@example.com" } }] } })) === "{}", "upsert resolves to {}");
const invalid = await releva.profiles.upsertProfiles({ body: { profiles: [{ profile: { phoneNumber: "123" } }] } }).catch((e) => e);
check(invalid instanceof RequestValidationError && requests === 1, "bad input rejected before sending");
const wrong = createRelevaClient({ secretKey: "wrong-secret-value", baseUrl, maxRetries: 0 });
const denied = await wrong.profiles.upsertProfiles({ body: { profiles: [{ profile: { email: "a@example.com" } }] } }).catch((e) => e);
check(denied instanceof AuthenticationError && !String(denied.message).includes("wrong-secret-value"), "401 is a typed error without the secret");
check(typeof createRudderStackClient === "function" && typeof createRelay42Client === "function", "subpath and vendor exports load");
check(typeof createContacthubClient === "function" && typeof createMarigoldEngageClient === "function", "every vendor package loads");
server.close();
console.log(`smoke passed on Node ${process.version}`);
