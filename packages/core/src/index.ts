export * from "./errors.js";
export * from "./auth.js";
export * from "./retry.js";
export * from "./rate-limit.js";
export * from "./operation.js";
export * from "./validation.js";
export * from "./query.js";
export * from "./redact.js";
export * from "./pagination.js";
export * from "./envelope.js";
export * from "./types.js";
export * from "./error-guard.js";
export { Circuit, type Exchange, type OutgoingCall } from "./transport.js";
export { AttemptAbort, type HttpBackend, type HttpRequest, type HttpResponse, type HeaderBag } from "./http.js";
export * from "./observe.js";
export {
  createEngine,
  createCoreClient,
  apiPromise,
  type CoreClient,
  type Engine,
  type ApiPromise,
  type WithResponse,
  type ResponseValidationMode,
} from "./engine.js";
export {
  createRuntime,
  resolveBaseUrl,
  buildRouter,
  CORE_VERSION,
  type ClientOptions,
  type RequestOptions,
  type CallParams,
  type GeneratedApi,
  type Runtime,
} from "./runtime.js";
export { createVendorClient, requireOption, type VendorClient } from "./vendor-client.js";
