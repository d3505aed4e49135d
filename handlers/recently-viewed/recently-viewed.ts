import type { KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import type Redis from "ioredis";
import { intEnv, type Env } from "../lib/config";
import { compareSequence, decodeRecord } from "../lib/clickstream";
import { errorMessage, type HandlerLogger } from "../lib/logger";
import { RECENTLY_VIEWED_ENV } from "./env";

// Recently viewed: per session, the last N products viewed, read by the personalisation PBC on the next page render.
//
// Idempotent and order-insensitive: ZADD GT keeps each product's latest view time whatever order (or how many times)
// the views arrive, and trimming to the N highest scores keeps the N latest products — the same set as one clean,
// ordered delivery. One MULTI per session: ZADD, trim, EXPIRE (every key has a TTL). One key per transaction, so it
// is valid in cluster mode (ElastiCache Serverless).
//
// Failures: a record that can never succeed (not JSON, schema violation) is logged with its sequence number and
// skipped — on Kinesis a reported failure is retried from that record, so a poison record would hold its shard back
// until its retries ran out (Firehose keeps its raw copy under errors/). A Redis failure reports the earliest
// sequence number of the failed sessions: Lambda retries from there (re-applying is harmless), and after the
// bounded retries the batch goes to the on-failure destination.

export interface RecentlyViewedDeps {
    redis: Redis;
    logger: HandlerLogger;
    /** How many products a session keeps. */
    maxItems: number;
    /** TTL of a session's list, seconds. */
    ttlSeconds: number;
}

export function recentKey(sessionId: string): string {
    return `recent:${sessionId}`;
}

/**
 * Environment variables:
 *   RECENT_ITEMS        products kept per session (default 20)
 *   RECENT_TTL_SECONDS  TTL of a session's list (default 604800)
 */
export function recentlyViewedConfigFromEnv(env: Env): Pick<RecentlyViewedDeps, "maxItems" | "ttlSeconds"> {
    return {
        maxItems: intEnv(env, RECENTLY_VIEWED_ENV.maxItems, 20, 1, 100),
        ttlSeconds: intEnv(env, RECENTLY_VIEWED_ENV.ttlSeconds, 604_800, 60, 30 * 86_400),
    };
}

export interface RecentlyViewedResult extends KinesisStreamBatchResponse {
    /** Sequence numbers of poison records (logged and skipped). */
    poison: string[];
}

export function createRecentlyViewedHandler(deps: RecentlyViewedDeps): (event: KinesisStreamEvent) => Promise<RecentlyViewedResult> {
    return async (event) => {
        const poison: string[] = [];
        // session -> (product -> latest view ms), and the earliest sequence number of the session's records
        const sessions = new Map<string, { views: Map<string, number>; firstSequence: string }>();
        for (const record of event.Records) {
            const decoded = decodeRecord(record);
            if (!decoded.ok) {
                poison.push(decoded.sequenceNumber);
                deps.logger.warn("poison clickstream record skipped", { sequenceNumber: decoded.sequenceNumber, reason: decoded.reason });
                continue;
            }
            const e = decoded.event;
            if (e.eventType !== "product_view" || !e.productId) continue;
            const at = Date.parse(e.eventTime);
            let session = sessions.get(e.sessionId);
            if (!session) sessions.set(e.sessionId, (session = { views: new Map(), firstSequence: decoded.sequenceNumber }));
            if (compareSequence(decoded.sequenceNumber, session.firstSequence) < 0) session.firstSequence = decoded.sequenceNumber;
            session.views.set(e.productId, Math.max(session.views.get(e.productId) ?? 0, at));
        }
        const failed: string[] = [];
        await Promise.all(
            [...sessions].map(async ([sessionId, { views, firstSequence }]) => {
                const key = recentKey(sessionId);
                const members = [...views].flatMap(([product, at]) => [at, product]);
                try {
                    const results = await deps.redis
                        .multi()
                        .zadd(key, "GT", ...members)
                        .zremrangebyrank(key, 0, -(deps.maxItems + 1))
                        .expire(key, deps.ttlSeconds)
                        .exec();
                    const error = results?.find(([err]) => err)?.[0];
                    if (!results || error) throw error ?? new Error("transaction aborted");
                } catch (error) {
                    failed.push(firstSequence);
                    deps.logger.error("could not update recently viewed; retried from this record", {
                        sessionId,
                        sequenceNumber: firstSequence,
                        error: errorMessage(error),
                    });
                }
            }),
        );
        failed.sort(compareSequence);
        return { batchItemFailures: failed.length > 0 ? [{ itemIdentifier: failed[0] }] : [], poison };
    };
}
