/**
 * The TypeScript sample of every operation in the reference site (`x-codeSamples` labelled "activation-kit" in
 * docs/site/<slug>/openapi.json, written by `pnpm docs:build`) compiles against the built packages: all of them
 * in one strict `tsc --noEmit`, from a folder inside the tests workspace so `@activation-kit/*` resolve to the
 * workspace packages. A sample that fails names its vendor and operation. Two deliberately wrong copies prove
 * the check can fail.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { specSlugs } from "../../scripts/prism.mjs";

type Json = Record<string, any>;

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..");
const siteDir = join(repoRoot, "docs", "site");
const workDir = join(here, ".snippets");
const LABEL = "activation-kit";
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

function operationsOf(doc: Json): Json[] {
  return Object.values<Json>(doc.paths ?? {}).flatMap((item) => METHODS.filter((m) => item[m]).map((m) => item[m]));
}

function readJson(file: string): Json {
  if (!existsSync(file)) throw new Error(`${relative(repoRoot, file)} is missing: run pnpm docs:build`);
  return JSON.parse(readFileSync(file, "utf8"));
}

interface Sample {
  slug: string;
  operationId: string;
  source: string;
}

function samplesOf(slug: string): Sample[] {
  const doc = readJson(join(siteDir, slug, "openapi.json"));
  return operationsOf(doc).map((op) => {
    const ours = (op["x-codeSamples"] ?? []).filter((s: Json) => s.label === LABEL);
    if (ours.length !== 1) throw new Error(`${slug} ${op.operationId}: ${ours.length} "${LABEL}" samples, expected 1`);
    expect(ours[0].lang).toBe("TypeScript");
    return { slug, operationId: op.operationId, source: ours[0].source };
  });
}

describe("TypeScript samples in the reference site", () => {
  const slugs = specSlugs();

  it.each(slugs)("%s: the docs' spec is the shipped spec plus one activation-kit sample per operation", (slug) => {
    const shipped = readJson(join(repoRoot, "packages", slug, "openapi.json"));
    const docs = readJson(join(siteDir, slug, "openapi.json"));
    const samples = samplesOf(slug);
    expect(samples.map((s) => s.operationId)).toEqual(operationsOf(shipped).map((op) => op.operationId));
    // The shipped spec never carries the docs' samples; stripping them from the docs' copy gives it back exactly.
    for (const op of operationsOf(shipped)) expect(op["x-codeSamples"] ?? []).not.toContainEqual(expect.objectContaining({ label: LABEL }));
    for (const op of operationsOf(docs)) {
      op["x-codeSamples"] = op["x-codeSamples"].filter((s: Json) => s.label !== LABEL);
      if (op["x-codeSamples"].length === 0) delete op["x-codeSamples"];
    }
    const { "x-generated": _generated, ...bundled } = shipped;
    expect(docs).toEqual(bundled);
  });

  it("every sample type-checks against the built packages (one strict tsc --noEmit)", () => {
    for (const slug of slugs) {
      const types = join(repoRoot, "packages", slug, "dist", "index.d.ts");
      if (!existsSync(types)) throw new Error(`${relative(repoRoot, types)} is missing: build the packages first (pnpm build)`);
    }
    const samples = slugs.flatMap(samplesOf);
    rmSync(workDir, { recursive: true, force: true });
    const files = new Map<string, string>();
    const write = (rel: string, source: string, name: string) => {
      const file = join(workDir, rel);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, source);
      files.set(rel.split(sep).join("/"), name);
    };
    for (const s of samples) write(join(s.slug, `${s.operationId}.ts`), s.source, `${s.slug} ${s.operationId}`);

    // Controls: copies of a sample with params, one calling a misspelt operation, one passing a parameter the
    // operation does not have. Each must fail, or the check is not checking anything.
    const base = samples.find((s) => s.source.includes(`.${s.operationId}({`));
    if (!base) throw new Error("no sample with params to derive the controls from");
    const call = `.${base.operationId}(`;
    write(join("_controls", "misspelt-operation.ts"), base.source.replace(call, `.${base.operationId}Typo(`), "control: misspelt operation");
    write(join("_controls", "unknown-parameter.ts"), base.source.replace(`${call}{`, `${call}{\n    notAParameter: true,`), "control: unknown parameter");
    writeFileSync(
      join(workDir, "tsconfig.json"),
      JSON.stringify(
        {
          extends: "../../../tsconfig.base.json",
          compilerOptions: { noEmit: true, strict: true, declaration: false, declarationMap: false, sourceMap: false, types: ["node"] },
          include: ["**/*.ts"],
        },
        null,
        2,
      ),
    );

    const tsc = createRequire(join(repoRoot, "tests", "package.json")).resolve("typescript/bin/tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json", "--pretty", "false"], { cwd: workDir, encoding: "utf8" });
    const errors = new Map<string, string[]>();
    for (const line of `${run.stdout}${run.stderr}`.split("\n")) {
      const m = /^(.+?\.ts)\(\d+,\d+\): error (TS\d+: .*)$/.exec(line);
      if (!m) continue;
      const name = files.get(m[1]) ?? m[1];
      errors.set(name, [...(errors.get(name) ?? []), m[2]]);
    }
    if (run.status !== 0 && errors.size === 0) throw new Error(`tsc failed without file errors:\n${run.stdout}${run.stderr}`);

    expect(errors.has("control: misspelt operation"), "a call to a misspelt operation must not compile").toBe(true);
    expect(errors.has("control: unknown parameter"), "a call with an unknown parameter must not compile").toBe(true);
    const failing = [...errors].filter(([name]) => !name.startsWith("control:")).map(([name, errs]) => `${name}: ${errs.join(" | ")}`);
    console.log(`docs samples type-checked: ${samples.length - failing.length}/${samples.length}`);
    expect(failing, `TypeScript samples that do not compile:\n${failing.join("\n")}`).toEqual([]);
  });
});
