/**
 * The runnable examples of the READMEs: the code block right under "## Testing your integration" (a complete
 * vitest file), and this package's `node --test` example.
 */
export interface ReadmeExample {
  /** File name to save it as. */
  file: string;
  code: string;
}

const SECTION = "## Testing your integration";

/** The fenced blocks of `lang` in `markdown`, in order. */
function blocks(markdown: string, lang: string): string[] {
  const found: string[] = [];
  const fence = new RegExp("^```" + lang + "\\n([\\s\\S]*?)^```$", "gm");
  for (const m of markdown.matchAll(fence)) found.push(m[1]);
  return found;
}

/** The vitest example of a README's "Testing your integration" section, if it has one. */
export function testingSectionExample(markdown: string): string | undefined {
  const start = markdown.indexOf(`\n${SECTION}\n`);
  if (start < 0) return undefined;
  const rest = markdown.slice(start + SECTION.length + 2);
  const next = rest.search(/^## /m);
  return blocks(next < 0 ? rest : rest.slice(0, next), "ts")[0];
}

/** The `node --test` example of this package's README. */
export function nodeTestExample(markdown: string): string | undefined {
  return blocks(markdown, "js").find((b) => b.includes('from "node:test"'));
}

/** Every import specifier of a module's source. */
export function importsOf(code: string): string[] {
  return [...code.matchAll(/^import\s[^;]*?from\s+"([^"]+)";/gms)].map((m) => m[1]);
}
