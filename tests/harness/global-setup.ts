/**
 * Starts one real Prism mock per spec listed in redocly.yaml (see scripts/prism.mjs), each on a free loopback
 * port, with request validation on and `--errors`. Tests read the ports with `inject("prismPorts")`.
 */
import type { TestProject } from "vitest/node";
import { repoRoot as root, specSlugs as slugs, startPrism } from "../../scripts/prism.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    prismPorts: Record<string, number>;
  }
}

export const repoRoot: string = root;
export const specSlugs: () => string[] = slugs;

export default async function setup(project: TestProject) {
  const mocks = await Promise.all(specSlugs().map((slug) => startPrism(slug)));
  project.provide("prismPorts", Object.fromEntries(mocks.map((m) => [m.slug, m.port])));
  return () => {
    for (const m of mocks) m.stop();
  };
}
