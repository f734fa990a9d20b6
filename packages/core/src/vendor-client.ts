/**
 * What every vendor package's `create<Vendor>Client` returns: the generated operations by tag, plus the
 * path-style openapi-fetch client and the runtime controls. Vendor packages only add their credentials
 * and server choice on top.
 */
import type { Client } from "openapi-fetch";
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
  return Object.assign(bind(runtime) as object, {
    raw: runtime.raw,
    runtime,
    resetCircuit: () => runtime.resetCircuit(),
  }) as VendorClient<Ops, Paths>;
}

/** Throws a ConfigurationError-like TypeError naming the missing option (never its value). */
export function requireOption<T>(value: T | undefined | null, name: string, vendor: string): T {
  if (value === undefined || value === null || value === "") {
    throw new TypeError(`${vendor}: option \`${name}\` is required`);
  }
  return value;
}
