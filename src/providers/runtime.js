"use strict";
// Entry point the serialized shim `require`s inside Pulumi's dynamic-provider process. The logic is
// TypeScript; register tsx's CommonJS loader unless a `.ts` loader (tsx, ts-node) is already active.
if (!require.extensions[".ts"]) require("tsx/cjs/api").register();
module.exports = require("./host.ts");
