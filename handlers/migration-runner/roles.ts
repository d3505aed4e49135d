import type { ClientBase } from "pg";

/** Database role names: lower-case letters, digits and underscores (they are interpolated as identifiers). */
const ROLE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * The database role each handler that uses Aurora connects as (IAM authentication: its policy may `rds-db:connect`
 * as exactly this user); the migration runner creates them and migrations/003_handler_roles.sql grants their tables.
 */
export const HANDLER_DATABASE_ROLE = {
    "order-processor": "order_processor_lambda",
    inventory: "inventory_lambda",
} as const;

/** The database role of a PBC: its IAM policy may `rds-db:connect` as exactly this user. */
export function pbcDatabaseRole(pbc: string): string {
    return `pbc_${pbc.replace(/-/g, "_")}`;
}

/**
 * Ensures each role exists, can log in, and (on Aurora, where `rds_iam` exists) authenticates with IAM tokens only.
 * Idempotent; roles are cluster-wide, so existing ones are left as they are. Table grants belong to the migrations.
 */
export async function ensureIamRoles(client: ClientBase, roles: readonly string[]): Promise<{ created: string[]; existing: string[] }> {
    for (const role of roles) {
        if (!ROLE_NAME.test(role))
            throw new Error(`invalid database role name ${JSON.stringify(role)}: use lower-case letters, digits and underscores`);
    }
    const created: string[] = [];
    const existing: string[] = [];
    const { rows } = await client.query<{ exists: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam') AS exists");
    const iam = rows[0].exists;
    for (const role of roles) {
        const found = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
        if (found.rowCount === 0) {
            await client.query(`CREATE ROLE ${role} LOGIN`);
            created.push(role);
        } else {
            existing.push(role);
        }
        await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
        if (iam) await client.query(`GRANT rds_iam TO ${role}`);
    }
    return { created, existing };
}
