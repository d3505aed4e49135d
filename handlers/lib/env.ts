// The environment variables the shared readers (db.ts, redis.ts) read, by name: the infrastructure that sets them
// (stacks/) and the local bundle loader import them from here (no runtime dependencies).
/** The environment variables databaseConfigFromEnv reads: set by the infrastructure and the local bundle loader alike. */
export const DATABASE_ENV = {
    host: "DB_HOST",
    port: "DB_PORT",
    name: "DB_NAME",
    user: "DB_USER",
    auth: "DB_AUTH",
    ssl: "DB_SSL",
    poolMax: "DB_POOL_MAX",
} as const;

/** The environment variables redisConfigFromEnv reads: set by the infrastructure and the local bundle loader alike. */
export const REDIS_ENV = {
    host: "REDIS_HOST",
    port: "REDIS_PORT",
    tls: "REDIS_TLS",
    commandTimeoutMs: "REDIS_COMMAND_TIMEOUT_MS",
} as const;
