#!/usr/bin/env node
// The `activation-kit` command. A committed entry so package managers can link it before the first build;
// the command itself is src/cli.ts.
import "../dist/cli.js";
