"use strict";
// Transpile-only TypeScript loader for the engine, the tests and evaluated programs.
// esbuild strips types per file; type checking is `npm run typecheck`'s job. Output is cached on disk by content
// hash, so a warm run never starts esbuild at all (its first call costs more than the rest of a plan's compiling).
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "retail-platform-ts");
let esbuild;

function transpile(source, filename) {
    esbuild = esbuild || require("esbuild");
    return esbuild.transformSync(source, {
        loader: filename.endsWith(".tsx") ? "tsx" : "ts",
        format: "cjs",
        target: "node22",
        // No source maps: enabling them globally makes Node parse the SDK's maps too (+0.5 s per process);
        // esbuild keeps statements on their original lines, so stack traces still point close to the source.
        sourcefile: filename,
    }).code;
}

function compile(source, filename) {
    const key = crypto.createHash("sha1").update(filename).update("\0").update(source).digest("hex");
    const cached = path.join(CACHE_DIR, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        const code = transpile(source, filename);
        try {
            fs.mkdirSync(CACHE_DIR, { recursive: true });
            const tmp = `${cached}.${process.pid}.tmp`;
            fs.writeFileSync(tmp, code);
            fs.renameSync(tmp, cached); // atomic: parallel processes never read half a file
        } catch {
            // A read-only tree still works, just without the cache.
        }
        return code;
    }
}

function register() {
    if (require.extensions[".ts"] && require.extensions[".ts"].__retailPlatform) return;
    const loader = function (module, filename) {
        module._compile(compile(fs.readFileSync(filename, "utf8"), filename), filename);
    };
    loader.__retailPlatform = true;
    require.extensions[".ts"] = loader;
    require.extensions[".tsx"] = loader;
}

register();
// Node 22.1+ can keep V8's compiled code for every module on disk; most of a plan's start-up is compiling the SDK.
// (Older Node versions lack it: then this is a no-op.)
const nodeModule = require("module");
if (typeof nodeModule.enableCompileCache === "function" && !process.env.NODE_DISABLE_COMPILE_CACHE) nodeModule.enableCompileCache();
module.exports = { register, compile };
