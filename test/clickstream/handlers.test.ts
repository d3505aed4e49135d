import { strict as assert } from "assert";
import Redis from "ioredis";
import { createRecentlyViewedHandler, recentKey, type RecentlyViewedDeps } from "../../handlers/recently-viewed/recently-viewed";
import {
    createTrendingHandler,
    trendingKey,
    type TrendingDeps,
    type TrendingState,
} from "../../handlers/trending-products/trending-products";
import { createRedis } from "../../handlers/lib/redis";
import type { HandlerLogger } from "../../handlers/lib/logger";
import { ClusterRedis } from "../support/clusterRedis";
import { kinesisRecord, sequenceNumber, streamEvent, view, windowEvent } from "../support/kinesis";
import { seededRandom, shuffle } from "../support/messages";
import { freeLoopbackPort, LOOPBACK } from "../support/services";

const warnings: string[] = [];
const logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (m: string) => warnings.push(m),
    error: (m: string) => warnings.push(m),
} as unknown as HandlerLogger;

async function everyKeyHasTtl(redis: Redis): Promise<string[]> {
    const keys = await redis.keys("*");
    for (const key of keys) assert.ok((await redis.ttl(key)) > 0, `${key} has a TTL`);
    return keys;
}

describe("clickstream handlers on a cluster-mode Redis", function () {
    let server: ClusterRedis;
    let redis: Redis;
    before(async function () {
        this.timeout(30_000);
        server = await ClusterRedis.start();
        redis = createRedis({ host: LOOPBACK, port: server.port, tls: false, commandTimeoutMs: 2_000 }, logger);
    });
    after(async function () {
        this.timeout(20_000);
        redis?.disconnect();
        await server?.stop();
    });
    beforeEach(async () => {
        await redis.flushall();
        warnings.length = 0;
    });

    it("runs in cluster mode: keys in two hash slots fail with CROSSSLOT, as on ElastiCache Serverless", async () => {
        await assert.rejects(redis.eval("return 1", 2, "a", "b"), /CROSSSLOT/);
        assert.equal(await redis.eval("return 1", 2, "{w}a", "{w}b"), 1);
    });

    describe("recently-viewed", () => {
        const deps = (): RecentlyViewedDeps => ({ redis, logger, maxItems: 3, ttlSeconds: 600 });
        // Session s1 views five products (p2 twice), s2 two.
        const views = [
            view("s1", "p1", 1),
            view("s1", "p2", 2),
            view("s2", "p7", 3),
            view("s1", "p3", 4),
            view("s1", "p4", 5),
            view("s1", "p2", 6),
            view("s2", "p8", 7),
            view("s1", "p5", 8),
        ];
        const records = views.map((v, i) => kinesisRecord(v, i, v.sessionId));
        const snapshot = async () => ({
            s1: await redis.zrange(recentKey("s1"), 0, -1, "WITHSCORES"),
            s2: await redis.zrange(recentKey("s2"), 0, -1, "WITHSCORES"),
        });

        it("keeps each session's last N products by view time, with a TTL", async () => {
            const result = await createRecentlyViewedHandler(deps())(streamEvent(records));
            assert.deepEqual(result.batchItemFailures, []);
            const got = await snapshot();
            assert.deepEqual(
                got.s1.filter((_, i) => i % 2 === 0),
                ["p4", "p2", "p5"],
                "the three latest: p4 (5 s), p2 (6 s), p5 (8 s)",
            );
            assert.deepEqual(
                got.s2.filter((_, i) => i % 2 === 0),
                ["p7", "p8"],
            );
            assert.deepEqual((await everyKeyHasTtl(redis)).sort(), [recentKey("s1"), recentKey("s2")]);
        });

        it("gives the same lists under redelivery and shuffling as one clean delivery", async () => {
            const handler = createRecentlyViewedHandler(deps());
            await handler(streamEvent(records));
            const clean = await snapshot();
            for (const seed of [1, 2, 3]) {
                await redis.flushall();
                const random = seededRandom(seed);
                const deliveries = shuffle([...records, ...records.filter(() => random() < 0.5)], random);
                // Split into batches of three, each delivered (some twice: Lambda retries from a checkpoint).
                for (let i = 0; i < deliveries.length; i += 3) {
                    const batch = deliveries.slice(i, i + 3);
                    await handler(streamEvent(batch));
                    if (random() < 0.5) await handler(streamEvent(batch));
                }
                assert.deepEqual(await snapshot(), clean, `seed ${seed}`);
            }
        });

        it("reports poison records and applies the rest of the batch", async () => {
            const batch = [
                kinesisRecord(view("s1", "p1", 1), 0),
                kinesisRecord("not json", 1),
                kinesisRecord({ ...view("s1", "p2", 2), sessionId: "bad session!" }, 2),
                kinesisRecord(view("s1", "p3", 3), 3),
            ];
            const result = await createRecentlyViewedHandler(deps())(streamEvent(batch));
            assert.deepEqual(result.batchItemFailures, [], "a poison record never blocks the shard");
            assert.deepEqual(result.poison, [sequenceNumber(1), sequenceNumber(2)]);
            assert.deepEqual(await redis.zrange(recentKey("s1"), 0, -1), ["p1", "p3"]);
            assert.equal(warnings.filter((w) => w.includes("poison")).length, 2);
        });

        it("reports the earliest record of a failed update when Redis is unreachable", async () => {
            const down = createRedis({ host: LOOPBACK, port: await freeLoopbackPort(), tls: false, commandTimeoutMs: 200 }, logger);
            try {
                const result = await createRecentlyViewedHandler({ ...deps(), redis: down })(streamEvent(records.slice(2)));
                assert.deepEqual(
                    result.batchItemFailures,
                    [{ itemIdentifier: sequenceNumber(2) }],
                    "Lambda retries from the earliest failed record",
                );
            } finally {
                down.disconnect();
            }
        });
    });

    describe("trending-products", () => {
        const deps = (): TrendingDeps => ({ redis, logger, ttlSeconds: 900 });
        const start = "2026-12-01T10:00:00Z";
        // Views of p1 ×4, p2 ×2, p3 ×1, and a search (not counted).
        const payloads = [
            view("a", "p1", 1),
            view("b", "p2", 2),
            view("c", "p1", 3),
            { ...view("d", "x", 4), eventType: "search", productId: undefined, searchQuery: "red" },
            view("e", "p3", 5),
            view("f", "p1", 6),
            view("g", "p2", 7),
            view("h", "p1", 8),
        ];
        const records = payloads.map((p, i) => kinesisRecord(p, i));
        const counts = async (windowStart = start) =>
            Object.fromEntries(
                (await redis.zrange(trendingKey(windowStart), 0, -1, "WITHSCORES")).reduce<[string, number][]>(
                    (acc, v, i, all) => (i % 2 === 0 ? [...acc, [v, Number(all[i + 1])]] : acc),
                    [],
                ),
            );

        /** Delivers `batches` of one window in order, carrying state as Lambda does, then the final invoke. */
        async function runWindow(batches: ReturnType<typeof kinesisRecord>[][], shardId = "shardId-000000000000"): Promise<TrendingState> {
            const handler = createTrendingHandler(deps());
            let state: unknown = {};
            for (const batch of batches) {
                const response = await handler(windowEvent(batch, state, { start, shardId }));
                assert.ok(response.state, "every response carries state");
                assert.deepEqual(response.batchItemFailures, []);
                state = response.state;
            }
            const final = await handler(windowEvent([], state, { start, shardId, final: true }));
            assert.ok(final.state);
            return state as TrendingState;
        }

        it("counts a window's views per product and writes them once on the final invoke, with TTLs", async () => {
            const handler = createTrendingHandler(deps());
            const first = await handler(windowEvent(records, {}, { start }));
            assert.deepEqual(first.state.counts, { p1: 4, p2: 2, p3: 1 });
            assert.deepEqual(await redis.keys("*"), [], "nothing is written before the window ends");
            const final = await handler(windowEvent([], first.state, { start, final: true }));
            assert.deepEqual(final, { state: { counts: {} }, batchItemFailures: [] });
            assert.deepEqual(await counts(), { p1: 4, p2: 2, p3: 1 });
            const keys = await everyKeyHasTtl(redis);
            assert.equal(keys.length, 2, "the sorted set and the shard's done-marker");
        });

        it("gives the same counts under redelivery and shuffling as one clean delivery", async () => {
            await runWindow([records]);
            const clean = await counts();
            for (const seed of [4, 5, 6]) {
                await redis.flushall();
                const random = seededRandom(seed);
                // Lambda redelivers from a checkpoint: overlapping batches, each shuffled (order within a batch is not trusted).
                const batches = [
                    shuffle(records.slice(0, 4), random),
                    shuffle(records.slice(2, 6), random),
                    shuffle(records.slice(0, 8), random),
                    shuffle(records.slice(5), random),
                ];
                await runWindow(batches);
                assert.deepEqual(await counts(), clean, `seed ${seed}`);
            }
        });

        it("does not double the counts when the final invoke is retried", async () => {
            const handler = createTrendingHandler(deps());
            const state = (await handler(windowEvent(records, {}, { start }))).state;
            await handler(windowEvent([], state, { start, final: true }));
            const retried = await handler(windowEvent([], state, { start, final: true }));
            assert.deepEqual(retried.batchItemFailures, []);
            assert.deepEqual(await counts(), { p1: 4, p2: 2, p3: 1 });
        });

        it("adds each shard's counts once to the window's sorted set", async () => {
            await runWindow([records.slice(0, 4)], "shardId-000000000000");
            await runWindow([records.slice(4)], "shardId-000000000001");
            assert.deepEqual(await counts(), { p1: 4, p2: 2, p3: 1 });
            await everyKeyHasTtl(redis);
        });

        it("writes an early-terminated window and its continuation under the same start without losing either", async () => {
            const handler = createTrendingHandler(deps());
            const part1 = (await handler(windowEvent(records.slice(0, 4), {}, { start }))).state;
            await handler(windowEvent([], part1, { start, final: true, early: true }));
            const part2 = (await handler(windowEvent(records.slice(4), {}, { start }))).state;
            await handler(windowEvent([], part2, { start, final: true }));
            assert.deepEqual(await counts(), { p1: 4, p2: 2, p3: 1 });
        });

        it("returns state on every path: records, none, poison only, final, final with nothing, final with Redis down", async () => {
            const handler = createTrendingHandler(deps());
            const responses = [
                await handler(windowEvent(records, undefined, { start })),
                await handler(windowEvent([], {}, { start })),
                await handler(windowEvent([kinesisRecord("{", 20), kinesisRecord({ eventType: "product_view" }, 21)], {}, { start })),
                await handler(windowEvent([], {}, { start, final: true })),
            ];
            const down = createRedis({ host: LOOPBACK, port: await freeLoopbackPort(), tls: false, commandTimeoutMs: 200 }, logger);
            try {
                const failing = createTrendingHandler({ ...deps(), redis: down });
                const pending = { counts: { p1: 2 }, firstSequence: sequenceNumber(0), lastSequence: sequenceNumber(1) };
                const failed = await failing(windowEvent([], pending, { start, final: true }));
                assert.deepEqual(failed.state, pending, "the state is kept for the retry");
                assert.deepEqual(failed.batchItemFailures, [{ itemIdentifier: "" }], "an empty identifier fails the whole invoke");
                responses.push(failed);
            } finally {
                down.disconnect();
            }
            for (const r of responses) assert.ok(r.state && typeof r.state === "object" && "counts" in r.state, JSON.stringify(r));
            assert.deepEqual(responses[2].state.counts, {}, "poison records are skipped");
            assert.deepEqual(responses[2].batchItemFailures, [], "poison never blocks the shard");
            assert.equal(responses[2].state.lastSequence, sequenceNumber(21));
        });
    });
});
