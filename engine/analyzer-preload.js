"use strict";
// Preloaded into the policy-pack analyzer process the offline engine spawns (after engine/register.js).
// @pulumi/pulumi's run-policy-pack always registers ts-node, which loads the TypeScript compiler (about half a second
// of the analyzer's start) even though engine/register.js already compiles the pack's .ts files and ts-node is told
// to ignore them. Here ts-node's register is a no-op and the compiler is never loaded; run-policy-pack reads only
// `version` from it. The real CLI path (`pulumi preview --policy-pack`) is untouched.
const path = require("path");
const tsutils = require("@pulumi/pulumi/tsutils");

const runner = path.dirname(require.resolve("@pulumi/pulumi/cmd/run-policy-pack/run.js"));
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();

function stub(request, exports) {
    const filename = require.resolve(request, { paths: [runner] });
    require.cache[filename] = { id: filename, filename, loaded: true, exports, children: [], paths: [] };
}

const typescriptPackage = require.resolve(`${typescriptRequire}/package.json`, { paths: [runner] });
stub(tsnodeRequire, { register() {} });
stub(typescriptRequire, { version: require(typescriptPackage).version });
