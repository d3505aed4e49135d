#!/usr/bin/env node
"use strict";
// Entry of `npm run plan`: registers the TypeScript loader, runs the plan, exits with its status.
require("./register");
require("./cli.ts").main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        process.stderr.write(`plan failed: ${err && err.stack ? err.stack : err}\n`);
        process.exit(1);
    },
);
