import { strict as assert } from "assert";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { applyMigrations, defaultMigrationsDir, readMigrations } from "../../handlers/lib/migrate";
import { getServices, type TestServices } from "../support/services";

describe("SQL migrations (real PostgreSQL)", function () {
    let services: TestServices;
    const scratchDirs: string[] = [];

    before(async function () {
        services = await getServices();
    });

    after(function () {
        for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
    });

    function copyOfMigrations(): string {
        const dir = mkdtempSync(join(tmpdir(), "migrations-"));
        scratchDirs.push(dir);
        for (const file of readdirSync(defaultMigrationsDir)) copyFileSync(join(defaultMigrationsDir, file), join(dir, file));
        return dir;
    }

    async function emptyDatabase(name: string) {
        const admin = services.pool({ database: "postgres", max: 1 });
        await admin.query(`DROP DATABASE IF EXISTS ${name}`);
        await admin.query(`CREATE DATABASE ${name}`);
        await services.endPool(admin);
        return services.pool({ database: name, max: 4 });
    }

    it("applies every file once, in order, and nothing on a second run", async function () {
        const pool = await emptyDatabase("migrate_once");
        try {
            const files = readMigrations().map((migration) => migration.file);
            assert.deepEqual(files, ["001_orders.sql", "002_inventory.sql", "003_handler_roles.sql"]);
            assert.deepEqual(await applyMigrations(pool), { applied: files, alreadyApplied: [] });
            assert.deepEqual(await applyMigrations(pool), { applied: [], alreadyApplied: files });
            const { rows } = await pool.query("SELECT version FROM schema_migrations ORDER BY version");
            assert.deepEqual(
                rows.map((row) => row.version),
                ["001", "002", "003"],
            );
        } finally {
            await services.endPool(pool);
        }
    });

    it("lets concurrent runners apply the migrations exactly once", async function () {
        const pool = await emptyDatabase("migrate_concurrent");
        try {
            const results = await Promise.all([applyMigrations(pool), applyMigrations(pool), applyMigrations(pool)]);
            assert.equal(results.filter((result) => result.applied.length === 3).length, 1);
            assert.equal(results.filter((result) => result.alreadyApplied.length === 3).length, 2);
        } finally {
            await services.endPool(pool);
        }
    });

    it("refuses a migration edited after it was applied, and applies a new one", async function () {
        const dir = copyOfMigrations();
        const pool = await emptyDatabase("migrate_edited");
        try {
            await applyMigrations(pool, dir);
            writeFileSync(join(dir, "004_add_column.sql"), "ALTER TABLE orders ADD COLUMN channel text;\n");
            assert.deepEqual((await applyMigrations(pool, dir)).applied, ["004_add_column.sql"]);
            writeFileSync(join(dir, "002_inventory.sql"), "-- edited\n");
            await assert.rejects(applyMigrations(pool, dir), /migration 002_inventory\.sql was changed after it was applied/);
        } finally {
            await services.endPool(pool);
        }
    });

    it("rolls back a failing migration and names it", async function () {
        const dir = copyOfMigrations();
        writeFileSync(join(dir, "004_broken.sql"), "CREATE TABLE half_done (id int);\nSELECT no_such_function();\n");
        const pool = await emptyDatabase("migrate_broken");
        try {
            await assert.rejects(
                applyMigrations(pool, dir),
                /migration 004_broken\.sql failed: function no_such_function\(\) does not exist/,
            );
            const { rows } = await pool.query(
                "SELECT to_regclass('half_done') AS table, (SELECT count(*) FROM schema_migrations) AS applied",
            );
            assert.equal(rows[0].table, null, "the failed migration left nothing behind");
            assert.equal(Number(rows[0].applied), 3);
        } finally {
            await services.endPool(pool);
        }
    });

    it("rejects badly named migration files", function () {
        const dir = copyOfMigrations();
        writeFileSync(join(dir, "5-oops.sql"), "SELECT 1;");
        assert.throws(() => readMigrations(dir), /migration file 5-oops\.sql .* must be named NNN_lower_snake_case\.sql/);
    });
});
