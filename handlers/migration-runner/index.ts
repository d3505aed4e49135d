// The migration runner: a one-off ECS task (see README) that applies migrations/ and creates the IAM-auth database
// roles of the PBCs and handlers. It alone uses the RDS-managed master secret, which ECS injects at task start.
import { Pool } from "pg";
import { applyMigrations } from "../lib/migrate";
import { ensureIamRoles } from "./roles";

/**
 * Environment:
 *   DB_HOST, DB_PORT (5432), DB_NAME     the writer endpoint and database
 *   DB_MASTER_SECRET                     the managed master secret's JSON ({"username","password"}), injected by ECS
 *   DB_ROLES                             comma-separated database roles to ensure (pbc_<name>, <handler>_lambda)
 *   DB_SSL                               verify-full (default) | disable (local only)
 *   MIGRATIONS_DIR                       where the .sql files are (default: the repository's migrations/)
 *   NODE_EXTRA_CA_CERTS                  the RDS CA bundle in the image, for verify-full
 */
export async function runMigrations(env: NodeJS.ProcessEnv): Promise<void> {
    const missing = ["DB_HOST", "DB_NAME", "DB_MASTER_SECRET"].filter((k) => !env[k]);
    if (missing.length > 0) throw new Error(`missing environment: ${missing.join(", ")}`);
    let secret: { username?: string; password?: string };
    try {
        secret = JSON.parse(env.DB_MASTER_SECRET!);
    } catch {
        throw new Error("DB_MASTER_SECRET must be the master secret's JSON");
    }
    if (!secret.username || !secret.password) throw new Error("DB_MASTER_SECRET lacks username or password");
    const ssl = (env.DB_SSL ?? "verify-full") === "disable" ? false : { rejectUnauthorized: true };
    const pool = new Pool({
        host: env.DB_HOST,
        port: Number(env.DB_PORT ?? 5432),
        database: env.DB_NAME,
        user: secret.username,
        password: secret.password,
        ssl,
        max: 2,
    });
    try {
        const result = await applyMigrations(pool, env.MIGRATIONS_DIR || undefined);
        console.log(JSON.stringify({ message: "migrations", ...result }));
        const roles = (env.DB_ROLES ?? "")
            .split(",")
            .map((r) => r.trim())
            .filter(Boolean);
        const client = await pool.connect();
        try {
            console.log(JSON.stringify({ message: "database roles", ...(await ensureIamRoles(client, roles)) }));
        } finally {
            client.release();
        }
    } finally {
        await pool.end();
    }
}

if (require.main === module) {
    runMigrations(process.env).then(
        () => process.exit(0),
        (err) => {
            console.error(JSON.stringify({ message: "migration runner failed", error: String(err?.message ?? err) }));
            process.exit(1);
        },
    );
}
