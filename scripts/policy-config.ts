// Writes the policy pack config for one stack, as `pulumi preview --policy-pack-config <file>` takes it: the
// committed policy/policy-config.json plus the monthly-budget policy's budget, region and usage profile read from
// Pulumi.<stack>.yaml (what the offline plan passes to the pack itself). CI gives the file to pulumi/actions.
//   node -r ./engine/register.js scripts/policy-config.ts --stack staging [--out file]
import * as fs from "fs";
import * as path from "path";
import { budgetPolicyConfig, costSettings } from "../engine/cost";
import { readProgram } from "../engine/evaluate";

const REPO_ROOT = path.resolve(__dirname, "..");

export function policyConfigFor(stack: string, programDir = REPO_ROOT): Record<string, unknown> {
    const base = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policy", "policy-config.json"), "utf8")) as Record<string, unknown>;
    return { ...base, ...budgetPolicyConfig(costSettings(readProgram(programDir, stack))) };
}

if (require.main === module) {
    const argv = process.argv.slice(2);
    const stack = argv[argv.indexOf("--stack") + 1];
    if (!argv.includes("--stack") || !stack) {
        process.stderr.write("usage: scripts/policy-config.ts --stack <name> [--out <file>]\n");
        process.exit(2);
    }
    const text = JSON.stringify(policyConfigFor(stack), null, 2) + "\n";
    const out = argv.includes("--out") ? argv[argv.indexOf("--out") + 1] : undefined;
    if (out) fs.writeFileSync(out, text);
    else process.stdout.write(text);
}
