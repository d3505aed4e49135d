// The migration runner: a one-off ECS task (see README) that applies migrations/ and creates the IAM-auth database
// roles of the PBCs and handlers. It alone uses the RDS-managed master secret, which it reads with its task role when
// it starts (the secret's ARN is AWS-assigned: ECS injects it from an SSM parameter).
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Pool } from "pg";
import { applyMigrations } from "../lib/migrate";
import { ensureIamRoles } from "./roles";

/**
 * Environment:
 *   DB_HOST, DB_PORT (5432), DB_NAME     the writer endpoint and database
 *   DB_MASTER_SECRET_ARN                 ARN of the managed master secret ({"username","password"}), read at start
 *   DB_ROLES                             comma-separated database roles to ensure (pbc_<name>, <handler>_lambda)
 *   DB_SSL                               verify-full (default) | disable (local only)
 *   MIGRATIONS_DIR                       where the .sql files are (default: the repository's migrations/)
 *   NODE_EXTRA_CA_CERTS                  the RDS CA bundle in the image, for verify-full
 */
export async function runMigrations(env: NodeJS.ProcessEnv, readSecret: SecretReader = secretsManagerReader()): Promise<void> {
    const missing = ["DB_HOST", "DB_NAME", "DB_MASTER_SECRET_ARN"].filter((k) => !env[k]);
    if (missing.length > 0) throw new Error(`missing environment: ${missing.join(", ")}`);
    let secret: { username?: string; password?: string };
    const text = await readSecret(env.DB_MASTER_SECRET_ARN!);
    try {
        secret = JSON.parse(text);
    } catch {
        throw new Error("the master secret (DB_MASTER_SECRET_ARN) must hold JSON");
    }
    if (!secret.username || !secret.password) throw new Error("the master secret (DB_MASTER_SECRET_ARN) lacks username or password");
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

/** Reads a secret's string value by ARN. */
export type SecretReader = (arn: string) => Promise<string>;

/** The runner's reader: GetSecretValue with the task role's credentials (the default provider chain in ECS). */
export function secretsManagerReader(client: SecretsManagerClient = new SecretsManagerClient({})): SecretReader {
    return async (arn) => {
        const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
        if (typeof out.SecretString !== "string") throw new Error(`secret ${arn} has no string value`);
        return out.SecretString;
    };
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
