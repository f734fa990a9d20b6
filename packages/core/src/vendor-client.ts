/**
 * What every vendor package's `create<Vendor>Client` returns: the generated operations by tag, plus the
 * path-style openapi-fetch client and the runtime controls. Vendor packages only add their credentials
 * and server choice on top.
 */
import type { Client } from "openapi-fetch";
import { ConfigurationError } from "./errors.js";
import { createRuntime, type ClientOptions, type GeneratedApi, type Runtime } from "./runtime.js";

export type VendorClient<Ops, Paths extends {}> = Ops & {
  /** Path-style calls through openapi-fetch (`client.raw.POST("/profiles", {body})`), same policy. */
  readonly raw: Client<Paths>;
  /** The runtime: base URL, spec, circuit and limiter controls. */
  readonly runtime: Runtime<Paths>;
  /** Closes the circuit after the caller fixed what opened it (e.g. credentials). */
  resetCircuit(): void;
};

export function createVendorClient<Ops, Paths extends {}>(
  api: GeneratedApi,
  bind: (runtime: Runtime<Paths>) => Ops,
  options: ClientOptions,
): VendorClient<Ops, Paths> {
  const runtime = createRuntime<Paths>(api, options);
  // `raw` is a getter: the openapi-fetch client is built only when someone uses it.
  return Object.defineProperties(bind(runtime) as object, {
    raw: { get: () => runtime.raw, enumerable: true },
    runtime: { value: runtime, enumerable: true },
    resetCircuit: { value: () => runtime.resetCircuit(), enumerable: true },
  }) as VendorClient<Ops, Paths>;
}

/** Throws a ConfigurationError naming the missing option (never its value). */
export function requireOption<T>(value: T | undefined | null, name: string, vendor: string): T {
  if (value === undefined || value === null || value === "") {
    throw new ConfigurationError(`${vendor}: option \`${name}\` is required`);
  }
  return value;
}
