import * as assert from "assert";
import { ClickstreamConfig, clickstreamSchema, usesEnhancedFanOut } from "../../config/clickstream";
import { ConfigValidationError, validateStackConfig } from "../../config/load";
import { kinesisEventSourceProblems } from "../../components/kinesisEventSource";
import { readProgram } from "../../engine/evaluate";
import { REPO_ROOT } from "../support/plan";

const KEY = "retail-platform:clickstream";

function problemsOf(stack: string, mutate: (c: any) => any): string[] {
    const raw = { ...readProgram(REPO_ROOT, stack).config };
    raw[KEY] = JSON.stringify(mutate(JSON.parse(raw[KEY])));
    try {
        validateStackConfig(raw, "retail-platform", stack);
    } catch (err) {
        assert.ok(err instanceof ConfigValidationError, String(err));
        return err.problems;
    }
    return [];
}

describe("clickstream config", () => {
    const cases: [string, string, (c: any) => any, RegExp][] = [
        [
            "PROVISIONED without shardCount",
            "staging",
            ({ shardCount: _, ...c }) => c,
            /^clickstream\.shardCount: is required with streamMode "PROVISIONED"/,
        ],
        [
            "ON_DEMAND with shardCount",
            "staging",
            (c) => ({ ...c, streamMode: "ON_DEMAND" }),
            /^clickstream\.shardCount: must not be set with streamMode "ON_DEMAND"/,
        ],
        [
            "retention under 72 h in production",
            "production",
            (c) => ({ ...c, retentionHours: 48 }),
            /^clickstream\.retentionHours: must be at least 72 in production/,
        ],
        [
            "more ingress than the shards accept",
            "staging",
            (c) => ({ ...c, expectedIngressMbPerSecond: 3 }),
            /^clickstream\.shardCount: must give at least expectedIngressMbPerSecond \(3\)/,
        ],
        [
            "a tumbling window over 900 s",
            "staging",
            (c) => ({ ...c, trendingWindowSeconds: 901 }),
            /^clickstream\.trendingWindowSeconds: must be an integer from 1 to 900, got 901$/,
        ],
        [
            "unbounded retries",
            "staging",
            (c) => ({ ...c, maximumRetryAttempts: -1 }),
            /^clickstream\.maximumRetryAttempts: must be an integer from 0 to 10000, got -1$/,
        ],
        [
            "a Firehose buffer under 64 MB",
            "staging",
            (c) => ({ ...c, firehoseBufferingSizeMb: 5 }),
            /^clickstream\.firehoseBufferingSizeMb: must be an integer from 64 to 128, got 5$/,
        ],
        ["an unknown key", "staging", (c) => ({ ...c, shards: 2 }), /^clickstream: unknown key\(s\) "shards"$/],
    ];
    for (const [what, stack, mutate, expected] of cases) {
        it(`rejects ${what} (${stack})`, () => {
            const problems = problemsOf(stack, mutate);
            assert.ok(
                problems.some((p) => expected.test(p)),
                `expected ${expected}, got:\n${problems.join("\n")}`,
            );
        });
    }

    it("reports every clickstream problem at once", () => {
        const problems = problemsOf("production", (c) => ({ ...c, retentionHours: 24, streamMode: "ON_DEMAND", trendingTtlSeconds: 300 }));
        assert.deepStrictEqual(problems.map((p) => p.split(":")[0]).sort(), [
            "clickstream.retentionHours",
            "clickstream.shardCount",
            "clickstream.trendingTtlSeconds",
        ]);
    });

    it("uses enhanced fan-out exactly when the shards' shared reads cannot serve the three standard readers", () => {
        const c = (over: Partial<ClickstreamConfig>) => ({ ...clickstreamSchema.parse({}), ...over }) as ClickstreamConfig;
        assert.strictEqual(
            usesEnhancedFanOut(c({ streamMode: "PROVISIONED", shardCount: 10, expectedIngressMbPerSecond: 6 })),
            false,
            "20 MB/s ≥ 3 × 6",
        );
        assert.strictEqual(
            usesEnhancedFanOut(c({ streamMode: "PROVISIONED", shardCount: 10, expectedIngressMbPerSecond: 8 })),
            true,
            "20 MB/s < 3 × 8",
        );
        assert.strictEqual(usesEnhancedFanOut(c({ streamMode: "ON_DEMAND" })), true, "on demand: 2 MB/s of reads per 1 MB/s of writes");
    });
});

describe("Kinesis event source settings", () => {
    const valid = {
        batchSize: 100,
        maximumBatchingWindowSeconds: 0,
        parallelizationFactor: 1,
        maximumRetryAttempts: 3,
        maximumRecordAgeSeconds: 3600,
    };

    it("accepts bounded settings, with or without a window", () => {
        assert.deepStrictEqual(kinesisEventSourceProblems(valid), []);
        assert.deepStrictEqual(kinesisEventSourceProblems({ ...valid, tumblingWindowSeconds: 300 }), []);
    });

    it("refuses a parallelization factor above 1 with a tumbling window, and a window over 900 s, at once", () => {
        assert.deepStrictEqual(kinesisEventSourceProblems({ ...valid, parallelizationFactor: 2, tumblingWindowSeconds: 901 }), [
            "tumblingWindowSeconds must be an integer from 1 to 900, got 901",
            "parallelizationFactor must be 1 with a tumbling window, got 2",
        ]);
        assert.deepStrictEqual(
            kinesisEventSourceProblems({ ...valid, parallelizationFactor: 2 }),
            [],
            "without a window a factor of 2 is allowed",
        );
    });

    it("refuses unbounded retries and record age (-1)", () => {
        assert.deepStrictEqual(kinesisEventSourceProblems({ ...valid, maximumRetryAttempts: -1, maximumRecordAgeSeconds: -1 }), [
            "maximumRetryAttempts must be an integer from 0 to 10000, got -1",
            "maximumRecordAgeSeconds must be an integer from 60 to 604800, got -1",
        ]);
    });
});
