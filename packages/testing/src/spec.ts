/**
 * What the mock's parent needs to know about the API description: which operation a request path belongs to
 * (to aim a forced status at one operation and label recorded requests) and which statuses each documents.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { VENDORS, type Vendor } from "./vendors.js";

export interface SpecOperation {
  operationId: string;
  method: string;
  /** The path template, e.g. `/organizations/{organization}/journeys/transactional/status/{id}`. */
  path: string;
  /** Response statuses the operation documents (exact codes only: what `Prefer: code=` can select). */
  statuses: ReadonlySet<number>;
  /** Matches a concrete request path. */
  pattern: RegExp;
  /** Literal characters in the template: the more, the more specific (`/status` beats `/{api_name}`). */
  specificity: number;
}

export interface SpecModel {
  title: string;
  version: string;
  operations: SpecOperation[];
  /** The operation a request is routed to, if any. */
  match(method: string, pathname: string): SpecOperation | undefined;
}

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

export function loadSpecModel(specPath: string): SpecModel {
  const doc = JSON.parse(readFileSync(specPath, "utf8")) as {
    info?: { title?: string; version?: string };
    paths?: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>>;
  };
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {})) {
      if (!METHODS.has(method) || !op || typeof op !== "object") continue;
      const statuses = new Set(
        Object.keys(op.responses ?? {})
          .filter((k) => /^\d{3}$/.test(k))
          .map(Number),
      );
      const source = path
        .split(/(\{[^}]+\})/)
        .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
        .join("");
      operations.push({
        operationId: op.operationId ?? `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        statuses,
        pattern: new RegExp(`^${source}/?$`),
        specificity: path.replace(/\{[^}]+\}/g, "").length,
      });
    }
  }
  return {
    title: doc.info?.title ?? "API",
    version: doc.info?.version ?? "",
    operations,
    match(method, pathname) {
      let best: SpecOperation | undefined;
      for (const op of operations) {
        if (op.method !== method.toUpperCase() || !op.pattern.test(pathname)) continue;
        if (!best || op.specificity > best.specificity) best = op;
      }
      return best;
    },
  };
}

/** A vendor package could not be found from here, the current directory, or the `activation-kit` package. */
export class VendorPackageNotFoundError extends Error {
  readonly vendor: Vendor;
  constructor(vendor: Vendor) {
    const pkg = VENDORS[vendor].packageName;
    super(
      `startMock("${vendor}") serves the API description that ${pkg} ships (${pkg}/openapi.json), and ${pkg} is not installed. ` +
        `Install the client you are testing: npm install ${pkg}`,
    );
    this.name = "VendorPackageNotFoundError";
    this.vendor = vendor;
  }
}

/**
 * The absolute path of `@activation-kit/<vendor>/openapi.json`: resolved from this package (npm's flat
 * layout, pnpm's peer links), then from the current directory (the project under test), then through the
 * `activation-kit` facade, which depends on every vendor package.
 */
export function resolveVendorSpec(vendor: Vendor): string {
  const request = `${VENDORS[vendor].packageName}/openapi.json`;
  const project = createRequire(join(process.cwd(), "__activation_kit_testing__.js"));
  const attempts: (() => string)[] = [
    () => createRequire(import.meta.url).resolve(request),
    () => project.resolve(request),
    () => createRequire(project.resolve("activation-kit/package.json")).resolve(request),
  ];
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      // next place
    }
  }
  throw new VendorPackageNotFoundError(vendor);
}

/** The installed Prism version (for messages). */
export function prismVersion(): string {
  try {
    const path = createRequire(import.meta.url).resolve("@stoplight/prism-cli/package.json");
    return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/**
 * The mock process's entry point: next to this file in `dist/`; when this file runs from `src/` (this
 * package's own tests), the built one.
 */
export const hostScript = [new URL("./host.js", import.meta.url), new URL("../dist/host.js", import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((path) => existsSync(path)) ?? fileURLToPath(new URL("./host.js", import.meta.url));
