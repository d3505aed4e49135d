"use strict";
// Transpile-only TypeScript loader for the engine, the tests and evaluated programs.
// esbuild strips types per file in about a millisecond; type checking is `npm run typecheck`'s job.
const fs = require("fs");
const esbuild = require("esbuild");

const cache = new Map();

function compile(source, filename) {
  const key = filename + "\0" + source.length;
  const hit = cache.get(key);
  if (hit && hit.source === source) return hit.code;
  const { code } = esbuild.transformSync(source, {
    loader: filename.endsWith(".tsx") ? "tsx" : "ts",
    format: "cjs",
    target: "node20",
    sourcemap: "inline",
    sourcefile: filename,
  });
  cache.set(key, { source, code });
  return code;
}

function register() {
  if (require.extensions[".ts"] && require.extensions[".ts"].__retailPlatform) return;
  const loader = function (module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    module._compile(compile(source, filename), filename);
  };
  loader.__retailPlatform = true;
  require.extensions[".ts"] = loader;
  require.extensions[".tsx"] = loader;
  // Source maps in stack traces point at the TypeScript lines.
  if (typeof process.setSourceMapsEnabled === "function") process.setSourceMapsEnabled(true);
}

register();
module.exports = { register, compile };
