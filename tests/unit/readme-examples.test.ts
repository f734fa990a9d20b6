/**
 * Every ```ts block of README.md and packages/<pkg>/README.md is type-checked the way a user would compile it:
 * strict, `module: nodenext`, against the built packages (their `exports` maps and `dist/*.d.ts`), in a scratch
 * project whose node_modules holds only the package that README tells the user to `npm install` (plus
 * @types/node). So an example that imports a package the user never installed, or a name the installed package
 * does not export, or calls an operation by a name the client does not have, fails here.
 *
 * Each README's imports must also come from that package (or its subpaths): the pnpm workspace can resolve
 * `@activation-kit/core` from a vendor package's directory, a user's project cannot.
 *
 * A block that is a fragment on purpose is marked ```ts no-compile: <reason>; the reason is required.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../harness/global-setup.js";

interface Block {
  line: number; // 1-based line of the first code line in the README
  code: string;
  /** False for a block marked ```ts no-compile: <reason> (its imports are still checked). */
  compile: boolean;
}

interface Readme {
  path: string; // relative to the repo
  /** The packages the README tells the user to install (`npm install …`). */
  installs: string[];
  blocks: Block[];
  skipped: { line: number; info: string }[];
}

/** Public packages of the workspace by name → directory. */
const packageDirs = new Map<string, string>();
for (const dir of readdirSync(join(repoRoot, "packages"))) {
  const file = join(repoRoot, "packages", dir, "package.json");
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, "utf8")) as { name: string; private?: boolean };
  if (!pkg.private) packageDirs.set(pkg.name, join(repoRoot, "packages", dir));
}

function readReadme(path: string): Readme {
  const text = readFileSync(join(repoRoot, path), "utf8");
  const lines = text.split("\n");
  const blocks: Block[] = [];
  const skipped: Readme["skipped"] = [];
  const installs = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [lang, info] = [open[1], open[2]];
    let end = i + 1;
    while (end < lines.length && !lines[end].startsWith("```")) end++;
    const body = lines.slice(i + 1, end);
    if (["sh", "bash", "shell", "console"].includes(lang)) {
      for (const l of body) for (const m of l.matchAll(/\b(?:npm install|npm i|pnpm add|yarn add)\s+([^#\n]+)/g)) {
        // `@scope/name@1.2.3` → `@scope/name`; flags (`-D`) are not packages.
        for (const name of m[1].trim().split(/\s+/)) if (!name.startsWith("-")) installs.add(name.replace(/(.)@.*$/, "$1"));
      }
    }
    if (lang === "ts" || lang === "typescript") {
      const compile = !/^no-compile\b/.test(info);
      if (!compile) skipped.push({ line: i + 1, info });
      blocks.push({ line: i + 2, code: body.join("\n"), compile });
    }
    i = end;
  }
  // The repository README shows the facade (it has no install line of its own); a package README without one
  // shows its own package.
  if (installs.size === 0) {
    const own = path === "README.md" ? "activation-kit" : JSON.parse(readFileSync(join(repoRoot, dirname(path), "package.json"), "utf8")).name;
    installs.add(own);
  }
  return { path, installs: [...installs], blocks, skipped };
}

const readmes = [
  "README.md",
  ...readdirSync(join(repoRoot, "packages"))
    .map((d) => `packages/${d}/README.md`)
    .filter((p) => existsSync(join(repoRoot, p))),
].map(readReadme);

/** Module specifiers a block imports or re-exports (static and dynamic). */
function importsOf(code: string): string[] {
  const source = ts.createSourceFile("block.ts", code, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push(node.moduleSpecifier.text);
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0])) {
      out.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/**
 * A package from the npm registry a README installs beside ours (`vitest` in the "Testing your integration"
 * sections): the version this repository pins, from its root node_modules.
 */
function thirdParty(name: string): string | undefined {
  const dir = join(repoRoot, "node_modules", name);
  return !name.startsWith("@activation-kit/") && name !== "activation-kit" && existsSync(join(dir, "package.json")) ? dir : undefined;
}

const scratch = mkdtempSync(join(tmpdir(), "readme-examples-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** One scratch project per README: its blocks as modules, node_modules with only what the README installs. */
function project(readme: Readme, index: number): { dir: string; files: Map<string, Block> } {
  const dir = join(scratch, `readme-${index}`);
  mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `readme-check-${index}`, private: true, type: "module" }));
  for (const name of readme.installs) {
    const target = packageDirs.get(name) ?? thirdParty(name);
    if (!target) continue; // reported by the install test below
    const link = join(dir, "node_modules", name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, "dir");
  }
  symlinkSync(join(repoRoot, "tests", "node_modules", "@types", "node"), join(dir, "node_modules", "@types", "node"), "dir");
  const files = new Map<string, Block>();
  readme.blocks.forEach((block, i) => {
    if (!block.compile) return;
    const file = join(dir, `block-${i + 1}.ts`);
    // `export {}` makes a block without imports a module too, so blocks never share top-level names.
    writeFileSync(file, `${block.code}\nexport {};\n`);
    files.set(file, block);
  });
  return { dir, files };
}

const options: ts.CompilerOptions = {
  strict: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  types: ["node"],
  skipLibCheck: true,
  noEmit: true,
};

describe("README examples", () => {
  const projects = readmes.map((r, i) => ({ readme: r, ...project(r, i) }));
  const program = ts.createProgram({ rootNames: projects.flatMap((p) => [...p.files.keys()]), options });

  it("every README with ts blocks was found, and fragments say why they are not compiled", () => {
    expect(readmes.map((r) => r.path)).toEqual(expect.arrayContaining(["README.md", "packages/releva/README.md", "packages/marigold-engage/README.md"]));
    for (const r of readmes) for (const s of r.skipped) expect(s.info, `${r.path}:${s.line} needs a reason after no-compile`).toMatch(/^no-compile\s*:?\s*\S.{5,}/);
    console.log(readmes.map((r) => `${r.path}: ${r.blocks.filter((b) => b.compile).length} block(s) compiled${r.skipped.length ? `, ${r.skipped.length} fragment(s)` : ""}`).join("\n"));
  });

  for (const { readme, files } of projects) {
    describe(readme.path, () => {
      it(`installs a published package (${readme.installs.join(", ")})`, () => {
        for (const name of readme.installs) {
          expect(packageDirs.has(name) || thirdParty(name) !== undefined, `${name} is neither a public workspace package nor one this repository pins`).toBe(true);
        }
      });

      it("imports only from what it tells the user to install", () => {
        const wrong: string[] = [];
        for (const block of readme.blocks) {
          for (const spec of importsOf(block.code)) {
            if (spec.startsWith("node:")) continue;
            if (!readme.installs.some((name) => spec === name || spec.startsWith(`${name}/`))) {
              wrong.push(`block at line ${block.line}: "${spec}" (the README installs ${readme.installs.join(", ")})`);
            }
          }
        }
        expect(wrong).toEqual([]);
      });

      it("type-checks (strict, module nodenext, against the built packages)", () => {
        const problems: string[] = [];
        for (const [file, block] of files) {
          for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(file))) {
            const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
            problems.push(`${readme.path}:${block.line + line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n  ")}`);
          }
        }
        expect(problems, `compiled in ${relative(repoRoot, scratch)}`).toEqual([]);
      });
    });
  }
});
