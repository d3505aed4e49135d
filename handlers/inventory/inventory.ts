import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type Redis from "ioredis";
import type { Pool } from "pg";
import { processSqsBatch } from "../lib/batch";
import { ConfigError, optionalEnv, type Env } from "../lib/config";
import { withTransaction } from "../lib/db";
import { parseEventBridgeBody } from "../lib/eventbridge";
import { inventoryReservedSchema, type InventoryReserved } from "../lib/events";
import { errorMessage, type HandlerLogger } from "../lib/logger";
import type { CounterSink } from "../lib/metrics";
import { INVENTORY_ENV } from "./env";

// Inventory handler: InventoryReserved events from the inventory-update queue.
//
// A reservation is applied once per reservation id: its row in inventory_reservations is the
// idempotency key and commits in the same transaction as the stock change. The decrement is a single
// conditional UPDATE (available >= quantity), so concurrent reservations serialise on the SKU's row
// and stock can never go below zero; the CHECK (available >= 0) constraint backs that up.
//
// Not enough stock is a business outcome, not a fault: the reservation is recorded with outcome
// 'insufficient_stock' and the record succeeds (retrying cannot create stock, and the DLQ is for
// faults someone must fix). Downstream, the order flow reads the outcome from inventory_reservations.
// An unknown SKU is a fault (catalogue and inventory out of sync): the record fails, is retried, and
// reaches the DLQ if the SKU never appears.
//
// After the commit the product's cache entry is deleted so the next shopper reads real stock. Redis
// being unreachable does not undo or retry the committed change: the failure is logged and counted
// (metric CacheInvalidationFailures) and the entry expires by its TTL.

export const inventoryDetailSchemas = { InventoryReserved: inventoryReservedSchema };

export interface InventoryDeps {
    pool: Pool;
    redis: Redis;
    logger: HandlerLogger;
    metrics: CounterSink;
    /** Cache key of a product's entry, with {sku} as placeholder, e.g. "catalog:v1:product:{sku}". */
    productCacheKeyTemplate: string;
}

export type ReservationOutcome = "reserved" | "insufficient_stock";

export interface ReservationResult {
    reservationId: string;
    outcome: ReservationOutcome;
    /** False when this delivery found the reservation already applied. */
    firstDelivery: boolean;
    availableAfter: number | null;
    cacheInvalidated: boolean;
}

export class UnknownSkuError extends Error {
    constructor(sku: string) {
        super(`SKU ${sku} has no inventory row; the reservation is retried and reaches the DLQ if the SKU never appears`);
        this.name = "UnknownSkuError";
    }
}

export function productCacheKey(template: string, sku: string): string {
    return template.split("{sku}").join(sku);
}

export function createInventoryHandler(deps: InventoryDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
    return (event) => processSqsBatch(event, (record) => processInventoryRecord(record, deps), deps.logger);
}

export async function processInventoryRecord(record: SQSRecord, deps: InventoryDeps): Promise<ReservationResult> {
    const { detail: reservation, envelope } = parseEventBridgeBody(record.body, inventoryDetailSchemas);
    const applied = await applyReservation(deps.pool, reservation, envelope.id);
    if (applied.outcome === "insufficient_stock") {
        if (applied.firstDelivery) {
            deps.metrics.count("ReservationsRejectedInsufficientStock");
            deps.logger.info("reservation rejected: insufficient stock", {
                reservationId: reservation.reservationId,
                sku: reservation.sku,
                quantity: reservation.quantity,
            });
        }
        return { reservationId: reservation.reservationId, ...applied, cacheInvalidated: false };
    }
    // Also on a redelivery: the first delivery may have committed and then died before this step.
    const cacheInvalidated = await invalidateProductCache(deps, reservation.sku);
    return { reservationId: reservation.reservationId, ...applied, cacheInvalidated };
}

async function applyReservation(
    pool: Pool,
    reservation: InventoryReserved,
    eventId: string,
): Promise<{ outcome: ReservationOutcome; firstDelivery: boolean; availableAfter: number | null }> {
    return withTransaction(pool, async (client) => {
        const claim = await client.query(
            `INSERT INTO inventory_reservations (reservation_id, order_id, sku, quantity, outcome, source_event_id)
       VALUES ($1, $2, $3, $4, 'pending', $5)
       ON CONFLICT (reservation_id) DO NOTHING`,
            [reservation.reservationId, reservation.orderId, reservation.sku, reservation.quantity, eventId],
        );
        if (claim.rowCount !== 1) {
            const previous = await client.query<{ outcome: ReservationOutcome; available_after: number | null }>(
                "SELECT outcome, available_after FROM inventory_reservations WHERE reservation_id = $1",
                [reservation.reservationId],
            );
            const row = previous.rows[0];
            return { outcome: row.outcome, firstDelivery: false, availableAfter: row.available_after };
        }
        // One statement, one round trip while the SKU's row lock is held: decrement if enough stock, and
        // record the outcome on the reservation.
        const result = await client.query<{ outcome: ReservationOutcome; available_after: number | null; sku_known: boolean }>(
            `WITH decremented AS (
         UPDATE inventory SET available = available - $3, updated_at = now()
         WHERE sku = $2 AND available >= $3
         RETURNING available
       )
       UPDATE inventory_reservations
       SET outcome = CASE WHEN EXISTS (SELECT 1 FROM decremented) THEN 'reserved' ELSE 'insufficient_stock' END,
           available_after = (SELECT available FROM decremented)
       WHERE reservation_id = $1
       RETURNING outcome, available_after, EXISTS (SELECT 1 FROM inventory WHERE sku = $2) AS sku_known`,
            [reservation.reservationId, reservation.sku, reservation.quantity],
        );
        const row = result.rows[0];
        if (!row.sku_known) throw new UnknownSkuError(reservation.sku);
        return { outcome: row.outcome, firstDelivery: true, availableAfter: row.available_after };
    });
}

async function invalidateProductCache(deps: InventoryDeps, sku: string): Promise<boolean> {
    try {
        await deps.redis.del(productCacheKey(deps.productCacheKeyTemplate, sku));
        return true;
    } catch (error) {
        deps.metrics.count("CacheInvalidationFailures");
        deps.logger.error("product cache invalidation failed; stock change is committed, entry will expire by TTL", {
            sku,
            error: errorMessage(error),
        });
        return false;
    }
}

/**
 * Environment variables (besides DB_* from lib/db.ts, default DB_USER inventory_lambda, and REDIS_* from lib/redis.ts):
 *   PRODUCT_CACHE_KEY_TEMPLATE  cache key of a product entry with a {sku} placeholder, default "product:{sku}"
 *   METRICS_NAMESPACE           CloudWatch namespace of the handler's counters, default "RetailPlatform/Handlers"
 */
export function productCacheKeyTemplateFromEnv(env: Env): string {
    const template = optionalEnv(env, INVENTORY_ENV.productCacheKeyTemplate, "product:{sku}");
    if (!template.includes("{sku}")) {
        throw new ConfigError(
            `environment variable PRODUCT_CACHE_KEY_TEMPLATE must contain the placeholder {sku}, got ${JSON.stringify(template)}`,
        );
    }
    return template;
}
