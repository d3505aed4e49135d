import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type Redis from "ioredis";
import { randomUUID } from "crypto";
import { processSqsBatch } from "../lib/batch";
import { intEnv, requireEnv, type Env } from "../lib/config";
import { RetryLaterError } from "../lib/errors";
import { parseEventBridgeBody, type EventEnvelope } from "../lib/eventbridge";
import { orderPlacedSchema, orderShippedSchema, type OrderPlaced, type OrderShipped } from "../lib/events";
import { errorMessage, type HandlerLogger } from "../lib/logger";
import { NOTIFICATION_ENV } from "./env";

// Notification handler: OrderPlaced and OrderShipped events from the customer-notification queue,
// published to the SNS order-notifications topic (email, SMS and push subscriptions fan out from it).
//
// Idempotency per event id lives in Redis, not in Aurora: this handler then needs no database
// connection (notifications peak with order volume, exactly when Aurora connections are scarcest) and
// the key expires on its own after the dedup window instead of growing a table. The price is that
// Redis is a cache, not a ledger: losing keys (failover, eviction) can let a redelivered event send a
// second notification. A duplicate email is acceptable; orders and stock, which must be exact, keep
// their idempotency keys in Aurora.
//
// Protocol per event: SET key "pending:<token>" NX PX inFlightTtl claims it; then publish; then SET key
// "sent" PX sentTtl. A delivery that finds "sent" is a duplicate and succeeds without publishing; one
// that finds "pending" fails and is retried after the visibility timeout (by then the other consumer
// finished or its claim expired). A failed publish releases the claim so the retry can publish.
// Exactly-once delivery to SNS is not possible (a crash between publish and "sent" re-publishes after
// the claim expires); this makes duplicates rare, not impossible. If Redis is unreachable the record
// fails and is retried, then reaches the DLQ for replay: no notification is sent without its key.

export const notificationDetailSchemas = { OrderPlaced: orderPlacedSchema, OrderShipped: orderShippedSchema };

export interface NotificationDeps {
    sns: SNSClient;
    redis: Redis;
    logger: HandlerLogger;
    topicArn: string;
    /** How long a claim blocks other deliveries of the same event; at most the queue's visibility timeout. */
    inFlightTtlMs: number;
    /** How long a sent event is remembered; longer than message retention plus DLQ replay. */
    sentTtlMs: number;
}

export type NotificationOutcome = { eventId: string; published: boolean };

export interface FormattedNotification {
    subject: string;
    email: string;
    sms: string;
}

export function notificationKey(eventId: string): string {
    return `notification:sent:${eventId}`;
}

function formatMoney(minorUnits: number, currency: string): string {
    const format = new Intl.NumberFormat("en-US", { style: "currency", currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(minorUnits / 10 ** digits);
}

export function formatOrderPlaced(order: OrderPlaced): FormattedNotification {
    const items = order.lines.reduce((sum, line) => sum + line.quantity, 0);
    const total = formatMoney(order.totalCents, order.currency);
    return {
        subject: `Order ${order.orderId} confirmed`.slice(0, 100),
        email: `Thank you for your order ${order.orderId}.\n\n${items} item${items === 1 ? "" : "s"}, total ${total}.\nWe will let you know when it ships.`,
        sms: `Order ${order.orderId} confirmed: ${items} item${items === 1 ? "" : "s"}, ${total}.`,
    };
}

export function formatOrderShipped(shipment: OrderShipped): FormattedNotification {
    return {
        subject: `Order ${shipment.orderId} has shipped`.slice(0, 100),
        email: `Your order ${shipment.orderId} has shipped with ${shipment.carrier}.\nTracking number: ${shipment.trackingNumber}.`,
        sms: `Order ${shipment.orderId} shipped with ${shipment.carrier}, tracking ${shipment.trackingNumber}.`,
    };
}

export function createNotificationHandler(deps: NotificationDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
    return (event) => processSqsBatch(event, (record) => processNotificationRecord(record, deps), deps.logger);
}

const RELEASE_IF_OWNER = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export async function processNotificationRecord(record: SQSRecord, deps: NotificationDeps): Promise<NotificationOutcome> {
    const parsed = parseEventBridgeBody(record.body, notificationDetailSchemas);
    const eventId = parsed.envelope.id;
    const key = notificationKey(eventId);
    const claimToken = `pending:${randomUUID()}`;
    const claimed = await deps.redis.set(key, claimToken, "PX", deps.inFlightTtlMs, "NX");
    if (claimed !== "OK") {
        const state = await deps.redis.get(key);
        if (state === "sent") return { eventId, published: false };
        // Claimed by a concurrent delivery (or its claim vanished between SET and GET): try again later.
        throw new RetryLaterError(`notification for event ${eventId} is being sent by another delivery`);
    }
    const message = parsed.detailType === "OrderPlaced" ? formatOrderPlaced(parsed.detail) : formatOrderShipped(parsed.detail);
    try {
        await deps.sns.send(buildPublish(deps.topicArn, parsed.detailType, parsed.detail, message, parsed.envelope));
    } catch (error) {
        await deps.redis.eval(RELEASE_IF_OWNER, 1, key, claimToken).catch((releaseError: unknown) =>
            deps.logger.warn("could not release notification claim; it expires by itself", {
                eventId,
                error: errorMessage(releaseError),
            }),
        );
        throw error;
    }
    try {
        await deps.redis.set(key, "sent", "PX", deps.sentTtlMs);
    } catch (error) {
        // Published already: failing the record would send it again. The claim expires and a later
        // redelivery (if any) would re-send; log it so a duplicate can be explained.
        deps.logger.warn("notification published but not marked sent", { eventId, error: errorMessage(error) });
    }
    return { eventId, published: true };
}

function buildPublish(
    topicArn: string,
    eventType: "OrderPlaced" | "OrderShipped",
    detail: OrderPlaced | OrderShipped,
    message: FormattedNotification,
    envelope: EventEnvelope,
): PublishCommand {
    return new PublishCommand({
        TopicArn: topicArn,
        Subject: message.subject,
        // Per-protocol bodies: email subscribers get the long text, SMS the short one, others the default.
        MessageStructure: "json",
        Message: JSON.stringify({ default: message.email, email: message.email, sms: message.sms }),
        // Subscription filter policies route on these (e.g. SMS only for OrderShipped).
        MessageAttributes: {
            eventType: { DataType: "String", StringValue: eventType },
            orderId: { DataType: "String", StringValue: detail.orderId },
            customerId: { DataType: "String", StringValue: detail.customerId },
            sourceEventId: { DataType: "String", StringValue: envelope.id },
        },
    });
}

export interface NotificationEnvConfig {
    topicArn: string;
    inFlightTtlMs: number;
    sentTtlMs: number;
}

/**
 * Environment variables (besides REDIS_* from lib/redis.ts):
 *   NOTIFICATION_TOPIC_ARN        ARN of the SNS order-notifications topic (required)
 *   NOTIFICATION_IN_FLIGHT_TTL_MS claim lifetime, default 60000; keep it <= the queue's visibility timeout
 *   NOTIFICATION_SENT_TTL_MS      dedup window, default 15 days (SQS max retention 14 days + replay margin)
 */
export function notificationConfigFromEnv(env: Env): NotificationEnvConfig {
    return {
        topicArn: requireEnv(env, NOTIFICATION_ENV.topicArn),
        inFlightTtlMs: intEnv(env, NOTIFICATION_ENV.inFlightTtlMs, 60_000, 1_000, 12 * 3_600_000),
        sentTtlMs: intEnv(env, NOTIFICATION_ENV.sentTtlMs, 15 * 86_400_000, 60_000, 90 * 86_400_000),
    };
}
