// Which @pulumi/aws resource types take `tags`. The pack reads the committed list (policy/data/taggable-types.json);
// `computeTaggableTypes` derives it from the installed provider SDK, and a test keeps the two in step.
import * as fs from "fs";
import * as path from "path";

export function computeTaggableTypes(awsDir: string = path.dirname(require.resolve("@pulumi/aws/package.json"))): string[] {
    const out: string[] = [];
    for (const mod of fs.readdirSync(awsDir, { withFileTypes: true })) {
        if (!mod.isDirectory() || mod.name === "node_modules" || mod.name === "types" || mod.name === "config") continue;
        const dir = path.join(awsDir, mod.name);
        for (const f of fs.readdirSync(dir)) {
            if (!f.endsWith(".js") || f === "index.js") continue;
            const src = fs.readFileSync(path.join(dir, f), "utf8");
            if (!src.includes('resourceInputs["tags"] = args')) continue;
            const m = /__pulumiType = '([^']+)'/.exec(src);
            if (m) out.push(m[1]);
        }
    }
    return [...new Set(out)].sort();
}
