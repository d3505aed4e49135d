import * as assert from "assert";
import { render } from "velocityjs";
import { CLIENT_ERROR_RESPONSE_TEMPLATE, PUT_RECORDS_MAX, SUCCESS_RESPONSE_TEMPLATE } from "../../components/clickstreamApi";
import { MANAGED_POLICIES } from "../../components/cdn";
import { CLICKSTREAM_COLUMNS, CLICKSTREAM_PREFIX, CLICKSTREAM_TABLE } from "../../stacks/clickstreamTable";
import { grantedKey, mockedIdentity, ofType, planOf, PlanJson, PlanResource, resolveRef } from "../support/plan";

const doc = (policy: string) => JSON.parse(policy).Statement as any[];

function statementsOf(plan: PlanJson, role: PlanResource): any[] {
    return ofType(plan, "aws:iam/rolePolicy:RolePolicy")
        .filter((p) => resolveRef(plan, p.inputs.role).name === role.name)
        .flatMap((p) => doc(p.inputs.policy));
}

/** Evaluates a mapping template as API Gateway would, with $input over `body` and the $util functions it uses. */
function evaluate(template: string, body: unknown, context: Record<string, unknown> = {}): string {
    const jsonPath = (path: string): unknown => {
        // The template uses "$", "$.field" and "$.field[index]".
        const m = /^\$(?:\.(\w+))?(?:\[(\d+)\])?$/.exec(path);
        if (!m) throw new Error(`unsupported JSONPath ${path}`);
        let value: any = body;
        if (m[1]) value = value?.[m[1]];
        if (m[2]) value = value?.[Number(m[2])];
        return value;
    };
    return render(template, {
        input: { path: jsonPath, json: (path: string) => JSON.stringify(jsonPath(path)) },
        util: {
            base64Encode: (s: string) => Buffer.from(s, "utf8").toString("base64"),
            escapeJavaScript: (s: string) => String(s).replace(/["\\]/g, "\\$&"),
        },
        context,
    });
}

for (const stack of ["staging", "production"]) {
    describe(`clickstream tier (${stack})`, function () {
        let plan: PlanJson;
        const prefix = `retail-platform-${stack}`;
        const production = stack === "production";
        const one = (type: string, name?: string) => {
            const found = ofType(plan, type).filter((r) => name === undefined || r.name === name);
            assert.strictEqual(found.length, 1, `${type} ${name ?? ""}: ${found.length}`);
            return found[0];
        };
        // The clickstream table by its catalog name: the analytics tier declares its curated tables beside it.
        const clickstreamTable = () => {
            const found = ofType(plan, "aws:glue/catalogTable:CatalogTable").filter((t) => t.inputs.name === CLICKSTREAM_TABLE);
            assert.strictEqual(found.length, 1, `Glue tables named ${CLICKSTREAM_TABLE}: ${found.length}`);
            return found[0];
        };
        // The stack key: the security tier's home-region key (production's analytics tier adds the Glue catalog key).
        const homeKeyArn = () =>
            mockedIdentity(
                plan,
                ofType(plan, "aws:kms/key:Key").find((k) => k.tier === "security" && k.inputs.region === undefined)!,
            ).arn;
        before(function () {
            this.timeout(120_000);
            plan = planOf(stack);
        });

        it("puts every clickstream resource under the clickstream tier", () => {
            for (const type of [
                "aws:kinesis/stream:Stream",
                "aws:apigateway/restApi:RestApi",
                "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
            ]) {
                assert.strictEqual(one(type).tier, "clickstream", type);
            }
            assert.strictEqual(clickstreamTable().tier, "clickstream", "the clickstream Glue table");
        });

        it("encrypts the stream with the stack key; retention and capacity mode from config", () => {
            const stream = one("aws:kinesis/stream:Stream");
            assert.strictEqual(stream.inputs.encryptionType, "KMS");
            assert.strictEqual(stream.inputs.kmsKeyId, homeKeyArn());
            assert.strictEqual(stream.inputs.retentionPeriod, production ? 72 : 24);
            assert.deepStrictEqual(stream.inputs.streamModeDetails, { streamMode: "PROVISIONED" });
            assert.strictEqual(stream.inputs.shardCount, production ? 10 : 1);
        });

        it("serves POST /collect through a REGIONAL REST API: PutRecords with a credentials role, the Kinesis content type, no passthrough", () => {
            const api = one("aws:apigateway/restApi:RestApi");
            assert.deepStrictEqual(api.inputs.endpointConfiguration, { types: "REGIONAL" });
            const method = one("aws:apigateway/method:Method");
            assert.deepStrictEqual(
                [method.inputs.httpMethod, method.inputs.apiKeyRequired, method.inputs.authorization],
                ["POST", true, "NONE"],
            );
            assert.strictEqual(one("aws:apigateway/resource:Resource").inputs.pathPart, "collect");
            const integration = one("aws:apigateway/integration:Integration");
            assert.strictEqual(integration.inputs.type, "AWS");
            assert.strictEqual(integration.inputs.integrationHttpMethod, "POST");
            assert.strictEqual(integration.inputs.uri, "arn:aws:apigateway:eu-west-1:kinesis:action/PutRecords");
            assert.deepStrictEqual(integration.inputs.requestParameters, {
                "integration.request.header.Content-Type": "'application/x-amz-json-1.1'",
            });
            assert.strictEqual(integration.inputs.passthroughBehavior, "NEVER");
            assert.deepStrictEqual(Object.keys(integration.inputs.requestTemplates).sort(), ["application/json", "text/plain"]);
            const role = resolveRef(plan, integration.inputs.credentials);
            const stream = mockedIdentity(plan, one("aws:kinesis/stream:Stream")).arn;
            const statements = statementsOf(plan, role);
            assert.deepStrictEqual(
                statements.map((s) => s.Action),
                ["kinesis:PutRecords", "kms:GenerateDataKey"],
            );
            assert.strictEqual(statements[0].Resource, stream);
            assert.strictEqual(mockedIdentity(plan, grantedKey(plan, statements[1])).arn, homeKeyArn());
            assert.deepStrictEqual(statements[1].Condition.StringEquals, { "kms:ViaService": ["kinesis.eu-west-1.amazonaws.com"] });
        });

        it("validates the body against a draft-04 model of at most 500 events, for both content types", () => {
            const method = one("aws:apigateway/method:Method");
            const model = one("aws:apigateway/model:Model");
            const validator = resolveRef(plan, method.inputs.requestValidatorId);
            assert.strictEqual(validator.inputs.validateRequestBody, true);
            assert.deepStrictEqual(method.inputs.requestModels, { "application/json": model.inputs.name, "text/plain": model.inputs.name });
            const schema = JSON.parse(model.inputs.schema);
            assert.strictEqual(schema.$schema, "http://json-schema.org/draft-04/schema#");
            assert.strictEqual(schema.properties.events.maxItems, PUT_RECORDS_MAX);
            assert.ok(PUT_RECORDS_MAX <= 500, "PutRecords takes at most 500 records");
            assert.deepStrictEqual(schema.properties.events.items.required, ["eventId", "eventType", "eventTime", "sessionId"]);
        });

        it("turns a sample batch into the PutRecords body (the VTL evaluated by velocityjs)", () => {
            const template = one("aws:apigateway/integration:Integration").inputs.requestTemplates["text/plain"];
            const events = [
                { eventId: "e1", eventType: "product_view", eventTime: "2026-12-01T10:00:00.000Z", sessionId: "s-1", productId: "p-9" },
                {
                    eventId: "e2",
                    eventType: "search",
                    eventTime: "2026-12-01T10:00:01.000Z",
                    sessionId: "s_2",
                    searchQuery: 'red "shoes" & socks',
                },
                {
                    eventId: "e3",
                    eventType: "cart_add",
                    eventTime: "2026-12-01T10:00:02.000Z",
                    sessionId: "s-1",
                    productId: "p-9",
                    quantity: 2,
                },
            ];
            const body = JSON.parse(evaluate(template, { events }));
            assert.deepStrictEqual(body, {
                StreamName: `${prefix}-clickstream`,
                Records: events.map((e) => ({ Data: Buffer.from(JSON.stringify(e)).toString("base64"), PartitionKey: e.sessionId })),
            });
            assert.deepStrictEqual(
                JSON.parse(Buffer.from(body.Records[1].Data, "base64").toString()),
                events[1],
                "each record decodes to its event",
            );
        });

        it("maps partial failures to 503, throttling to 429 and other client errors to 400", () => {
            const responses = ofType(plan, "aws:apigateway/integrationResponse:IntegrationResponse");
            const by = (code: string) => responses.find((r) => r.inputs.statusCode === code)!;
            assert.strictEqual(by("200").inputs.selectionPattern, undefined);
            assert.strictEqual(by("400").inputs.selectionPattern, "4\\d{2}");
            assert.strictEqual(by("503").inputs.selectionPattern, "5\\d{2}");
            assert.strictEqual(by("200").inputs.responseTemplates["application/json"], SUCCESS_RESPONSE_TEMPLATE);
            const status = (template: string, body: unknown) => {
                const context = { responseOverride: {} as { status?: number } };
                evaluate(template, body, context);
                return context.responseOverride.status;
            };
            assert.strictEqual(status(SUCCESS_RESPONSE_TEMPLATE, { FailedRecordCount: 1, Records: [] }), 503);
            assert.strictEqual(status(SUCCESS_RESPONSE_TEMPLATE, { FailedRecordCount: 0, Records: [] }), undefined);
            assert.strictEqual(status(CLIENT_ERROR_RESPONSE_TEMPLATE, { __type: "ProvisionedThroughputExceededException" }), 429);
            assert.strictEqual(status(CLIENT_ERROR_RESPONSE_TEMPLATE, { __type: "KMSThrottlingException" }), 429);
            assert.strictEqual(status(CLIENT_ERROR_RESPONSE_TEMPLATE, { __type: "ResourceNotFoundException" }), undefined, "stays 400");
            assert.deepStrictEqual(
                ofType(plan, "aws:apigateway/methodResponse:MethodResponse")
                    .map((r) => r.inputs.statusCode)
                    .sort(),
                ["200", "400", "429", "503"],
            );
        });

        it("deploys through an explicit stage and a deployment triggered by every method, integration, response and model", () => {
            const deployment = one("aws:apigateway/deployment:Deployment");
            assert.match(deployment.inputs.triggers.redeployment, /^[0-9a-f]{64}$/);
            assert.strictEqual(deployment.inputs.stageName, undefined);
            const deps = deployment.options!.dependsOn;
            for (const type of ["aws:apigateway/method:Method", "aws:apigateway/integration:Integration"])
                assert.ok(deps.includes(one(type).urn), type);
            for (const r of ofType(plan, "aws:apigateway/integrationResponse:IntegrationResponse")) assert.ok(deps.includes(r.urn));
            const stage = one("aws:apigateway/stage:Stage");
            assert.strictEqual(stage.inputs.stageName, "v1");
            assert.strictEqual(resolveRef(plan, stage.inputs.deployment).urn, deployment.urn);
            const settings = one("aws:apigateway/methodSettings:MethodSettings");
            assert.strictEqual(settings.inputs.methodPath, "*/*");
            assert.strictEqual(settings.inputs.settings.metricsEnabled, true);
            assert.strictEqual(settings.inputs.settings.throttlingRateLimit, production ? 5000 : 100);
        });

        it("logs access only with the region's CloudWatch role: declared with accountSingletons managed, and awaited", () => {
            const stage = one("aws:apigateway/stage:Stage");
            const settings = one("aws:apigateway/methodSettings:MethodSettings");
            const accounts = ofType(plan, "aws:apigateway/account:Account");
            if (production) {
                assert.strictEqual(accounts.length, 1, "production owns the account singletons");
                for (const r of [stage, settings])
                    assert.ok(r.options!.dependsOn.includes(accounts[0].urn), `${r.type} waits for the account setting`);
                const group = resolveRef(plan, stage.inputs.accessLogSettings.destinationArn);
                assert.strictEqual(group.inputs.kmsKeyId, homeKeyArn());
                assert.strictEqual(settings.inputs.settings.loggingLevel, "ERROR");
            } else {
                // Staging's config says the managing stack has set the region's role (apiGatewayLoggingRoleSet).
                assert.strictEqual(accounts.length, 0, "staging leaves the region's setting to the managing stack");
                const group = resolveRef(plan, stage.inputs.accessLogSettings.destinationArn);
                assert.strictEqual(group.inputs.kmsKeyId, homeKeyArn());
                assert.strictEqual(settings.inputs.settings.loggingLevel, "ERROR");
            }
        });

        it("requires an API key that only CloudFront sends: two keys in the usage plan, throttled", () => {
            const plans = one("aws:apigateway/usagePlan:UsagePlan");
            assert.deepStrictEqual(
                plans.inputs.throttleSettings,
                production ? { rateLimit: 5000, burstLimit: 2500 } : { rateLimit: 100, burstLimit: 200 },
            );
            const keys = ofType(plan, "aws:apigateway/usagePlanKey:UsagePlanKey");
            assert.strictEqual(keys.length, 2);
            for (const k of keys) assert.strictEqual(resolveRef(plan, k.inputs.usagePlanId).urn, plans.urn);
            for (const k of ofType(plan, "aws:apigateway/apiKey:ApiKey"))
                assert.strictEqual(k.inputs.value, "[secret]", "generated, never in config");
            const distribution = one("aws:cloudfront/distribution:Distribution");
            const origin = distribution.inputs.origins.find((o: any) => o.originId === "collect");
            const api = one("aws:apigateway/restApi:RestApi");
            assert.strictEqual(origin.domainName, `${mockedIdentity(plan, api).id}.execute-api.eu-west-1.amazonaws.com`);
            assert.strictEqual(origin.originPath, "/v1");
            assert.deepStrictEqual(origin.customHeaders, [{ name: "x-api-key", value: "[secret]" }]);
            assert.strictEqual(origin.customOriginConfig.originProtocolPolicy, "https-only");
            assert.deepStrictEqual(origin.customOriginConfig.originSslProtocols, ["TLSv1.2"]);
            const secret = ofType(plan, "aws:secretsmanager/secret:Secret").find((s) => s.name === `${prefix}-clickstream-keys`)!;
            assert.strictEqual(secret.inputs.kmsKeyId, homeKeyArn());
        });

        it("routes /collect first, uncached, all seven methods, without the viewer's Host", () => {
            const distribution = one("aws:cloudfront/distribution:Distribution");
            const [collect] = distribution.inputs.orderedCacheBehaviors;
            assert.strictEqual(collect.pathPattern, "/collect");
            assert.strictEqual(collect.targetOriginId, "collect");
            assert.strictEqual(collect.viewerProtocolPolicy, "https-only");
            assert.deepStrictEqual(collect.allowedMethods, ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]);
            assert.deepStrictEqual(collect.cachedMethods, ["GET", "HEAD"]);
            assert.strictEqual(collect.cachePolicyId, MANAGED_POLICIES.cachingDisabled);
            assert.strictEqual(collect.originRequestPolicyId, MANAGED_POLICIES.allViewerExceptHostHeader);
        });

        it("gives /collect its own WAF rate rule and body cap, keeps it out of the page rate rule, exempts /api/ and /collect from the 8 KB block", () => {
            const acl = one("aws:wafv2/webAcl:WebAcl");
            const rule = (name: string) => acl.inputs.rules.find((r: any) => r.name === name);
            const collect = {
                byteMatchStatement: {
                    searchString: "/collect",
                    positionalConstraint: "EXACTLY",
                    fieldToMatch: { uriPath: {} },
                    textTransformations: [{ priority: 0, type: "NONE" }],
                },
            };
            assert.deepStrictEqual(rule("RateLimitPerIp").statement.rateBasedStatement.scopeDownStatement, {
                notStatement: { statement: collect },
            });
            const beacon = rule("RateLimitCollectPerIp").statement.rateBasedStatement;
            assert.deepStrictEqual([beacon.limit, beacon.aggregateKeyType, beacon.scopeDownStatement], [3000, "IP", collect]);
            const [path, size] = rule("CollectBodyTooLarge").statement.andStatement.statements;
            assert.deepStrictEqual(path, collect);
            assert.deepStrictEqual(
                [
                    size.sizeConstraintStatement.comparisonOperator,
                    size.sizeConstraintStatement.size,
                    size.sizeConstraintStatement.fieldToMatch,
                ],
                ["GT", 16384, { body: { oversizeHandling: "MATCH" } }],
            );
            const exempt =
                rule("OversizedBodyOutsideExemptPaths").statement.andStatement.statements[1].notStatement.statement.orStatement.statements;
            assert.deepStrictEqual(
                exempt.map((s: any) => [s.byteMatchStatement.searchString, s.byteMatchStatement.positionalConstraint]),
                [
                    ["/api/", "STARTS_WITH"],
                    ["/collect", "EXACTLY"],
                ],
            );
        });

        it("reads the stream with Kinesis mappings: starting position, partial responses, bisect, bounded retries, S3 on failure, no scalingConfig", () => {
            const mappings = ofType(plan, "aws:lambda/eventSourceMapping:EventSourceMapping").filter((m) => m.tier === "clickstream");
            assert.strictEqual(mappings.length, 2);
            const quarantine = one("aws:s3/bucket:Bucket", `${prefix}-clickstream-quarantine-bucket`);
            for (const m of mappings) {
                assert.strictEqual(m.inputs.scalingConfig, undefined, "scalingConfig is SQS-only");
                assert.strictEqual(m.inputs.startingPosition, "LATEST");
                assert.deepStrictEqual(m.inputs.functionResponseTypes, ["ReportBatchItemFailures"]);
                assert.strictEqual(m.inputs.bisectBatchOnFunctionError, true);
                assert.ok(m.inputs.maximumRetryAttempts >= 0 && m.inputs.maximumRetryAttempts <= 10000);
                assert.ok(m.inputs.maximumRecordAgeInSeconds >= 60 && m.inputs.maximumRecordAgeInSeconds <= 604800);
                assert.strictEqual(m.inputs.destinationConfig.onFailure.destinationArn, mockedIdentity(plan, quarantine).arn);
                if (m.inputs.tumblingWindowInSeconds !== undefined) assert.strictEqual(m.inputs.parallelizationFactor, 1);
            }
            const trending = mappings.find((m) => m.name.includes("trending"))!;
            assert.strictEqual(trending.inputs.tumblingWindowInSeconds, 300);
            const stream = one("aws:kinesis/stream:Stream");
            const consumers = ofType(plan, "aws:kinesis/streamConsumer:StreamConsumer");
            if (production) {
                // 10 shards serve 20 MB/s of shared reads; three readers of 8 MB/s need 24: enhanced fan-out.
                assert.strictEqual(consumers.length, 2);
                for (const m of mappings)
                    assert.strictEqual(resolveRef(plan, m.inputs.eventSourceArn).type, "aws:kinesis/streamConsumer:StreamConsumer");
            } else {
                assert.strictEqual(consumers.length, 0);
                for (const m of mappings) assert.strictEqual(resolveRef(plan, m.inputs.eventSourceArn).urn, stream.urn);
            }
        });

        it("grants each consumer Kinesis reads, the stream key through Kinesis, and quarantine writes conditioned on the account", () => {
            const stream = mockedIdentity(plan, one("aws:kinesis/stream:Stream")).arn;
            const bucket = mockedIdentity(plan, one("aws:s3/bucket:Bucket", `${prefix}-clickstream-quarantine-bucket`)).arn;
            for (const fn of ["recently-viewed", "trending-products"]) {
                const role = one("aws:iam/role:Role", `${prefix}-${fn}-role`);
                const s = Object.fromEntries(
                    statementsOf(plan, role)
                        .filter((x) => x.Sid)
                        .map((x) => [x.Sid, x]),
                );
                assert.deepStrictEqual(s.ReadStream.Action, [
                    "kinesis:DescribeStream",
                    "kinesis:DescribeStreamSummary",
                    "kinesis:GetRecords",
                    "kinesis:GetShardIterator",
                    "kinesis:ListShards",
                    "kinesis:ListStreams",
                ]);
                assert.strictEqual(s.ReadStream.Resource, stream);
                assert.deepStrictEqual(s.DecryptStream.Condition.StringEquals, { "kms:ViaService": ["kinesis.eu-west-1.amazonaws.com"] });
                assert.strictEqual(mockedIdentity(plan, grantedKey(plan, s.DecryptStream)).arn, homeKeyArn());
                assert.strictEqual(Boolean(s.ReadFanOutConsumer), production);
                assert.deepStrictEqual([s.QuarantineList.Action, s.QuarantineList.Resource], ["s3:ListBucket", bucket]);
                assert.deepStrictEqual([s.QuarantinePut.Action, s.QuarantinePut.Resource], ["s3:PutObject", `${bucket}/aws/lambda/*`]);
                for (const q of [s.QuarantineList, s.QuarantinePut])
                    assert.deepStrictEqual(q.Condition, { StringEquals: { "s3:ResourceAccount": "123456789012" } });
                assert.deepStrictEqual(s.QuarantineKey.Condition.StringEquals, { "kms:ViaService": ["s3.eu-west-1.amazonaws.com"] });
                assert.strictEqual(mockedIdentity(plan, grantedKey(plan, s.QuarantineKey)).arn, homeKeyArn());
                assert.strictEqual(s.ConsumeSourceQueue, undefined, "no SQS grants on a Kinesis consumer");
                const mapping = ofType(plan, "aws:lambda/eventSourceMapping:EventSourceMapping").find(
                    (m) => m.name === `${prefix}-${fn}-mapping`,
                )!;
                const policy = ofType(plan, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === `${prefix}-${fn}-read`)!;
                assert.ok(mapping.options!.dependsOn.includes(policy.urn), "the mapping waits for the read grant");
            }
        });

        it("quarantines into a dedicated encrypted bucket with a bucket-wide expiry, and notifies operations of each new object", () => {
            const name = `${prefix}-clickstream-quarantine`;
            const encryption = one(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                `${name}-encryption`,
            );
            assert.strictEqual(encryption.inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId, homeKeyArn());
            const lifecycle = one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `${name}-lifecycle`);
            assert.deepStrictEqual(lifecycle.inputs.rules[0].filter, {});
            assert.strictEqual(lifecycle.inputs.rules[0].expiration.days, production ? 30 : 7);
            one("aws:s3/bucketNotification:BucketNotification", `${name}-notifications`);
            one("aws:s3/bucketPolicy:BucketPolicy", `${name}-policy`);
            const rule = one("aws:cloudwatch/eventRule:EventRule", `${prefix}-clickstream-quarantined`);
            const bucketName = one("aws:s3/bucket:Bucket", `${name}-bucket`).inputs.bucket;
            assert.deepStrictEqual(JSON.parse(rule.inputs.eventPattern), {
                source: ["aws.s3"],
                "detail-type": ["Object Created"],
                detail: { bucket: { name: [bucketName] } },
            });
            const target = one("aws:cloudwatch/eventTarget:EventTarget", `${prefix}-clickstream-quarantined`);
            assert.deepStrictEqual(target.inputs.retryPolicy, { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 });
            const dlq = resolveRef(plan, target.inputs.deadLetterConfig.arn);
            assert.deepStrictEqual([dlq.type, dlq.inputs.kmsMasterKeyId], ["aws:sqs/queue:Queue", homeKeyArn()]);
            const topic = resolveRef(plan, target.inputs.arn);
            assert.strictEqual(topic.name, `${prefix}-ecs-operations`);
            const topicPolicies = ofType(plan, "aws:sns/topicPolicy:TopicPolicy").filter((p) => p.inputs.arn === target.inputs.arn);
            assert.strictEqual(topicPolicies.length, 1, "the topic's one policy");
            const statement = doc(topicPolicies[0].inputs.policy).find((s) => s.Sid === "ClickstreamQuarantineNotices");
            assert.deepStrictEqual(statement.Condition, { ArnEquals: { "aws:SourceArn": mockedIdentity(plan, rule).arn } });
        });

        it("declares the Glue table explicitly: columns, dt partition, projection, location = the Firehose prefix", () => {
            const table = clickstreamTable();
            const lake = one("aws:s3/bucket:Bucket", `${prefix}-data-lake-bucket`).inputs.bucket;
            assert.strictEqual(table.inputs.name, "clickstream_events");
            assert.strictEqual(table.inputs.databaseName, one("aws:glue/catalogDatabase:CatalogDatabase").inputs.name);
            assert.deepStrictEqual(
                table.inputs.storageDescriptor.columns.map((c: any) => [c.name, c.type]),
                CLICKSTREAM_COLUMNS.map((c) => [c.name, c.type]),
            );
            assert.deepStrictEqual(table.inputs.partitionKeys, [{ name: "dt", type: "string" }]);
            assert.strictEqual(table.inputs.storageDescriptor.location, `s3://${lake}/${CLICKSTREAM_PREFIX}`);
            assert.strictEqual(table.inputs.parameters["projection.enabled"], "true");
            assert.strictEqual(table.inputs.parameters["storage.location.template"], `s3://${lake}/raw/clickstream/dt=\${dt}/`);
        });

        it("delivers with Firehose: Parquet/Snappy, ≥ 64 MB buffers, no SSE block, error output outside the table, logs with their stream", () => {
            const firehose = one("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
            const s3 = firehose.inputs.extendedS3Configuration;
            assert.strictEqual(firehose.inputs.destination, "extended_s3");
            assert.strictEqual(firehose.inputs.serverSideEncryption, undefined);
            assert.strictEqual(
                resolveRef(plan, firehose.inputs.kinesisSourceConfiguration.kinesisStreamArn).type,
                "aws:kinesis/stream:Stream",
            );
            assert.ok(s3.bufferingSize >= 64);
            assert.strictEqual(s3.compressionFormat, "UNCOMPRESSED");
            assert.strictEqual(s3.kmsKeyArn, homeKeyArn());
            assert.strictEqual(s3.prefix, "raw/clickstream/dt=!{timestamp:yyyy-MM-dd}/");
            assert.ok(s3.errorOutputPrefix.includes("!{firehose:error-output-type}"));
            assert.ok(!s3.errorOutputPrefix.startsWith(CLICKSTREAM_PREFIX), "failed records stay outside the table's location");
            assert.strictEqual(
                s3.dataFormatConversionConfiguration.outputFormatConfiguration.serializer.parquetSerDe.compression,
                "SNAPPY",
            );
            const schema = s3.dataFormatConversionConfiguration.schemaConfiguration;
            assert.strictEqual(schema.tableName, "clickstream_events");
            assert.strictEqual(
                s3.dataFormatConversionConfiguration.inputFormatConfiguration.deserializer.openXJsonSerDe.columnToJsonKeyMappings
                    .session_id,
                "sessionId",
            );
            const logging = s3.cloudwatchLoggingOptions;
            assert.strictEqual(logging.enabled, true);
            const group = ofType(plan, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === logging.logGroupName)!;
            assert.strictEqual(group.inputs.kmsKeyId, homeKeyArn());
            const stream = one("aws:cloudwatch/logStream:LogStream");
            assert.deepStrictEqual([stream.inputs.name, stream.inputs.logGroupName], [logging.logStreamName, logging.logGroupName]);
        });

        it("gives Firehose's role exactly its reads, lake writes, key uses, table schema and log events", () => {
            const firehose = one("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
            const role = resolveRef(plan, firehose.inputs.extendedS3Configuration.roleArn);
            const statements = statementsOf(plan, role);
            assert.deepStrictEqual(
                statements.map((s) => s.Sid),
                ["ReadStream", "DecryptStream", "LakeBucket", "LakeObjects", "LakeKey", "TableSchema", "ErrorLogs"],
            );
            const s = Object.fromEntries(statements.map((x) => [x.Sid, x]));
            assert.deepStrictEqual(s.ReadStream.Action, [
                "kinesis:DescribeStream",
                "kinesis:DescribeStreamSummary",
                "kinesis:GetShardIterator",
                "kinesis:GetRecords",
                "kinesis:ListShards",
            ]);
            assert.deepStrictEqual(s.TableSchema.Action, ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"]);
            assert.strictEqual(s.ErrorLogs.Action, "logs:PutLogEvents");
            assert.match(s.ErrorLogs.Resource, /:log-stream:DestinationDelivery$/);
            assert.ok(
                firehose.options!.dependsOn.includes(
                    ofType(plan, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === `${prefix}-clickstream-firehose`)!.urn,
                ),
            );
        });
    });
}
