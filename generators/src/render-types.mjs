// @ts-check
/** Types through openapi-typescript's Node API. */
import openapiTS, { astToString } from "openapi-typescript";

export async function renderTypes(doc) {
  // openapi-typescript mutates nothing, but it resolves refs against the document it is given.
  const ast = await openapiTS(structuredClone(doc), { alphabetize: false, exportType: false, silent: true });
  return astToString(ast);
}
