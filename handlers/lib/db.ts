import { Pool, type PoolClient, type PoolConfig } from "pg";
import { enumEnv, intEnv, optionalEnv, requireEnv, type Env } from "./config";
import { errorMessage, type HandlerLogger } from "./logger";
import { DATABASE_ENV } from "./env";

export interface DatabaseConfig {
    host: string;
    port: number;
    database: string;
    user: string;
    /** iam: a fresh RDS IAM auth token per connection (Aurora). trust: no password (local PostgreSQL only). */
    auth: "iam" | "trust";
    /** verify-full: TLS with certificate and host-name verification. disable: plain TCP (local only). */
    ssl: "verify-full" | "disable";
    poolMax: number;
    region?: string;
}

/**
 * Environment variables:
 *   DB_HOST      writer endpoint of the Aurora cluster (required)
 *   DB_PORT      default 5432
 *   DB_NAME      database name (required)
 *   DB_USER      the handler's own database role (default given by the handler)
 *   DB_AUTH      iam (default) | trust
 *   DB_SSL       verify-full (default) | disable. With verify-full on the Lambda Node.js 20+ runtimes,
 *                set NODE_EXTRA_CA_CERTS=/var/runtime/ca-cert.pem so Node trusts the RDS CA bundle.
 *   DB_POOL_MAX  connections per Lambda instance, default 5 (Aurora connections = this x concurrency)
 *   AWS_REGION   set by Lambda; signs the IAM token
 */
export function databaseConfigFromEnv(env: Env, defaultUser: string): DatabaseConfig {
    const names = DATABASE_ENV;
    return {
        host: requireEnv(env, names.host),
        port: intEnv(env, names.port, 5432, 1, 65535),
        database: requireEnv(env, names.name),
        user: optionalEnv(env, names.user, defaultUser),
        auth: enumEnv(env, names.auth, ["iam", "trust"] as const, "iam"),
        ssl: enumEnv(env, names.ssl, ["verify-full", "disable"] as const, "verify-full"),
        poolMax: intEnv(env, names.poolMax, 5, 1, 100),
        region: env.AWS_REGION,
    };
}

/** IAM auth tokens are valid for 15 minutes; one is reused for 10 so connection storms do not re-sign. */
function iamTokenProvider(config: DatabaseConfig): () => Promise<string> {
    let cached: { token: string; expiresAt: number } | undefined;
    return async () => {
        if (cached && cached.expiresAt > Date.now()) return cached.token;
        // Loaded on first use so that a trust-auth pool (local tests) never loads the signer.
        const { Signer } = await import("@aws-sdk/rds-signer");
        if (!config.region) throw new Error("AWS_REGION is required to sign an RDS IAM auth token");
        const signer = new Signer({ hostname: config.host, port: config.port, username: config.user, region: config.region });
        const token = await signer.getAuthToken();
        cached = { token, expiresAt: Date.now() + 10 * 60_000 };
        return token;
    };
}

export function createPool(config: DatabaseConfig, logger: HandlerLogger): Pool {
    const poolConfig: PoolConfig = {
        host: config.host,
        port: config.port,
        database: config.database,
        user: config.user,
        max: config.poolMax,
        connectionTimeoutMillis: 5_000,
        idleTimeoutMillis: 60_000,
        // Idle connections do not keep a process alive (matters for scripts and tests, not for Lambda).
        allowExitOnIdle: true,
        // A statement stuck behind a lock or a failing-over writer fails the record (and it is retried)
        // well inside the queue's visibility timeout instead of hanging the invocation.
        statement_timeout: 15_000,
        ssl: config.ssl === "verify-full" ? { rejectUnauthorized: true } : false,
    };
    if (config.auth === "iam") poolConfig.password = iamTokenProvider(config);
    const pool = new Pool(poolConfig);
    // An idle connection dropped by the server (failover, restart) emits 'error' on the pool; without a
    // listener that would crash the process. The pool discards the client and opens a new one on demand.
    pool.on("error", (error) => logger.warn("idle database connection lost", { error: errorMessage(error) }));
    ignoreCheckedOutClientErrors(pool);
    return pool;
}

/**
 * Gives every client of the pool a permanent 'error' listener from the moment it connects. The pool removes its own
 * idle listener before it hands a client out, and `await pool.connect()` resumes a microtask later: a server restart
 * whose FATAL message arrives in the same socket read as the connection's ReadyForQuery would otherwise emit 'error'
 * with no listener and crash the process. The error still fails whatever query is running on the client.
 */
export function ignoreCheckedOutClientErrors(pool: Pool): void {
    pool.on("connect", (client) => {
        client.on("error", () => undefined);
    });
}

/**
 * Runs fn inside BEGIN/COMMIT on one pooled connection. On any error the transaction is rolled back
 * and the connection is destroyed rather than returned (it may be broken, e.g. after a server restart).
 */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    // A checked-out client whose connection drops between queries emits 'error'; unhandled, that would
    // crash the process. The next query on it rejects, which fails the record as intended.
    const ignoreConnectionError = () => undefined;
    client.on("error", ignoreConnectionError);
    try {
        await client.query("BEGIN");
        const result = await fn(client);
        await client.query("COMMIT");
        client.off("error", ignoreConnectionError);
        client.release();
        return result;
    } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        // The listener stays: a destroyed client can still report its dropped connection ('error' after release).
        client.release(true);
        throw error;
    }
}
