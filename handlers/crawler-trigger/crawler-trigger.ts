import { StartCrawlerCommand, type GlueClient } from "@aws-sdk/client-glue";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type Redis from "ioredis";
import { randomUUID } from "crypto";
import { processSqsBatch } from "../lib/batch";
import { ConfigError, intEnv, requireEnv, type Env } from "../lib/config";
import { parseEventBridgeBody } from "../lib/eventbridge";
import { decodeS3Key, s3ObjectCreatedSchema } from "../lib/events";
import { errorMessage, type HandlerLogger } from "../lib/logger";
import type { CounterSink } from "../lib/metrics";
import { CRAWLER_TRIGGER_ENV } from "./env";

// Crawler trigger: S3 "Object Created" events (default bus -> rule -> SQS) for the data lake bucket.
// A new object under raw/<domain>/ starts that domain's Glue crawler (GLUE_CRAWLER_PREFIX + domain).
//
// A burst of objects (a busy hour of orders) starts the crawler at most once per window: the first
// object sets a Redis key with SET NX PX <window>, later ones within the window skip. Objects that land
// while a crawl runs are picked up by the next start after the window (the next object); for raw
// prefixes written continuously that is at most one window late, which is the intended trade-off.
// A crawler already running (CrawlerRunningException) counts as success. If Redis is unreachable the
// window check fails open: the crawler is started anyway (a redundant start is harmless, a missed one
// leaves new partitions out of the catalogue). Any other Glue error fails the record and releases the
// window so its retry can start the crawler.

export const crawlerTriggerDetailSchemas = { "Object Created": s3ObjectCreatedSchema };

const RAW_OBJECT_KEY = /^raw\/([a-z0-9][a-z0-9_-]{0,62})\/(.*[^/])$/;
const RELEASE_IF_OWNER = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface CrawlerTriggerDeps {
    glue: GlueClient;
    redis: Redis;
    logger: HandlerLogger;
    metrics: CounterSink;
    crawlerNamePrefix: string;
    /** Domains that have a crawler; undefined means every raw/<domain>/ has one. */
    domains?: ReadonlySet<string>;
    startWindowMs: number;
}

export type CrawlerTriggerOutcome =
    | { kind: "ignored"; key: string; reason: string }
    | { kind: "debounced"; crawlerName: string }
    | { kind: "started"; crawlerName: string }
    | { kind: "already-running"; crawlerName: string };

export function crawlerWindowKey(crawlerName: string): string {
    return `crawler-trigger:started:${crawlerName}`;
}

export function createCrawlerTrigger(deps: CrawlerTriggerDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
    return (event) => processSqsBatch(event, (record) => processCrawlerTriggerRecord(record, deps), deps.logger);
}

export async function processCrawlerTriggerRecord(record: SQSRecord, deps: CrawlerTriggerDeps): Promise<CrawlerTriggerOutcome> {
    const { detail } = parseEventBridgeBody(record.body, crawlerTriggerDetailSchemas);
    const key = decodeS3Key(detail.object.key);
    const match = RAW_OBJECT_KEY.exec(key);
    // The EventBridge rule should only match raw/; anything else (curated/, folder markers) is not ours.
    if (!match) return { kind: "ignored", key, reason: "not an object under raw/<domain>/" };
    const domain = match[1];
    if (deps.domains && !deps.domains.has(domain)) {
        deps.logger.warn("object under a raw domain without a crawler", { key, domain });
        return { kind: "ignored", key, reason: `domain ${domain} has no crawler` };
    }
    const crawlerName = `${deps.crawlerNamePrefix}${domain}`;
    const windowKey = crawlerWindowKey(crawlerName);
    const windowToken = randomUUID();
    let ownsWindow = false;
    try {
        ownsWindow = (await deps.redis.set(windowKey, windowToken, "PX", deps.startWindowMs, "NX")) === "OK";
        if (!ownsWindow) return { kind: "debounced", crawlerName };
    } catch (error) {
        deps.metrics.count("CrawlerWindowCheckFailures");
        deps.logger.warn("crawler start window unavailable (redis); starting the crawler anyway", {
            crawlerName,
            error: errorMessage(error),
        });
    }
    try {
        await deps.glue.send(new StartCrawlerCommand({ Name: crawlerName }));
        deps.logger.info("crawler started", { crawlerName, key });
        return { kind: "started", crawlerName };
    } catch (error) {
        if ((error as { name?: string }).name === "CrawlerRunningException") return { kind: "already-running", crawlerName };
        if (ownsWindow) {
            await deps.redis.eval(RELEASE_IF_OWNER, 1, windowKey, windowToken).catch(() => undefined);
        }
        throw error;
    }
}

export interface CrawlerTriggerEnvConfig {
    crawlerNamePrefix: string;
    domains?: ReadonlySet<string>;
    startWindowMs: number;
}

/**
 * Environment variables (besides REDIS_* from lib/redis.ts):
 *   GLUE_CRAWLER_PREFIX           crawler name = prefix + domain, e.g. "retail-prod-raw-" -> retail-prod-raw-orders (required)
 *   CRAWLER_DOMAINS               comma-separated domains that have a crawler, e.g. "orders,inventory,products";
 *                                 set but empty = none yet (objects are ignored, not failed);
 *                                 unset = every raw/<domain>/ (a missing crawler then fails the record)
 *   CRAWLER_START_WINDOW_SECONDS  at most one start per crawler per window, default 300
 *   METRICS_NAMESPACE             CloudWatch namespace of the counters, default "RetailPlatform/Handlers"
 */
export function crawlerTriggerConfigFromEnv(env: Env): CrawlerTriggerEnvConfig {
    // Unset means "every domain"; set (even empty) is the exact list the infrastructure declared crawlers for.
    const domainsRaw = env[CRAWLER_TRIGGER_ENV.domains];
    const domains =
        domainsRaw === undefined
            ? undefined
            : domainsRaw
                  .split(",")
                  .map((domain) => domain.trim())
                  .filter(Boolean);
    for (const domain of domains ?? []) {
        if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(domain))
            throw new ConfigError(`CRAWLER_DOMAINS entry ${JSON.stringify(domain)} is not a valid domain name`);
    }
    return {
        crawlerNamePrefix: requireEnv(env, CRAWLER_TRIGGER_ENV.crawlerNamePrefix),
        domains: domains ? new Set(domains) : undefined,
        startWindowMs: intEnv(env, CRAWLER_TRIGGER_ENV.startWindowSeconds, 300, 1, 86_400) * 1_000,
    };
}
