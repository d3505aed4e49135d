// clickstream: the storefront's event stream — ingestion API, Kinesis stream, real-time consumers, Firehose to the lake.
import { z } from "zod";
import { bool, int, obj, oneOf, stepped } from "./validators";

/** Standard (shared-throughput) readers of the stream: the two Lambda consumers and Firehose. */
export const STANDARD_READERS = 3;
/** Kinesis Data Streams: each shard accepts 1 MB/s of writes and serves 2 MB/s of reads shared by standard consumers. */
export const SHARD_WRITE_MB_PER_SECOND = 1;
export const SHARD_READ_MB_PER_SECOND = 2;

export const clickstreamSchema = obj({
    // PROVISIONED needs shardCount; ON_DEMAND must not have one (the pairing is checked in clickstreamProblems).
    streamMode: oneOf(["PROVISIONED", "ON_DEMAND"] as const).default("ON_DEMAND"),
    shardCount: int(1, 500).optional(),
    // Kinesis retention: 24 hours (default) to 8760 (365 days).
    retentionHours: int(24, 8760).default(24),
    // Expected ingress at peak, MB/s: sizes read capacity against the consumers (see clickstreamProblems).
    expectedIngressMbPerSecond: stepped(0.01, 1000, 0.01).default(1),
    // API Gateway stage throttle (requests per second and burst), also the usage plan's.
    apiRateLimit: int(1, 10000).default(500),
    apiBurstLimit: int(1, 5000).default(1000),
    // WAF: requests per IP per 5 minutes to /collect (10-2,000,000,000).
    collectRateLimit: int(10, 2_000_000_000).default(3000),
    // Which of the two usage-plan keys CloudFront sends; switch after regenerating the other to rotate.
    activeApiKey: oneOf(["a", "b"] as const).default("a"),
    // With accountSingletons "external": true when the region's API Gateway CloudWatch role is already set.
    apiGatewayLoggingRoleSet: bool().default(false),
    // Kinesis event source mappings.
    startingPosition: oneOf(["LATEST", "TRIM_HORIZON"] as const).default("LATEST"),
    batchSize: int(1, 10000).default(100),
    maximumBatchingWindowSeconds: int(0, 300).default(0),
    // Bounded: -1 (infinite) would let a poison batch block its shard until the records expire.
    maximumRetryAttempts: int(0, 10000).default(3),
    maximumRecordAgeSeconds: int(60, 604800).default(3600),
    parallelizationFactor: int(1, 10).default(1),
    // The trending window (Lambda tumbling windows allow 1-900 s).
    trendingWindowSeconds: int(1, 900).default(300),
    recentItems: int(1, 100).default(20),
    recentTtlSeconds: int(60, 30 * 86400).default(7 * 86400),
    trendingTtlSeconds: int(300, 7 * 86400).default(86400),
    lambdaTimeoutSeconds: int(3, 900).default(30),
    lambdaMemoryMb: int(128, 10240).default(256),
    // Days a quarantined batch (on-failure destination) is kept.
    quarantineExpiryDays: int(1, 3650).default(14),
    // Firehose: with format conversion the buffer must be at least 64 MB (up to 128).
    firehoseBufferingSizeMb: int(64, 128).default(128),
    firehoseBufferingIntervalSeconds: int(60, 900).default(300),
});

export type ClickstreamConfig = z.output<typeof clickstreamSchema>;

/** True when the Lambda consumers need enhanced fan-out: the shards' shared read rate cannot serve every standard reader. */
export function usesEnhancedFanOut(c: ClickstreamConfig): boolean {
    if (c.streamMode === "ON_DEMAND") {
        // On-demand shards scale with writes, so the read rate per written MB is fixed: 2 MB/s per 1 MB/s in.
        return STANDARD_READERS * SHARD_WRITE_MB_PER_SECOND > SHARD_READ_MB_PER_SECOND;
    }
    return (c.shardCount ?? 0) * SHARD_READ_MB_PER_SECOND < STANDARD_READERS * c.expectedIngressMbPerSecond;
}

export function clickstreamProblems(c: ClickstreamConfig, environment: string): { path: string[]; message: string }[] {
    const problems: { path: string[]; message: string }[] = [];
    if (c.streamMode === "PROVISIONED" && c.shardCount === undefined)
        problems.push({ path: ["shardCount"], message: 'is required with streamMode "PROVISIONED", got nothing' });
    if (c.streamMode === "ON_DEMAND" && c.shardCount !== undefined)
        problems.push({
            path: ["shardCount"],
            message: `must not be set with streamMode "ON_DEMAND" (AWS scales the shards), got ${c.shardCount}`,
        });
    if (environment === "production" && c.retentionHours < 72)
        problems.push({
            path: ["retentionHours"],
            message: `must be at least 72 in production (a weekend's outage of a consumer), got ${c.retentionHours}`,
        });
    if (c.streamMode === "PROVISIONED" && c.shardCount !== undefined) {
        const writable = c.shardCount * SHARD_WRITE_MB_PER_SECOND;
        if (writable < c.expectedIngressMbPerSecond) {
            problems.push({
                path: ["shardCount"],
                message: `must give at least expectedIngressMbPerSecond (${c.expectedIngressMbPerSecond}) of writes at 1 MB/s per shard, got ${c.shardCount}`,
            });
        } else if (c.shardCount * SHARD_READ_MB_PER_SECOND < c.expectedIngressMbPerSecond) {
            // Firehose cannot use enhanced fan-out: it always reads from the shared 2 MB/s per shard.
            problems.push({
                path: ["shardCount"],
                message: `must give Firehose, which cannot use enhanced fan-out, ${c.expectedIngressMbPerSecond} MB/s of shared reads, got ${c.shardCount}`,
            });
        }
    }
    if (c.apiBurstLimit < c.apiRateLimit / 10)
        problems.push({
            path: ["apiBurstLimit"],
            message: `must be at least a tenth of apiRateLimit (${c.apiRateLimit}), got ${c.apiBurstLimit}`,
        });
    if (c.trendingTtlSeconds < 2 * c.trendingWindowSeconds)
        problems.push({
            path: ["trendingTtlSeconds"],
            message: `must be at least two windows (${2 * c.trendingWindowSeconds}), got ${c.trendingTtlSeconds}`,
        });
    return problems;
}
