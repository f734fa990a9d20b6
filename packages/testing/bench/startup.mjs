#!/usr/bin/env node
// @ts-check
/**
 * Start-up time of a mock per vendor: `startMock(vendor)` against the baseline `prism mock --errors <spec>`
 * (the CLI of the same pinned Prism, NODE_ENV=production), alternated in the same run so machine load hits
 * both alike. Prints the median seconds of each and their ratio. Run after a build:
 *   node packages/testing/bench/startup.mjs [rounds=3] [vendor…]
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { startMock, vendorNames } from "../dist/index.js";

const [roundsArg, ...picked] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 3);
const vendors = picked.length > 0 ? picked : vendorNames;
const require = createRequire(import.meta.url);
const prismCli = require.resolve("@stoplight/prism-cli/dist/index.js");

/** Seconds until the CLI says it listens (then it is stopped). */
function cliStart(/** @type {string} */ spec) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [prismCli, "mock", "--host", "127.0.0.1", "--port", "0", "--errors", spec], {
      env: { ...process.env, NODE_ENV: "production", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    const onData = (/** @type {Buffer} */ chunk) => {
      log += chunk.toString();
      if (!log.includes("Prism is listening")) return;
      const seconds = (performance.now() - started) / 1000;
      child.kill("SIGKILL");
      resolve(seconds);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => (code === null ? undefined : reject(new Error(`prism exited ${code}: ${log}`))));
  });
}

async function mockStart(/** @type {any} */ vendor) {
  const started = performance.now();
  const mock = await startMock(vendor);
  const seconds = (performance.now() - started) / 1000;
  await mock.close();
  return { seconds, spec: mock.specPath };
}

const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`vendor            startMock   prism mock   ratio   (median of ${rounds})`);
for (const vendor of vendors) {
  /** @type {number[]} */ const ours = [];
  /** @type {number[]} */ const cli = [];
  for (let i = 0; i < rounds; i++) {
    const { seconds, spec } = await mockStart(vendor);
    ours.push(seconds);
    cli.push(/** @type {number} */ (await cliStart(spec)));
  }
  const a = median(ours);
  const b = median(cli);
  console.log(`${vendor.padEnd(16)} ${a.toFixed(2).padStart(8)} s ${b.toFixed(2).padStart(9)} s ${(a / b).toFixed(2).padStart(7)}`);
}
