import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { strict as assert } from "assert";
import { spawn } from "child_process";
import { cpSync, mkdtempSync } from "fs";
import { createServer, IncomingMessage } from "http";
import { AddressInfo } from "net";
import { tmpdir } from "os";
import { join } from "path";
import { mockClient } from "aws-sdk-client-mock";
import { bundleMigrationRunner } from "../../components/handlerBundle";
import { runMigrations, secretsManagerReader } from "../../handlers/migration-runner";
import { ensureIamRoles, pbcDatabaseRole } from "../../handlers/migration-runner/roles";
import { getServices, type TestServices } from "../support/services";

const MASTER_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-AbCdEf";

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
            DB_MASTER_SECRET_ARN: MASTER_SECRET_ARN,
            DB_ROLES: "pbc_cart, pbc_order",
        };
        const read: string[] = [];
        const readSecret = async (arn: string) => {
            read.push(arn);
            return JSON.stringify({ username: target.user, password: "unused-locally" });
        };
        try {
            await runMigrations(env, readSecret);
            await runMigrations(env, readSecret); // a second run changes nothing
            assert.deepEqual(read, [MASTER_SECRET_ARN, MASTER_SECRET_ARN], "the secret is read by the ARN it was given, once per run");
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

    it("reads the master secret with GetSecretValue by its ARN", async () => {
        const sm = mockClient(SecretsManagerClient);
        try {
            sm.on(GetSecretValueCommand, { SecretId: MASTER_SECRET_ARN }).resolves({ SecretString: '{"username":"u","password":"p"}' });
            const client = new SecretsManagerClient({ region: "eu-west-1" });
            assert.equal(await secretsManagerReader(client)(MASTER_SECRET_ARN), '{"username":"u","password":"p"}');
            sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1]) });
            await assert.rejects(
                secretsManagerReader(client)("arn:aws:secretsmanager:eu-west-1:1:secret:other-AbCdEf"),
                /has no string value/,
            );
        } finally {
            sm.restore();
        }
    });

    it("runs as the image runs it: the bundle alone, migrations copied beside it, the secret from Secrets Manager", async function () {
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
        // Secrets Manager's JSON protocol on 127.0.0.1: the bundled SDK client, its endpoint from the service's
        // AWS_ENDPOINT_URL_SECRETS_MANAGER variable, asks for the secret by the ARN ECS injected.
        const requests: { target?: string; body: any }[] = [];
        const secretsManager = createServer((req: IncomingMessage, res) => {
            let body = "";
            req.on("data", (chunk) => (body += chunk));
            req.on("end", () => {
                requests.push({ target: req.headers["x-amz-target"] as string | undefined, body: JSON.parse(body || "{}") });
                res.setHeader("content-type", "application/x-amz-json-1.1");
                res.end(
                    JSON.stringify({
                        ARN: MASTER_SECRET_ARN,
                        SecretString: JSON.stringify({ username: target.user, password: "unused-locally" }),
                    }),
                );
            });
        });
        await new Promise<void>((resolve) => secretsManager.listen(0, "127.0.0.1", resolve));
        try {
            const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
                const child = spawn(process.execPath, [join(image, "index.js")], {
                    cwd: image,
                    env: {
                        PATH: process.env.PATH,
                        DB_HOST: target.host,
                        DB_PORT: String(target.port),
                        DB_NAME: "runner_image",
                        DB_SSL: "disable",
                        DB_MASTER_SECRET_ARN: MASTER_SECRET_ARN,
                        DB_ROLES: "pbc_storefront",
                        MIGRATIONS_DIR: join(image, "migrations"),
                        AWS_REGION: "eu-west-1",
                        AWS_ACCESS_KEY_ID: "AKIDLOCALTESTONLY",
                        AWS_SECRET_ACCESS_KEY: "local-test-only",
                        AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(secretsManager.address() as AddressInfo).port}`,
                    },
                });
                let stdout = "";
                let stderr = "";
                child.stdout.on("data", (d) => (stdout += d));
                child.stderr.on("data", (d) => (stderr += d));
                child.on("error", reject);
                child.on("close", (status) => resolve({ status, stdout, stderr }));
            });
            assert.equal(run.status, 0, run.stderr);
            assert.match(run.stdout, /"applied":\["001_orders.sql","002_inventory.sql","003_handler_roles.sql"\]/);
            assert.match(run.stdout, /"created":\["pbc_storefront"\]/);
            assert.deepEqual(requests, [{ target: "secretsmanager.GetSecretValue", body: { SecretId: MASTER_SECRET_ARN } }]);
        } finally {
            await new Promise((resolve) => secretsManager.close(resolve));
        }
    });

    it("refuses to start without the master secret and names what is missing", async () => {
        const never = async (): Promise<string> => assert.fail("no secret is read when the environment is incomplete");
        await assert.rejects(runMigrations({ DB_HOST: "127.0.0.1", DB_NAME: "x" }, never), /missing environment: DB_MASTER_SECRET_ARN/);
        const env = { DB_HOST: "127.0.0.1", DB_NAME: "x", DB_MASTER_SECRET_ARN: MASTER_SECRET_ARN };
        await assert.rejects(
            runMigrations(env, async () => "{}"),
            /lacks username or password/,
        );
        await assert.rejects(
            runMigrations(env, async () => "not json"),
            /must hold JSON/,
        );
    });
});
