#!/usr/bin/env node
// The CLI runs the TypeScript sources directly (no build step), through tsx's CommonJS loader.
"use strict";
require("./heap.js")();
require("tsx/cjs/api").register();
require("./main.ts")
  .main(process.argv)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`m365-baseline: internal error: ${err && err.message ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
