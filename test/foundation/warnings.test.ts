import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { readProgram } from "../../engine/evaluate";
import { configWarnings, overlappingCidrs, placeholderValues } from "../../engine/warnings";
import { planOf, REPO_ROOT } from "../support/plan";

/** A program directory running this repo's program with the given stack files. */
function programWith(stacks: Record<string, (doc: any) => void>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "warn-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify({ name: "retail-platform", runtime: "nodejs", main: REPO_ROOT }));
    for (const [stack, mutate] of Object.entries(stacks)) {
        const doc = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8"));
        mutate(doc.config);
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), YAML.stringify(doc));
    }
    return dir;
}

describe("plan warnings", () => {
    it("warns when staging and production share (or overlap) a VPC block, naming both stacks", () => {
        const same = programWith({
            staging: (c) => {
                c["retail-platform:network"].cidr = "10.20.0.0/16";
            },
            production: () => undefined,
        });
        const warnings = overlappingCidrs(same, readProgram(same, "staging"), "staging");
        assert.deepStrictEqual(warnings.length, 1);
        assert.match(
            warnings[0],
            /^network\.cidr: 10\.20\.0\.0\/16 is the same block as stack "production" \(network\.cidr in Pulumi\.production\.yaml\); VPCs with overlapping blocks cannot be peered/,
        );
        // Seen from the other stack too.
        assert.strictEqual(overlappingCidrs(same, readProgram(same, "production"), "production").length, 1);

        const overlap = programWith({
            staging: (c) => {
                c["retail-platform:network"].cidr = "10.20.16.0/20";
            },
            production: () => undefined,
        });
        assert.match(
            overlappingCidrs(overlap, readProgram(overlap, "staging"), "staging")[0],
            /^network\.cidr: 10\.20\.16\.0\/20 overlaps 10\.20\.0\.0\/16 of stack "production"/,
        );
    });

    it("does not warn for the committed stacks' distinct blocks, or for a stack alone", () => {
        assert.deepStrictEqual(overlappingCidrs(REPO_ROOT, readProgram(REPO_ROOT, "staging"), "staging"), []);
        const alone = programWith({
            staging: (c) => {
                c["retail-platform:network"].cidr = "10.20.0.0/16";
            },
        });
        assert.deepStrictEqual(overlappingCidrs(alone, readProgram(alone, "staging"), "staging"), []);
    });

    it("lists every committed placeholder a real `pulumi up` would choke on, and nothing once they are replaced", () => {
        const staging = placeholderValues(readProgram(REPO_ROOT, "staging"));
        assert.deepStrictEqual(
            staging.map((w) => w.split(":")[0]),
            [
                "ingress.domain",
                "ingress.parentZoneId",
                "operations.subscriptions.0.endpoint",
                "events.notificationSubscriptions.0.endpoint",
            ],
        );
        assert.match(staging[1], /"Z0SHOPEXAMPLECOM01" is an example hosted zone id; .*NoSuchHostedZone/);
        const production = placeholderValues(readProgram(REPO_ROOT, "production"));
        assert.ok(
            production.some((w) => /^ingress\.parentZoneId: "Z0EXAMPLECOMZONE01"/.test(w)),
            production.join("\n"),
        );
        assert.ok(
            production.some((w) => /^ingress\.domain: "shop\.example\.com" is a reserved example domain/.test(w)),
            production.join("\n"),
        );

        const real = programWith({
            staging: (c) => {
                c["retail-platform:ingress"].domain = "staging.shop.acme-retail.eu";
                c["retail-platform:ingress"].parentZoneId = "Z0123456789ABCDEFGHIJ";
                for (const s of [
                    ...c["retail-platform:events"].notificationSubscriptions,
                    ...(c["retail-platform:operations"]?.subscriptions ?? []),
                ]) {
                    if (s.protocol === "email") s.endpoint = "ops@acme-retail.eu";
                    if (s.protocol === "https") s.endpoint = "https://pager.acme-retail.eu/hook";
                }
            },
        });
        assert.deepStrictEqual(placeholderValues(readProgram(real, "staging")), []);
    });

    it("prints one warning listing the placeholders and records it in the JSON, exit status unchanged", () => {
        const plan = planOf("staging") as unknown as { warnings: string[] };
        assert.strictEqual(plan.warnings.length, 1, plan.warnings.join("\n"));
        assert.match(
            plan.warnings[0],
            /^Pulumi\.staging\.yaml still holds \d+ example values .*\n {4}- ingress\.domain: .*\n {4}- ingress\.parentZoneId: "Z0SHOPEXAMPLECOM01"/,
        );
        assert.deepStrictEqual(plan.warnings, configWarnings(REPO_ROOT, readProgram(REPO_ROOT, "staging"), "staging"));
    });
});
