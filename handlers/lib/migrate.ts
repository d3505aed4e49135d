import { createHash } from "crypto";
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import type { ClientBase, Pool } from "pg";

// Applies migrations/NNN_name.sql in order, each in its own transaction, recording version and
// checksum in schema_migrations. Re-running applies nothing new; an applied file that was edited
// afterwards is an error (write a new migration instead). A session advisory lock serialises
// concurrent runners (several ECS tasks starting at once, parallel test files).

export const defaultMigrationsDir = join(__dirname, "..", "..", "migrations");

const MIGRATION_FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;
// Arbitrary constant shared by every runner of this project's migrations.
const MIGRATION_LOCK_ID = 7_204_311;

export interface Migration {
    version: string;
    file: string;
    sql: string;
    checksum: string;
}

export interface MigrationResult {
    applied: string[];
    alreadyApplied: string[];
}

export function readMigrations(dir: string = defaultMigrationsDir): Migration[] {
    const files = readdirSync(dir)
        .filter((file) => file.endsWith(".sql"))
        .sort();
    const seen = new Set<string>();
    return files.map((file) => {
        const match = MIGRATION_FILE.exec(file);
        if (!match) throw new Error(`migration file ${file} in ${dir} must be named NNN_lower_snake_case.sql`);
        const version = match[1];
        if (seen.has(version)) throw new Error(`two migration files in ${dir} share version ${version}`);
        seen.add(version);
        const sql = readFileSync(join(dir, file), "utf8");
        return { version, file, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export async function applyMigrations(pool: Pool, dir: string = defaultMigrationsDir): Promise<MigrationResult> {
    const migrations = readMigrations(dir);
    const client = await pool.connect();
    let broken = false;
    try {
        await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
        try {
            return await applyLocked(client, migrations);
        } finally {
            await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
        }
    } catch (error) {
        broken = true;
        throw error;
    } finally {
        client.release(broken);
    }
}

async function applyLocked(client: ClientBase, migrations: Migration[]): Promise<MigrationResult> {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    file text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
    const { rows } = await client.query<{ version: string; file: string; checksum: string }>(
        "SELECT version, file, checksum FROM schema_migrations",
    );
    const recorded = new Map(rows.map((row) => [row.version, row]));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
        const previous = recorded.get(migration.version);
        if (previous) {
            if (previous.checksum !== migration.checksum) {
                throw new Error(
                    `migration ${migration.file} was changed after it was applied (as ${previous.file}); add a new migration instead of editing an applied one`,
                );
            }
            result.alreadyApplied.push(migration.file);
            continue;
        }
        try {
            await client.query("BEGIN");
            await client.query(migration.sql);
            await client.query("INSERT INTO schema_migrations (version, file, checksum) VALUES ($1, $2, $3)", [
                migration.version,
                migration.file,
                migration.checksum,
            ]);
            await client.query("COMMIT");
        } catch (error) {
            await client.query("ROLLBACK").catch(() => undefined);
            throw new Error(`migration ${migration.file} failed: ${error instanceof Error ? error.message : String(error)}`, {
                cause: error,
            });
        }
        result.applied.push(migration.file);
    }
    return result;
}
