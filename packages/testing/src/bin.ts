#!/usr/bin/env node
// `activation-kit-mock <vendor> [--port N]`: see cli.ts.
import { runMockCli } from "./cli.js";

process.exitCode = await runMockCli(process.argv.slice(2));
