/**
 * The mock process: runs Prism's HTTP mock server (the same modules and configuration `prism mock` uses) for
 * one OpenAPI document, and exits as soon as the process that started it is gone.
 *
 * Why a process of our own instead of the `prism` CLI: Prism *is* this process, so there is no second process
 * to leak. Its stdin is a pipe from the parent; the kernel closes that pipe when the parent exits for any
 * reason, SIGKILL included, and the `end` event below then ends this process. The CLI would add a file
 * watcher, a start-up listing of every operation with generated example paths, a second dereference of the
 * spec and a log formatter per request, for nothing a test needs.
 *
 * Protocol: argv[2] is a JSON {@link HostConfig}; one JSON line on stdout says `{"port": n}` once listening
 * (or `{"error": "..."}`); Prism's log lines (pino JSON) go to stderr; closing stdin stops the mock.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export interface HostConfig {
  /** Absolute path of the OpenAPI document. */
  spec: string;
  errors: boolean;
  dynamic: boolean;
  repeatable: string | null;
  ignoreExamples: boolean;
  /** pino level of Prism's logger. */
  logLevel: string;
}

const parentPid = process.ppid;
const exitNow = () => process.exit(0);

// Installed before Prism loads (which takes a second or two): a parent that dies meanwhile is still noticed.
process.stdin.on("end", exitNow);
process.stdin.on("close", exitNow);
process.stdin.on("error", exitNow);
process.stdin.resume();
// Nobody left to read what we write: stop.
process.stdout.on("error", exitNow);
process.stderr.on("error", exitNow);
// Belt and braces for the pipe: a parent that is gone re-parents us (to init or a subreaper).
setInterval(() => {
  if (process.ppid !== parentPid) exitNow();
}, 1000).unref();

const config = JSON.parse(process.argv[2] ?? "{}") as HostConfig;

type AnyFn = (...args: any[]) => any;

type Bag = Record<string | symbol, unknown>;

/** A view of `target()` that loads nothing until first touched (methods run on the real object). */
function lazyView(target: () => Bag): Bag {
  return new Proxy({} as Bag, {
    get: (_t, key) => {
      const t = target();
      const value = t[key];
      return typeof value === "function" ? (value as AnyFn).bind(t) : value;
    },
    set: (_t, key, value) => Reflect.set(target(), key, value),
    has: (_t, key) => key in target(),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      return d && { ...d, configurable: true };
    },
  });
}

/**
 * Registers a stand-in for the module `request` (as resolved from the file `from`) that loads the real one
 * on first use. `viewKeys` are handed out as lazy views without loading (for modules whose export is stored
 * at load time and used later); any other property access loads the module.
 *
 * Why: Prism's start-up loads faker with all its locales (about half of its load time) and the Postman
 * collection SDK, though a mock of an OpenAPI document that answers from its examples never calls either;
 * a dynamic mock pays for faker on its first generated value instead.
 */
function defer(from: string, request: string, viewKeys: readonly string[] = []): void {
  let load: NodeJS.Require;
  let path: string;
  try {
    load = createRequire(from);
    path = load.resolve(request);
  } catch {
    return; // a layout we do not know: load as usual
  }
  if (load.cache[path]) return;
  let real: Bag | undefined;
  const module = (): Bag => {
    if (!real) {
      delete load.cache[path];
      real = load(path) as Bag;
    }
    return real;
  };
  const exports = new Proxy({} as Bag, {
    get: (_t, key) => (typeof key === "string" && viewKeys.includes(key) ? lazyView(() => module()[key] as Bag) : module()[key]),
    has: (_t, key) => key in module(),
    ownKeys: () => Reflect.ownKeys(module()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(module(), key);
      return d && { ...d, configurable: true };
    },
  });
  load.cache[path] = { id: path, filename: path, loaded: true, children: [], paths: [], exports } as unknown as NodeJS.Module;
}

async function main(): Promise<void> {
  const fromHere = createRequire(import.meta.url);
  const cliPackageJson = fromHere.resolve("@stoplight/prism-cli/package.json");
  // Prism's own modules, resolved exactly as the `prism` CLI of our pinned version resolves them.
  const fromCli = createRequire(cliPackageJson);
  const serverPackageJson = fromCli.resolve("@stoplight/prism-http-server/package.json");
  for (const prismHttp of [fromCli.resolve("@stoplight/prism-http/package.json"), createRequire(serverPackageJson).resolve("@stoplight/prism-http/package.json")]) {
    // Prism hands `faker.default` (faker 6) or `faker.faker` (faker 10) to json-schema-faker, which keeps it.
    defer(prismHttp, "@faker-js/faker", ["default", "faker"]);
    try {
      defer(createRequire(prismHttp).resolve("@stoplight/http-spec"), "postman-collection");
    } catch {
      // not there: nothing to defer
    }
  }

  const { getHttpOperationsFromSpec } = fromCli("@stoplight/prism-http") as { getHttpOperationsFromSpec: AnyFn };
  const { createServer } = fromCli("@stoplight/prism-http-server") as { createServer: AnyFn };
  const { createLogger } = fromCli("@stoplight/prism-core") as { createLogger: AnyFn };

  const operations = (await getHttpOperationsFromSpec(config.spec)) as unknown[];
  if (operations.length === 0) throw new Error(`no operations found in ${config.spec}`);
  // `prism mock` reads the document's `x-json-schema-faker` options (a second full dereference); only
  // documents that have them need it.
  if (readFileSync(config.spec, "utf8").includes('"x-json-schema-faker"')) {
    const { configureExtensionsUserProvided } = fromCli("./dist/extensions.js") as { configureExtensionsUserProvided: AnyFn };
    await configureExtensionsUserProvided(config.spec, { fillProperties: undefined });
  }

  const logger = createLogger("PRISM", { level: config.logLevel }, process.stderr);
  // The configuration `prism mock` builds (validate requests and responses, check security, --errors).
  const server = createServer(operations, {
    cors: true,
    config: {
      validateRequest: true,
      validateResponse: true,
      checkSecurity: true,
      errors: config.errors,
      upstreamProxy: undefined,
      // The key is Prism's own name for the value that fixes its random generator.
      mock: { dynamic: config.dynamic, ignoreExamples: config.ignoreExamples, seed: config.repeatable },
      isProxy: false,
    },
    components: { logger: logger.child({ name: "HTTP SERVER" }) },
  });
  const address = String(await server.listen(0, "127.0.0.1"));
  process.stdout.write(`${JSON.stringify({ port: Number(new URL(address).port) })}\n`);
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: e instanceof Error ? e.message : String(e) })}\n`, () => process.exit(1));
});
