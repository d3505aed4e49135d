import Redis, { type RedisOptions } from "ioredis";
import { boolEnv, intEnv, requireEnv, type Env } from "./config";
import { errorMessage, type HandlerLogger } from "./logger";
import { REDIS_ENV } from "./env";

export interface RedisConfig {
    host: string;
    port: number;
    /** On for ElastiCache (in-transit encryption), off for a local redis-server. */
    tls: boolean;
    /** Upper bound on any one command, so a Redis outage costs a record this long, never a hang. */
    commandTimeoutMs: number;
}

/**
 * Environment variables:
 *   REDIS_HOST                 ElastiCache endpoint (required)
 *   REDIS_PORT                 default 6379
 *   REDIS_TLS                  true (default) | false
 *   REDIS_COMMAND_TIMEOUT_MS   default 500
 */
export function redisConfigFromEnv(env: Env): RedisConfig {
    return {
        host: requireEnv(env, REDIS_ENV.host),
        port: intEnv(env, REDIS_ENV.port, 6379, 1, 65535),
        tls: boolEnv(env, REDIS_ENV.tls, true),
        commandTimeoutMs: intEnv(env, REDIS_ENV.commandTimeoutMs, 500, 10, 60_000),
    };
}

export function createRedis(config: RedisConfig, logger: HandlerLogger): Redis {
    const options: RedisOptions = {
        host: config.host,
        port: config.port,
        tls: config.tls ? { servername: config.host } : undefined,
        connectTimeout: Math.max(config.commandTimeoutMs, 1_000),
        commandTimeout: config.commandTimeoutMs,
        // Fail a command after one reconnect attempt instead of the default 20, and keep reconnecting in
        // the background with a capped back-off, so an outage degrades records rather than blocking them.
        maxRetriesPerRequest: 1,
        retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    };
    const redis = new Redis(options);
    let lastReported = 0;
    redis.on("error", (error) => {
        // ioredis emits an error per failed reconnect; one log line per 10 s is enough to see the outage.
        if (Date.now() - lastReported > 10_000) {
            lastReported = Date.now();
            logger.warn("redis connection error", { error: errorMessage(error) });
        }
    });
    return redis;
}
