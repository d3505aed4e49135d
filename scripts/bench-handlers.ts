// Handler benchmarks on a local PostgreSQL and Redis (started here, durable settings, stopped at the end).
//
//   node -r ./engine/register.js scripts/bench-handlers.ts [--orders N]
//
// Prints measured figures only:
//   1. orders/s through the order processor (batches of 10, 3-6 lines per order, S3 and SQS stubbed)
//      next to the raw ceiling: the same order inserts issued directly, same pool and concurrency;
//   2. the flash sale: 5,000 one-unit reservations against stock 1,000 delivered as the event source mapping does
//      (maximumConcurrency x batchSize in flight, failures redelivered), outcome and p50/p99;
//   3. each handler's bundle size and cold require time in a fresh node process, against the earlier build that left
//      the AWS SDK to the runtime (loaded from node_modules inside the timed require), as a ratio within the run.
//   --bundles-only runs just 3.
import { execFileSync } from "child_process";
import { randomUUID } from "crypto";
import { statSync } from "fs";
import { cpus } from "os";
import { join } from "path";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import type { Pool } from "pg";
import { processInventoryRecord, type InventoryDeps } from "../handlers/inventory/inventory";
import { processSqsBatch } from "../handlers/lib/batch";
import { withTransaction } from "../handlers/lib/db";
import type { OrderPlaced } from "../handlers/lib/events";
import type { HandlerLogger } from "../handlers/lib/logger";
import { RecordingCounterSink } from "../handlers/lib/metrics";
import { createOrderProcessor } from "../handlers/order-processor/order-processor";
import { eventsSchema } from "../config/events";
import { runEventSource } from "../test/support/messages";
import { TestServices } from "../test/support/services";
import { LOCAL_LOAD_ENV, bundleAll, handlerBuildOptions, handlersBuildDir } from "../components/handlerBundle";

const BATCH_SIZE = 10;
const CONCURRENT_BATCHES = 4;
const POOL_SIZE = 10;
const FLASH_RESERVATIONS = 5_000;
const FLASH_STOCK = 1_000;
// The event source's scalingConfig.maximumConcurrency and redrive maxReceiveCount: the events config's defaults.
const FLASH_CONCURRENCY = eventsSchema.parse({}).maximumConcurrency;
const MAX_RECEIVE_COUNT = eventsSchema.parse({}).maxReceiveCount;
const REQUIRE_SAMPLES = 9;
const ROUNDS = 4;

const silentLogger = { debug() {}, info() {}, warn() {}, error() {} } as unknown as HandlerLogger;
// Stubs stand in for S3 and SQS: the benchmark measures the handler and the database, not the network.
const okClient = { send: async () => ({}) };

function parseOrderCount(argv: string[]): number {
    const index = argv.indexOf("--orders");
    if (index === -1) return 2_000;
    const value = Number(argv[index + 1]);
    if (!Number.isInteger(value) || value < 100 || value > 20_000) throw new Error("--orders must be an integer between 100 and 20000");
    return value;
}

function makeOrders(count: number, runId: string): OrderPlaced[] {
    return Array.from({ length: count }, (_, i) => {
        const lines = Array.from({ length: 3 + (i % 4) }, (_, line) => ({
            sku: `SKU-${(i * 7 + line * 13) % 5_000}`,
            quantity: 1 + ((i + line) % 3),
            unitPriceCents: 499 + ((i * 31 + line * 17) % 20_000),
        }));
        return {
            orderId: `${runId}-${i}`,
            customerId: `cust-${i % 997}`,
            currency: "USD",
            placedAt: new Date(Date.UTC(2026, 2, 14, 10, 0, i % 60)).toISOString(),
            lines,
            totalCents: lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0),
        };
    });
}

function record(detailType: string, detail: unknown): SQSRecord {
    const body = JSON.stringify({
        version: "0",
        id: randomUUID(),
        "detail-type": detailType,
        source: "retail.orders",
        account: "123456789012",
        time: new Date().toISOString(),
        region: "eu-west-1",
        resources: [],
        detail,
    });
    return {
        messageId: randomUUID(),
        receiptHandle: "r",
        body,
        attributes: {} as SQSRecord["attributes"],
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:bench",
        awsRegion: "eu-west-1",
    };
}

async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(
        Array.from({ length: concurrency }, async () => {
            while (next < items.length) await work(items[next++]);
        }),
    );
}

function percentile(sorted: number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function benchOrders(services: TestServices, database: string, requestedOrders: number) {
    let orderCount = requestedOrders;
    const handlerPool = services.pool({ database, user: "order_processor_lambda", max: POOL_SIZE });
    const rawPool = services.pool({ database, max: POOL_SIZE });
    try {
        const handle = createOrderProcessor({
            pool: handlerPool,
            s3: okClient as unknown as S3Client,
            sqs: okClient as unknown as SQSClient,
            logger: silentLogger,
            dataLakeBucket: "bench-lake",
            omsQueueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/oms.fifo",
        });
        // Warm-up: connections open, statements planned, code paths compiled.
        await handle({ Records: makeOrders(50, `warm-${randomUUID()}`).map((order) => record("OrderPlaced", order)) });

        // Raw ceiling: the writes that persist an order exactly once (idempotency key, order, lines) in
        // one transaction each, no parsing, validation, archive or forwarding; same batching and pool.
        const insertRaw = (pool: Pool, order: OrderPlaced) =>
            withTransaction(pool, async (client) => {
                await client.query("INSERT INTO processed_messages (consumer, message_key, event_id) VALUES ('raw', $1, $2)", [
                    order.orderId,
                    order.orderId,
                ]);
                await client.query(
                    "INSERT INTO orders (order_id, customer_id, currency, total_cents, placed_at, source_event_id) VALUES ($1, $2, $3, $4, $5, $6)",
                    [order.orderId, order.customerId, order.currency, order.totalCents, order.placedAt, order.orderId],
                );
                await client.query(
                    `INSERT INTO order_lines (order_id, line_number, sku, quantity, unit_price_cents)
           SELECT $1, n, sku, quantity, price FROM unnest($2::text[], $3::int[], $4::bigint[]) WITH ORDINALITY AS l(sku, quantity, price, n)`,
                    [
                        order.orderId,
                        order.lines.map((line) => line.sku),
                        order.lines.map((line) => line.quantity),
                        order.lines.map((line) => line.unitPriceCents),
                    ],
                );
            });
        const runHandler = async (count: number): Promise<number> => {
            const orders = makeOrders(count, `h-${randomUUID()}`);
            const batches: SQSEvent[] = [];
            for (let i = 0; i < orders.length; i += BATCH_SIZE)
                batches.push({ Records: orders.slice(i, i + BATCH_SIZE).map((order) => record("OrderPlaced", order)) });
            let failures = 0;
            const start = process.hrtime.bigint();
            await inParallel(batches, CONCURRENT_BATCHES, async (batch) => {
                failures += (await handle(batch)).batchItemFailures.length;
            });
            const seconds = Number(process.hrtime.bigint() - start) / 1e9;
            if (failures > 0) throw new Error(`${failures} orders failed in the benchmark run`);
            return seconds;
        };
        const runRaw = async (count: number): Promise<number> => {
            const orders = makeOrders(count, `r-${randomUUID()}`);
            const batches: OrderPlaced[][] = [];
            for (let i = 0; i < orders.length; i += BATCH_SIZE) batches.push(orders.slice(i, i + BATCH_SIZE));
            const start = process.hrtime.bigint();
            await inParallel(batches, CONCURRENT_BATCHES, async (batch) => {
                await Promise.all(batch.map((order) => insertRaw(rawPool, order)));
            });
            return Number(process.hrtime.bigint() - start) / 1e9;
        };
        // Alternating rounds, so drift in machine load affects both sides alike.
        let handlerSeconds = 0;
        let rawSeconds = 0;
        const perRound = Math.ceil(orderCount / ROUNDS);
        for (let round = 0; round < ROUNDS; round++) {
            if (round % 2 === 0) {
                handlerSeconds += await runHandler(perRound);
                rawSeconds += await runRaw(perRound);
            } else {
                rawSeconds += await runRaw(perRound);
                handlerSeconds += await runHandler(perRound);
            }
        }
        orderCount = perRound * ROUNDS;
        return { orderCount, handlerRate: orderCount / handlerSeconds, rawRate: orderCount / rawSeconds, handlerSeconds, rawSeconds };
    } finally {
        await services.endPool(handlerPool);
        await services.endPool(rawPool);
    }
}

async function benchFlashSale(services: TestServices, database: string) {
    const admin = services.pool({ database, max: 1 });
    const pools: Pool[] = [];
    const redis = services.redis();
    try {
        await admin.query("INSERT INTO inventory (sku, available) VALUES ('SKU-FLASH', $1)", [FLASH_STOCK]);
        const records = Array.from({ length: FLASH_RESERVATIONS }, (_, i) =>
            record("InventoryReserved", { reservationId: `flash-${i}`, orderId: `ord-${i}`, sku: "SKU-FLASH", quantity: 1 }),
        );
        const latenciesMs: number[] = [];
        let reserved = 0;
        let rejected = 0;
        const start = process.hrtime.bigint();
        // As the event source mapping delivers: FLASH_CONCURRENCY invocations of BATCH_SIZE in flight, each execution
        // environment with its own pool of BATCH_SIZE (DB_POOL_MAX), failed items received again until settled.
        const source = await runEventSource(
            records,
            () => {
                const pool = services.pool({ database, user: "inventory_lambda", max: BATCH_SIZE });
                pools.push(pool);
                const deps: InventoryDeps = {
                    pool,
                    redis,
                    logger: silentLogger,
                    metrics: new RecordingCounterSink(),
                    productCacheKeyTemplate: "product:{sku}",
                };
                return (event) =>
                    processSqsBatch(
                        event,
                        async (sqsRecord) => {
                            const recordStart = process.hrtime.bigint();
                            const result = await processInventoryRecord(sqsRecord, deps);
                            latenciesMs.push(Number(process.hrtime.bigint() - recordStart) / 1e6);
                            if (!result.firstDelivery) return;
                            if (result.outcome === "reserved") reserved++;
                            else rejected++;
                        },
                        silentLogger,
                    );
            },
            { batchSize: BATCH_SIZE, maximumConcurrency: FLASH_CONCURRENCY, maxReceiveCount: MAX_RECEIVE_COUNT },
        );
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        const stock = Number((await admin.query("SELECT available FROM inventory WHERE sku = 'SKU-FLASH'")).rows[0].available);
        latenciesMs.sort((a, b) => a - b);
        return {
            reserved,
            rejected,
            deadLettered: source.deadLettered.length,
            redeliveries: source.redeliveries,
            stock,
            seconds,
            p50: percentile(latenciesMs, 50),
            p99: percentile(latenciesMs, 99),
        };
    } finally {
        services.closeRedis(redis);
        for (const pool of pools) await services.endPool(pool);
        await services.endPool(admin);
    }
}

const bundleEnv = { PATH: process.env.PATH ?? "", ...LOCAL_LOAD_ENV };

/**
 * Cold require time of a bundle in a fresh node process: everything the bundle loads, @aws-sdk packages included
 * (from node_modules for the external variant, as the runtime's copy would be at a Lambda cold start).
 */
function coldRequireMs(outfile: string): number {
    const script = `
    const start = process.hrtime.bigint();
    require(${JSON.stringify(outfile)});
    process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));
    process.exit(0);`;
    return Number(execFileSync(process.execPath, ["-e", script], { env: bundleEnv, encoding: "utf8", timeout: 20_000 }));
}

function median(samples: number[]): number {
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

/** Each handler's bundle (SDK inside) against the earlier build that left @aws-sdk/* to the runtime, in one run. */
async function benchBundles(): Promise<void> {
    const { build } = await import("esbuild");
    process.stdout.write(
        `bundles (.build/handlers/<name>/index.js, AWS SDK bundled) against the earlier build with @aws-sdk/* external,\n`,
    );
    process.stdout.write(
        `  cold require = median of ${REQUIRE_SAMPLES} fresh node processes each, alternating; the external build loads the SDK from node_modules\n`,
    );
    process.stdout.write(
        `  ${"handler".padEnd(16)} ${"size".padStart(10)} ${"external".padStart(10)}  ${"require".padStart(9)} ${"external".padStart(9)}  ratio\n`,
    );
    for (const bundle of await bundleAll()) {
        const externalFile = join(handlersBuildDir, "..", "bench-external-sdk", bundle.name, "index.js");
        await build({ ...handlerBuildOptions(bundle.name, externalFile, true), absWorkingDir: join(__dirname, "..") });
        const externalBytes = statSync(externalFile).size;
        const own: number[] = [];
        const external: number[] = [];
        for (let i = 0; i < REQUIRE_SAMPLES; i++) {
            own.push(coldRequireMs(bundle.outfile));
            external.push(coldRequireMs(externalFile));
        }
        const [a, b] = [median(own), median(external)];
        process.stdout.write(
            `  ${bundle.name.padEnd(16)} ${`${(bundle.bytes / 1024).toFixed(1)} KiB`.padStart(10)} ${`${(externalBytes / 1024).toFixed(1)} KiB`.padStart(10)}  ${`${a.toFixed(1)} ms`.padStart(9)} ${`${b.toFixed(1)} ms`.padStart(9)}  ${(a / b).toFixed(2)}\n`,
        );
    }
}

async function main(): Promise<void> {
    if (process.argv.includes("--bundles-only")) return benchBundles();
    const orderCount = parseOrderCount(process.argv.slice(2));
    const deadline = setTimeout(() => {
        process.stderr.write("benchmark exceeded 5 minutes; aborting\n");
        process.exit(2);
    }, 300_000);
    deadline.unref();
    process.stdout.write(
        `handler benchmarks: node ${process.version}, ${cpus().length} CPUs, PostgreSQL with durable settings (fsync on)\n\n`,
    );

    const services = await TestServices.start({ durable: true });
    try {
        await services.createDatabase("handler_bench");
        const orders = await benchOrders(services, "handler_bench", orderCount);
        const ratio = orders.handlerRate / orders.rawRate;
        process.stdout.write(
            `order processor (${orders.orderCount} orders each way in ${ROUNDS} alternating rounds, batches of ${BATCH_SIZE}, ${CONCURRENT_BATCHES} batches in flight, pool ${POOL_SIZE})\n`,
        );
        process.stdout.write(
            `  through handler    ${orders.handlerRate.toFixed(0).padStart(7)} orders/s  (${orders.handlerSeconds.toFixed(2)} s)\n`,
        );
        process.stdout.write(
            `  raw inserts        ${orders.rawRate.toFixed(0).padStart(7)} orders/s  (${orders.rawSeconds.toFixed(2)} s)\n`,
        );
        process.stdout.write(
            `  ratio              ${ratio.toFixed(2).padStart(7)}           goal >= 0.50  ${ratio >= 0.5 ? "met" : "NOT MET"}\n\n`,
        );

        const flash = await benchFlashSale(services, "handler_bench");
        const exact =
            flash.reserved === FLASH_STOCK &&
            flash.rejected === FLASH_RESERVATIONS - FLASH_STOCK &&
            flash.stock === 0 &&
            flash.deadLettered === 0;
        process.stdout.write(
            `flash sale (${FLASH_RESERVATIONS} one-unit reservations, stock ${FLASH_STOCK}; event source: ${FLASH_CONCURRENCY} invocations x ${BATCH_SIZE} in flight, pool ${BATCH_SIZE} each, maxReceiveCount ${MAX_RECEIVE_COUNT})\n`,
        );
        process.stdout.write(
            `  reserved ${flash.reserved}, rejected (insufficient stock) ${flash.rejected}, redeliveries ${flash.redeliveries}, dead-lettered ${flash.deadLettered}, final stock ${flash.stock}  ${exact ? "exact" : "WRONG"}\n`,
        );
        process.stdout.write(
            `  wall ${flash.seconds.toFixed(2)} s, per-reservation latency p50 ${flash.p50.toFixed(1)} ms, p99 ${flash.p99.toFixed(1)} ms\n\n`,
        );
    } finally {
        await services.stopAll();
    }

    await benchBundles();
}

main().then(
    () => process.exit(0),
    (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
    },
);
