import * as assert from "assert";
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { ATHENA_MIN_CUTOFF_BYTES } from "../../config/analytics";
import { validateStackConfig } from "../../config/load";
import { readProgram } from "../../engine/evaluate";
import { dashboardDimensions } from "../../components/operationsDashboard";
import { REDSHIFT_CONFIG_PARAMETERS } from "../../components/redshiftWarehouse";
import { CURATED_SCHEMA_FILE, curatedSchema, ETL_DIR, ETL_SCRIPT, NAMED_QUERIES } from "../../stacks/analyticsQueries";
import { CLICKSTREAM_COLUMNS, CLICKSTREAM_PARTITION_KEY, CLICKSTREAM_TABLE } from "../../stacks/clickstreamTable";
import { grantedKey, mockedIdentity, mockedState, ofType, planOf, PlanJson, PlanResource, REPO_ROOT, resolveRef } from "../support/plan";

const DOMAINS = ["orders", "inventory", "products"];

function statementsOf(plan: PlanJson, role: PlanResource): any[] {
    return ofType(plan, "aws:iam/rolePolicy:RolePolicy")
        .filter((p) => resolveRef(plan, p.inputs.role).name === role.name)
        .flatMap((p) => JSON.parse(p.inputs.policy).Statement);
}

/** `arn:…:log-group:*`-style glob match, as ArnLike evaluates it. */
function arnLike(pattern: string, value: string): boolean {
    return new RegExp(
        `^${pattern
            .split("*")
            .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
            .join(".*")}$`,
    ).test(value);
}

/** Table aliases and the columns a query names, read from its SQL (every column reference is alias-qualified). */
function columnReferences(sql: string): {
    tables: string[];
    refs: { alias: string; column: string }[];
    aliases: Map<string, string>;
    derived: Map<string, Set<string>>;
} {
    const aliases = new Map<string, string>();
    const tables: string[] = [];
    for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)\s+([a-z])\b/gi)) {
        tables.push(m[1]);
        aliases.set(m[2], m[1]);
    }
    // Sub-queries: `( … ) b` exposes the names its SELECT defines with AS.
    const derived = new Map<string, Set<string>>();
    for (const m of sql.matchAll(/\(\s*SELECT([\s\S]*?)\)\s+([a-z])\s+ON\b/gi)) {
        derived.set(m[2], new Set([...m[1].matchAll(/\bAS\s+([a-z_][a-z0-9_]*)/gi)].map((x) => x[1])));
    }
    const refs = [...sql.matchAll(/\b([a-z])\.([a-z_][a-z0-9_]*)\b/gi)].map((m) => ({ alias: m[1], column: m[2] }));
    return { tables, refs, aliases, derived };
}

describe("analytics: named queries", () => {
    const schema = curatedSchema();
    const declared: Record<string, Set<string>> = {
        [CLICKSTREAM_TABLE]: new Set([...CLICKSTREAM_COLUMNS.map((c) => c.name), CLICKSTREAM_PARTITION_KEY.name]),
        ...Object.fromEntries(Object.entries(schema).map(([d, s]) => [`curated_${d}`, new Set([...s.columns.map((c) => c.name), "dt"])])),
    };
    for (const q of NAMED_QUERIES) {
        it(`${q.id}: names only declared tables and columns`, () => {
            const { tables, refs, aliases, derived } = columnReferences(q.sql);
            assert.ok(tables.length > 0);
            for (const t of tables) assert.ok(declared[t], `${q.id}: table ${t} is not declared`);
            assert.deepStrictEqual(
                [...new Set(tables)].sort(),
                [...q.tables].sort(),
                "the query's declared table list is the tables it reads",
            );
            assert.ok(refs.length > 0);
            for (const { alias, column } of refs) {
                const table = aliases.get(alias);
                if (table) assert.ok(declared[table].has(column), `${q.id}: ${table}.${column} is not a declared column`);
                else
                    assert.ok(
                        derived.get(alias)?.has(column),
                        `${q.id}: ${alias}.${column} names neither a table alias nor a sub-query column`,
                    );
            }
        });
    }
    it("the reference check fails on an undeclared column", () => {
        const { refs, aliases } = columnReferences("SELECT o.shipping_country FROM curated_orders o");
        assert.ok(refs.some((r) => !declared[aliases.get(r.alias)!].has(r.column)));
    });
});

describe("analytics: the ETL script", () => {
    it("passes its Python unit tests (the pure transform on sample records)", function () {
        this.timeout(60_000);
        const out = execFileSync("python3", ["-B", "-m", "unittest", "-v", "test_curated_etl"], {
            cwd: ETL_DIR,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
        void out;
    });
    it("compiles, imports without PySpark, and gives every source a transformation_ctx", function () {
        this.timeout(60_000);
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), "pycache-"));
        execFileSync("python3", ["-m", "py_compile", ETL_SCRIPT], { stdio: "pipe", env: { ...process.env, PYTHONPYCACHEPREFIX: cache } });
        execFileSync("python3", ["-B", "-c", "import curated_etl"], { cwd: ETL_DIR, stdio: "pipe" });
        const source = fs.readFileSync(ETL_SCRIPT, "utf8");
        const reads = [...source.matchAll(/create_dynamic_frame\.from_\w+\(([\s\S]*?)\n\s*\)/g)];
        assert.ok(reads.length > 0);
        for (const r of reads) assert.match(r[1], /transformation_ctx=/);
        assert.match(source, /job\.commit\(\)/, "bookmarks advance only on commit");
    });
});

for (const stack of ["staging", "production"]) {
    describe(`analytics tier (${stack})`, function () {
        let plan: PlanJson;
        const prefix = `retail-platform-${stack}`;
        const cfg = validateStackConfig(readProgram(REPO_ROOT, stack).config, "retail-platform", stack);
        const one = (type: string, filter: (r: PlanResource) => boolean = () => true) => {
            const found = ofType(plan, type).filter(filter);
            assert.strictEqual(found.length, 1, `one ${type}`);
            return found[0];
        };
        const homeKey = () => ofType(plan, "aws:kms/key:Key").find((k) => k.tier === "security" && k.inputs.region === undefined)!;
        const lake = () => one("aws:s3/bucket:Bucket", (b) => b.name === `${prefix}-data-lake-bucket`);
        before(function () {
            this.timeout(120_000);
            plan = planOf(stack);
        });

        it("encrypts everything Glue writes with the stack key, and pre-creates the log groups that implies", () => {
            const sc = one("aws:glue/securityConfiguration:SecurityConfiguration");
            const e = sc.inputs.encryptionConfiguration;
            assert.strictEqual(e.s3Encryption.s3EncryptionMode, "SSE-KMS");
            assert.strictEqual(e.cloudwatchEncryption.cloudwatchEncryptionMode, "SSE-KMS");
            assert.strictEqual(e.jobBookmarksEncryption.jobBookmarksEncryptionMode, "CSE-KMS");
            for (const k of [e.s3Encryption.kmsKeyArn, e.cloudwatchEncryption.kmsKeyArn, e.jobBookmarksEncryption.kmsKeyArn])
                assert.strictEqual(resolveRef(plan, k).name, homeKey().name);
            const crawlerRole = one("aws:iam/role:Role", (r) => r.name === `${prefix}-glue-crawler`);
            const groups = ofType(plan, "aws:cloudwatch/logGroup:LogGroup");
            const crawlerGroup = groups.find(
                (g) => g.inputs.name === `/aws-glue/crawlers-role/${crawlerRole.inputs.name}-${sc.inputs.name}`,
            );
            assert.ok(crawlerGroup, "the crawlers' encrypted log group");
            const job = one("aws:glue/job:Job");
            const logPrefix = job.inputs.defaultArguments["--custom-logGroup-prefix"];
            for (const g of [
                crawlerGroup!,
                ...["error", "output"].map((s) => groups.find((x) => x.inputs.name === `${logPrefix}/${s}`)!),
            ]) {
                assert.ok(g, "pre-created");
                assert.strictEqual(g.inputs.retentionInDays, cfg.logRetentionDays);
                assert.strictEqual(resolveRef(plan, g.inputs.kmsKeyId).name, homeKey().name);
            }
            // Glue associates the key with its log groups as the role; the key policy's logs statement covers them.
            for (const role of [crawlerRole, one("aws:iam/role:Role", (r) => r.name === `${prefix}-glue-etl`)]) {
                const associate = statementsOf(plan, role).find((s) => [s.Action].flat().includes("logs:AssociateKmsKey"));
                assert.strictEqual(associate?.Resource, "arn:aws:logs:eu-west-1:123456789012:log-group:/aws-glue/*");
            }
            const keyPolicy = ofType(plan, "aws:kms/keyPolicy:KeyPolicy").find(
                (p) => resolveRef(plan, p.inputs.keyId).name === homeKey().name,
            )!;
            const logs = JSON.parse(keyPolicy.inputs.policy).Statement.find((s: any) => s.Sid === "CloudWatchLogsOfThisAccount");
            for (const g of [crawlerGroup!.inputs.name, `${logPrefix}/error`]) {
                assert.ok(
                    arnLike(
                        logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"],
                        `arn:aws:logs:eu-west-1:123456789012:log-group:${g}`,
                    ),
                    g,
                );
            }
            // No AWS-managed policy (AWSGlueServiceRole's wildcards) on any analytics role.
            assert.strictEqual(
                ofType(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.tier === "analytics").length,
                0,
            );
        });

        it("encrypts the Data Catalog only in the stack that manages account singletons, with a dedicated protected key", () => {
            const settings = ofType(plan, "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings");
            if (cfg.accountSingletons !== "managed") {
                assert.strictEqual(settings.length, 0);
                return;
            }
            const s = settings[0].inputs.dataCatalogEncryptionSettings;
            assert.strictEqual(s.encryptionAtRest.catalogEncryptionMode, "SSE-KMS-WITH-SERVICE-ROLE");
            const catalogKey = resolveRef(plan, s.encryptionAtRest.sseAwsKmsKeyId);
            assert.notStrictEqual(catalogKey.tier, "security", "not a stack key");
            assert.strictEqual(catalogKey.name, `${prefix}-catalog-key`);
            assert.strictEqual(catalogKey.inputs.enableKeyRotation, true);
            assert.strictEqual(catalogKey.options!.protect, true);
            assert.strictEqual(s.connectionPasswordEncryption.returnConnectionPasswordEncrypted, true);
            assert.strictEqual(resolveRef(plan, s.connectionPasswordEncryption.awsKmsKeyId).name, catalogKey.name);
            const role = resolveRef(plan, s.encryptionAtRest.catalogEncryptionServiceRole);
            const [use] = statementsOf(plan, role);
            assert.deepStrictEqual([...use.Action].sort(), ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]);
            assert.strictEqual(grantedKey(plan, use).name, catalogKey.name);
        });

        it("crawls exactly the configured raw domains, never the clickstream", () => {
            const crawlers = ofType(plan, "aws:glue/crawler:Crawler");
            assert.deepStrictEqual(crawlers.map((c) => c.inputs.name).sort(), DOMAINS.map((d) => `${prefix}-raw-${d}`).sort());
            const sc = one("aws:glue/securityConfiguration:SecurityConfiguration");
            for (const c of crawlers) {
                const domain = c.inputs.name.replace(`${prefix}-raw-`, "");
                assert.deepStrictEqual(
                    c.inputs.s3Targets.map((t: any) => t.path),
                    [`s3://${lake().inputs.bucket}/raw/${domain}/`],
                );
                assert.strictEqual(c.inputs.securityConfiguration, sc.inputs.name);
                assert.deepStrictEqual(c.inputs.recrawlPolicy, { recrawlBehavior: "CRAWL_NEW_FOLDERS_ONLY" });
                assert.deepStrictEqual(c.inputs.schemaChangePolicy, { updateBehavior: "LOG", deleteBehavior: "LOG" });
                const conf = JSON.parse(c.inputs.configuration);
                assert.strictEqual(conf.Grouping.TableGroupingPolicy, "CombineCompatibleSchemas");
                assert.strictEqual(conf.CrawlerOutput.Partitions.AddOrUpdateBehavior, "InheritFromTable");
                assert.strictEqual(c.inputs.databaseName, `retail_platform_${stack}`);
            }
        });

        it("declares the curated tables from the schema mapping: Parquet, partition dt, projection", () => {
            const schema = curatedSchema();
            const tables = ofType(plan, "aws:glue/catalogTable:CatalogTable").filter((t) => t.tier === "analytics");
            assert.deepStrictEqual(tables.map((t) => t.inputs.name).sort(), DOMAINS.map((d) => `curated_${d}`).sort());
            for (const t of tables) {
                const domain = t.inputs.name.replace("curated_", "");
                const sd = t.inputs.storageDescriptor;
                assert.strictEqual(sd.location, `s3://${lake().inputs.bucket}/curated/${domain}/`);
                assert.strictEqual(sd.serDeInfo.serializationLibrary, "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
                assert.deepStrictEqual(
                    sd.columns.map((c: any) => [c.name, c.type]),
                    schema[domain].columns.map((c) => [c.name, c.type]),
                );
                assert.deepStrictEqual(
                    t.inputs.partitionKeys.map((k: any) => k.name),
                    ["dt"],
                );
                assert.strictEqual(t.inputs.parameters["projection.enabled"], "true");
                assert.strictEqual(t.inputs.parameters["projection.dt.type"], "date");
                assert.strictEqual(t.inputs.parameters["projection.dt.format"], "yyyy-MM-dd");
            }
        });

        it("runs the daily Glue 5.0 ETL from the content-hashed script with bookmarks, metrics and the security configuration", () => {
            const job = one("aws:glue/job:Job");
            const a = cfg.analytics.etl;
            assert.strictEqual(job.inputs.glueVersion, "5.0");
            assert.strictEqual(job.inputs.workerType, "G.1X");
            assert.strictEqual(job.inputs.numberOfWorkers, a.workers);
            assert.ok(job.inputs.numberOfWorkers >= 2);
            assert.strictEqual(job.inputs.timeout, a.timeoutMinutes);
            assert.strictEqual(job.inputs.maxRetries, a.maxRetries);
            assert.strictEqual(job.inputs.securityConfiguration, one("aws:glue/securityConfiguration:SecurityConfiguration").inputs.name);
            const args = job.inputs.defaultArguments;
            assert.strictEqual(args["--job-bookmark-option"], "job-bookmark-enable");
            assert.strictEqual(args["--enable-metrics"], "true");
            assert.strictEqual(args["--TempDir"], `s3://${lake().inputs.bucket}/glue-temp/`);
            const digest = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex").slice(0, 16);
            assert.strictEqual(
                job.inputs.command.scriptLocation,
                `s3://${lake().inputs.bucket}/glue-assets/etl/curated_etl-${digest(ETL_SCRIPT)}.py`,
            );
            assert.ok(args["--extra-files"].endsWith(`curated_schema-${digest(CURATED_SCHEMA_FILE)}.json`));
            const script = one("aws:s3/bucketObjectv2:BucketObjectv2", (o) => o.inputs.key.startsWith("glue-assets/etl/curated_etl-"));
            assert.strictEqual(script.inputs.serverSideEncryption, "aws:kms");
            assert.ok(job.options!.dependsOn.includes(script.urn), "the job waits for its script");
            const trigger = one("aws:glue/trigger:Trigger");
            assert.strictEqual(trigger.inputs.type, "SCHEDULED");
            assert.strictEqual(trigger.inputs.schedule, a.schedule);
            assert.deepStrictEqual(
                trigger.inputs.actions.map((x: any) => x.jobName),
                [job.inputs.name],
            );
            // The role reads raw, writes curated and registers partitions of the curated tables only.
            const stmts = statementsOf(plan, resolveRef(plan, job.inputs.roleArn));
            const register = stmts.find((s) => s.Sid === "RegisterCuratedPartitions");
            assert.ok(register.Action.includes("glue:BatchCreatePartition"));
            assert.ok(
                register.Resource.every((r: string) => !r.endsWith("/*")),
                "named tables, no wildcard",
            );
            for (const s of stmts) assert.ok(![s.Action].flat().includes("*"), "no wildcard action");
        });

        it("sends Glue job failures to the operations topic through its one topic policy", () => {
            const rule = one("aws:cloudwatch/eventRule:EventRule", (r) => r.name === `${prefix}-glue-job-failed`);
            const pattern = JSON.parse(rule.inputs.eventPattern);
            assert.deepStrictEqual(pattern, {
                source: ["aws.glue"],
                "detail-type": ["Glue Job State Change"],
                detail: { jobName: [one("aws:glue/job:Job").inputs.name], state: ["FAILED", "TIMEOUT"] },
            });
            const target = one("aws:cloudwatch/eventTarget:EventTarget", (t) => t.tier === "analytics");
            const topic = resolveRef(plan, target.inputs.arn);
            assert.strictEqual(topic.name, `${prefix}-ecs-operations`);
            const policies = ofType(plan, "aws:sns/topicPolicy:TopicPolicy").filter(
                (p) => resolveRef(plan, p.inputs.arn).name === topic.name,
            );
            assert.strictEqual(policies.length, 1, "exactly one policy on the operations topic");
            const st = JSON.parse(policies[0].inputs.policy).Statement.find((s: any) => s.Sid === "GlueJobFailuresFromEventBridge");
            assert.deepStrictEqual(st.Principal, { Service: "events.amazonaws.com" });
            assert.strictEqual(resolveRef(plan, st.Condition.ArnEquals["aws:SourceArn"]).name, rule.name);
        });

        it("gives Athena an enforced, encrypted workgroup with a cutoff of at least 10 MB and results that expire", () => {
            const wg = one("aws:athena/workgroup:Workgroup");
            const c = wg.inputs.configuration;
            assert.strictEqual(c.enforceWorkgroupConfiguration, true);
            assert.strictEqual(c.publishCloudwatchMetricsEnabled, true);
            assert.strictEqual(c.engineVersion.selectedEngineVersion, "Athena engine version 3");
            assert.ok(c.bytesScannedCutoffPerQuery >= ATHENA_MIN_CUTOFF_BYTES);
            assert.strictEqual(c.bytesScannedCutoffPerQuery, cfg.analytics.athena.bytesScannedCutoffPerQuery);
            assert.strictEqual(c.resultConfiguration.outputLocation, `s3://${lake().inputs.bucket}/athena-results/${wg.inputs.name}/`);
            assert.strictEqual(c.resultConfiguration.encryptionConfiguration.encryptionOption, "SSE_KMS");
            assert.strictEqual(resolveRef(plan, c.resultConfiguration.encryptionConfiguration.kmsKeyArn).name, homeKey().name);
            const lifecycles = ofType(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").filter(
                (l) => resolveRef(plan, l.inputs.bucket).name === lake().name,
            );
            assert.strictEqual(lifecycles.length, 1, "the lake has one lifecycle configuration");
            const ids = lifecycles[0].inputs.rules.map((r: any) => r.id);
            assert.deepStrictEqual(ids, [
                "curated-intelligent-tiering",
                "expire-noncurrent-versions",
                "expire-glue-temp",
                "expire-athena-results",
            ]);
            const results = lifecycles[0].inputs.rules.find((r: any) => r.id === "expire-athena-results");
            assert.deepStrictEqual(results.filter, { prefix: "athena-results/" });
            assert.strictEqual(results.expiration.days, cfg.analytics.athena.resultsExpirationDays);
            const queries = ofType(plan, "aws:athena/namedQuery:NamedQuery");
            assert.deepStrictEqual(queries.map((q) => q.inputs.name).sort(), NAMED_QUERIES.map((q) => q.id).sort());
            for (const q of queries) assert.strictEqual(q.inputs.workgroup, wg.inputs.name);
        });

        it(
            stack === "production"
                ? "runs Redshift Serverless privately in three AZs with enhanced VPC routing"
                : "has no warehouse in staging",
            () => {
                const workgroups = ofType(plan, "aws:redshiftserverless/workgroup:Workgroup");
                if (stack !== "production") {
                    assert.strictEqual(workgroups.length, 0);
                    assert.strictEqual(ofType(plan, "aws:redshiftserverless/namespace:Namespace").length, 0);
                    return;
                }
                const r = cfg.analytics.redshift!;
                const [wg] = workgroups;
                const ns = one("aws:redshiftserverless/namespace:Namespace");
                assert.strictEqual(resolveRef(plan, ns.inputs.kmsKeyId).name, homeKey().name);
                assert.strictEqual(ns.inputs.manageAdminPassword, true);
                assert.strictEqual(resolveRef(plan, ns.inputs.adminPasswordSecretKmsKeyId).name, homeKey().name);
                assert.deepStrictEqual([...ns.inputs.logExports].sort(), ["connectionlog", "useractivitylog", "userlog"]);
                for (const type of ns.inputs.logExports) {
                    const g = one(
                        "aws:cloudwatch/logGroup:LogGroup",
                        (x) => x.inputs.name === `/aws/redshift/${ns.inputs.namespaceName}/${type}`,
                    );
                    assert.ok(ns.options!.dependsOn.includes(g.urn), `${type} group declared first`);
                    assert.strictEqual(resolveRef(plan, g.inputs.kmsKeyId).name, homeKey().name);
                }
                assert.strictEqual(wg.inputs.baseCapacity, r.baseCapacity, "never AWS's 128 RPU default");
                assert.strictEqual(wg.inputs.maxCapacity, r.maxCapacity);
                assert.strictEqual(wg.inputs.publiclyAccessible, false);
                assert.strictEqual(wg.inputs.enhancedVpcRouting, true);
                const subnets = wg.inputs.subnetIds.map((id: string) => resolveRef(plan, id));
                assert.strictEqual(subnets.length, 3);
                assert.strictEqual(new Set(subnets.map((s: PlanResource) => s.inputs.availabilityZone)).size, 3, "three AZs");
                for (const s of subnets) assert.match(s.name, /-data-\d$/);
                const params = Object.fromEntries(wg.inputs.configParameters.map((p: any) => [p.parameterKey, p.parameterValue]));
                assert.deepStrictEqual(params, REDSHIFT_CONFIG_PARAMETERS);
                for (const k of Object.keys(params)) assert.match(k, /^[a-z_]+$/, "AWS's snake_case keys");
                assert.strictEqual(params.require_ssl, "true");
                assert.strictEqual(params.enable_user_activity_logging, "true");
                const [sgId] = wg.inputs.securityGroupIds;
                const warehouse = resolveRef(plan, sgId);
                assert.strictEqual(warehouse.inputs.tags.Name, `${prefix}-warehouse`);
                const rulesOf = (type: string, groupId: string) => ofType(plan, type).filter((x) => x.inputs.securityGroupId === groupId);
                const ingress = rulesOf("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", sgId);
                assert.deepStrictEqual(
                    ingress.map((x) => [x.inputs.fromPort, resolveRef(plan, x.inputs.referencedSecurityGroupId).name]),
                    [[5439, `${prefix}-application`]],
                );
                const egress = rulesOf("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", sgId);
                assert.deepStrictEqual(
                    egress.map((x) => x.inputs.fromPort),
                    [443, 443],
                );
                const endpointsId = mockedIdentity(
                    plan,
                    one("aws:ec2/securityGroup:SecurityGroup", (g) => g.name.endsWith("-endpoints-sg")),
                ).id;
                assert.ok(egress.some((x) => x.inputs.referencedSecurityGroupId === endpointsId));
                assert.ok(
                    egress.some((x) => typeof x.inputs.prefixListId === "string" && x.inputs.prefixListId.startsWith("pl-")),
                    "S3 through its prefix list",
                );
                assert.ok(
                    rulesOf("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", endpointsId).some(
                        (x) => x.inputs.referencedSecurityGroupId === sgId && x.inputs.fromPort === 443,
                    ),
                );
                assert.ok(
                    ofType(plan, "aws:ec2/vpcEndpoint:VpcEndpoint").some(
                        (e) => e.inputs.serviceName === "com.amazonaws.eu-west-1.glue" && e.inputs.vpcEndpointType === "Interface",
                    ),
                    "the glue endpoint",
                );
                const limit = one("aws:redshiftserverless/usageLimit:UsageLimit");
                assert.deepStrictEqual(
                    [limit.inputs.usageType, limit.inputs.period, limit.inputs.amount, limit.inputs.breachAction],
                    ["serverless-compute", "daily", r.dailyRpuHourLimit, "emit-metric"],
                );
                const alarm = one("aws:cloudwatch/metricAlarm:MetricAlarm", (x) => x.name === `${prefix}-warehouse-usage-limit`);
                assert.strictEqual(alarm.inputs.threshold, r.dailyRpuHourLimit * 3600);
                const role = resolveRef(plan, ns.inputs.defaultIamRoleArn);
                assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal, {
                    Service: "redshift.amazonaws.com",
                });
                const read = statementsOf(plan, role).find((s) => s.Sid === "ReadCurated");
                assert.match(read.Resource, /-data-lake-123456789012\/curated\/\*$/);
            },
        );

        it("declares one dashboard whose every metric names a dimension value the stack declares", () => {
            const dashboards = ofType(plan, "aws:cloudwatch/dashboard:Dashboard");
            assert.strictEqual(dashboards.length, 1);
            const body = JSON.parse(dashboards[0].inputs.dashboardBody);
            // The ALB is named by prefix: its name (and so its ARN suffix) is made at create, recorded in the plan's naming.
            const state = (r: PlanResource) => mockedState(plan, r).state;
            const values = (type: string, pick: (r: PlanResource) => unknown) => new Set(ofType(plan, type).map((r) => String(pick(r))));
            const declared: Record<string, Set<string>> = {
                ClusterName: values("aws:ecs/cluster:Cluster", (r) => r.inputs.name),
                ServiceName: values("aws:ecs/service:Service", (r) => r.inputs.name),
                LoadBalancer: values("aws:lb/loadBalancer:LoadBalancer", (r) => state(r).arnSuffix),
                DBClusterIdentifier: values("aws:rds/cluster:Cluster", (r) => r.inputs.clusterIdentifier),
                clusterId: values("aws:elasticache/serverlessCache:ServerlessCache", (r) => r.inputs.name),
                QueueName: values("aws:sqs/queue:Queue", (r) => r.inputs.name),
                FunctionName: values("aws:lambda/function:Function", (r) => r.inputs.name),
                JobName: values("aws:glue/job:Job", (r) => r.inputs.name),
                WorkGroup: values("aws:athena/workgroup:Workgroup", (r) => r.inputs.name),
                Workgroup: values("aws:redshiftserverless/workgroup:Workgroup", (r) => r.inputs.workgroupName),
                DistributionId: values("aws:cloudfront/distribution:Distribution", (r) => mockedIdentity(plan, r).id),
                WebACL: values("aws:wafv2/webAcl:WebAcl", (r) => r.inputs.name),
                // The clickstream tier's stream, delivery stream and ingestion API.
                StreamName: values("aws:kinesis/stream:Stream", (r) => r.inputs.name),
                DeliveryStreamName: values("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", (r) => r.inputs.name),
                ApiName: values("aws:apigateway/restApi:RestApi", (r) => r.inputs.name),
                Stage: values("aws:apigateway/stage:Stage", (r) => r.inputs.stageName),
            };
            const constants: Record<string, string[]> = { JobRunId: ["ALL"], Type: ["count"], Region: ["Global"], Rule: ["ALL"] };
            const dims = dashboardDimensions(body);
            assert.ok(dims.length > 40);
            for (const d of dims) {
                if (constants[d.name]) assert.ok(constants[d.name].includes(d.value), `${d.name}=${d.value}`);
                else assert.ok(declared[d.name]?.has(d.value), `${d.namespace} ${d.name}=${d.value} is not declared by the stack`);
            }
            // Every PBC service, every consumer queue and every function appears.
            const named = (n: string) => new Set(dims.filter((d) => d.name === n).map((d) => d.value));
            assert.deepStrictEqual(named("ServiceName"), declared.ServiceName);
            assert.strictEqual(named("FunctionName").size, declared.FunctionName.size);
            for (const n of ["StreamName", "DeliveryStreamName", "ApiName"])
                assert.deepStrictEqual(named(n), declared[n], `the clickstream's ${n}`);
            assert.strictEqual(named("Workgroup").size, stack === "production" ? 1 : 0);
            const edge = body.widgets.filter((w: any) =>
                w.properties.metrics.some((m: any[]) => ["AWS/CloudFront", "AWS/WAFV2"].includes(m[0])),
            );
            assert.ok(edge.length === 2 && edge.every((w: any) => w.properties.region === "us-east-1"), "edge metrics live in us-east-1");
        });
    });
}
