#!/usr/bin/env node
// The `activation-kit-mock` command. A committed entry so package managers can link it before the first build;
// the command itself is src/bin.ts.
import "../dist/bin.js";
