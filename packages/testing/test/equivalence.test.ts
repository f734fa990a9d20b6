/**
 * startMock runs Prism's server without its CLI (and loads the fake-data generator lazily): it must answer
 * exactly as `prism mock --errors -d --seed S` of the same pinned Prism does. Every GET and DELETE operation of
 * the Marigold Engage API, seeded dynamic answers (the path where the lazily loaded generator is used), status
 * and body compared byte for byte.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startMock, type MockServer } from "../src/index.js";
import { freePort } from "./free-port.js";

const require = createRequire(import.meta.url);
const SEED = "20240603";

let mock: MockServer;
let cli: ChildProcess;
let cliUrl: string;

beforeAll(async () => {
  mock = await startMock("marigold-engage", { repeatable: SEED });
  const port = await freePort();
  cliUrl = `http://127.0.0.1:${port}`;
  cli = spawn(
    process.execPath,
    [require.resolve("@stoplight/prism-cli/dist/index.js"), "mock", "--host", "127.0.0.1", "--port", String(port), "--errors", "-d", "--seed", SEED, mock.specPath],
    { env: { ...process.env, NODE_ENV: "production", FORCE_COLOR: "0" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    let log = "";
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.includes("Prism is listening")) resolve();
    };
    cli.stdout!.on("data", onData);
    cli.stderr!.on("data", onData);
    cli.once("exit", (code) => reject(new Error(`prism mock exited ${code}:\n${log}`)));
  });
}, 120_000);

afterAll(async () => {
  cli?.kill("SIGKILL");
  await mock?.close();
});

it("answers every GET and DELETE operation exactly like `prism mock` with the same seed", async () => {
  const doc = JSON.parse(readFileSync(mock.specPath, "utf8")) as { paths: Record<string, Record<string, unknown>> };
  const headers = { "x-apikey": "test-key:test-secret" };
  const compared: string[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of ["get", "delete"]) {
      if (!item[method]) continue;
      const path = template.replace(/\{[^}]+\}/g, "497f6eca-6276-4993-bfeb-53cbbbba6f08");
      const [ours, theirs] = await Promise.all(
        [mock.baseUrl, cliUrl].map(async (base) => {
          const r = await fetch(base + path, { method, headers });
          return `${r.status} ${await r.text()}`;
        }),
      );
      expect(ours, `${method.toUpperCase()} ${path}`).toBe(theirs);
      compared.push(ours);
    }
  }
  expect(compared.length).toBeGreaterThanOrEqual(15);
  // Generated answers, not only error responses.
  expect(compared.filter((a) => a.startsWith("200 ")).length).toBeGreaterThanOrEqual(10);
});
