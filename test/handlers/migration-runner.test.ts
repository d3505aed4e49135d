import { strict as assert } from "assert";
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
                assert.deepEqual(roles.rows.map((r) => r.rolname), ["pbc_cart", "pbc_order"]);
            } finally {
                await services.endPool(db);
            }
        } finally {
            await services.endPool(admin);
        }
    });

    it("refuses to start without the master secret and names what is missing", async () => {
        await assert.rejects(runMigrations({ DB_HOST: "127.0.0.1", DB_NAME: "x" }), /missing environment: DB_MASTER_SECRET/);
        await assert.rejects(runMigrations({ DB_HOST: "127.0.0.1", DB_NAME: "x", DB_MASTER_SECRET: "{}" }), /lacks username or password/);
    });
});
