import { strict as assert } from "assert";
import type Redis from "ioredis";
import type { Pool } from "pg";
import {
    createInventoryHandler,
    productCacheKey,
    productCacheKeyTemplateFromEnv,
    type InventoryDeps,
} from "../../handlers/inventory/inventory";
import type { InventoryReserved } from "../../handlers/lib/events";
import { RecordingCounterSink } from "../../handlers/lib/metrics";
import { getServices, type TestServices } from "../support/services";
import { validateStackConfig } from "../../config/load";
import { readProgram } from "../../engine/evaluate";
import {
    duplicatedDeliveries,
    eventBridgeEvent,
    RecordingLogger,
    runEventSource,
    runInBatches,
    seededRandom,
    shuffle,
    sqsEvent,
    sqsRecord,
    type EventSourceResult,
} from "../support/messages";
import { REPO_ROOT } from "../support/plan";
import { createPool } from "../../handlers/lib/db";

const DATABASE = "inventory_test";
const CACHE_TEMPLATE = "catalog:v1:product:{sku}";

function reservationBody(reservation: InventoryReserved): string {
    return JSON.stringify(eventBridgeEvent("InventoryReserved", reservation));
}

describe("inventory handler (real PostgreSQL and Redis)", function () {
    let services: TestServices;
    let admin: Pool;
    let redis: Redis;

    before(async function () {
        services = await getServices();
        await services.createDatabase(DATABASE);
        admin = services.pool({ database: DATABASE, max: 2 });
        redis = services.redis();
    });

    after(async function () {
        if (redis) services.closeRedis(redis);
        if (admin) await services.endPool(admin);
    });

    beforeEach(async function () {
        await admin.query("TRUNCATE inventory, inventory_reservations");
        if (!services.redisRunning) await services.startRedis();
    });

    function handlerDeps(
        pool: Pool,
        overrides: Partial<InventoryDeps> = {},
    ): InventoryDeps & { recording: RecordingLogger; counters: RecordingCounterSink } {
        const recording = new RecordingLogger();
        const counters = new RecordingCounterSink();
        return {
            pool,
            redis,
            logger: recording.asHandlerLogger(),
            metrics: counters,
            productCacheKeyTemplate: CACHE_TEMPLATE,
            recording,
            counters,
            ...overrides,
        };
    }

    async function stock(sku: string): Promise<number> {
        return Number((await admin.query("SELECT available FROM inventory WHERE sku = $1", [sku])).rows[0].available);
    }

    it("decrements once per reservation when every message is delivered 2-3 times, shuffled, with malformed messages mixed in", async function () {
        const seed = 4242;
        const random = seededRandom(seed);
        await admin.query("INSERT INTO inventory (sku, available) VALUES ('SKU-PLENTY', 500), ('SKU-SCARCE', 12), ('SKU-NONE', 0)");
        for (const sku of ["SKU-PLENTY", "SKU-SCARCE", "SKU-NONE"])
            await redis.set(productCacheKey(CACHE_TEMPLATE, sku), '{"cached":true}');
        const skus = ["SKU-PLENTY", "SKU-SCARCE", "SKU-NONE"];
        const reservations: InventoryReserved[] = Array.from({ length: 90 }, (_, i) => ({
            reservationId: `res-${i}`,
            orderId: `ord-${i}`,
            sku: skus[i % 3],
            quantity: 1 + Math.floor(random() * 3),
        }));
        const malformed = [
            sqsRecord("{not json"),
            sqsRecord(
                JSON.stringify(
                    eventBridgeEvent("InventoryReserved", { reservationId: "res-bad", orderId: "o", sku: "SKU-PLENTY", quantity: 0 }),
                ),
            ),
            sqsRecord(
                JSON.stringify(
                    eventBridgeEvent("InventoryReserved", { reservationId: "res-bad2", orderId: "o", sku: "SKU-PLENTY", quantity: 1.5 }),
                ),
            ),
            sqsRecord(JSON.stringify(eventBridgeEvent("InventoryReleased", { reservationId: "res-bad3" }))),
        ];
        // A SKU the inventory table does not know is a fault, not an outcome: it fails (and would reach the DLQ).
        const unknownSku = sqsRecord(reservationBody({ reservationId: "res-unknown", orderId: "ord-u", sku: "SKU-GHOST", quantity: 1 }));
        const records = shuffle([...duplicatedDeliveries(reservations.map(reservationBody), random), ...malformed, unknownSku], random);

        const pool = services.pool({ database: DATABASE, user: "inventory_lambda", max: 5 });
        try {
            const deps = handlerDeps(pool);
            const failures = await runInBatches(records, createInventoryHandler(deps), { batchSize: 10, concurrency: 4 });
            assert.deepEqual([...failures].sort(), [...malformed, unknownSku].map((record) => record.messageId).sort(), `seed ${seed}`);
        } finally {
            await services.endPool(pool);
        }

        const rows = (
            await admin.query<{ reservation_id: string; sku: string; quantity: number; outcome: string }>(
                "SELECT reservation_id, sku, quantity, outcome FROM inventory_reservations",
            )
        ).rows;
        assert.equal(rows.length, reservations.length, "one row per reservation id");
        const reservedBySku = (sku: string) =>
            rows.filter((row) => row.sku === sku && row.outcome === "reserved").reduce((sum, row) => sum + row.quantity, 0);
        const demand = (sku: string) =>
            reservations.filter((reservation) => reservation.sku === sku).reduce((sum, reservation) => sum + reservation.quantity, 0);

        assert.equal(reservedBySku("SKU-PLENTY"), demand("SKU-PLENTY"), "ample stock: every reservation applied");
        assert.equal(await stock("SKU-PLENTY"), 500 - demand("SKU-PLENTY"), "decremented exactly once per reservation");
        const scarceLeft = await stock("SKU-SCARCE");
        assert.equal(scarceLeft, 12 - reservedBySku("SKU-SCARCE"));
        assert.ok(scarceLeft >= 0);
        for (const rejected of rows.filter((row) => row.sku === "SKU-SCARCE" && row.outcome === "insufficient_stock")) {
            assert.ok(rejected.quantity > scarceLeft, `${rejected.reservation_id} was rejected only when stock could not cover it`);
        }
        assert.ok(
            rows.some((row) => row.sku === "SKU-SCARCE" && row.outcome === "insufficient_stock"),
            "demand exceeded scarce stock",
        );
        assert.equal(await stock("SKU-NONE"), 0);
        assert.equal(rows.filter((row) => row.sku === "SKU-NONE" && row.outcome !== "insufficient_stock").length, 0);
        assert.equal((await admin.query("SELECT 1 FROM inventory_reservations WHERE outcome = 'pending'")).rowCount, 0);

        // Cache entries of products whose stock changed are gone; the untouched one stays.
        assert.equal(await redis.get(productCacheKey(CACHE_TEMPLATE, "SKU-PLENTY")), null);
        assert.equal(await redis.get(productCacheKey(CACHE_TEMPLATE, "SKU-SCARCE")), null);
        assert.equal(await redis.get(productCacheKey(CACHE_TEMPLATE, "SKU-NONE")), '{"cached":true}');
    });

    it("flash sale: 5,000 one-unit reservations through the event source sell exactly 1,000, stock never negative", async function () {
        // The production stack's event source settings: at most maximumConcurrency invocations of batchSize records in
        // flight, each execution environment with its own pool of batchSize connections (DB_POOL_MAX), failed items
        // received again until settled or, after maxReceiveCount receives, dead-lettered.
        const { events } = validateStackConfig(readProgram(REPO_ROOT, "production").config, "retail-platform", "production");
        await admin.query("INSERT INTO inventory (sku, available) VALUES ('SKU-FLASH', 1000)");
        const sampler = services.pool({ database: DATABASE, max: 1 });
        const pools: Pool[] = [];
        let lowestSeen = Infinity;
        let sampling = true;
        const sampleLoop = (async () => {
            while (sampling) {
                const value = Number((await sampler.query("SELECT available FROM inventory WHERE sku = 'SKU-FLASH'")).rows[0].available);
                lowestSeen = Math.min(lowestSeen, value);
                await new Promise((resolve) => setTimeout(resolve, 5));
            }
        })();
        const counters = new RecordingCounterSink();
        let source: EventSourceResult;
        try {
            const records = Array.from({ length: 5_000 }, (_, i) =>
                sqsRecord(reservationBody({ reservationId: `flash-${i}`, orderId: `ord-flash-${i}`, sku: "SKU-FLASH", quantity: 1 })),
            );
            source = await runEventSource(
                records,
                () => {
                    const pool = services.pool({ database: DATABASE, user: "inventory_lambda", max: events.batchSize });
                    pools.push(pool);
                    return createInventoryHandler(handlerDeps(pool, { metrics: counters }));
                },
                { batchSize: events.batchSize, maximumConcurrency: events.maximumConcurrency, maxReceiveCount: events.maxReceiveCount },
            );
        } finally {
            sampling = false;
            await sampleLoop;
            await services.endPool(sampler);
            for (const pool of pools) await services.endPool(pool);
        }
        assert.equal(pools.length, events.maximumConcurrency, "one pool per execution environment");
        assert.deepEqual(
            source.deadLettered.map((record) => record.messageId),
            [],
            "every message settled within maxReceiveCount receives",
        );
        assert.equal(source.settled, 5_000);
        const outcomes = (
            await admin.query<{ outcome: string; count: string }>(
                "SELECT outcome, count(*) FROM inventory_reservations GROUP BY outcome ORDER BY outcome",
            )
        ).rows;
        assert.deepEqual(
            outcomes.map((row) => [row.outcome, Number(row.count)]),
            [
                ["insufficient_stock", 4_000],
                ["reserved", 1_000],
            ],
            "exactly 1,000 units sold",
        );
        assert.equal(counters.get("ReservationsRejectedInsufficientStock"), 4_000, "each rejection counted once, redeliveries included");
        assert.equal(await stock("SKU-FLASH"), 0);
        assert.ok(lowestSeen >= 0, `stock never observed below zero (lowest ${lowestSeen})`);
    });

    it("the event source model redelivers failed items until settled and dead-letters after maxReceiveCount", async function () {
        const records = Array.from({ length: 25 }, (_, i) => sqsRecord(`{"n":${i}}`));
        const attempts = new Map<string, number>();
        let inFlight = 0;
        let peak = 0;
        const result = await runEventSource(
            records,
            () => async (event) => {
                inFlight++;
                peak = Math.max(peak, inFlight);
                await new Promise((resolve) => setTimeout(resolve, 2));
                inFlight--;
                assert.ok(event.Records.length <= 4);
                const failures = event.Records.filter((record) => {
                    const n = (attempts.get(record.messageId) ?? 0) + 1;
                    attempts.set(record.messageId, n);
                    assert.equal(record.attributes.ApproximateReceiveCount, String(n));
                    const body = JSON.parse(record.body) as { n: number };
                    return body.n === 0 || (body.n % 5 === 1 && n < 3); // n=0 never settles; n=1,6,... settle on the third receive
                });
                return { batchItemFailures: failures.map((record) => ({ itemIdentifier: record.messageId })) };
            },
            { batchSize: 4, maximumConcurrency: 3, maxReceiveCount: 4 },
        );
        assert.equal(peak, 3, "never more than maximumConcurrency invocations in flight");
        assert.deepEqual(
            result.deadLettered.map((record) => record.messageId),
            [records[0].messageId],
        );
        assert.equal(attempts.get(records[0].messageId), 4);
        assert.equal(result.settled, 24);
        assert.equal(result.redeliveries, 3 + 5 * 2);
    });

    it("refuses any write that would take stock below zero (CHECK constraint)", async function () {
        await admin.query("INSERT INTO inventory (sku, available) VALUES ('SKU-CHECK', 1)");
        await assert.rejects(
            admin.query("UPDATE inventory SET available = available - 2 WHERE sku = 'SKU-CHECK'"),
            /inventory_available_check/,
        );
        assert.equal(await stock("SKU-CHECK"), 1);
    });

    it("still commits the stock change when Redis is down, logging and counting the cache failure", async function () {
        await admin.query("INSERT INTO inventory (sku, available) VALUES ('SKU-R', 10)");
        const pool = services.pool({ database: DATABASE, user: "inventory_lambda", max: 5 });
        const handlerRedis = services.redis({ commandTimeoutMs: 300 });
        try {
            const deps = handlerDeps(pool, { redis: handlerRedis });
            await handlerRedis.ping();
            await services.stopRedis();
            const records = Array.from({ length: 4 }, (_, i) =>
                sqsRecord(reservationBody({ reservationId: `res-r-${i}`, orderId: `ord-r-${i}`, sku: "SKU-R", quantity: 2 })),
            );
            const started = Date.now();
            const response = await createInventoryHandler(deps)(sqsEvent(records));
            const elapsed = Date.now() - started;
            assert.deepEqual(response.batchItemFailures, [], "not retried: the stock change is committed");
            assert.equal(await stock("SKU-R"), 2);
            assert.equal(deps.counters.get("CacheInvalidationFailures"), 4);
            assert.equal(deps.recording.messages("error").filter((message) => message.includes("cache invalidation failed")).length, 4);
            assert.ok(elapsed < 5_000, `bounded by the command timeout, took ${elapsed} ms`);

            // Redis comes back: the same client reconnects and invalidation works again.
            await services.startRedis();
            await redis.set(productCacheKey(CACHE_TEMPLATE, "SKU-R"), "stale");
            const deadline = Date.now() + 10_000;
            let invalidated = false;
            for (let i = 0; !invalidated && Date.now() < deadline; i++) {
                const result = await createInventoryHandler(deps)(
                    sqsEvent([
                        sqsRecord(reservationBody({ reservationId: `res-r-after-${i}`, orderId: "ord-r", sku: "SKU-R", quantity: 1 })),
                    ]),
                );
                assert.deepEqual(result.batchItemFailures, []);
                invalidated = (await redis.get(productCacheKey(CACHE_TEMPLATE, "SKU-R"))) === null;
                if (!invalidated) await new Promise((resolve) => setTimeout(resolve, 200));
            }
            assert.ok(invalidated, "cache invalidation resumes after Redis returns");
        } finally {
            services.closeRedis(handlerRedis);
            await services.endPool(pool);
        }
    });

    it("loses and doubles nothing when PostgreSQL restarts in the middle of a batch", async function () {
        await admin.query("INSERT INTO inventory (sku, available) VALUES ('SKU-PG', 100)");
        const pool = services.pool({ database: DATABASE, user: "inventory_lambda", max: 2 });
        let stopped = false;
        // The first cache invalidation runs right after the first commit: stop PostgreSQL there.
        const stoppingRedis = new Proxy(redis, {
            get(target, property, receiver) {
                if (property === "del") {
                    return async (...args: [string]) => {
                        if (!stopped) {
                            stopped = true;
                            await services.stopPostgres();
                        }
                        return target.del(...args);
                    };
                }
                return Reflect.get(target, property, receiver);
            },
        });
        const records = Array.from({ length: 10 }, (_, i) =>
            sqsRecord(reservationBody({ reservationId: `res-pg-${i}`, orderId: `ord-pg-${i}`, sku: "SKU-PG", quantity: 3 })),
        );
        try {
            const deps = handlerDeps(pool, { redis: stoppingRedis });
            const first = await createInventoryHandler(deps)(sqsEvent(records));
            assert.ok(stopped);
            const failed = new Set(first.batchItemFailures.map((failure) => failure.itemIdentifier));
            assert.ok(
                failed.size >= 1 && failed.size < records.length,
                `some records fail, the committed one does not (failed ${failed.size})`,
            );
            await services.startPostgres();
            const retry = await createInventoryHandler(deps)(sqsEvent(records.filter((record) => failed.has(record.messageId))));
            assert.deepEqual(retry.batchItemFailures, []);
            assert.deepEqual(
                (await createInventoryHandler(deps)(sqsEvent(records))).batchItemFailures,
                [],
                "a full redelivery changes nothing",
            );
        } finally {
            if (!services.postgresRunning) await services.startPostgres();
            await services.endPool(pool);
        }
        assert.equal(await stock("SKU-PG"), 100 - 10 * 3);
        assert.equal(
            (await admin.query("SELECT 1 FROM inventory_reservations WHERE sku = 'SKU-PG' AND outcome = 'reserved'")).rowCount,
            10,
        );
    });

    it("keeps an error listener on every checked-out client, so a restart landing mid-connect cannot crash the process", async () => {
        const pool = createPool(
            {
                host: "127.0.0.1",
                port: services.pgPort,
                database: DATABASE,
                user: "inventory_lambda",
                auth: "trust",
                ssl: "disable",
                poolMax: 1,
            },
            new RecordingLogger(),
        );
        try {
            const client = await pool.connect();
            assert.ok(client.listenerCount("error") >= 1, "a checked-out client has an 'error' listener");
            // What the connection emits when the server's FATAL message arrives with no query running on it.
            assert.doesNotThrow(() => client.emit("error", new Error("terminating connection due to administrator command")));
            client.release(true);
        } finally {
            await pool.end();
        }
    });

    it("requires the {sku} placeholder in PRODUCT_CACHE_KEY_TEMPLATE", function () {
        assert.equal(productCacheKeyTemplateFromEnv({}), "product:{sku}");
        assert.throws(
            () => productCacheKeyTemplateFromEnv({ PRODUCT_CACHE_KEY_TEMPLATE: "product:" }),
            /must contain the placeholder \{sku\}/,
        );
        assert.equal(productCacheKey("catalog:v2:{sku}", "SKU-1"), "catalog:v2:SKU-1");
    });
});
