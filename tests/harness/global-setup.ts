/**
 * Starts one real Prism mock per spec listed in redocly.yaml with `startMock` from @activation-kit/testing (the
 * API users get for their own tests), each on a free loopback port, with request validation on and `--errors`.
 * Tests read the ports with `inject("prismPorts")`.
 */
import { startMock, type Vendor } from "@activation-kit/testing";
import type { TestProject } from "vitest/node";
import { repoRoot as root, specSlugs as slugs } from "../../scripts/prism.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    prismPorts: Record<string, number>;
  }
}

export const repoRoot: string = root;
export const specSlugs: () => string[] = slugs;

export default async function setup(project: TestProject) {
  const mocks = await Promise.all(specSlugs().map((slug) => startMock(slug as Vendor)));
  project.provide("prismPorts", Object.fromEntries(mocks.map((m) => [m.vendor, m.port])));
  return async () => {
    await Promise.all(mocks.map((m) => m.close()));
  };
}
