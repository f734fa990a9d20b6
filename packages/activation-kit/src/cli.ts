#!/usr/bin/env node
/**
 * The `activation-kit` command. `activation-kit mock <vendor> [--port N]` starts a Prism mock of a vendor API:
 * that lives in @activation-kit/testing (which brings Prism), loaded only when asked for, so this package and
 * the clients never depend on a mock server.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const TESTING = "@activation-kit/testing";

interface TestingCli {
  runMockCli(argv: readonly string[], options?: { programName?: string }): Promise<number>;
}

const USAGE = `Usage: activation-kit <command>

Commands:
  mock <vendor> [--port N]   start a mock of a vendor API (relay42, rudderstack, contacthub, releva,
                             marigold-engage) and print its base URL; needs ${TESTING}
  --version                  print the version
  --help                     this text`;

function isModuleNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

/** @activation-kit/testing's CLI: from next to this package (npm), else from the project in the current directory. */
async function loadTestingCli(): Promise<TestingCli | undefined> {
  // A variable specifier: the type checker and bundlers must not treat it as a dependency of this package.
  const specifier: string = `${TESTING}/cli`;
  try {
    return (await import(specifier)) as TestingCli;
  } catch (e) {
    if (!isModuleNotFound(e)) throw e;
  }
  try {
    const packageJson = createRequire(join(process.cwd(), "__activation_kit__.js")).resolve(`${TESTING}/package.json`);
    return (await import(pathToFileURL(join(packageJson, "..", "dist", "cli.js")).href)) as TestingCli;
  } catch (e) {
    if (!isModuleNotFound(e)) throw e;
    return undefined;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "mock") {
    const cli = await loadTestingCli();
    if (!cli) {
      const vendor = rest.find((a) => !a.startsWith("-")) ?? "<vendor>";
      process.stderr.write(
        `activation-kit mock needs the ${TESTING} package, which brings the Prism mock server (the clients never depend on it). Install it in your project:\n\n` +
          `  npm install --save-dev ${TESTING}\n\n` +
          `or run it without installing:\n\n` +
          `  npx -p activation-kit -p ${TESTING} activation-kit mock ${vendor}\n`,
      );
      return 1;
    }
    return cli.runMockCli(rest, { programName: "activation-kit mock" });
  }
  if (command === "--version" || command === "-v") {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    (command === undefined ? process.stderr : process.stdout).write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  process.stderr.write(`activation-kit: unknown command "${command}"\n\n${USAGE}\n`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
