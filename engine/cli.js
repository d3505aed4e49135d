#!/usr/bin/env node
"use strict";
// Entry of `npm run plan`: registers the TypeScript loader, runs the plan, exits with its status.
require("./register");
// Ctrl-C or a CI timeout: exit through process.exit so the 'exit' handlers stop the analyzer process by its PID.
for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
])
    process.on(signal, () => process.exit(code));
require("./cli.ts")
    .main(process.argv.slice(2))
    .then(
        (code) => process.exit(code),
        (err) => {
            process.stderr.write(`plan failed: ${err && err.stack ? err.stack : err}\n`);
            process.exit(1);
        },
    );
