// @ts-check
/**
 * The compile-level breaking-change check (what Stainless SDKs call `detect-breaking-changes`): the typed usage
 * of a package as of its last release — its tests (`<package>/test/**.ts`) and the TypeScript examples of its
 * README — must still type-check against the package's current sources. An error that the usage did not have
 * against the released sources is a breaking change, whatever the spec diff said.
 *
 * Both sides are checked with the same compiler and options: the released sources come from `git archive <ref>`,
 * the current ones are the working tree (linked, not copied). Bare imports (`@activation-kit/x`, `activation-kit/y`)
 * are mapped to each side's `src/` through `paths`, so nothing has to be built. Only the usage files are
 * type-checked (the library sources are parsed and bound, and checked only as far as the usage needs them).
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { sourcePaths } from "./workspace.mjs";

/**
 * TypeScript code blocks of a README, each as its own module.
 * @param {string} markdown
 * @returns {string[]}
 */
export function readmeExamples(markdown) {
  const blocks = [];
  const fence = /^```(ts|typescript|tsx)\s*\n([\s\S]*?)^```/gm;
  for (const m of markdown.matchAll(fence)) blocks.push(`${m[2]}\nexport {};\n`);
  return blocks;
}

/**
 * The typed usage of one package at a git ref: its test files and README examples, keyed by a path relative to
 * the package directory.
 * @param {string} root
 * @param {string} ref
 * @param {string} relDir   the package directory relative to the repository root
 * @returns {Map<string, string>}
 */
export function usageAt(root, ref, relDir) {
  const git = (/** @type {string[]} */ ...args) => execFileSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  /** @type {Map<string, string>} */
  const files = new Map();
  const listed = git("ls-tree", "-r", "--name-only", ref, "--", `${relDir}/test`).split("\n").filter(Boolean);
  for (const file of listed) {
    if (!/\.(ts|mts|cts)$/.test(file) || file.endsWith(".d.ts")) continue;
    files.set(relative(relDir, file), git("show", `${ref}:${file}`));
  }
  let readme = "";
  try {
    readme = git("show", `${ref}:${relDir}/README.md`);
  } catch {
    // no README at that release
  }
  readmeExamples(readme).forEach((code, i) => files.set(`readme-examples/example-${i + 1}.ts`, code));
  return files;
}

/**
 * Lays out a checkout-like tree: package.json and src/ for every workspace package, node_modules linked to the
 * workspace's, and the usage files inside the package under test.
 * @param {object} o
 * @param {string} o.dir                 where to build it
 * @param {string} o.repoRoot
 * @param {import("./workspace.mjs").WorkspacePackage[]} o.packages
 * @param {(relDir: string) => void} o.sources   puts `<relDir>/src` in place
 * @param {string} o.relDir              the package under test
 * @param {Map<string, string>} o.usage
 */
function layout({ dir, repoRoot, packages, sources, relDir, usage }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "compile-check", private: true, type: "module" }));
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
  for (const p of packages) {
    const target = join(dir, p.relDir);
    mkdirSync(target, { recursive: true });
    if (!existsSync(join(target, "package.json"))) writeFileSync(join(target, "package.json"), JSON.stringify(p.manifest));
    if (existsSync(join(p.dir, "node_modules")) && !existsSync(join(target, "node_modules"))) {
      symlinkSync(join(p.dir, "node_modules"), join(target, "node_modules"), "dir");
    }
    sources(p.relDir);
  }
  const files = [];
  for (const [rel, text] of usage) {
    const file = join(dir, relDir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    files.push(file);
  }
  return files;
}

/** @type {Map<string, ts.SourceFile>} */
const libraryFiles = new Map();

/**
 * @param {string} dir
 * @param {string[]} files
 * @param {Record<string, string[]>} paths
 * @returns {Map<string, string>}  diagnostic key (file:line TScode message, roots stripped) → readable text
 */
function diagnose(dir, files, paths) {
  const base = ts.readConfigFile(join(dir, "tsconfig.base.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(base.config ?? {}, ts.sys, dir);
  /** @type {ts.CompilerOptions} */
  const options = {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    skipLibCheck: true,
    allowJs: false,
    paths,
    types: ["node"],
    typeRoots: [join(dir, "node_modules", "@types")],
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  // Library files (lib.*.d.ts, @types, dependencies) are the same on both sides: parse them once per process.
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.includes("/node_modules/")) return read(fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    let cached = libraryFiles.get(key);
    if (!cached) {
      cached = read(fileName, languageVersion, onError, shouldCreate);
      if (cached) libraryFiles.set(key, cached);
    }
    return cached;
  };
  const program = ts.createProgram({ rootNames: files, options, host });
  /** @type {Map<string, string>} */
  const out = new Map();
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const { line } = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: -1 };
      const message = ts.flattenDiagnosticMessageText(d.messageText, " ").split(dir).join("<root>");
      const rel = relative(dir, file);
      out.set(`${rel}:${line + 1} TS${d.code} ${message}`, `${rel}:${line + 1}: TS${d.code} ${message}`);
    }
  }
  return out;
}

/**
 * @typedef {object} CompileCheckResult
 * @property {number} usageFiles             test files and README examples checked
 * @property {string[]} newErrors            errors against the current sources that the released sources did not give
 * @property {number} baselineErrors         errors the usage already had against the released sources (ignored)
 */

/**
 * @param {object} o
 * @param {string} o.repoRoot
 * @param {string} o.ref                     the release (a tag) whose usage and sources are the baseline
 * @param {import("./workspace.mjs").WorkspacePackage} o.pkg
 * @param {import("./workspace.mjs").WorkspacePackage[]} o.packages   every workspace package (for `paths`)
 * @returns {CompileCheckResult}
 */
export function compileCheck({ repoRoot, ref, pkg, packages }) {
  const usage = usageAt(repoRoot, ref, pkg.relDir);
  if (usage.size === 0) return { usageFiles: 0, newErrors: [], baselineErrors: 0 };
  const tmp = mkdtempSync(join(tmpdir(), "ak-compile-check-"));
  try {
    const released = join(tmp, "released");
    mkdirSync(released);
    const atRef = execFileSync("git", ["ls-tree", "--name-only", ref, "--", ...packages.map((p) => p.relDir)], { cwd: repoRoot, encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    const archive = execFileSync("git", ["archive", "--format=tar", ref, "--", "tsconfig.base.json", ...atRef], {
      cwd: repoRoot,
      maxBuffer: 512 << 20,
    });
    execFileSync("tar", ["-x", "-C", released], { input: archive });
    const releasedFiles = layout({ dir: released, repoRoot, packages, sources: () => {}, relDir: pkg.relDir, usage });

    const current = join(tmp, "current");
    const currentFiles = layout({
      dir: current,
      repoRoot,
      packages,
      sources: (relDir) => {
        if (existsSync(join(repoRoot, relDir, "src"))) symlinkSync(join(repoRoot, relDir, "src"), join(current, relDir, "src"), "dir");
      },
      relDir: pkg.relDir,
      usage,
    });
    cpSync(join(repoRoot, "tsconfig.base.json"), join(current, "tsconfig.base.json"));

    const before = diagnose(released, releasedFiles, sourcePaths(released, packages));
    const after = diagnose(current, currentFiles, sourcePaths(current, packages));
    const newErrors = [...after].filter(([key]) => !before.has(key)).map(([, text]) => text);
    return { usageFiles: usage.size, newErrors, baselineErrors: before.size };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Reads a file that may not exist. */
export function readIfExists(/** @type {string} */ file) {
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}
