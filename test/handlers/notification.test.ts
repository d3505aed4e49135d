import { strict as assert } from "assert";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import type Redis from "ioredis";
import type { SQSRecord } from "aws-lambda";
import type { OrderPlaced, OrderShipped } from "../../handlers/lib/events";
import {
    createNotificationHandler,
    formatOrderPlaced,
    notificationConfigFromEnv,
    notificationKey,
    type NotificationDeps,
} from "../../handlers/notification/notification";
import { getServices, type TestServices } from "../support/services";
import {
    duplicatedDeliveries,
    eventBridgeEvent,
    RecordingLogger,
    runInBatches,
    seededRandom,
    shuffle,
    sqsEvent,
    sqsRecord,
} from "../support/messages";

const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:order-notifications";

function placed(orderId: string, totalCents = 2_598, currency = "USD"): OrderPlaced {
    return {
        orderId,
        customerId: `cust-${orderId}`,
        currency,
        placedAt: "2026-03-14T10:00:00Z",
        lines: [{ sku: "SKU-1", quantity: 2, unitPriceCents: totalCents / 2 }],
        totalCents,
    };
}

function shipped(orderId: string): OrderShipped {
    return { orderId, customerId: `cust-${orderId}`, carrier: "DHL", trackingNumber: `TRK${orderId}`, shippedAt: "2026-03-15T08:00:00Z" };
}

describe("notification handler (real Redis)", function () {
    const snsMock = mockClient(SNSClient);
    let services: TestServices;
    let redis: Redis;
    let deps: NotificationDeps;

    before(async function () {
        services = await getServices();
        redis = services.redis();
    });

    after(function () {
        snsMock.restore();
        if (redis) services.closeRedis(redis);
    });

    beforeEach(async function () {
        if (!services.redisRunning) await services.startRedis();
        await redis.flushall();
        snsMock.reset();
        snsMock.on(PublishCommand).resolves({ MessageId: "sns-1" });
        deps = {
            sns: new SNSClient({ region: "eu-west-1" }),
            redis,
            logger: new RecordingLogger().asHandlerLogger(),
            topicArn: TOPIC_ARN,
            inFlightTtlMs: 30_000,
            sentTtlMs: 60_000,
        };
    });

    function publishedEventIds(): string[] {
        return snsMock.commandCalls(PublishCommand).map((call) => call.args[0].input.MessageAttributes?.sourceEventId?.StringValue ?? "");
    }

    it("publishes each event once when deliveries are duplicated, shuffled and concurrent, failing only malformed ones for good", async function () {
        const random = seededRandom(99);
        const bodies = [
            ...Array.from({ length: 15 }, (_, i) => JSON.stringify(eventBridgeEvent("OrderPlaced", placed(`ord-${i}`)))),
            ...Array.from({ length: 10 }, (_, i) => JSON.stringify(eventBridgeEvent("OrderShipped", shipped(`ord-${i}`)))),
        ];
        const malformed = [
            sqsRecord("]"),
            sqsRecord(JSON.stringify(eventBridgeEvent("OrderShipped", { orderId: "ord-1" }))),
            sqsRecord(JSON.stringify(eventBridgeEvent("PaymentProcessed", { orderId: "ord-1" }))),
        ];
        const malformedIds = new Set(malformed.map((record) => record.messageId));
        // A publish that takes a few milliseconds lets concurrent duplicates overlap.
        snsMock.on(PublishCommand).callsFake(async () => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            return { MessageId: "sns-slow" };
        });
        let pending: SQSRecord[] = shuffle([...duplicatedDeliveries(bodies, random), ...malformed], random);
        const handle = createNotificationHandler(deps);
        // Concurrent duplicates of one event: one publishes, the other is told to retry. Redeliver the
        // failed ones (as SQS would after the visibility timeout) until only the malformed ones remain.
        for (let round = 0; round < 5 && pending.some((record) => !malformedIds.has(record.messageId)); round++) {
            const failed = await runInBatches(pending, handle, { batchSize: 10, concurrency: 4 });
            for (const id of malformedIds) assert.ok(failed.has(id), "malformed messages always fail");
            pending = pending.filter((record) => failed.has(record.messageId));
        }
        assert.deepEqual(pending.map((record) => record.messageId).sort(), [...malformedIds].sort());
        const published = publishedEventIds();
        const expectedIds = bodies.map((body) => JSON.parse(body).id);
        assert.deepEqual([...published].sort(), [...expectedIds].sort(), "each event id published exactly once");
        for (const id of expectedIds) assert.equal(await redis.get(notificationKey(id)), "sent");
        const ttl = await redis.pttl(notificationKey(expectedIds[0]));
        assert.ok(ttl > 0 && ttl <= 60_000, "sent markers expire after the dedup window");
    });

    it("releases the claim when SNS fails so the redelivery publishes", async function () {
        const record = sqsRecord(JSON.stringify(eventBridgeEvent("OrderPlaced", placed("ord-sns"))));
        snsMock.on(PublishCommand).rejectsOnce(new Error("Throttled")).resolves({ MessageId: "sns-2" });
        const handle = createNotificationHandler(deps);
        assert.deepEqual((await handle(sqsEvent([record]))).batchItemFailures, [{ itemIdentifier: record.messageId }]);
        assert.equal(await redis.get(notificationKey(JSON.parse(record.body).id)), null, "claim released");
        assert.deepEqual((await handle(sqsEvent([record]))).batchItemFailures, []);
        assert.deepEqual((await handle(sqsEvent([record]))).batchItemFailures, []);
        assert.equal(snsMock.commandCalls(PublishCommand).length, 2, "one failed attempt, one publish, no duplicate");
    });

    it("fails (for retry) without publishing while Redis is down", async function () {
        const handlerRedis = services.redis({ commandTimeoutMs: 300 });
        try {
            await handlerRedis.ping();
            await services.stopRedis();
            const record = sqsRecord(JSON.stringify(eventBridgeEvent("OrderShipped", shipped("ord-down"))));
            const response = await createNotificationHandler({ ...deps, redis: handlerRedis })(sqsEvent([record]));
            assert.deepEqual(response.batchItemFailures, [{ itemIdentifier: record.messageId }]);
            assert.equal(snsMock.commandCalls(PublishCommand).length, 0);
        } finally {
            services.closeRedis(handlerRedis);
            await services.startRedis();
        }
    });

    it("formats per-protocol messages with routing attributes", async function () {
        const shippedEvent = eventBridgeEvent("OrderShipped", shipped("ord-77"));
        await createNotificationHandler(deps)(sqsEvent([sqsRecord(JSON.stringify(shippedEvent))]));
        const input = snsMock.commandCalls(PublishCommand)[0].args[0].input;
        assert.equal(input.TopicArn, TOPIC_ARN);
        assert.equal(input.MessageStructure, "json");
        assert.equal(input.Subject, "Order ord-77 has shipped");
        const message = JSON.parse(input.Message ?? "{}");
        assert.match(message.sms, /shipped with DHL, tracking TRKord-77/);
        assert.match(message.email, /Tracking number: TRKord-77/);
        assert.equal(message.default, message.email);
        assert.deepEqual(input.MessageAttributes?.eventType, { DataType: "String", StringValue: "OrderShipped" });
        assert.deepEqual(input.MessageAttributes?.customerId, { DataType: "String", StringValue: "cust-ord-77" });
        assert.equal(input.MessageAttributes?.sourceEventId?.StringValue, shippedEvent.id);

        assert.match(formatOrderPlaced(placed("ord-1", 2_598)).email, /2 items, total \$25\.98/);
        assert.match(
            formatOrderPlaced(placed("ord-2", 5_000, "JPY")).sms,
            /¥5,000/,
            "currencies without minor units are not divided by 100",
        );
    });

    it("validates its configuration", function () {
        assert.throws(() => notificationConfigFromEnv({}), /NOTIFICATION_TOPIC_ARN is required/);
        assert.throws(
            () => notificationConfigFromEnv({ NOTIFICATION_TOPIC_ARN: TOPIC_ARN, NOTIFICATION_SENT_TTL_MS: "soon" }),
            /NOTIFICATION_SENT_TTL_MS must be an integer/,
        );
        assert.equal(notificationConfigFromEnv({ NOTIFICATION_TOPIC_ARN: TOPIC_ARN }).sentTtlMs, 15 * 86_400_000);
    });
});
