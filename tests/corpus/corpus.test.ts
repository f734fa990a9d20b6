/**
 * The documentation corpus: for each vendor, `corpus/<slug>.yaml` lists
 * - `samples`: every request sample the vendor's documentation gives (placeholders replaced by realistic values,
 *   JSON syntax repaired). Each must pass the generated client's validation and be accepted by a real Prism mock
 *   of the spec (a 2xx, with no `sl-violations`);
 * - `rules`: one request per documented rule (range, length, enum, required field, either/or rule, size limit)
 *   that breaks exactly that rule. Each must be refused before sending with a `RequestValidationError` whose
 *   issue names the field and the rule.
 * Prints per vendor `documented samples accepted: X/Y` and `documented rules enforced: A/B`, and fails below
 * Y/Y or B/B. See specs/CONVENTIONS.md for why a spec holds exactly what the documentation states.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { RequestValidationError } from "@activation-kit/core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../harness/global-setup.js";
import { recordingFetch } from "../harness/recording-fetch.js";
import { clientFactories } from "../harness/vendors.js";

export interface CorpusSample {
  /** operationId in the spec. */
  operation: string;
  /** Where the sample is in the vendor's documentation (operation title, section). */
  doc: string;
  /** What a caller passes to the by-name call: `{path?, query?, header?, body?}`. */
  params: Record<string, unknown>;
}

export interface CorpusRule {
  operation: string;
  /** The documentation's statement of the rule, quoted or closely paraphrased, with where it is. */
  doc: string;
  /** The issue's field, in call terms: `body.profiles[0].profile.phoneNumber`, `query.size`. */
  field: string;
  /** How the issue's rule starts: `pattern`, `maxLength 255`, `enum`, `required`, `anyOf`, `maxBodyBytes` … */
  rule: string;
  /** A request that breaks exactly this rule (otherwise valid). */
  params: Record<string, unknown>;
}

interface Corpus {
  documentation: string;
  samples: CorpusSample[];
  rules: CorpusRule[];
}

const dir = join(repoRoot, "tests", "corpus");
const corpora = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => ({ slug: f.replace(/\.yaml$/, ""), corpus: parse(readFileSync(join(dir, f), "utf8")) as Corpus }));

describe.each(corpora)("documentation corpus $slug", ({ slug, corpus }) => {
  const factory = clientFactories[slug];
  const accepted: string[] = [];
  const enforced: string[] = [];

  function client() {
    const rec = recordingFetch();
    const c = factory({ baseUrl: `http://127.0.0.1:${inject("prismPorts")[slug]}`, ...rec.client, maxRetries: 0 });
    const call = (operation: string, params: Record<string, unknown>) =>
      (c.runtime as unknown as { call: (id: string, p: unknown) => Promise<unknown> }).call(operation, params);
    return { call, rec };
  }

  it("has samples and rules, each naming its operation and its place in the documentation", () => {
    expect(corpus.documentation, "the documentation the corpus rests on (name and version)").toMatch(/\S/);
    expect(corpus.samples.length + corpus.rules.length).toBeGreaterThan(0);
    for (const entry of [...corpus.samples, ...corpus.rules]) expect(entry.doc, entry.operation).toMatch(/\S/);
  });

  it.each(corpus.samples.map((s, i) => [`#${i + 1} ${s.operation} (${s.doc})`, s] as const))(
    "sample %s passes validation and reaches the mock",
    async (name, sample) => {
      const { call, rec } = client();
      const outcome = await call(sample.operation, sample.params).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (outcome instanceof RequestValidationError) {
        throw new Error(`refused before sending:\n${outcome.issues.map((i) => `  ${i.field}: ${i.message} (${i.rule})`).join("\n")}`);
      }
      expect(rec.exchanges, "one request reached the mock").toHaveLength(1);
      const [ex] = rec.exchanges;
      expect(ex.violations, `Prism found the request or response off-spec: ${ex.violations}`).toBeUndefined();
      if (outcome !== undefined) throw new Error(`the mock answered ${ex.status}: ${String(outcome)}`);
      expect(ex.status).toBeLessThan(300);
      accepted.push(name);
    },
  );

  it.each(corpus.rules.map((r, i) => [`#${i + 1} ${r.operation} ${r.field} ${r.rule} (${r.doc})`, r] as const))(
    "rule %s is enforced before sending",
    async (name, rule) => {
      const { call, rec } = client();
      const error = await call(rule.operation, rule.params).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, "refused with a RequestValidationError").toBeInstanceOf(RequestValidationError);
      const issues = (error as RequestValidationError).issues;
      const match = issues.find((i) => i.field === rule.field && i.rule.startsWith(rule.rule));
      expect(match, `an issue for ${rule.field} (${rule.rule}); got ${JSON.stringify(issues)}`).toBeDefined();
      expect(rec.exchanges, "nothing was sent").toHaveLength(0);
      enforced.push(name);
    },
  );

  afterAll(() => {
    console.log(
      `${slug}: documented samples accepted: ${accepted.length}/${corpus.samples.length}; ` +
        `documented rules enforced: ${enforced.length}/${corpus.rules.length}`,
    );
  });
});
