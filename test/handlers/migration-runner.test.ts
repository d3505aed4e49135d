import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { cpSync, mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { bundleMigrationRunner } from "../../components/handlerBundle";
import { runMigrations } from "../../handlers/migration-runner";
import { ensureIamRoles, pbcDatabaseRole } from "../../handlers/migration-runner/roles";
import { getServices, type TestServices } from "../support/services";

describe("migration runner (real PostgreSQL)", function () {
    let services: TestServices;

    before(async function () {
        services = await getServices();
    });

    it("names PBC database roles after the PBC", () => {
        assert.equal(pbcDatabaseRole("order"), "pbc_order");
        assert.equal(pbcDatabaseRole("click-stream"), "pbc_click_stream");
    });

    it("creates missing roles once, reports existing ones, and refuses names that are not identifiers", async function () {
        const pool = services.pool({ database: "postgres", max: 1 });
        const client = await pool.connect();
        try {
            await client.query("DROP ROLE IF EXISTS pbc_runner_test_a");
            await client.query("DROP ROLE IF EXISTS pbc_runner_test_b");
            const first = await ensureIamRoles(client, ["pbc_runner_test_a", "pbc_runner_test_b"]);
            assert.deepEqual(first, { created: ["pbc_runner_test_a", "pbc_runner_test_b"], existing: [] });
            const second = await ensureIamRoles(client, ["pbc_runner_test_a"]);
            assert.deepEqual(second, { created: [], existing: ["pbc_runner_test_a"] });
            const { rows } = await client.query("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'pbc_runner_test_b'");
            assert.equal(rows[0].rolcanlogin, true);
            await assert.rejects(ensureIamRoles(client, ["pbc; DROP TABLE orders"]), /invalid database role name/);
        } finally {
            client.release();
            await services.endPool(pool);
        }
    });

    it("applies the migrations and ensures the roles end to end, idempotently", async function () {
        const admin = services.pool({ database: "postgres", max: 1 });
        await admin.query("DROP DATABASE IF EXISTS runner_e2e");
        await admin.query("CREATE DATABASE runner_e2e");
        const target = services.target("runner_e2e");
        const env = {
            DB_HOST: target.host,
            DB_PORT: String(target.port),
            DB_NAME: "runner_e2e",
            DB_SSL: "disable",
            DB_MASTER_SECRET: JSON.stringify({ username: target.user, password: "unused-locally" }),
            DB_ROLES: "pbc_cart, pbc_order",
        };
        try {
            await runMigrations(env);
            await runMigrations(env); // a second run changes nothing
            const db = services.pool({ database: "runner_e2e", max: 1 });
            try {
                const applied = await db.query("SELECT count(*)::int AS n FROM schema_migrations");
                assert.equal(applied.rows[0].n, 3);
                const roles = await db.query("SELECT rolname FROM pg_roles WHERE rolname IN ('pbc_cart', 'pbc_order') ORDER BY rolname");
                assert.deepEqual(
                    roles.rows.map((r) => r.rolname),
                    ["pbc_cart", "pbc_order"],
                );
            } finally {
                await services.endPool(db);
            }
        } finally {
            await services.endPool(admin);
        }
    });

    it("runs as the image runs it: the bundle alone, migrations copied beside it", async function () {
        this.timeout(60_000);
        const { outfile } = await bundleMigrationRunner();
        const image = mkdtempSync(join(tmpdir(), "runner-image-"));
        cpSync(outfile, join(image, "index.js"));
        cpSync(join(__dirname, "..", "..", "migrations"), join(image, "migrations"), { recursive: true });
        const admin = services.pool({ database: "postgres", max: 1 });
        await admin.query("DROP DATABASE IF EXISTS runner_image");
        await admin.query("CREATE DATABASE runner_image");
        await services.endPool(admin);
        const target = services.target("runner_image");
        const run = spawnSync(process.execPath, [join(image, "index.js")], {
            cwd: image,
            encoding: "utf8",
            env: {
                PATH: process.env.PATH,
                DB_HOST: target.host,
                DB_PORT: String(target.port),
                DB_NAME: "runner_image",
                DB_SSL: "disable",
                DB_MASTER_SECRET: JSON.stringify({ username: target.user, password: "unused-locally" }),
                DB_ROLES: "pbc_storefront",
                MIGRATIONS_DIR: join(image, "migrations"),
            },
        });
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, /"applied":\["001_orders.sql","002_inventory.sql","003_handler_roles.sql"\]/);
        assert.match(run.stdout, /"created":\["pbc_storefront"\]/);
    });

    it("refuses to start without the master secret and names what is missing", async () => {
        await assert.rejects(runMigrations({ DB_HOST: "127.0.0.1", DB_NAME: "x" }), /missing environment: DB_MASTER_SECRET/);
        await assert.rejects(runMigrations({ DB_HOST: "127.0.0.1", DB_NAME: "x", DB_MASTER_SECRET: "{}" }), /lacks username or password/);
    });
});
