import { strict as assert } from "assert";
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { buildUnlessCurrent } from "../../components/handlerBundle";

describe("bundle reuse", () => {
    it("rebuilds only when an input or the options change", async function () {
        this.timeout(30_000);
        const dir = mkdtempSync(join(tmpdir(), "bundle-cache-"));
        const entry = join(dir, "entry.ts");
        const helper = join(dir, "helper.ts");
        writeFileSync(helper, "export const greeting: string = 'hello';\n");
        writeFileSync(entry, "import { greeting } from './helper';\nexport const handler = () => greeting;\n");
        const outfile = join(dir, "out", "index.js");
        const options = {
            entryPoints: [entry],
            outfile,
            bundle: true,
            platform: "node" as const,
            format: "cjs" as const,
            logLevel: "silent" as const,
        };
        const builtAt = () => statSync(outfile).mtimeMs;

        await buildUnlessCurrent(options, "first build");
        const first = builtAt();
        await new Promise((r) => setTimeout(r, 20));
        await buildUnlessCurrent(options, "unchanged");
        assert.equal(builtAt(), first, "unchanged inputs reuse the bundle");

        // A changed dependency (not the entry) invalidates it.
        writeFileSync(helper, "export const greeting: string = 'hello again';\n");
        utimesSync(helper, new Date(), new Date(Date.now() + 5_000));
        await buildUnlessCurrent(options, "helper changed");
        assert.notEqual(builtAt(), first, "a changed input rebuilds");
        const second = builtAt();
        assert.match(readFileSync(outfile, "utf8"), /hello again/);

        await new Promise((r) => setTimeout(r, 20));
        await buildUnlessCurrent({ ...options, minify: true }, "options changed");
        assert.notEqual(builtAt(), second, "changed options rebuild");
    });
});
