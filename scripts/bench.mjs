#!/usr/bin/env node
// @ts-check
/**
 * `pnpm bench`: per-call overhead of a generated client (Releva upsert: validation, auth, retry transport,
 * openapi-fetch) against raw `fetch` of the same request to the same local keep-alive HTTP server, measured in
 * one run, sequential and 64 concurrent; plus the wall time of `pnpm generate`. Not part of the tests.
 *
 * Rounds alternate baseline and client so drift in machine load hits both; the ratio is of medians.
 * Options (env): BENCH_CALLS (default 3000), BENCH_ROUNDS (default 5).
 */
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { createRelevaClient } from "activation-kit";
import { repoRoot } from "./prism.mjs";

const CALLS = Number(process.env.BENCH_CALLS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = 64;

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(202, { "content-type": "application/json", "content-length": "2" });
    res.end("{}");
  });
});
server.keepAliveTimeout = 60_000;
await new Promise((r) => server.listen(0, "127.0.0.1", () => r(undefined)));
const address = server.address();
const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

const body = {
  profiles: [
    {
      profile: {
        email: "ana.petrova@example.com",
        firstName: "Ana",
        phoneNumber: "+359888123456",
        consent: "privacyPolicy",
        birthday: "1990-04-12",
        location: { lat: 42.6977, lon: 23.3219 },
        custom: { string: [{ key: "tier", values: ["gold"] }] },
      },
      subscribedAtChanged: false,
    },
  ],
};
const secret = "bench-secret-key";

async function rawCall() {
  const res = await fetch(`${base}/profiles`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 202) throw new Error(`raw: ${res.status}`);
  return res.json();
}

const client = createRelevaClient({ secretKey: secret, baseUrl: base });
const clientCall = () => client.profiles.upsertProfiles({ body });

/** @param {() => Promise<unknown>} call @param {number} concurrency */
async function run(call, concurrency) {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < CALLS) {
        next += 1;
        await call();
      }
    }),
  );
  return performance.now() - t0;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function compare(concurrency) {
  await run(rawCall, concurrency); // warm-up: JIT, connections
  await run(clientCall, concurrency);
  const raw = [];
  const sdk = [];
  for (let i = 0; i < ROUNDS; i++) {
    raw.push(await run(rawCall, concurrency));
    sdk.push(await run(clientCall, concurrency));
  }
  const r = median(raw);
  const c = median(sdk);
  return { raw: r, client: c, ratio: c / r, perCallOverheadUs: ((c - r) / CALLS) * 1000 };
}

console.log(`bench: ${CALLS} calls × ${ROUNDS} rounds per mode, Node ${process.version}, local keep-alive server ${base}`);
for (const [label, concurrency] of [
  ["sequential", 1],
  [`${CONCURRENCY} concurrent`, CONCURRENCY],
]) {
  const r = await compare(/** @type {number} */ (concurrency));
  console.log(
    `  ${String(label).padEnd(14)} raw ${r.raw.toFixed(0)} ms, client ${r.client.toFixed(0)} ms, ratio ${r.ratio.toFixed(3)}×, ` +
      `overhead ${r.perCallOverheadUs.toFixed(1)} µs/call`,
  );
}
server.close();

const t0 = performance.now();
const gen = spawnSync(process.execPath, ["generators/src/cli.mjs"], { cwd: repoRoot, encoding: "utf8" });
if (gen.status !== 0) throw new Error(gen.stderr);
console.log(`  pnpm generate   ${(performance.now() - t0).toFixed(0)} ms wall (5 specs, 196 operations)`);
