import { strict as assert } from "assert";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import type { Pool } from "pg";
import {
    createOrderProcessor,
    orderProcessorConfigFromEnv,
    rawOrderArchiveKey,
    type OrderProcessorDeps,
} from "../../handlers/order-processor/order-processor";
import type { OrderPlaced, PaymentProcessed } from "../../handlers/lib/events";
import { getServices, type TestServices } from "../support/services";
import {
    duplicatedDeliveries,
    eventBridgeEvent,
    fakeLambdaContext,
    RecordingLogger,
    runInBatches,
    seededRandom,
    shuffle,
    sqsEvent,
    sqsRecord,
} from "../support/messages";

const DATABASE = "order_processor_test";
const BUCKET = "retail-data-lake-test";
const OMS_QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/oms-orders.fifo";

function makeOrder(orderId: string, customerId: string, random: () => number): OrderPlaced {
    const lines = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, index) => ({
        sku: `SKU-${100 + Math.floor(random() * 50)}-${index}`,
        quantity: 1 + Math.floor(random() * 3),
        unitPriceCents: 199 + Math.floor(random() * 10_000),
    }));
    return {
        orderId,
        customerId,
        currency: "USD",
        placedAt: "2026-03-14T10:15:00Z",
        lines,
        totalCents: lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0),
    };
}

function orderBody(order: OrderPlaced, time = "2026-03-14T10:15:01Z"): string {
    return JSON.stringify(eventBridgeEvent("OrderPlaced", order, { time }));
}

function paymentBody(payment: PaymentProcessed): string {
    return JSON.stringify(eventBridgeEvent("PaymentProcessed", payment, { time: payment.processedAt }));
}

describe("order-processor handler (real PostgreSQL)", function () {
    const s3Mock = mockClient(S3Client);
    const sqsMock = mockClient(SQSClient);
    let services: TestServices;
    let pool: Pool;
    let logger: RecordingLogger;
    let deps: OrderProcessorDeps;

    before(async function () {
        services = await getServices();
        await services.createDatabase(DATABASE);
        // The handler's own least-privilege role, as in Aurora: the grants in migrations/ must suffice.
        pool = services.pool({ database: DATABASE, user: "order_processor_lambda", max: 5 });
    });

    after(async function () {
        s3Mock.restore();
        sqsMock.restore();
        if (pool) await services.endPool(pool);
    });

    beforeEach(async function () {
        s3Mock.reset();
        sqsMock.reset();
        s3Mock.on(PutObjectCommand).resolves({});
        sqsMock.on(SendMessageCommand).resolves({ MessageId: "m" });
        logger = new RecordingLogger();
        deps = {
            pool,
            s3: new S3Client({ region: "eu-west-1" }),
            sqs: new SQSClient({ region: "eu-west-1" }),
            logger: logger.asHandlerLogger(),
            dataLakeBucket: BUCKET,
            omsQueueUrl: OMS_QUEUE_URL,
        };
        const admin = services.pool({ database: DATABASE, max: 1 });
        await admin.query("TRUNCATE orders, order_lines, payments, processed_messages");
        await services.endPool(admin);
    });

    async function query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
        const admin = services.pool({ database: DATABASE, max: 1 });
        try {
            return (await admin.query<T>(sql, params)).rows;
        } finally {
            await services.endPool(admin);
        }
    }

    function sentToOms(): Array<{ groupId?: string; dedupId?: string; body: { orderId: string; customerId: string; lines: unknown[] } }> {
        return sqsMock.commandCalls(SendMessageCommand).map((call) => ({
            groupId: call.args[0].input.MessageGroupId,
            dedupId: call.args[0].input.MessageDeduplicationId,
            body: JSON.parse(call.args[0].input.MessageBody ?? "{}"),
        }));
    }

    it("writes each order once when every message is delivered 2-3 times, shuffled, with malformed messages mixed in", async function () {
        const seed = 20260314;
        const random = seededRandom(seed);
        const orders = Array.from({ length: 40 }, (_, i) => makeOrder(`ord-${1000 + i}`, `cust-${i % 8}`, random));
        // Payments for half the orders: an authorization, then a capture a minute later (some arrive before their order).
        const payments: PaymentProcessed[] = orders.slice(0, 20).flatMap((order, i) => [
            {
                orderId: order.orderId,
                paymentId: `pay-${i}`,
                status: "authorized" as const,
                amountCents: order.totalCents,
                currency: "USD",
                processedAt: "2026-03-14T10:16:00Z",
            },
            {
                orderId: order.orderId,
                paymentId: `pay-${i}`,
                status: "captured" as const,
                amountCents: order.totalCents,
                currency: "USD",
                processedAt: "2026-03-14T10:17:00Z",
            },
        ]);
        const validBodies = [...orders.map((order) => orderBody(order)), ...payments.map(paymentBody)];
        const malformedBodies = [
            "not json at all",
            JSON.stringify({ hello: "world" }),
            JSON.stringify(eventBridgeEvent("OrderCancelled", { orderId: "ord-x" })),
            JSON.stringify(eventBridgeEvent("OrderPlaced", { ...makeOrder("ord-bad-total", "cust-1", random), totalCents: 1 })),
            JSON.stringify(
                eventBridgeEvent("OrderPlaced", {
                    ...makeOrder("ord-bad-qty", "cust-1", random),
                    lines: [{ sku: "SKU-1", quantity: -2, unitPriceCents: 100 }],
                    totalCents: -200,
                }),
            ),
            JSON.stringify(eventBridgeEvent("OrderPlaced", makeOrder("../../etc", "cust-1", random))),
            JSON.stringify(eventBridgeEvent("PaymentProcessed", { ...payments[0], status: "maybe" })),
        ];
        const malformedRecords = malformedBodies.map((body) => sqsRecord(body));
        const shuffled = shuffle([...duplicatedDeliveries(validBodies, random), ...malformedRecords], random);

        const handle = createOrderProcessor(deps);
        const failures = await runInBatches(shuffled, handle, { batchSize: 10, concurrency: 4 });

        assert.deepEqual(
            [...failures].sort(),
            malformedRecords.map((record) => record.messageId).sort(),
            `seed ${seed}: exactly the malformed messages fail`,
        );
        const orderRows = await query<{
            order_id: string;
            customer_id: string;
            total_cents: string;
            payment_status: string;
            forwarded: boolean;
            line_count: string;
            line_total: string;
        }>(
            `SELECT o.order_id, o.customer_id, o.total_cents, o.payment_status, o.forwarded_at IS NOT NULL AS forwarded,
              count(l.*) AS line_count, coalesce(sum(l.quantity * l.unit_price_cents), 0) AS line_total
       FROM orders o LEFT JOIN order_lines l USING (order_id) GROUP BY o.order_id ORDER BY o.order_id`,
        );
        assert.equal(orderRows.length, orders.length, "one row per order");
        for (const order of orders) {
            const row = orderRows.find((candidate) => candidate.order_id === order.orderId);
            assert.ok(row, `order ${order.orderId} written`);
            assert.equal(row.customer_id, order.customerId);
            assert.equal(Number(row.line_count), order.lines.length, `lines of ${order.orderId} written once`);
            assert.equal(Number(row.line_total), order.totalCents);
            assert.equal(Number(row.total_cents), order.totalCents);
            assert.equal(row.forwarded, true, `${order.orderId} forwarded to the OMS`);
            const paid = payments.some((payment) => payment.orderId === order.orderId);
            assert.equal(row.payment_status, paid ? "captured" : "pending", `payment status of ${order.orderId}`);
        }
        assert.equal((await query("SELECT 1 FROM payments")).length, payments.length);
        assert.equal((await query("SELECT 1 FROM processed_messages")).length, orders.length + payments.length);

        // Every valid event archived under raw/orders/date=YYYY-MM-DD/<event id>.json with its raw body.
        const archived = new Map(s3Mock.commandCalls(PutObjectCommand).map((call) => [call.args[0].input.Key, call.args[0].input.Body]));
        for (const body of validBodies) {
            const envelope = JSON.parse(body);
            const key = `raw/orders/date=${envelope.time.slice(0, 10)}/${envelope.id}.json`;
            assert.equal(archived.get(key), body, `archived ${key}`);
        }
        assert.equal(archived.size, validBodies.length, "nothing else archived");
        for (const call of s3Mock.commandCalls(PutObjectCommand)) assert.equal(call.args[0].input.Bucket, BUCKET);

        // Every order reached the FIFO queue, grouped by customer and deduplicated by order id.
        const sent = sentToOms();
        for (const order of orders) {
            const sends = sent.filter((message) => message.body.orderId === order.orderId);
            assert.ok(sends.length >= 1, `${order.orderId} sent to the OMS`);
            for (const send of sends) {
                assert.equal(send.groupId, order.customerId);
                assert.equal(send.dedupId, order.orderId);
                assert.equal(send.body.lines.length, order.lines.length);
            }
        }
        for (const call of sqsMock.commandCalls(SendMessageCommand)) assert.equal(call.args[0].input.QueueUrl, OMS_QUEUE_URL);
        assert.ok(logger.messages("warn").length >= malformedRecords.length, "malformed messages are logged");
    });

    it("does not write or send again when a completed order is redelivered later", async function () {
        const order = makeOrder("ord-redeliver", "cust-9", seededRandom(1));
        const body = orderBody(order);
        const handle = createOrderProcessor(deps);
        assert.deepEqual((await handle(sqsEvent([sqsRecord(body)]))).batchItemFailures, []);
        assert.deepEqual((await handle(sqsEvent([sqsRecord(body)]))).batchItemFailures, []);
        assert.equal(sentToOms().length, 1, "sent to the OMS once");
        assert.equal((await query("SELECT 1 FROM order_lines WHERE order_id = $1", [order.orderId])).length, order.lines.length);
    });

    it("gives every order its payment status when order and payment are processed concurrently", async function () {
        const random = seededRandom(7);
        const orders = Array.from({ length: 30 }, (_, i) => makeOrder(`ord-race-${i}`, `cust-${i}`, random));
        // Each batch holds orders and their captures side by side, so the two transactions race.
        const records = orders.flatMap((order, i) => [
            sqsRecord(orderBody(order)),
            sqsRecord(
                paymentBody({
                    orderId: order.orderId,
                    paymentId: `pay-race-${i}`,
                    status: "captured",
                    amountCents: order.totalCents,
                    currency: "USD",
                    processedAt: "2026-03-14T10:16:00Z",
                }),
            ),
        ]);
        const failures = await runInBatches(records, createOrderProcessor(deps), { batchSize: 10, concurrency: 3 });
        assert.deepEqual([...failures], []);
        const statuses = await query<{ payment_status: string }>("SELECT payment_status FROM orders WHERE order_id LIKE 'ord-race-%'");
        assert.equal(statuses.length, orders.length);
        assert.deepEqual([...new Set(statuses.map((row) => row.payment_status))], ["captured"]);
    });

    it("applies a payment that arrives before its order and never moves the status back to an older event", async function () {
        const order = makeOrder("ord-pay-first", "cust-3", seededRandom(2));
        const captured: PaymentProcessed = {
            orderId: order.orderId,
            paymentId: "pay-x",
            status: "captured",
            amountCents: order.totalCents,
            currency: "USD",
            processedAt: "2026-03-14T10:20:00Z",
        };
        const authorized: PaymentProcessed = { ...captured, status: "authorized", processedAt: "2026-03-14T10:18:00Z" };
        const handle = createOrderProcessor(deps);
        assert.deepEqual((await handle(sqsEvent([sqsRecord(paymentBody(captured))]))).batchItemFailures, []);
        assert.deepEqual((await handle(sqsEvent([sqsRecord(orderBody(order))]))).batchItemFailures, []);
        assert.deepEqual((await handle(sqsEvent([sqsRecord(paymentBody(authorized))]))).batchItemFailures, []);
        const [row] = await query<{ payment_status: string }>("SELECT payment_status FROM orders WHERE order_id = $1", [order.orderId]);
        assert.equal(row.payment_status, "captured");
    });

    it("reports an item whose archive fails after the commit, and completes it on redelivery without a second write", async function () {
        const order = makeOrder("ord-s3-fails", "cust-4", seededRandom(3));
        const record = sqsRecord(orderBody(order));
        s3Mock.on(PutObjectCommand).rejectsOnce(new Error("SlowDown")).resolves({});
        const handle = createOrderProcessor(deps);
        assert.deepEqual((await handle(sqsEvent([record]))).batchItemFailures, [{ itemIdentifier: record.messageId }]);
        assert.equal(sentToOms().length, 0, "not forwarded before it is archived");
        assert.deepEqual((await handle(sqsEvent([record]))).batchItemFailures, []);
        assert.equal(sentToOms().length, 1);
        assert.equal((await query("SELECT 1 FROM orders WHERE order_id = $1", [order.orderId])).length, 1);
        assert.equal((await query("SELECT 1 FROM order_lines WHERE order_id = $1", [order.orderId])).length, order.lines.length);
    });

    it("reports an item whose OMS send fails and sends it on redelivery", async function () {
        const order = makeOrder("ord-sqs-fails", "cust-5", seededRandom(4));
        const record = sqsRecord(orderBody(order));
        sqsMock.on(SendMessageCommand).rejectsOnce(new Error("ServiceUnavailable")).resolves({ MessageId: "m" });
        const handle = createOrderProcessor(deps);
        assert.deepEqual((await handle(sqsEvent([record]))).batchItemFailures, [{ itemIdentifier: record.messageId }]);
        assert.deepEqual(await query("SELECT forwarded_at FROM orders WHERE forwarded_at IS NOT NULL"), []);
        assert.deepEqual((await handle(sqsEvent([record]))).batchItemFailures, []);
        assert.equal((await query("SELECT 1 FROM orders WHERE forwarded_at IS NOT NULL")).length, 1);
        assert.equal(sentToOms().length, 2, "first attempt failed, second sent (same deduplication id)");
    });

    it("loses and doubles nothing when PostgreSQL restarts in the middle of a batch", async function () {
        const random = seededRandom(5);
        const orders = Array.from({ length: 10 }, (_, i) => makeOrder(`ord-restart-${i}`, `cust-${i % 3}`, random));
        const records = orders.map((order) => sqsRecord(orderBody(order)));
        // A small pool so that some records are still waiting for a connection when the server goes down.
        const smallPool = services.pool({ database: DATABASE, user: "order_processor_lambda", max: 2 });
        let stopped = false;
        s3Mock.on(PutObjectCommand).callsFake(async () => {
            // The first archive happens right after the first commit: stop the server there (fast
            // shutdown terminates the other records' connections, as a failover would).
            if (!stopped) {
                stopped = true;
                await services.stopPostgres();
            }
            return {};
        });
        try {
            const handle = createOrderProcessor({ ...deps, pool: smallPool });
            const first = await handle(sqsEvent(records));
            const failed = new Set(first.batchItemFailures.map((failure) => failure.itemIdentifier));
            assert.ok(stopped, "the server was stopped mid-batch");
            assert.ok(failed.size >= 1, "records hit by the restart are reported as failures");
            assert.ok(failed.size <= records.length);

            await services.startPostgres();
            s3Mock.on(PutObjectCommand).resolves({});
            // SQS redelivers the failed items after the visibility timeout.
            const second = await handle(sqsEvent(records.filter((record) => failed.has(record.messageId))));
            assert.deepEqual(second.batchItemFailures, [], "failed items succeed on redelivery");
            // And a redelivery of the whole batch changes nothing.
            assert.deepEqual((await handle(sqsEvent(records))).batchItemFailures, []);
        } finally {
            if (!services.postgresRunning) await services.startPostgres();
            await services.endPool(smallPool);
        }
        const rows = await query<{ order_id: string; lines: string; forwarded: boolean }>(
            `SELECT o.order_id, (SELECT count(*) FROM order_lines l WHERE l.order_id = o.order_id) AS lines, o.forwarded_at IS NOT NULL AS forwarded
       FROM orders o WHERE o.order_id LIKE 'ord-restart-%'`,
        );
        assert.equal(rows.length, orders.length, "every order written exactly once");
        for (const order of orders) {
            const row = rows.find((candidate) => candidate.order_id === order.orderId);
            assert.ok(row);
            assert.equal(Number(row.lines), order.lines.length, `${order.orderId} lines not doubled`);
            assert.equal(row.forwarded, true, `${order.orderId} forwarded`);
        }
        const archivedKeys = new Set(s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key));
        for (const record of records) assert.ok(archivedKeys.has(rawOrderArchiveKey(JSON.parse(record.body))), "every event archived");
        const sentOrderIds = new Set(sentToOms().map((message) => message.body.orderId));
        assert.equal(sentOrderIds.size, orders.length, "every order sent to the OMS");
    });

    it("builds the archive key from the event date and id", function () {
        const key = rawOrderArchiveKey({ id: "abc-123", time: "2026-01-31T23:59:59Z" } as never);
        assert.equal(key, "raw/orders/date=2026-01-31/abc-123.json");
    });

    it("rejects a configuration without a FIFO queue URL, naming the variable", function () {
        assert.throws(() => orderProcessorConfigFromEnv({ DATA_LAKE_BUCKET: "b" }), /OMS_QUEUE_URL is required/);
        assert.throws(
            () => orderProcessorConfigFromEnv({ DATA_LAKE_BUCKET: "b", OMS_QUEUE_URL: "https://sqs/q" }),
            /must be the URL of a FIFO queue/,
        );
        assert.throws(() => orderProcessorConfigFromEnv({ OMS_QUEUE_URL: OMS_QUEUE_URL }), /DATA_LAKE_BUCKET is required/);
    });

    it("runs through the Lambda entry point configured from environment variables", async function () {
        const saved = { ...process.env };
        Object.assign(process.env, {
            DB_HOST: "127.0.0.1",
            DB_PORT: String(services.pgPort),
            DB_NAME: DATABASE,
            DB_AUTH: "trust",
            DB_SSL: "disable",
            DATA_LAKE_BUCKET: BUCKET,
            OMS_QUEUE_URL,
            AWS_REGION: "eu-west-1",
            POWERTOOLS_LOG_LEVEL: "SILENT",
        });
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry point reads its environment when loaded, so it loads after the env is set
            const { handler } = require("../../handlers/order-processor/index") as typeof import("../../handlers/order-processor/index");
            const order = makeOrder("ord-entry", "cust-entry", seededRandom(6));
            const good = sqsRecord(orderBody(order));
            const bad = sqsRecord("{");
            const response = await handler(sqsEvent([good, bad]), fakeLambdaContext, () => undefined);
            assert.deepEqual(response, { batchItemFailures: [{ itemIdentifier: bad.messageId }] });
            assert.equal((await query("SELECT customer_id FROM orders WHERE order_id = 'ord-entry'"))[0]?.customer_id, "cust-entry");
            assert.equal(sentToOms().length, 1);
        } finally {
            process.env = saved;
        }
    });
});
