import type { KinesisStreamStateResponse, KinesisStreamTumblingWindowEvent } from "aws-lambda";
import type Redis from "ioredis";
import { intEnv, type Env } from "../lib/config";
import { compareSequence, decodeRecord } from "../lib/clickstream";
import { errorMessage, type HandlerLogger } from "../lib/logger";
import { TRENDING_ENV } from "./env";

// Trending products: product views per tumbling window (Lambda's windowed aggregation on the Kinesis mapping,
// 300 s by default), written to one sorted set per window that the storefront reads.
//
// Lambda passes the state of the previous invocation of the window; every response must carry `state` (a response
// without it is treated as a failed invocation), so every path returns `{ state, batchItemFailures }`. The state is
// compact (per-product counts, the first and last sequence numbers counted) — Lambda caps it at 1 MB per shard.
// Records are counted in sequence order and a record at or below the last counted sequence number is skipped, so a
// redelivered or reordered batch counts each record once.
//
// On the window's final invoke the shard's counts are written by one Lua script: it sets the shard's done-marker with
// NX and only then increments (commands queued in MULTI cannot be guarded by a SET NX), so a retried final invoke
// does not count twice. Both keys share the hash tag {<window start>}: one slot, valid in cluster mode. Both have a
// TTL. Windows are by arrival time per shard, and restart at a reshard.

export interface TrendingState {
    counts: Record<string, number>;
    firstSequence?: string;
    lastSequence?: string;
}

export interface TrendingDeps {
    redis: Redis;
    logger: HandlerLogger;
    /** TTL of a window's sorted set and done-markers, seconds. */
    ttlSeconds: number;
}

/**
 * Environment variables:
 *   TRENDING_TTL_SECONDS  TTL of a window's keys (default 86400)
 */
export function trendingConfigFromEnv(env: Env): Pick<TrendingDeps, "ttlSeconds"> {
    return { ttlSeconds: intEnv(env, TRENDING_ENV.ttlSeconds, 86_400, 300, 7 * 86_400) };
}

export function trendingKey(windowStart: string): string {
    return `trending:{${windowStart}}`;
}

/** Per shard and per run of the window (a window terminated early continues under the same start). */
export function doneKey(windowStart: string, shardId: string, firstSequence: string): string {
    return `trending:{${windowStart}}:done:${shardId}:${firstSequence}`;
}

/** KEYS[1] sorted set, KEYS[2] done-marker; ARGV[1] TTL, then product, count pairs. */
export const FLUSH_SCRIPT = `
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then return 0 end
for i = 2, #ARGV, 2 do redis.call('ZINCRBY', KEYS[1], ARGV[i + 1], ARGV[i]) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
`;

/** Lambda's limit on the state per shard. */
export const STATE_LIMIT_BYTES = 1024 * 1024;

function emptyState(): TrendingState {
    return { counts: {} };
}

function readState(raw: unknown): TrendingState {
    if (!raw || typeof raw !== "object") return emptyState();
    const s = raw as Partial<TrendingState>;
    const counts: Record<string, number> = {};
    for (const [product, n] of Object.entries(s.counts ?? {})) if (Number.isInteger(n) && n > 0) counts[product] = n;
    return {
        counts,
        firstSequence: typeof s.firstSequence === "string" ? s.firstSequence : undefined,
        lastSequence: typeof s.lastSequence === "string" ? s.lastSequence : undefined,
    };
}

/** Lambda's windowed Kinesis event also names the shard (the types package omits it). */
export type TrendingEvent = KinesisStreamTumblingWindowEvent & { shardId: string; eventSourceARN?: string };

export interface TrendingResult extends KinesisStreamStateResponse {
    state: TrendingState;
    batchItemFailures: { itemIdentifier: string }[];
}

export function createTrendingHandler(deps: TrendingDeps): (event: TrendingEvent) => Promise<TrendingResult> {
    return async (event) => {
        const state = readState(event.state);
        const records = [...(event.Records ?? [])].sort((a, b) => compareSequence(a.kinesis.sequenceNumber, b.kinesis.sequenceNumber));
        for (const record of records) {
            const sequence = record.kinesis.sequenceNumber;
            if (state.lastSequence !== undefined && compareSequence(sequence, state.lastSequence) <= 0) continue; // counted already
            state.lastSequence = sequence;
            state.firstSequence ??= sequence;
            const decoded = decodeRecord(record);
            if (!decoded.ok) {
                deps.logger.warn("poison clickstream record skipped", { sequenceNumber: sequence, reason: decoded.reason });
                continue;
            }
            const { eventType, productId } = decoded.event;
            if (eventType === "product_view" && productId) state.counts[productId] = (state.counts[productId] ?? 0) + 1;
        }
        const size = Buffer.byteLength(JSON.stringify(state));
        if (size > STATE_LIMIT_BYTES * 0.8)
            deps.logger.warn("trending state near Lambda's 1 MB limit", { bytes: size, shardId: event.shardId });
        if (!event.isFinalInvokeForWindow) return { state, batchItemFailures: [] };

        if (event.isWindowTerminatedEarly)
            deps.logger.warn("window terminated early (state over 1 MB); its counts are written now", {
                shardId: event.shardId,
                window: event.window,
            });
        const entries = Object.entries(state.counts);
        if (entries.length === 0 || state.firstSequence === undefined) return { state: emptyState(), batchItemFailures: [] };
        try {
            await deps.redis.eval(
                FLUSH_SCRIPT,
                2,
                trendingKey(event.window.start),
                doneKey(event.window.start, event.shardId, state.firstSequence),
                deps.ttlSeconds,
                ...entries.flatMap(([product, n]) => [product, n]),
            );
        } catch (error) {
            deps.logger.error("could not write the window's counts; the final invoke is retried", {
                shardId: event.shardId,
                window: event.window,
                error: errorMessage(error),
            });
            // The earliest record of this invocation, or (none) an empty identifier, which Lambda treats as the whole
            // invocation failing: it is retried with the same state.
            return { state, batchItemFailures: [{ itemIdentifier: records[0]?.kinesis.sequenceNumber ?? "" }] };
        }
        return { state: emptyState(), batchItemFailures: [] };
    };
}
