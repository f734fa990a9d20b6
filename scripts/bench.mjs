#!/usr/bin/env node
// @ts-check
/**
 * `pnpm bench`: what a call costs, measured in one run against the same local keep-alive HTTP server, every
 * number a ratio to the hand-written baseline (raw `fetch` + `res.json()`, no validation) measured in the same
 * run, sequential and 64 concurrent:
 *   raw fetch · raw fetch with a timeout signal · openapi-fetch alone · undici `request` (Node's built-in dispatcher) ·
 *   activation-kit, fetch transport · activation-kit, Node transport (the default on Node)
 * The activation-kit calls do everything a real call does: validation, auth, retry policy, typed errors.
 * Then: memory over 100,000 calls at concurrency 64 (RSS sampled; flat means no growth after warm-up), the
 * bundle-size and import-time tables (scripts/size.mjs, when present), and the wall time of `pnpm generate`.
 * Not part of the tests: a benchmark, never a timed test.
 *
 * Rounds alternate the contenders so drift in machine load hits all of them; each ratio is of medians.
 * Options (env): BENCH_CALLS (default 3000), BENCH_ROUNDS (default 5), BENCH_MEMORY_CALLS (default 100000; 0 skips).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import createClient from "openapi-fetch";
import { createRelevaClient } from "activation-kit";
import { repoRoot } from "./prism.mjs";

const CALLS = Number(process.env.BENCH_CALLS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MEMORY_CALLS = Number(process.env.BENCH_MEMORY_CALLS ?? 100_000);
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
const headers = { "content-type": "application/json", authorization: `Bearer ${secret}` };

/** The hand-written call every ratio is measured against. */
async function rawFetch() {
  const res = await fetch(`${base}/profiles`, { method: "POST", headers, body: JSON.stringify(body) });
  if (res.status !== 202) throw new Error(`raw: ${res.status}`);
  return res.json();
}

/**
 * The same hand-written call with the least a timeout takes: its own `AbortSignal.timeout`. Not the baseline; it
 * shows what a fetch-path client that can time a call out pays before doing anything else.
 */
async function rawFetchWithTimeout() {
  const res = await fetch(`${base}/profiles`, { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
  if (res.status !== 202) throw new Error(`raw with timeout: ${res.status}`);
  return res.json();
}

const openapiFetchClient = createClient({ baseUrl: base, headers: { authorization: `Bearer ${secret}` } });
async function openapiFetch() {
  const { response } = await openapiFetchClient.POST(/** @type {any} */ ("/profiles"), { body });
  if (response.status !== 202) throw new Error(`openapi-fetch: ${response.status}`);
}

// Node's own undici dispatcher (the one its fetch uses), reached as activation-kit reaches it.
await fetch(`${base}/profiles`, { method: "POST", headers, body: "{}" }).then((r) => r.arrayBuffer());
const dispatcher = /** @type {any} */ (globalThis)[Symbol.for("undici.globalDispatcher.1")];
async function undiciRequest() {
  const res = await dispatcher.request({ origin: base, path: "/profiles", method: "POST", headers, body: JSON.stringify(body) });
  if (res.statusCode !== 202) throw new Error(`undici: ${res.statusCode}`);
  return res.body.json();
}

const fetchClient = createRelevaClient({ secretKey: secret, baseUrl: base, transport: "fetch" });
const nodeClient = createRelevaClient({ secretKey: secret, baseUrl: base, transport: "node" });
const viaFetch = () => fetchClient.profiles.upsertProfiles({ body });
const viaNode = () => nodeClient.profiles.upsertProfiles({ body });

/** @param {() => Promise<unknown>} call @param {number} concurrency @param {number} calls */
async function run(call, concurrency, calls = CALLS) {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        next += 1;
        await call();
      }
    }),
  );
  return performance.now() - t0;
}

const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const contenders = /** @type {const} */ ([
  ["raw fetch (baseline)", rawFetch],
  ["raw fetch + AbortSignal.timeout", rawFetchWithTimeout],
  ["openapi-fetch alone", openapiFetch],
  ["undici request", undiciRequest],
  ["activation-kit, fetch transport", viaFetch],
  ["activation-kit, Node transport", viaNode],
]);

/** @param {number} concurrency */
async function compare(concurrency) {
  for (const [, call] of contenders) await run(call, concurrency, Math.min(CALLS, 1000)); // warm-up: JIT, connections
  /** @type {number[][]} */
  const times = contenders.map(() => []);
  // Each round starts with the next contender: whoever runs first after another contender's calls (its garbage, the
  // connection pool it left) must not always be the same one.
  for (let i = 0; i < ROUNDS; i++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = (i + k) % contenders.length;
      times[c].push(await run(contenders[c][1], concurrency));
    }
  }
  const baseline = median(times[0]);
  return contenders.map(([name], c) => ({ name, perCallUs: (median(times[c]) / CALLS) * 1000, ratio: median(times[c]) / baseline }));
}

console.log(`bench: ${CALLS} calls × ${ROUNDS} rounds per contender, Node ${process.version}, local keep-alive server`);
const sequential = await compare(1);
const concurrent = await compare(CONCURRENCY);
console.log(`  ${"per call, Releva upsert".padEnd(34)} ${"sequential".padStart(20)} ${`${CONCURRENCY} concurrent`.padStart(20)}`);
for (let i = 0; i < contenders.length; i++) {
  const cell = (/** @type {{perCallUs: number, ratio: number}} */ r) => `${r.ratio.toFixed(2)}× (${r.perCallUs.toFixed(0)} µs)`.padStart(20);
  console.log(`  ${sequential[i].name.padEnd(34)} ${cell(sequential[i])} ${cell(concurrent[i])}`);
}

if (MEMORY_CALLS > 0) {
  // RSS after a warm-up, then sampled every 10 % of the run: growth that does not level off is a leak.
  global.gc?.();
  await run(viaNode, CONCURRENCY, 10_000);
  const samples = [];
  const start = process.memoryUsage().rss;
  let peak = start;
  const chunk = Math.max(1, Math.floor(MEMORY_CALLS / 10));
  for (let done = 0; done < MEMORY_CALLS; done += chunk) {
    await run(viaNode, CONCURRENCY, chunk);
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    samples.push(rss);
  }
  const mb = (/** @type {number} */ b) => (b / 1024 / 1024).toFixed(1);
  const lastHalf = samples.slice(samples.length / 2);
  const drift = Math.max(...lastHalf) - Math.min(...lastHalf);
  console.log(
    `  memory: ${MEMORY_CALLS} calls at concurrency ${CONCURRENCY} (Node transport): RSS ${mb(start)} MB after warm-up, ` +
      `peak ${mb(peak)} MB, end ${mb(samples.at(-1) ?? start)} MB; spread over the second half ${mb(drift)} MB`,
  );
  console.log(`          samples (MB): ${samples.map(mb).join(" ")}`);
}
server.close();

const sizeScript = join(repoRoot, "scripts", "size.mjs");
if (existsSync(sizeScript)) {
  const size = spawnSync(process.execPath, [sizeScript, "--report-only"], { cwd: repoRoot, encoding: "utf8" });
  process.stdout.write(size.stdout);
  if (size.status !== 0) process.stderr.write(size.stderr);
}

const t0 = performance.now();
const gen = spawnSync(process.execPath, ["generators/src/cli.mjs"], { cwd: repoRoot, encoding: "utf8" });
if (gen.status !== 0) throw new Error(gen.stderr);
console.log(`  pnpm generate: ${(performance.now() - t0).toFixed(0)} ms wall (${gen.stdout.trim().split("\n").at(-1)})`);
process.exit(0);
