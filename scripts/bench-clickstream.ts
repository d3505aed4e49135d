// Clickstream consumers against a real (one-node, cluster-mode) Redis on 127.0.0.1:
//   - records per second through each consumer, one shard's batches in order (as Lambda delivers them);
//   - the raw Redis ceiling of the same commands, issued by a tight loop without decoding or validation;
//   - their ratio, and each handler bundle's size.
// Each figure is the median of RUNS runs, measured in this process.
//
//   npm run bench:clickstream [records]
import type { KinesisStreamRecord } from "aws-lambda";
import type Redis from "ioredis";
import { createRecentlyViewedHandler, recentKey } from "../handlers/recently-viewed/recently-viewed";
import {
    createTrendingHandler,
    doneKey,
    FLUSH_SCRIPT,
    trendingKey,
    type TrendingState,
} from "../handlers/trending-products/trending-products";
import { createRedis } from "../handlers/lib/redis";
import type { HandlerLogger } from "../handlers/lib/logger";
import { ClusterRedis } from "../test/support/clusterRedis";
import { kinesisRecord, streamEvent, view, windowEvent } from "../test/support/kinesis";
import { LOOPBACK } from "../test/support/services";
import { bundleHandler } from "../components/handlerBundle";

const RUNS = 5;
const BATCH = 100;
const SESSIONS = 2_000;
const PRODUCTS = 500;
const MAX_ITEMS = 20;
const TTL = 3_600;
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as HandlerLogger;

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

async function timed(fn: () => Promise<void>): Promise<number> {
    const t0 = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t0) / 1e9;
}

function batches<T>(items: T[]): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
    return out;
}

async function main(): Promise<void> {
    const total = Number(process.argv[2] ?? 50_000);
    if (!Number.isInteger(total) || total < BATCH) throw new Error(`records must be an integer ≥ ${BATCH}, got ${process.argv[2]}`);
    // Deterministic pseudo-random views (a linear congruential walk over sessions and products).
    const views = Array.from({ length: total }, (_, i) =>
        view(`s${(i * 7919) % SESSIONS}`, `p${(i * 104_729) % PRODUCTS}`, i % 3600, `e${i}`),
    );
    const records: KinesisStreamRecord[] = views.map((v, i) => kinesisRecord(v, i, v.sessionId));
    const server = await ClusterRedis.start();
    const redis: Redis = createRedis({ host: LOOPBACK, port: server.port, tls: false, commandTimeoutMs: 5_000 }, silent);
    try {
        // recently-viewed: one MULTI (ZADD GT, trim, EXPIRE) per session per batch.
        const recent = createRecentlyViewedHandler({ redis, logger: silent, maxItems: MAX_ITEMS, ttlSeconds: TTL });
        const recentHandler: number[] = [];
        const recentRaw: number[] = [];
        for (let run = 0; run < RUNS; run++) {
            await redis.flushall();
            recentHandler.push(
                await timed(async () => {
                    for (const b of batches(records)) await recent(streamEvent(b));
                }),
            );
            await redis.flushall();
            recentRaw.push(
                await timed(async () => {
                    for (const b of batches(views)) {
                        const bySession = new Map<string, (string | number)[]>();
                        for (const v of b)
                            bySession.set(v.sessionId, [...(bySession.get(v.sessionId) ?? []), Date.parse(v.eventTime), v.productId]);
                        await Promise.all(
                            [...bySession].map(([s, members]) =>
                                redis
                                    .multi()
                                    .zadd(recentKey(s), "GT", ...members)
                                    .zremrangebyrank(recentKey(s), 0, -(MAX_ITEMS + 1))
                                    .expire(recentKey(s), TTL)
                                    .exec(),
                            ),
                        );
                    }
                }),
            );
        }

        // trending-products: the window's batches (state carried), then the final invoke's one EVAL.
        const trending = createTrendingHandler({ redis, logger: silent, ttlSeconds: TTL });
        const trendHandler: number[] = [];
        const trendRaw: number[] = [];
        let finalState: TrendingState = { counts: {} };
        for (let run = 0; run < RUNS; run++) {
            await redis.flushall();
            trendHandler.push(
                await timed(async () => {
                    let state: unknown = {};
                    for (const b of batches(records)) state = (await trending(windowEvent(b, state))).state;
                    finalState = state as TrendingState;
                    await trending(windowEvent([], state, { final: true }));
                }),
            );
            await redis.flushall();
            const entries = Object.entries(finalState.counts).flatMap(([p, n]) => [p, n]);
            const start = "2026-12-01T10:00:00Z";
            trendRaw.push(
                await timed(async () => {
                    await redis.eval(
                        FLUSH_SCRIPT,
                        2,
                        trendingKey(start),
                        doneKey(start, "shardId-000000000000", finalState.firstSequence!),
                        TTL,
                        ...entries,
                    );
                }),
            );
        }

        const rate = (seconds: number[]) => total / median(seconds);
        const rows = [
            ["recently-viewed", rate(recentHandler), rate(recentRaw)],
            ["trending-products", rate(trendHandler), rate(trendRaw)],
        ] as const;
        console.log(
            `clickstream consumers, ${total} records in batches of ${BATCH}, median of ${RUNS} runs, one-node cluster-mode Redis on ${LOOPBACK}`,
        );
        console.log("consumer            handler rec/s    raw Redis rec/s   ratio");
        for (const [name, handler, raw] of rows)
            console.log(
                `${name.padEnd(18)}  ${Math.round(handler).toString().padStart(13)}  ${Math.round(raw).toString().padStart(16)}   ${(handler / raw).toFixed(2)}`,
            );
        console.log(
            "(trending writes Redis once per window and shard: its raw figure is one EVAL of the window's counts, spread over the window's records)",
        );
        for (const name of ["recently-viewed", "trending-products"] as const) {
            const bundle = await bundleHandler(name);
            console.log(`bundle ${name}: ${(bundle.bytes / 1024).toFixed(1)} KiB`);
        }
    } finally {
        redis.disconnect();
        await server.stop();
    }
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
