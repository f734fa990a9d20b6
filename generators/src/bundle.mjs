// @ts-check
/** Reads redocly.yaml's `apis:` and bundles one spec into a single document with internal refs only. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { bundle, loadConfig } from "@redocly/openapi-core";
import { parse } from "yaml";

/** @returns {Promise<{slug: string, name: string, root: string}[]>} */
export async function listApis(root) {
  const config = parse(await readFile(join(root, "redocly.yaml"), "utf8"));
  return Object.entries(config.apis ?? {}).map(([name, api]) => ({
    name,
    slug: name.split("@")[0],
    root: join(root, /** @type {{root: string}} */ (api).root),
  }));
}

let configPromise;

export async function bundleSpec(root, api) {
  configPromise ??= loadConfig({ configPath: join(root, "redocly.yaml") });
  const config = await configPromise;
  const result = await bundle({ ref: api.root, config, dereference: false, removeUnusedComponents: false });
  const errors = result.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) {
    throw new Error(`Bundling ${api.root} failed:\n${errors.map((p) => `  ${p.message}`).join("\n")}`);
  }
  return result.bundle.parsed;
}
