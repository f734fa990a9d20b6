/**
 * Starts one real Prism mock per spec listed in redocly.yaml (bundled: packages/<slug>/openapi.json), each on a
 * free loopback port, with request validation on and `--errors` (violations become errors). Tests read the
 * ports with `inject("prismPorts")`. Everything is stopped in teardown.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { parse } from "yaml";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

declare module "vitest" {
  export interface ProvidedContext {
    prismPorts: Record<string, number>;
  }
}

export function specSlugs(): string[] {
  const config = parse(readFileSync(join(repoRoot, "redocly.yaml"), "utf8")) as { apis: Record<string, unknown> };
  return Object.keys(config.apis).map((name) => name.split("@")[0]);
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

function startPrism(slug: string, port: number): Promise<ChildProcess> {
  const bin = join(repoRoot, "node_modules", ".bin", "prism");
  const spec = join(repoRoot, "packages", slug, "openapi.json");
  const child = spawn(bin, ["mock", "--host", "127.0.0.1", "--port", String(port), "--errors", spec], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "production", FORCE_COLOR: "0" },
  });
  return new Promise((res, rej) => {
    let log = "";
    const timer = setTimeout(() => rej(new Error(`Prism for ${slug} did not start in 90 s:\n${log}`)), 90_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("Prism is listening")) {
        clearTimeout(timer);
        res(child);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      rej(new Error(`Prism for ${slug} exited with ${code}:\n${log}`));
    });
  });
}

export default async function setup(project: TestProject) {
  const slugs = specSlugs();
  const ports: Record<string, number> = {};
  const children: ChildProcess[] = [];
  await Promise.all(
    slugs.map(async (slug) => {
      const port = await freePort();
      children.push(await startPrism(slug, port));
      ports[slug] = port;
    }),
  );
  project.provide("prismPorts", ports);
  return async () => {
    for (const c of children) {
      c.removeAllListeners("exit");
      c.kill("SIGTERM");
    }
  };
}
