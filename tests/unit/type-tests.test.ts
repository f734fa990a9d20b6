/**
 * The type tests in unit/types/ are compiled by `tsc` in the typecheck task, where each `@ts-expect-error`
 * only proves that its line fails for *some* reason. This test compiles them again with those directives
 * removed and checks each marked line fails with the error code written after the directive
 * (`// @ts-expect-error TS2561 misspelt field`; the code may be the diagnostic's own or one of its explanation
 * chain, e.g. TS2741 "property is missing" under TS2322 "not assignable"), and that nothing else fails.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const typesDir = join(here, "types");
const files = readdirSync(typesDir).filter((f) => f.endsWith(".types.ts")).map((f) => join(typesDir, f));
const DIRECTIVE = /\/\/ @ts-expect-error\b(.*)$/;

interface Expectation {
  line: number; // 0-based line the error must start on
  codes: number[];
  reason: string;
}

function expectationsOf(text: string): Expectation[] {
  const lines = text.split("\n");
  const out: Expectation[] = [];
  lines.forEach((l, i) => {
    const m = DIRECTIVE.exec(l);
    if (!m) return;
    const codes = [...m[1].matchAll(/TS(\d+)/g)].map((c) => Number(c[1]));
    out.push({ line: i + 1, codes, reason: m[1].replace(/TS\d+\|?/g, "").trim() });
  });
  return out;
}

/** The diagnostic's code and the codes of its explanation chain ("not assignable" → "property missing"). */
function codesOf(d: ts.Diagnostic): number[] {
  const codes = [d.code];
  const walk = (chain: ts.DiagnosticMessageChain) => {
    codes.push(chain.code);
    for (const next of chain.next ?? []) walk(next);
  };
  if (typeof d.messageText !== "string") walk(d.messageText);
  return [...new Set(codes)];
}

function compileWithoutDirectives() {
  const configPath = resolve(here, "../tsconfig.json");
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const host = ts.createCompilerHost(config.options);
  const read = host.readFile.bind(host);
  const stripped = new Set(files.map((f) => resolve(f)));
  // Same line count, directive text blanked: the errors land where the directives used to silence them.
  host.readFile = (f) => {
    const text = read(f);
    return text !== undefined && stripped.has(resolve(f)) ? text.replace(/\/\/ @ts-expect-error\b/g, "// (expect-error)") : text;
  };
  const program = ts.createProgram({ rootNames: files, options: { ...config.options, noEmit: true }, host });
  return files.map((f) => ({ file: f, diagnostics: ts.getPreEmitDiagnostics(program, program.getSourceFile(f)) }));
}

describe("type tests fail for the reason they name", () => {
  const results = compileWithoutDirectives();
  it("found type-test files for every vendor", () => {
    const names = files.map((f) => f.split("/").pop());
    expect(names).toEqual(expect.arrayContaining(["contacthub.types.ts", "marigold-engage.types.ts", "relay42.types.ts", "releva.types.ts", "rudderstack.types.ts"]));
  });
  for (const { file, diagnostics } of results) {
    it(file.split("/").pop()!, () => {
      const text = readFileSync(file, "utf8");
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest);
      const byLine = new Map<number, number[]>();
      for (const d of diagnostics) {
        const line = d.start === undefined ? -1 : source.getLineAndCharacterOfPosition(d.start).line;
        byLine.set(line, [...(byLine.get(line) ?? []), ...codesOf(d)]);
      }
      const expectations = expectationsOf(text);
      expect(expectations.length).toBeGreaterThan(0);
      const report: string[] = [];
      for (const e of expectations) {
        expect(e.codes.length, `line ${e.line + 1}: name the expected error code after @ts-expect-error`).toBeGreaterThan(0);
        expect(e.reason, `line ${e.line + 1}: say which mistake the line makes`).not.toBe("");
        const got = byLine.get(e.line) ?? [];
        if (!got.some((c) => e.codes.includes(c))) report.push(`line ${e.line + 1} (${e.reason}): expected TS${e.codes.join("|TS")}, got ${got.length ? got.map((c) => `TS${c}`).join(", ") : "no error"}`);
        byLine.delete(e.line);
      }
      for (const [line, codes] of byLine) report.push(`line ${line + 1}: unexpected ${codes.map((c) => `TS${c}`).join(", ")}`);
      expect(report).toEqual([]);
    });
  }
});
