import * as assert from "assert";
import { mockedIdentity, ofType, planOf, PlanJson, PlanResource, resolveRef } from "../support/plan";
import { doc } from "../support/ingress";

const PBCS = ["cart", "catalogue", "checkout", "customer", "inventory", "order", "payment", "search", "storefront"];
const BUSY = ["cart", "catalogue", "checkout", "search", "storefront"];

for (const stack of ["staging", "production"]) {
    describe(`application tier (${stack})`, function () {
        let plan: PlanJson;
        const p = (suffix: string) => `retail-platform-${stack}-${suffix}`;
        const named = (type: string, name: string): PlanResource => {
            const found = ofType(plan, type).filter((r) => r.name === name);
            assert.strictEqual(found.length, 1, `${type} ${name}`);
            return found[0];
        };
        before(function () {
            this.timeout(60_000);
            plan = planOf(stack);
        });

        it("runs a cluster with Container Insights whose log group the program creates, encrypted and with retention", () => {
            const [cluster] = ofType(plan, "aws:ecs/cluster:Cluster");
            assert.strictEqual(cluster.inputs.name, `retail-platform-${stack}`);
            assert.deepStrictEqual(cluster.inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
            const insights = ofType(plan, "aws:cloudwatch/logGroup:LogGroup").find(
                (g) => g.inputs.name === `/aws/ecs/containerinsights/retail-platform-${stack}/performance`,
            )!;
            assert.ok(insights, "Container Insights log group declared");
            assert.ok(insights.inputs.kmsKeyId);
            assert.strictEqual(insights.inputs.retentionInDays, stack === "production" ? 365 : 30);
            assert.strictEqual(cluster.tier, "application");
        });

        it("has a Cloud Map namespace, an immutable scanned KMS repository per PBC and an encrypted operations topic", () => {
            const [ns] = ofType(plan, "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace");
            assert.strictEqual(ns.inputs.name, `${stack}.retail.internal`);
            const repos = ofType(plan, "aws:ecr/repository:Repository").filter((r) => r.tier === "application");
            assert.deepStrictEqual(
                repos.map((r) => r.inputs.name).sort(),
                PBCS.map((n) => `retail-platform-${stack}/${n}`),
            );
            for (const r of repos) {
                assert.strictEqual(r.inputs.imageTagMutability, "IMMUTABLE");
                assert.deepStrictEqual(r.inputs.imageScanningConfiguration, { scanOnPush: true });
                assert.strictEqual(r.inputs.encryptionConfigurations[0].encryptionType, "KMS");
                assert.strictEqual(resolveRef(plan, r.inputs.encryptionConfigurations[0].kmsKey).type, "aws:kms/key:Key");
            }
            const topic = named("aws:sns/topic:Topic", p("ecs-operations"));
            assert.strictEqual(resolveRef(plan, topic.inputs.kmsMasterKeyId).inputs.region, undefined, "the home key");
        });

        for (const pbc of PBCS) {
            it(`declares PBC ${pbc}: service, task definition, roles, scaling and alarm`, () => {
                const isPayment = pbc === "payment";
                const service = named("aws:ecs/service:Service", p(`${pbc}-service`));
                const s = service.inputs;
                assert.strictEqual(s.name, pbc);
                assert.strictEqual(s.launchType, "FARGATE");
                // Staging runs one task per PBC (Pulumi.staging.yaml); production 6 for the busy PBCs, 2 for the others.
                const expected = stack === "production" ? (BUSY.includes(pbc) ? 6 : 2) : 1;
                assert.strictEqual(s.desiredCount, expected);
                assert.strictEqual(s.networkConfiguration.assignPublicIp, false);
                const subnetClass = isPayment ? "payment" : "application";
                for (const id of s.networkConfiguration.subnets)
                    assert.strictEqual(resolveRef(plan, id).inputs.tags["retail:subnet-class"], subnetClass);
                assert.deepStrictEqual(
                    s.networkConfiguration.securityGroups.map((g: string) => resolveRef(plan, g).name),
                    [p(isPayment ? "payment" : "application")],
                );
                assert.deepStrictEqual(s.deploymentCircuitBreaker, { enable: true, rollback: true });
                assert.strictEqual(resolveRef(plan, s.serviceRegistries.registryArn).inputs.name, pbc);
                assert.strictEqual(resolveRef(plan, s.cluster).type, "aws:ecs/cluster:Cluster");

                const td = resolveRef(plan, s.taskDefinition);
                assert.deepStrictEqual([td.inputs.networkMode, td.inputs.requiresCompatibilities], ["awsvpc", ["FARGATE"]]);
                const [c] = JSON.parse(td.inputs.containerDefinitions);
                assert.strictEqual(c.user, "1000:1000");
                assert.strictEqual(c.readonlyRootFilesystem, true);
                assert.notStrictEqual(c.privileged, true);
                assert.deepStrictEqual(td.inputs.volumes, [{ name: "tmp" }], "a task-scoped bind mount for /tmp");
                assert.deepStrictEqual(c.mountPoints, [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
                // No Secrets Manager secret is declared: every `secrets` entry is one of the platform's runtime
                // parameters (an endpoint or id AWS assigns), which the plan declares.
                const parameters = ofType(plan, "aws:ssm/parameter:Parameter");
                const parameterOf = (valueFrom: string) => {
                    const m = new RegExp(`^arn:aws:ssm:eu-west-1:123456789012:parameter(/retail-platform-${stack}/runtime/.+)$`).exec(
                        valueFrom,
                    );
                    return m ? parameters.find((x) => x.inputs.name === m[1]) : undefined;
                };
                assert.ok(c.secrets.length > 0, "every committed PBC is told an endpoint or id");
                for (const secret of c.secrets) assert.ok(parameterOf(secret.valueFrom), `${secret.name}: ${secret.valueFrom}`);
                // A changed parameter value starts new tasks (ECS reads parameters at task start), after the parameter.
                assert.strictEqual(s.forceNewDeployment, true);
                assert.deepStrictEqual(
                    s.triggers,
                    Object.fromEntries(c.secrets.map((x: any) => [x.name, parameterOf(x.valueFrom)!.inputs.insecureValue])),
                );
                assert.deepStrictEqual(
                    [...service.propertyDependencies!.triggers].sort(),
                    [...new Set(c.secrets.map((x: any) => parameterOf(x.valueFrom)!.urn))].sort(),
                );
                assert.strictEqual(c.logConfiguration.logDriver, "awslogs");
                const logGroup = ofType(plan, "aws:cloudwatch/logGroup:LogGroup").find(
                    (g) => g.inputs.name === c.logConfiguration.options["awslogs-group"],
                )!;
                assert.ok(logGroup.inputs.kmsKeyId, "encrypted log group");

                const execution = resolveRef(plan, td.inputs.executionRoleArn);
                const task = resolveRef(plan, td.inputs.taskRoleArn);
                assert.notStrictEqual(execution.name, task.name, "separate execution and task roles");
                for (const role of [execution, task]) {
                    const trust = doc(role.inputs.assumeRolePolicy).Statement[0];
                    assert.deepStrictEqual(trust.Principal, { Service: "ecs-tasks.amazonaws.com" });
                    assert.deepStrictEqual(trust.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
                }
                // A new revision waits for its roles' policies: its tasks start with the parameters and grants they need.
                const rolePolicies = ofType(plan, "aws:iam/rolePolicy:RolePolicy").filter((r) =>
                    [p(`${pbc}-execution-policy`), p(`${pbc}-task-policy`), p(`${pbc}-task-ids-policy`)].includes(r.name),
                );
                assert.deepStrictEqual(
                    rolePolicies.map((r) => r.urn).filter((u) => !td.options!.dependsOn.includes(u)),
                    [],
                );
                const execPolicy = doc(named("aws:iam/rolePolicy:RolePolicy", p(`${pbc}-execution-policy`)).inputs.policy);
                assert.deepStrictEqual(
                    execPolicy.Statement.map((x) => x.Sid),
                    ["EcrAuthorization", "PullOwnRepository", "WriteOwnLogs", "ReadRuntimeParameters"],
                    "no secrets declared: no secret access",
                );
                // Exactly the parameters the container names; String parameters need no key.
                assert.deepStrictEqual(execPolicy.Statement[3], {
                    Sid: "ReadRuntimeParameters",
                    Effect: "Allow",
                    Action: "ssm:GetParameters",
                    Resource: [...new Set(c.secrets.map((x: any) => x.valueFrom))].sort(),
                });
                assert.strictEqual(resolveRef(plan, execPolicy.Statement[1].Resource).inputs.name, `retail-platform-${stack}/${pbc}`);
                // No extra permissions declared: the task role holds only the data access the PBC declares (stacks/grants.ts).
                const taskPolicies = ofType(plan, "aws:iam/rolePolicy:RolePolicy").filter((r) => r.name === p(`${pbc}-task-policy`));
                assert.ok(taskPolicies.length <= 1);
                for (const st of taskPolicies.flatMap((t) => doc(t.inputs.policy).Statement)) {
                    const ok =
                        st.Action === "rds-db:connect"
                            ? st.Resource.endsWith(`/pbc_${pbc}`)
                            : st.Sid === "PublishDomainEvents"
                              ? st.Action === "events:PutEvents"
                              : /^(Table|Bucket)/.test(st.Sid ?? "") ||
                                !!st.Condition?.StringEquals?.["kms:ViaService"] ||
                                // Identity and Bedrock grants (their exact contents: test/identity).
                                st.Sid === "ShopperPoolAdmin" ||
                                st.Sid === "InvokeDeclaredBedrockModels";
                    assert.ok(ok, `unexpected task role statement ${JSON.stringify(st)}`);
                }

                const target = named("aws:appautoscaling/target:Target", p(`${pbc}-scaling`));
                assert.deepStrictEqual([target.inputs.minCapacity, target.inputs.maxCapacity], [expected, stack === "production" ? 20 : 4]);
                assert.strictEqual(target.inputs.resourceId, `service/retail-platform-${stack}/${pbc}`);
                const cpu = named("aws:appautoscaling/policy:Policy", p(`${pbc}-cpu-target`)).inputs
                    .targetTrackingScalingPolicyConfiguration;
                assert.deepStrictEqual(
                    [cpu.targetValue, cpu.predefinedMetricSpecification.predefinedMetricType],
                    [70, "ECSServiceAverageCPUUtilization"],
                );
                const requests = ofType(plan, "aws:appautoscaling/policy:Policy").filter((x) => x.name === p(`${pbc}-requests-target`));
                if (isPayment) {
                    assert.strictEqual(requests.length, 0, "payment is not behind the ALB");
                    assert.strictEqual(s.loadBalancers, undefined);
                } else {
                    const spec = requests[0].inputs.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification;
                    assert.strictEqual(spec.predefinedMetricType, "ALBRequestCountPerTarget");
                    const tg = resolveRef(plan, s.loadBalancers[0].targetGroupArn);
                    const lb = ofType(plan, "aws:lb/loadBalancer:LoadBalancer")[0];
                    const lbSuffix = mockedIdentity(plan, lb).arn.split(":loadbalancer/")[1];
                    const tgSuffix = mockedIdentity(plan, tg).arn.split(":").pop();
                    assert.strictEqual(spec.resourceLabel, `${lbSuffix}/${tgSuffix}`);
                    // The committed stacks health-check "/" while they run the placeholder image (see the stack files).
                    assert.deepStrictEqual(
                        [tg.inputs.targetType, tg.inputs.deregistrationDelay, tg.inputs.healthCheck.path],
                        ["ip", 30, "/"],
                    );
                    assert.strictEqual(s.loadBalancers[0].containerName, pbc);
                }

                const alarm = named("aws:cloudwatch/metricAlarm:MetricAlarm", p(`${pbc}-high-cpu`)).inputs;
                assert.deepStrictEqual(
                    [alarm.namespace, alarm.metricName, alarm.threshold, alarm.comparisonOperator],
                    ["AWS/ECS", "CPUUtilization", 70, "GreaterThanThreshold"],
                );
                assert.deepStrictEqual(alarm.dimensions, { ClusterName: `retail-platform-${stack}`, ServiceName: pbc });
                assert.deepStrictEqual(
                    alarm.alarmActions.map((a: string) => resolveRef(plan, a).name),
                    [p("ecs-operations")],
                );
            });
        }

        it("leaves desiredCount to auto scaling after creation and attaches target groups before the services start", () => {
            const services = ofType(plan, "aws:ecs/service:Service");
            assert.strictEqual(services.length, PBCS.length);
            for (const service of services) {
                const o = service.options!;
                assert.deepStrictEqual(o.ignoreChanges, ["desiredCount"], service.name);
                const routed = !service.name.includes("-payment-");
                assert.strictEqual(
                    o.dependsOn.some((u) => u.includes("ListenerRule")),
                    routed,
                    `${service.name} waits for its listener rules`,
                );
            }
        });

        it("isolates payment: payment subnets, its own group reachable only from the application group on its port, no ALB route", () => {
            const ingressRules = ofType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
                (r) => resolveRef(plan, r.inputs.securityGroupId).name === p("payment"),
            );
            assert.deepStrictEqual(
                ingressRules.map((r) => [r.inputs.fromPort, r.inputs.toPort, resolveRef(plan, r.inputs.referencedSecurityGroupId).name]),
                [[8080, 8080, p("application")]],
            );
            assert.strictEqual(ofType(plan, "aws:lb/targetGroup:TargetGroup").filter((t) => t.name.includes("-payment-")).length, 0);
            const checkout = resolveRef(plan, named("aws:ecs/service:Service", p("checkout-service")).inputs.taskDefinition);
            const env = JSON.parse(checkout.inputs.containerDefinitions)[0].environment;
            assert.deepStrictEqual(
                env.find((e: any) => e.name === "PAYMENT_SERVICE_ADDRESS"),
                { name: "PAYMENT_SERVICE_ADDRESS", value: `payment.${stack}.retail.internal:8080` },
            );
        });

        it("health-checks payment inside its container on the port it listens on (it has no ALB health check); routed PBCs rely on the ALB", () => {
            const containerOf = (pbc: string) =>
                JSON.parse(
                    resolveRef(plan, named("aws:ecs/service:Service", p(`${pbc}-service`)).inputs.taskDefinition).inputs
                        .containerDefinitions,
                )[0];
            const payment = containerOf("payment");
            assert.deepStrictEqual(
                payment.portMappings.map((m: any) => m.containerPort),
                [8080],
                "the placeholder's port",
            );
            assert.deepStrictEqual(payment.healthCheck, {
                command: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"],
                interval: 30,
                timeout: 5,
                retries: 3,
                startPeriod: 60,
            });
            assert.strictEqual(containerOf("checkout").healthCheck, undefined);
        });
    });
}
