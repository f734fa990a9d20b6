/**
 * Validation needs no code generation from strings: Cloudflare Workers (and pages with a strict CSP) forbid
 * `eval` and `new Function`. Node's `--disallow-code-generation-from-strings` makes both throw; under it a
 * Contacthub request is still refused with the right issues, and a response is still checked against its schema.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { repoRoot } from "../harness/global-setup.js";

const script = `
import { operations, loadResponseSchemas } from "@activation-kit/contacthub";
import { RequestValidationError, validateRequest, validateResponse } from "@activation-kit/core";
let codeGenerationBlocked = false;
try { new Function("return 1"); } catch { codeGenerationBlocked = true; }
let request;
try {
  validateRequest(operations.createCustomer, { path: { workspaceId: "not-a-uuid" }, body: { nodeId: 5 } });
} catch (e) {
  request = e instanceof RequestValidationError ? e.issues : String(e);
}
const schemas = await loadResponseSchemas();
const response = validateResponse(operations.getCustomer, 200, { id: 42 }, schemas);
console.log(JSON.stringify({ codeGenerationBlocked, request, response }));
`;

it("validates requests and responses with eval and new Function disabled", () => {
  const out = execFileSync(process.execPath, ["--disallow-code-generation-from-strings", "--input-type=module", "-e", script], {
    cwd: join(repoRoot, "tests"),
    encoding: "utf8",
  });
  const result = JSON.parse(out) as { codeGenerationBlocked: boolean; request: { field: string; rule: string }[]; response: { field: string; rule: string }[] };
  expect(result.codeGenerationBlocked).toBe(true);
  expect(result.request).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ field: "path.workspaceId", rule: "format uuid" }),
      expect.objectContaining({ field: "body.nodeId", rule: "type string" }),
    ]),
  );
  expect(result.response).toEqual(expect.arrayContaining([expect.objectContaining({ field: "body.id", rule: "type string" })]));
});
