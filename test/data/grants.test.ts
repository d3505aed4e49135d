import * as assert from "assert";
import { REDIS_ENV } from "../../handlers/lib/env";
import { validateStackConfig } from "../../config/load";
import { readProgram } from "../../engine/evaluate";
import { containerEnvironment, ofType, planOf, PlanJson, REPO_ROOT, taskRoleStatements } from "../support/plan";

const policyStatements = (plan: PlanJson, pbc: string, policy: "task-policy" | "task-ids-policy") =>
    taskRoleStatements(plan, pbc, [policy]);
const taskStatements = (plan: PlanJson, pbc: string) => taskRoleStatements(plan, pbc);

for (const stack of ["staging", "production"]) {
    describe(`PBC data grants (${stack})`, function () {
        let plan: PlanJson;
        before(function () {
            this.timeout(60_000);
            plan = planOf(stack);
        });

        it("lets the order PBC put and get customers/*/orders/* in the invoices bucket, use the key through S3, connect as pbc_order and publish events — nothing else", () => {
            const statements = taskStatements(plan, "order");
            assert.deepStrictEqual(
                statements.map((s) => s.Action),
                ["rds-db:connect", "events:PutEvents", ["s3:GetObject", "s3:PutObject"], ["kms:Decrypt", "kms:GenerateDataKey"]],
            );
            assert.match(statements[0].Resource, /:dbuser:cluster-[A-Z0-9]+\/pbc_order$/);
            assert.strictEqual(statements[1].Resource, `arn:aws:events:eu-west-1:123456789012:event-bus/RetailEventBus-${stack}`);
            assert.deepStrictEqual(statements[2].Resource, [
                `arn:aws:s3:::retail-platform-${stack}-invoices-123456789012/customers/*/orders/*`,
            ]);
            assert.deepStrictEqual(statements[3].Resource, "arn:aws:kms:eu-west-1:123456789012:key/*");
            assert.deepStrictEqual(statements[3].Condition, {
                "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/retail-platform-${stack}` },
                StringEquals: { "kms:ViaService": ["s3.eu-west-1.amazonaws.com"] },
            });
        });

        it("orders every grant that names a key by alias after that alias", () => {
            // kms:ResourceAliases authorizes only once the alias exists: the policy must not be written before it.
            let grants = 0;
            for (const policy of ofType(plan, "aws:iam/rolePolicy:RolePolicy")) {
                for (const st of JSON.parse(policy.inputs.policy).Statement) {
                    const alias = st.Condition?.["ForAnyValue:StringEquals"]?.["kms:ResourceAliases"];
                    if (!alias) continue;
                    grants++;
                    const region = st.Resource.split(":")[3];
                    const aliasResource = ofType(plan, "aws:kms/alias:Alias").find(
                        (r) => r.inputs.name === alias && (r.inputs.region ?? "eu-west-1") === region,
                    )!;
                    assert.ok(aliasResource, `${policy.name}: no alias ${alias} in ${region}`);
                    assert.ok(policy.propertyDependencies!.policy.includes(aliasResource.urn), `${policy.name} waits for ${alias}`);
                }
            }
            assert.ok(grants >= 20, `${grants} alias-scoped grants`);
        });

        it("keeps the grants that name an AWS-assigned id (the cluster's resource id) out of the main task policy", () => {
            // The main policy must be whole on a stack's first preview; the connect grant alone waits for the cluster.
            const pbcs = JSON.parse(readProgram(REPO_ROOT, stack).config["retail-platform:pbcs"]);
            for (const name of Object.keys(pbcs)) {
                const main = policyStatements(plan, name, "task-policy");
                assert.ok(!main.some((s) => s.Action === "rds-db:connect"), name);
                for (const s of policyStatements(plan, name, "task-ids-policy"))
                    assert.ok(["rds-db:connect"].includes(s.Action) || s.Sid === "ShopperPoolAdmin", `${name}: ${JSON.stringify(s)}`);
            }
            const ids = ofType(plan, "aws:iam/rolePolicy:RolePolicy").find(
                (p) => p.name === `retail-platform-${stack}-order-task-ids-policy`,
            )!;
            const main = ofType(plan, "aws:iam/rolePolicy:RolePolicy").find(
                (p) => p.name === `retail-platform-${stack}-order-task-policy`,
            )!;
            assert.ok(main.options!.dependsOn.includes(ids.urn), "the ids policy exists before the main policy changes");
        });

        it("tells each PBC where what it was granted lives", () => {
            const envOf = (pbc: string) => {
                const task = ofType(plan, "aws:ecs/taskDefinition:TaskDefinition").find(
                    (t) => t.name === `retail-platform-${stack}-${pbc}-task`,
                )!;
                return containerEnvironment(plan, task);
            };
            const order = envOf("order");
            assert.strictEqual(order.DB_USER, "pbc_order");
            assert.strictEqual(order.DB_AUTH, "iam");
            assert.strictEqual(order.DB_HOST, plan.outputs.database.writerEndpoint);
            assert.strictEqual(order.DB_READER_HOST, plan.outputs.database.readerEndpoint);
            assert.strictEqual(order.INVOICES_BUCKET, `retail-platform-${stack}-invoices-123456789012`);
            assert.strictEqual(order.EVENT_BUS_NAME, `RetailEventBus-${stack}`);
            assert.strictEqual(order.REDIS_HOST, undefined, "no cache declared, no cache endpoint");
            assert.strictEqual(envOf("cart").CART_TABLE, `retail-platform-${stack}-cart`);
            // Catalogue caches products under the key the inventory handler evicts.
            const catalogue = envOf("catalogue");
            const inventoryHandler = ofType(plan, "aws:lambda/function:Function").find(
                (f) => f.name === `retail-platform-${stack}-inventory-function`,
            )!;
            assert.strictEqual(catalogue.REDIS_HOST, plan.outputs.cacheEndpoint);
            // The PBC reaches the cache as the handlers do: the same variables, the same values.
            for (const k of Object.values(REDIS_ENV)) assert.strictEqual(catalogue[k], inventoryHandler.inputs.environment.variables[k], k);
            assert.strictEqual(
                catalogue.PRODUCT_CACHE_KEY_TEMPLATE,
                inventoryHandler.inputs.environment.variables.PRODUCT_CACHE_KEY_TEMPLATE,
            );
        });

        it("lets the cart PBC read and write the cart table (and read flags) without a database role", () => {
            const statements = taskStatements(plan, "cart");
            const cart = statements.find((s) => s.Sid === "Tablecart");
            assert.deepStrictEqual(cart.Action, [
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:ConditionCheckItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem",
            ]);
            assert.deepStrictEqual(cart.Resource, [
                `arn:aws:dynamodb:eu-west-1:123456789012:table/retail-platform-${stack}-cart`,
                `arn:aws:dynamodb:eu-west-1:123456789012:table/retail-platform-${stack}-cart/index/*`,
            ]);
            assert.deepStrictEqual(statements.find((s) => s.Sid === "TablefeatureFlags").Action, [
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:ConditionCheckItem",
            ]);
            assert.ok(!statements.some((s) => s.Action === "rds-db:connect"));
        });

        it("gives no PBC a database connection it did not declare", () => {
            const pbcs = JSON.parse(readProgram(REPO_ROOT, stack).config["retail-platform:pbcs"]);
            for (const [name, settings] of Object.entries<any>(pbcs)) {
                const connects = taskStatements(plan, name).filter((s) => s.Action === "rds-db:connect");
                assert.strictEqual(connects.length, settings.dataAccess?.database ? 1 : 0, name);
                for (const c of connects)
                    assert.ok(c.Resource.endsWith(`/pbc_${name.replace(/-/g, "_")}`), `${name} connects only as its own role`);
            }
        });
    });
}

describe("PBC dataAccess validation", () => {
    it("names unknown tables, bad key patterns and access levels", () => {
        const raw = readProgram(REPO_ROOT, "staging").config;
        const pbcs = JSON.parse(raw["retail-platform:pbcs"]);
        pbcs.order.dataAccess = {
            database: "yes",
            tables: { carts: "read" },
            buckets: { invoices: { prefixes: ["/customers/*"], access: "rw" } },
        };
        let problems: string[] = [];
        try {
            validateStackConfig({ ...raw, "retail-platform:pbcs": JSON.stringify(pbcs) }, "retail-platform", "staging");
        } catch (err: any) {
            problems = err.problems;
        }
        assert.deepStrictEqual(problems.map((p) => p.split(":")[0]).sort(), [
            "pbcs.order.dataAccess.buckets.invoices.access",
            "pbcs.order.dataAccess.buckets.invoices.prefixes.0",
            "pbcs.order.dataAccess.database",
            "pbcs.order.dataAccess.tables",
        ]);
    });
});
