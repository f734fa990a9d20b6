/**
 * `validateResponses`: checks a success body against the operation's documented response schema. The schemas
 * are a dynamic import, loaded the first time a client with the option on gets a success. (This small check stays
 * in the main bundle: a lazy chunk of its own would share the validator with the request side, and the extra
 * chunk costs more, gzipped, than it saves.)
 */
import type { GeneratedApi, ResponseValidationMode } from "./engine.js";
import { ResponseValidationError } from "./errors.js";
import type { Observer } from "./observe.js";
import type { OperationSpec } from "./operation.js";
import type { Redactor } from "./redact.js";
import type { Exchange } from "./transport.js";
import { responseSchemasFor, validateResponse } from "./validation.js";

export async function checkResponse(
  client: { api: Pick<GeneratedApi, "loadResponseSchemas">; observer: Observer; redactor: Redactor },
  op: OperationSpec,
  exchange: Exchange,
  data: unknown,
  mode: Exclude<ResponseValidationMode, "off">,
): Promise<void> {
  const { api, observer, redactor } = client;
  const schemas = await responseSchemasFor(api);
  if (!schemas) return;
  const issues = validateResponse(op, exchange.status, data, schemas);
  if (issues.length === 0) return;
  if (mode === "throw") {
    throw new ResponseValidationError({
      status: exchange.status,
      body: redactor.value(data),
      headers: exchange.http.webHeaders(),
      request: exchange.sent(),
      attempts: exchange.attempts,
      operationId: op.operationId,
      issues,
    });
  }
  // Fields and rules only: response bodies hold personal data, which stays out of logs.
  observer.emit("warn", `the ${exchange.status} response of ${op.operationId} does not match its documented schema`, {
    operationId: op.operationId,
    status: exchange.status,
    issues: issues.map((i) => ({ field: i.field, rule: i.rule })),
  });
}
