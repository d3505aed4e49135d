import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Pool, PoolClient } from "pg";
import { processSqsBatch } from "../lib/batch";
import { ConfigError, requireEnv, type Env } from "../lib/config";
import { withTransaction } from "../lib/db";
import { parseEventBridgeBody, type EventEnvelope } from "../lib/eventbridge";
import { orderPlacedSchema, paymentProcessedSchema, type OrderPlaced, type PaymentProcessed } from "../lib/events";
import { errorMessage, type HandlerLogger } from "../lib/logger";
import { ORDER_PROCESSOR_ENV } from "./env";

// Order processor: OrderPlaced and PaymentProcessed events from the order-processing queue.
//
// Per record: (1) apply the event to Aurora exactly once -- the change and its processed-message key
// commit in one transaction, so a redelivery finds the key and changes nothing; (2) archive the raw
// event to the data lake; (3) for OrderPlaced, send the order to the order management system's FIFO
// queue. Steps 2 and 3 run after the commit on every delivery that has not completed them yet, so a
// crash between commit and archive/send is repaired by the redelivery instead of losing the archive
// or the OMS message: the S3 key is deterministic (an overwrite is harmless) and forwarded_at records
// the send, once per batch (the FIFO deduplication id, the order id, covers concurrent duplicates
// within 5 minutes).

export const ORDER_PROCESSOR_CONSUMER = "order-processor";
/** First key of the two-part advisory locks this handler takes per order (an arbitrary constant). */
const ORDER_LOCK_CLASS = 4_101;

export const orderProcessorDetailSchemas = {
    OrderPlaced: orderPlacedSchema,
    PaymentProcessed: paymentProcessedSchema,
};

export interface OrderProcessorDeps {
    pool: Pool;
    s3: S3Client;
    sqs: SQSClient;
    logger: HandlerLogger;
    /** Data lake bucket; raw events go under raw/orders/. */
    dataLakeBucket: string;
    /** URL of the order management system's FIFO queue (.fifo). */
    omsQueueUrl: string;
}

export type OrderRecordOutcome =
    | { kind: "order-written"; orderId: string }
    | { kind: "order-duplicate"; orderId: string }
    | { kind: "payment-applied"; orderId: string; paymentId: string }
    | { kind: "payment-duplicate"; orderId: string; paymentId: string };

/** Data lake key of a raw order-domain event: partitioned by the event's UTC date, named by its id. */
export function rawOrderArchiveKey(envelope: EventEnvelope): string {
    const date = new Date(envelope.time).toISOString().slice(0, 10);
    return `raw/orders/date=${date}/${envelope.id}.json`;
}

/** The message the order management system receives for a placed order. */
export function omsOrderMessage(order: OrderPlaced, envelope: EventEnvelope): string {
    return JSON.stringify({
        type: "OrderPlaced",
        orderId: order.orderId,
        customerId: order.customerId,
        currency: order.currency,
        totalCents: order.totalCents,
        placedAt: order.placedAt,
        lines: order.lines.map((line, index) => ({ lineNumber: index + 1, ...line })),
        sourceEventId: envelope.id,
    });
}

export function createOrderProcessor(deps: OrderProcessorDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
    return async (event) => {
        const forwardedOrderIds: string[] = [];
        const response = await processSqsBatch(event, (record) => processOrderRecord(record, deps, forwardedOrderIds), deps.logger);
        await markForwarded(deps, forwardedOrderIds);
        return response;
    };
}

/**
 * Records which orders reached the OMS queue, once per batch. The mark only spares a late redelivery a
 * redundant send (the OMS deduplicates by order id anyway), so it is written with one statement per
 * batch whose commit does not wait for its WAL flush, and a failure is logged, not retried: at worst a
 * redelivered order is sent twice, never lost.
 */
async function markForwarded(deps: OrderProcessorDeps, orderIds: string[]): Promise<void> {
    if (orderIds.length === 0) return;
    try {
        // set_config(..., is_local => true) applies to the statement's own implicit transaction.
        await deps.pool.query(
            `WITH async_commit AS (SELECT set_config('synchronous_commit', 'off', true))
       UPDATE orders SET forwarded_at = now() FROM async_commit WHERE order_id = ANY($1::text[]) AND forwarded_at IS NULL`,
            [orderIds],
        );
    } catch (error) {
        deps.logger.warn("could not mark orders as forwarded; a redelivery would send them again", {
            orderIds,
            error: errorMessage(error),
        });
    }
}

/**
 * Processes one record. Orders sent to the OMS are appended to forwardedOrderIds for the batch's
 * markForwarded; when called on its own (without the list) the mark is written right away.
 */
export async function processOrderRecord(
    record: SQSRecord,
    deps: OrderProcessorDeps,
    forwardedOrderIds?: string[],
): Promise<OrderRecordOutcome> {
    const parsed = parseEventBridgeBody(record.body, orderProcessorDetailSchemas);
    if (parsed.detailType === "OrderPlaced") {
        const order = parsed.detail;
        const { written, forwarded } = await writeOrder(deps.pool, order, parsed.envelope);
        await archiveRawEvent(deps, record.body, parsed.envelope);
        if (!forwarded) {
            await forwardToOms(deps, order, parsed.envelope);
            if (forwardedOrderIds) forwardedOrderIds.push(order.orderId);
            else await markForwarded(deps, [order.orderId]);
        }
        if (written) deps.logger.info("order written", { orderId: order.orderId, eventId: parsed.envelope.id });
        return { kind: written ? "order-written" : "order-duplicate", orderId: order.orderId };
    }
    const payment = parsed.detail;
    const applied = await applyPayment(deps.pool, payment, parsed.envelope);
    await archiveRawEvent(deps, record.body, parsed.envelope);
    return { kind: applied ? "payment-applied" : "payment-duplicate", orderId: payment.orderId, paymentId: payment.paymentId };
}

/**
 * Claims the message's idempotency key, first taking a transaction-level advisory lock on the order.
 * The lock serialises the transactions that touch one order (its OrderPlaced and PaymentProcessed
 * events): without it, an order and its payment committing concurrently would each miss the other's
 * row and the order would keep 'pending'. Under READ COMMITTED the statements after it see whatever
 * the other transaction committed. A concurrent duplicate waits on the lock, then finds the key.
 * One statement, one round trip. Returns false when the key was already claimed.
 */
async function lockOrderAndClaim(client: PoolClient, orderId: string, messageKey: string, eventId: string): Promise<boolean> {
    const claim = await client.query(
        `WITH order_lock AS (SELECT pg_advisory_xact_lock($4, hashtext($5)))
     INSERT INTO processed_messages (consumer, message_key, event_id)
     SELECT $1, $2, $3 FROM order_lock
     ON CONFLICT (consumer, message_key) DO NOTHING`,
        [ORDER_PROCESSOR_CONSUMER, messageKey, eventId, ORDER_LOCK_CLASS, orderId],
    );
    return claim.rowCount === 1;
}

/** Writes the order and its lines once. Returns whether this call wrote it and whether it was already forwarded. */
async function writeOrder(pool: Pool, order: OrderPlaced, envelope: EventEnvelope): Promise<{ written: boolean; forwarded: boolean }> {
    return withTransaction(pool, async (client) => {
        if (!(await lockOrderAndClaim(client, order.orderId, `order:${order.orderId}`, envelope.id))) {
            const existing = await client.query<{ forwarded: boolean }>(
                "SELECT forwarded_at IS NOT NULL AS forwarded FROM orders WHERE order_id = $1",
                [order.orderId],
            );
            return { written: false, forwarded: existing.rows[0]?.forwarded ?? false };
        }
        // A PaymentProcessed event may have arrived first; the order starts with the latest payment status.
        // Order and lines in one statement (the lines' foreign key is checked at its end).
        await client.query(
            `WITH latest_payment AS (
         SELECT status, processed_at FROM payments WHERE order_id = $1 ORDER BY processed_at DESC LIMIT 1
       ), new_order AS (
         INSERT INTO orders (order_id, customer_id, currency, total_cents, placed_at, source_event_id, payment_status, payment_updated_at)
         SELECT $1, $2, $3, $4, $5, $6, coalesce(latest.status, 'pending'), latest.processed_at
         FROM (SELECT 1) AS one LEFT JOIN latest_payment AS latest ON true
         RETURNING order_id
       )
       INSERT INTO order_lines (order_id, line_number, sku, quantity, unit_price_cents)
       SELECT new_order.order_id, line.line_number, line.sku, line.quantity, line.unit_price_cents
       FROM new_order,
            unnest($7::text[], $8::int[], $9::bigint[]) WITH ORDINALITY AS line(sku, quantity, unit_price_cents, line_number)`,
            [
                order.orderId,
                order.customerId,
                order.currency,
                order.totalCents,
                order.placedAt,
                envelope.id,
                order.lines.map((line) => line.sku),
                order.lines.map((line) => line.quantity),
                order.lines.map((line) => line.unitPriceCents),
            ],
        );
        return { written: true, forwarded: false };
    });
}

/** Records the payment once and moves the order's payment status forward (never back to an older event). */
async function applyPayment(pool: Pool, payment: PaymentProcessed, envelope: EventEnvelope): Promise<boolean> {
    return withTransaction(pool, async (client) => {
        if (!(await lockOrderAndClaim(client, payment.orderId, `payment:${payment.paymentId}:${payment.status}`, envelope.id)))
            return false;
        await client.query(
            `INSERT INTO payments (payment_id, status, order_id, amount_cents, currency, processed_at, source_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [payment.paymentId, payment.status, payment.orderId, payment.amountCents, payment.currency, payment.processedAt, envelope.id],
        );
        // No row is updated when the order is not written yet; writeOrder then picks the status up from payments.
        await client.query(
            `UPDATE orders SET payment_status = $2, payment_updated_at = $3
       WHERE order_id = $1 AND (payment_updated_at IS NULL OR payment_updated_at < $3)`,
            [payment.orderId, payment.status, payment.processedAt],
        );
        return true;
    });
}

async function archiveRawEvent(deps: OrderProcessorDeps, rawBody: string, envelope: EventEnvelope): Promise<void> {
    await deps.s3.send(
        new PutObjectCommand({
            Bucket: deps.dataLakeBucket,
            Key: rawOrderArchiveKey(envelope),
            Body: rawBody,
            ContentType: "application/json",
        }),
    );
}

async function forwardToOms(deps: OrderProcessorDeps, order: OrderPlaced, envelope: EventEnvelope): Promise<void> {
    await deps.sqs.send(
        new SendMessageCommand({
            QueueUrl: deps.omsQueueUrl,
            MessageBody: omsOrderMessage(order, envelope),
            // One customer's orders reach the OMS in the order they were sent; different customers in parallel.
            MessageGroupId: order.customerId,
            // Content-based deduplication is off on the queue; the order id makes a re-send within 5 minutes a no-op.
            MessageDeduplicationId: order.orderId,
            MessageAttributes: { eventType: { DataType: "String", StringValue: "OrderPlaced" } },
        }),
    );
}

export interface OrderProcessorEnvConfig {
    dataLakeBucket: string;
    omsQueueUrl: string;
}

/**
 * Environment variables (besides DB_* from lib/db.ts, default DB_USER order_processor_lambda):
 *   DATA_LAKE_BUCKET  bucket of the S3 data lake (raw events under raw/orders/)
 *   OMS_QUEUE_URL     URL of the order management system's FIFO queue (must end in .fifo)
 */
export function orderProcessorConfigFromEnv(env: Env): OrderProcessorEnvConfig {
    const omsQueueUrl = requireEnv(env, ORDER_PROCESSOR_ENV.omsQueueUrl);
    if (!omsQueueUrl.endsWith(".fifo")) {
        throw new ConfigError(`environment variable OMS_QUEUE_URL must be the URL of a FIFO queue (ending in .fifo), got ${omsQueueUrl}`);
    }
    return { dataLakeBucket: requireEnv(env, ORDER_PROCESSOR_ENV.dataLakeBucket), omsQueueUrl };
}
