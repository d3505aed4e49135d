import * as assert from "assert";
import { readProgram } from "../../engine/evaluate";
import { mockedIdentity, ofType, planOf, PlanJson, PlanResource, REPO_ROOT, resolveRef } from "../support/plan";

const EXPECTED = {
    staging: { min: 0, max: 4, readers: 0, backupDays: 7, production: false, backupRetention: 7, copy: false },
    production: { min: 0.5, max: 16, readers: 1, backupDays: 30, production: true, backupRetention: 35, copy: true },
} as const;

function homeKey(plan: PlanJson): PlanResource {
    return ofType(plan, "aws:kms/key:Key").find((k) => k.tier === "security" && k.inputs.region === undefined)!;
}

for (const [stack, expected] of Object.entries(EXPECTED)) {
    describe(`data tier databases (${stack})`, function () {
        let plan: PlanJson;
        let cluster: PlanResource;
        before(function () {
            this.timeout(60_000);
            plan = planOf(stack);
            [cluster] = ofType(plan, "aws:rds/cluster:Cluster");
        });

        it("runs Aurora PostgreSQL Serverless v2 in the data subnets with the configured capacity", () => {
            assert.strictEqual(ofType(plan, "aws:rds/cluster:Cluster").length, 1);
            const i = cluster.inputs;
            assert.deepStrictEqual([i.engine, i.engineMode, i.engineVersion], ["aurora-postgresql", "provisioned", "16.6"]);
            assert.deepStrictEqual(
                i.serverlessv2ScalingConfiguration,
                expected.min === 0
                    ? { minCapacity: 0, maxCapacity: expected.max, secondsUntilAutoPause: 600 }
                    : { minCapacity: expected.min, maxCapacity: expected.max },
            );
            const subnetGroup = ofType(plan, "aws:rds/subnetGroup:SubnetGroup")[0];
            const dataSubnets = ofType(plan, "aws:ec2/subnet:Subnet")
                .filter((s) => s.inputs.tags["retail:subnet-class"] === "data")
                .map((s) => s.name)
                .sort();
            assert.deepStrictEqual(subnetGroup.inputs.subnetIds.map((id: string) => resolveRef(plan, id).name).sort(), dataSubnets);
            assert.deepStrictEqual(
                i.vpcSecurityGroupIds.map((id: string) => resolveRef(plan, id).name),
                [`retail-platform-${stack}-data`],
            );
        });

        it("encrypts storage, the managed master secret and Performance Insights with the stack's key; IAM auth and forced SSL", () => {
            const i = cluster.inputs;
            const key = homeKey(plan).name;
            assert.strictEqual(i.storageEncrypted, true);
            assert.strictEqual(resolveRef(plan, i.kmsKeyId).name, key);
            assert.strictEqual(i.manageMasterUserPassword, true);
            assert.strictEqual(i.masterPassword, undefined, "no password in the program");
            assert.strictEqual(resolveRef(plan, i.masterUserSecretKmsKeyId).name, key);
            assert.strictEqual(i.iamDatabaseAuthenticationEnabled, true);
            const params = ofType(plan, "aws:rds/clusterParameterGroup:ClusterParameterGroup")[0];
            assert.strictEqual(params.inputs.family, "aurora-postgresql16");
            assert.deepStrictEqual(params.inputs.parameters, [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }]);
            assert.strictEqual(i.backupRetentionPeriod, expected.backupDays);
            assert.strictEqual(i.deletionProtection, expected.production);
            assert.strictEqual(i.skipFinalSnapshot, !expected.production);
            assert.strictEqual(i.finalSnapshotIdentifier, expected.production ? "retail-platform-production-aurora-final" : undefined);
        });

        it(`has a writer and ${expected.readers} reader(s), all db.serverless, none publicly accessible`, () => {
            const instances = ofType(plan, "aws:rds/clusterInstance:ClusterInstance");
            assert.strictEqual(instances.length, 1 + expected.readers);
            for (const inst of instances) {
                assert.strictEqual(inst.inputs.instanceClass, "db.serverless");
                assert.strictEqual(inst.inputs.publiclyAccessible, false);
                assert.strictEqual(inst.inputs.performanceInsightsEnabled, true);
                assert.strictEqual(resolveRef(plan, inst.inputs.performanceInsightsKmsKeyId).name, homeKey(plan).name);
            }
            assert.match(plan.outputs.database.writerEndpoint, /\.cluster-[0-9a-f]+\.eu-west-1\.rds\.amazonaws\.com$/);
            assert.match(plan.outputs.database.readerEndpoint, /\.cluster-ro-[0-9a-f]+\.eu-west-1\.rds\.amazonaws\.com$/);
        });

        it("exports PostgreSQL logs into an encrypted log group declared before the cluster", () => {
            assert.deepStrictEqual(cluster.inputs.enabledCloudwatchLogsExports, ["postgresql"]);
            const group = ofType(plan, "aws:cloudwatch/logGroup:LogGroup").find(
                (g) => g.inputs.name === `/aws/rds/cluster/retail-platform-${stack}-aurora/postgresql`,
            )!;
            assert.ok(group, "the log group RDS would otherwise create unencrypted");
            assert.strictEqual(resolveRef(plan, group.inputs.kmsKeyId).name, homeKey(plan).name);
            assert.ok(group.inputs.retentionInDays > 0);
            assert.ok(cluster.options!.dependsOn.includes(group.urn), "the cluster waits for its log group");
        });

        it("defines the migration runner as a one-off Fargate task that alone reads the master secret", () => {
            const [task] = ofType(plan, "aws:ecs/taskDefinition:TaskDefinition").filter((t) => t.name.endsWith("-migrations-task"));
            assert.deepStrictEqual(task.inputs.requiresCompatibilities, ["FARGATE"]);
            assert.strictEqual(task.inputs.networkMode, "awsvpc");
            // A run of a new revision starts once both roles' policies hold what it reads.
            const policies = ofType(plan, "aws:iam/rolePolicy:RolePolicy").filter((r) =>
                /-migrations-(execution|task)-policy$/.test(r.name),
            );
            assert.strictEqual(policies.length, 2);
            for (const policy of policies) assert.ok(task.options!.dependsOn.includes(policy.urn), policy.name);
            const [container] = JSON.parse(task.inputs.containerDefinitions);
            assert.strictEqual(container.readonlyRootFilesystem, true);
            assert.strictEqual(container.user, "1000:1000");
            // The image by the repository's name: the same reference as the repository's URL output.
            assert.strictEqual(container.image, `${plan.outputs.database.migrationRepositoryUrl}:v1`);
            const env = Object.fromEntries(container.environment.map((e: any) => [e.name, e.value]));
            const pbcs = Object.keys(JSON.parse(readProgram(REPO_ROOT, stack).config["retail-platform:pbcs"])).sort();
            assert.ok(pbcs.length >= 8);
            assert.deepStrictEqual(env.DB_ROLES.split(","), [
                ...pbcs.map((p) => `pbc_${p.replace(/-/g, "_")}`),
                "order_processor_lambda",
                "inventory_lambda",
            ]);
            // The writer endpoint and the master secret's ARN (both AWS-assigned) come from the data tier's parameters.
            const parameterArn = (role: string) =>
                `arn:aws:ssm:eu-west-1:123456789012:parameter/retail-platform-${stack}/runtime/data/${role}`;
            assert.deepStrictEqual(container.secrets, [
                { name: "DB_HOST", valueFrom: parameterArn("writer-endpoint") },
                { name: "DB_MASTER_SECRET_ARN", valueFrom: parameterArn("master-secret-arn") },
            ]);
            const parameterValue = (role: string) =>
                ofType(plan, "aws:ssm/parameter:Parameter").find((p) => p.inputs.name === `/retail-platform-${stack}/runtime/data/${role}`)!
                    .inputs.insecureValue;
            assert.strictEqual(parameterValue("writer-endpoint"), plan.outputs.database.writerEndpoint);
            assert.match(parameterValue("master-secret-arn"), /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-/);
            assert.ok(!JSON.stringify(container.environment).includes("secret:rds!"), "no secret reference in plain environment");

            // The execution role reads exactly those two parameters, and no secret.
            const policyOf = (roleArn: string) =>
                ofType(plan, "aws:iam/rolePolicy:RolePolicy").find(
                    (p) => resolveRef(plan, p.inputs.role).name === resolveRef(plan, roleArn).name,
                )!;
            const execution = policyOf(task.inputs.executionRoleArn);
            const executionStatements = JSON.parse(execution.inputs.policy).Statement;
            assert.deepStrictEqual(executionStatements.find((s: any) => s.Sid === "ReadRuntimeParameters").Resource, [
                parameterArn("master-secret-arn"),
                parameterArn("writer-endpoint"),
            ]);
            assert.ok(!execution.inputs.policy.includes("secretsmanager:GetSecretValue"));

            // The task role reads the secret RDS tagged with this cluster's ARN, whatever id AWS gives it.
            const taskPolicy = policyOf(task.inputs.taskRoleArn);
            const read = JSON.parse(taskPolicy.inputs.policy).Statement.find((s: any) => s.Sid === "ReadOwnClusterMasterSecret");
            assert.deepStrictEqual(read, {
                Sid: "ReadOwnClusterMasterSecret",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-*",
                Condition: {
                    StringEquals: {
                        "secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn": `arn:aws:rds:eu-west-1:123456789012:cluster:retail-platform-${stack}-aurora`,
                        "secretsmanager:ResourceTag/aws:secretsmanager:owningService": "rds",
                    },
                },
            });
            assert.strictEqual(
                read.Condition.StringEquals["secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn"],
                mockedIdentity(plan, cluster).arn,
            );
            // Only the runner's task role may read an RDS-managed secret.
            const readers = ofType(plan, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.policy.includes("secret:rds!"));
            assert.deepStrictEqual(
                readers.map((p) => p.name),
                [taskPolicy.name],
            );
        });

        it("runs ElastiCache Serverless (Valkey) in the data subnets with the data group and the stack's key", () => {
            const [cache] = ofType(plan, "aws:elasticache/serverlessCache:ServerlessCache");
            assert.deepStrictEqual([cache.inputs.engine, cache.inputs.majorEngineVersion], ["valkey", "8"]);
            assert.strictEqual(resolveRef(plan, cache.inputs.kmsKeyId).name, homeKey(plan).name);
            assert.deepStrictEqual(
                cache.inputs.securityGroupIds.map((id: string) => resolveRef(plan, id).name),
                [`retail-platform-${stack}-data`],
            );
            assert.strictEqual(cache.inputs.subnetIds.length, 3);
            assert.ok(cache.inputs.subnetIds.every((id: string) => resolveRef(plan, id).inputs.tags["retail:subnet-class"] === "data"));
            assert.strictEqual(cache.inputs.snapshotRetentionLimit, stack === "production" ? 7 : 1);
        });

        it("declares the cart, feature-flags and asset-index tables: on demand, PITR, the stack's key", () => {
            const tables = Object.fromEntries(
                ofType(plan, "aws:dynamodb/table:Table").map((t) => [t.name.replace(`retail-platform-${stack}-`, ""), t]),
            );
            assert.deepStrictEqual(Object.keys(tables).sort(), ["asset-index", "cart", "feature-flags"]);
            assert.deepStrictEqual([tables["asset-index"].inputs.hashKey, tables["asset-index"].inputs.rangeKey], ["sku", "s3Key"]);
            assert.deepStrictEqual(tables.cart.inputs.ttl, { attributeName: "expiresAt", enabled: true });
            for (const t of Object.values(tables)) {
                assert.strictEqual(t.inputs.billingMode, "PAY_PER_REQUEST");
                assert.deepStrictEqual(t.inputs.pointInTimeRecovery, { enabled: true });
                assert.strictEqual(t.inputs.serverSideEncryption.enabled, true);
                assert.strictEqual(resolveRef(plan, t.inputs.serverSideEncryption.kmsKeyArn).name, homeKey(plan).name);
                assert.strictEqual(t.inputs.deletionProtectionEnabled, expected.production);
            }
        });

        it(`backs up Aurora and the tables daily${expected.copy ? ", copying to the replica region's vault" : ""}`, () => {
            const [vault] = ofType(plan, "aws:backup/vault:Vault").filter((v) => v.inputs.region === undefined);
            assert.strictEqual(resolveRef(plan, vault.inputs.kmsKeyArn).name, homeKey(plan).name);
            const [backupPlan] = ofType(plan, "aws:backup/plan:Plan");
            const rule = backupPlan.inputs.rules[0];
            assert.strictEqual(rule.schedule, "cron(30 5 * * ? *)", "after Aurora's backup window and clear of maintenance");
            assert.deepStrictEqual(rule.lifecycle, { deleteAfter: expected.backupRetention });
            const [selection] = ofType(plan, "aws:backup/selection:Selection");
            assert.deepStrictEqual(selection.inputs.resources.map((arn: string) => resolveRef(plan, arn).type).sort(), [
                "aws:dynamodb/table:Table",
                "aws:dynamodb/table:Table",
                "aws:dynamodb/table:Table",
                "aws:rds/cluster:Cluster",
            ]);
            if (expected.copy) {
                const copyVault = resolveRef(plan, rule.copyActions[0].destinationVaultArn);
                assert.strictEqual(copyVault.inputs.region, "eu-central-1");
                assert.strictEqual(resolveRef(plan, copyVault.inputs.kmsKeyArn).inputs.region, "eu-central-1");
                assert.deepStrictEqual(rule.copyActions[0].lifecycle, { deleteAfter: expected.backupRetention });
                // Production manages the account singleton that DynamoDB copies need.
                const [settings] = ofType(plan, "aws:backup/regionSettings:RegionSettings");
                assert.deepStrictEqual(settings.inputs.resourceTypeManagementPreference, { DynamoDB: true });
            } else {
                assert.strictEqual(rule.copyActions, undefined);
                assert.deepStrictEqual(
                    ofType(plan, "aws:backup/regionSettings:RegionSettings"),
                    [],
                    "staging does not own account singletons",
                );
            }
        });
    });
}
