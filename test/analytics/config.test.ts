import * as assert from "assert";
import {
    ATHENA_MIN_CUTOFF_BYTES,
    freeDataSubnetAddresses,
    REDSHIFT_EVR_FREE_ADDRESSES,
    redshiftAddressesPerSubnet,
    validBaseCapacity,
} from "../../config/analytics";
import { ConfigValidationError, validateStackConfig } from "../../config/load";
import { readProgram } from "../../engine/evaluate";
import { REPO_ROOT } from "../support/plan";

const PROJECT = "retail-platform";
const ANALYTICS = `${PROJECT}:analytics`;
const NET = `${PROJECT}:network`;
const EVENTS = `${PROJECT}:events`;

function config(stack: string, edits: Record<string, (v: any) => any> = {}): Record<string, string> {
    const raw = { ...readProgram(REPO_ROOT, stack).config };
    for (const [key, edit] of Object.entries(edits)) {
        const current = raw[key] === undefined ? undefined : JSON.parse(raw[key]);
        const next = edit(current);
        if (next === undefined) delete raw[key];
        else raw[key] = JSON.stringify(next);
    }
    return raw;
}

function problemsOf(raw: Record<string, string>, stack: string): string[] {
    try {
        validateStackConfig(raw, PROJECT, stack);
    } catch (err) {
        assert.ok(err instanceof ConfigValidationError, String(err));
        return err.problems;
    }
    return [];
}

describe("analytics config", () => {
    it("defaults: the three crawled domains, a daily trigger window, Redshift off", () => {
        const cfg = validateStackConfig(config("staging", { [ANALYTICS]: () => undefined }), PROJECT, "staging");
        assert.deepStrictEqual(cfg.analytics.crawlerDomains, ["orders", "inventory", "products"]);
        assert.strictEqual(cfg.events.crawlerWindowSeconds, 86400);
        assert.strictEqual(cfg.analytics.redshift, undefined);
        assert.ok(cfg.analytics.athena.bytesScannedCutoffPerQuery >= ATHENA_MIN_CUTOFF_BYTES);
        assert.ok(cfg.analytics.etl.workers >= 2);
    });

    it("committed stacks: Redshift on in production (with the glue endpoint), off in staging", () => {
        const prod = validateStackConfig(config("production"), PROJECT, "production");
        assert.strictEqual(prod.analytics.redshift?.enabled, true);
        assert.ok(prod.network.interfaceEndpoints.includes("glue"));
        const staging = validateStackConfig(config("staging"), PROJECT, "staging");
        assert.strictEqual(staging.analytics.redshift?.enabled, false);
    });

    const cases: [string, string, Record<string, (v: any) => any>, RegExp][] = [
        [
            "Athena cutoff below AWS's 10 MB minimum",
            "staging",
            { [ANALYTICS]: (a) => ({ ...a, athena: { ...a.athena, bytesScannedCutoffPerQuery: 10_485_759 } }) },
            /^analytics\.athena\.bytesScannedCutoffPerQuery: must be an integer from 10485760 to/,
        ],
        [
            "one ETL worker",
            "staging",
            { [ANALYTICS]: (a) => ({ ...a, etl: { ...a.etl, workers: 1 } }) },
            /^analytics\.etl\.workers: must be an integer from 2 to 299, got 1$/,
        ],
        [
            "a schedule that is not Glue cron",
            "staging",
            { [ANALYTICS]: (a) => ({ ...a, etl: { ...a.etl, schedule: "0 2 * * *" } }) },
            /^analytics\.etl\.schedule: must be a Glue schedule/,
        ],
        [
            "the clickstream crawled",
            "staging",
            { [ANALYTICS]: (a) => ({ ...a, crawlerDomains: ["orders", "clickstream"] }) },
            /^analytics\.crawlerDomains\.1: must not be "clickstream"/,
        ],
        [
            "a duplicate domain",
            "staging",
            { [ANALYTICS]: (a) => ({ ...a, crawlerDomains: ["orders", "orders"] }) },
            /^analytics\.crawlerDomains\.1: duplicate domain "orders"$/,
        ],
        [
            "no domain",
            "staging",
            { [ANALYTICS]: (a) => ({ ...a, crawlerDomains: [] }) },
            /^analytics\.crawlerDomains: must name at least one domain$/,
        ],
        [
            "the old events.crawlerDomains key",
            "staging",
            { [EVENTS]: (e) => ({ ...e, crawlerDomains: ["orders"] }) },
            /^events: unknown key\(s\) "crawlerDomains"$/,
        ],
        [
            "a trigger window under an hour",
            "staging",
            { [EVENTS]: (e) => ({ ...e, crawlerWindowSeconds: 300 }) },
            /^events\.crawlerWindowSeconds: must be an integer from 3600 to 86400, got 300$/,
        ],
        [
            "base capacity not 4 or a multiple of 8",
            "production",
            { [ANALYTICS]: (a) => ({ ...a, redshift: { ...a.redshift, baseCapacity: 12 } }) },
            /^analytics\.redshift\.baseCapacity: must be 4 or a multiple of 8 from 8 to 512 \(RPUs\), got 12$/,
        ],
        [
            "base capacity above 512",
            "production",
            { [ANALYTICS]: (a) => ({ ...a, redshift: { ...a.redshift, baseCapacity: 520 } }) },
            /^analytics\.redshift\.baseCapacity: must be an integer from 4 to 512, got 520$/,
        ],
        [
            "max capacity below base",
            "production",
            { [ANALYTICS]: (a) => ({ ...a, redshift: { ...a.redshift, baseCapacity: 32, maxCapacity: 16 } }) },
            /^analytics\.redshift\.maxCapacity: must be a multiple of 8 RPUs, at least baseCapacity \(32\), got 16$/,
        ],
        [
            "Redshift without the glue endpoint",
            "production",
            { [NET]: (n) => ({ ...n, interfaceEndpoints: n.interfaceEndpoints.filter((e: string) => e !== "glue") }) },
            /^network\.interfaceEndpoints: must include "glue" when analytics\.redshift is enabled/,
        ],
        [
            "Redshift in two AZs",
            "production",
            { [NET]: (n) => ({ ...n, azCount: 2 }) },
            /^network\.azCount: must be at least 3 when analytics\.redshift is enabled/,
        ],
        [
            "max capacity the data subnets cannot address",
            "production",
            {
                [NET]: (n) => ({ ...n, subnetPrefixLengths: { ...n.subnetPrefixLengths, data: 27 } }),
                [ANALYTICS]: (a) => ({ ...a, redshift: { ...a.redshift, maxCapacity: 256 } }),
            },
            /^analytics\.redshift\.maxCapacity: needs 69 free addresses per data subnet \(AWS's minimum for enhanced VPC routing at 256 RPUs base capacity\), the \/27 data subnets leave 23/,
        ],
        [
            // AWS asks 69 at 256 RPUs; "8 plus one per 8 RPU" would have said 40 and let this through.
            "max capacity 256 on /26 data subnets (55 free addresses)",
            "production",
            {
                [NET]: (n) => ({ ...n, subnetPrefixLengths: { ...n.subnetPrefixLengths, data: 26 } }),
                [ANALYTICS]: (a) => ({ ...a, redshift: { ...a.redshift, maxCapacity: 256 } }),
            },
            /^analytics\.redshift\.maxCapacity: needs 69 free addresses per data subnet .* the \/26 data subnets leave 55/,
        ],
    ];
    for (const [title, stack, edits, expected] of cases) {
        it(`rejects ${title}`, () => {
            const problems = problemsOf(config(stack, edits), stack);
            assert.ok(
                problems.some((p) => expected.test(p)),
                `expected ${expected}, got:\n${problems.join("\n")}`,
            );
        });
    }

    it("admits the warehouse where AWS's address table fits: 128 RPUs on /26, and maxCapacity above 512 sized at 512", () => {
        const net26 = (n: any) => ({ ...n, subnetPrefixLengths: { ...n.subnetPrefixLengths, data: 26 } });
        const max = (m: number) => (a: any) => ({ ...a, redshift: { ...a.redshift, maxCapacity: m } });
        assert.deepStrictEqual(problemsOf(config("production", { [NET]: net26, [ANALYTICS]: max(128) }), "production"), []);
        // Base capacity stops at 512 RPUs, so a larger maxCapacity needs AWS's 512-RPU figure (133) and a /24 has room.
        assert.deepStrictEqual(problemsOf(config("production", { [ANALYTICS]: max(1024) }), "production"), []);
        const net25 = (n: any) => ({ ...n, subnetPrefixLengths: { ...n.subnetPrefixLengths, data: 25 } });
        assert.ok(
            problemsOf(config("production", { [NET]: net25, [ANALYTICS]: max(1024) }), "production").some((p) =>
                /needs 133 free addresses .* at 512 RPUs base capacity\), the \/25 data subnets leave 119/.test(p),
            ),
        );
    });

    it("reports every analytics problem at once", () => {
        const problems = problemsOf(
            config("production", {
                [ANALYTICS]: (a) => ({
                    ...a,
                    etl: { ...a.etl, workers: 0 },
                    athena: { ...a.athena, bytesScannedCutoffPerQuery: 1 },
                    redshift: { ...a.redshift, baseCapacity: 12 },
                }),
            }),
            "production",
        );
        assert.strictEqual(problems.filter((p) => p.startsWith("analytics.")).length, 3, problems.join("\n"));
    });

    it("knows AWS's capacity rules", () => {
        assert.deepStrictEqual([4, 8, 16, 512].map(validBaseCapacity), [true, true, true, true]);
        assert.deepStrictEqual([0, 6, 12, 520].map(validBaseCapacity), [false, false, false, false]);
        // AWS's table for enhanced VPC routing, row by row, and a capacity between rows takes the next row up.
        assert.deepStrictEqual(
            [4, 8, 16, 32, 64, 128, 256, 512, 1024].map(redshiftAddressesPerSubnet),
            [9, 9, 13, 13, 21, 37, 69, 133, 261],
        );
        assert.deepStrictEqual(
            REDSHIFT_EVR_FREE_ADDRESSES.map(([rpu]) => rpu),
            [4, 8, 16, 32, 64, 128, 256, 512, 1024],
        );
        assert.deepStrictEqual([24, 40, 72, 520].map(redshiftAddressesPerSubnet), [13, 21, 37, 261]);
        assert.throws(() => redshiftAddressesPerSubnet(1032), /at most 1024 RPUs/);
        assert.strictEqual(freeDataSubnetAddresses(24, 2), 256 - 5 - 2 - 2);
    });
});
