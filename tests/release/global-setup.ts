/**
 * One release for the whole run: a real Verdaccio on loopback, the Prism mocks of every vendor, the runtimes of
 * the consumer matrix, and a scratch copy of the repository on which `changeset version` and `changeset publish`
 * ran into that registry. Tests read what it did with `inject("release")`.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import { startMock } from "../../scripts/release/mocks.mjs";
import { publishToLocalRegistry, versionPackages } from "../../scripts/release/publish.mjs";
import { startLocalRegistry } from "../../scripts/release/registry.mjs";
import { resolveRuntimes } from "../../scripts/release/runtimes.mjs";
import { createScratchCopy } from "../../scripts/release/scratch.mjs";
import { repoRoot, vendorPackages } from "../../scripts/release/workspace.mjs";

export interface ReleaseContext {
  registryUrl: string;
  registryToken: string;
  work: string;
  scratch: string;
  npmCache: string;
  bumped: { name: string; from: string; to: string }[];
  published: string[];
  publishOutput: string;
  mockUrls: Record<string, string>;
  runtimes: Record<string, string>;
  chromium: string;
  setupSeconds: Record<string, number>;
}

declare module "vitest" {
  export interface ProvidedContext {
    release: ReleaseContext;
  }
}

const run = promisify(execFile);

export default async function setup(project: TestProject) {
  const started = performance.now();
  const seconds: Record<string, number> = {};
  const timed = async <T>(label: string, job: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    try {
      return await job();
    } finally {
      seconds[label] = Math.round((performance.now() - t) / 100) / 10;
    }
  };
  const work = mkdtempSync(join(tmpdir(), "ak-release-"));
  const registryP = timed("verdaccio start", () => startLocalRegistry());
  let mockStarts: Promise<{ slug: string; mock: { url: string; stop: () => void } }>[] = [];
  const runtimesP = timed("runtimes (npm exec)", () => resolveRuntimes());
  const chromiumP = timed("chromium", async () => (await run("bash", [join(repoRoot, "scripts", "ensure-chromium.sh")])).stdout.trim());
  const stops: (() => unknown)[] = [];
  try {
    const scratch = await timed("scratch copy + pnpm install", () => createScratchCopy({ from: repoRoot, dir: join(work, "repo") }));
    const registry = await registryP;
    stops.push(() => registry.stop());
    const bumped = await timed("changeset version", () => versionPackages(scratch));
    const npmrc = registry.writeNpmrc(registry.dir);
    const { published, output } = await timed("changeset publish", () => publishToLocalRegistry({ dir: scratch, registryUrl: registry.url, npmrc }));
    // Prism starts after the publish: on 2 busy cores, starting five mocks beside pnpm and changesets is what
    // makes either slow.
    mockStarts = vendorPackages().map(async (v) => ({ slug: v.slug, mock: await startMock(v.slug) }));
    const mocks = await timed("prism mocks start", () => Promise.all(mockStarts));
    for (const m of mocks) stops.push(() => m.mock.stop());
    const [runtimes, chromium] = await Promise.all([runtimesP, chromiumP]);
    seconds["setup total"] = Math.round((performance.now() - started) / 100) / 10;
    console.log(`release setup: ${Object.entries(seconds).map(([k, v]) => `${k} ${v}s`).join(", ")}`);
    project.provide("release", {
      registryUrl: registry.url,
      registryToken: registry.token,
      work,
      scratch,
      npmCache: join(work, "npm-cache"),
      bumped,
      published,
      publishOutput: output,
      mockUrls: Object.fromEntries(mocks.map((m) => [m.slug, m.mock.url])),
      runtimes,
      chromium,
      setupSeconds: seconds,
    });
  } catch (e) {
    for (const stop of stops.reverse()) await stop();
    for (const m of await Promise.allSettled(mockStarts)) if (m.status === "fulfilled") m.value.mock.stop();
    throw e;
  }
  return async () => {
    for (const stop of stops.reverse()) await stop();
    rmSync(work, { recursive: true, force: true });
  };
}
