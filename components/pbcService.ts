import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { arnFromName, KeyGrantRef, keyStatement, policyDocument, PolicyStatement, serviceTrustPolicy } from "./iam";
import { ORIGIN_VERIFY_HEADER } from "./loadBalancer";
import { RuntimeParameter } from "./runtimeParameter";
import { throwArgumentErrors } from "./argumentErrors";

/** How the public load balancer routes to a PBC; absent for internal PBCs (payment). */
/** The target group's `namePrefix`: the PBC name's first 5 characters and a dash (the provider allows 6). */
export function targetGroupNamePrefix(pbcName: string): string {
    return `${pbcName.slice(0, 5)}-`;
}

export interface PbcRouting {
    /** ARN of the ALB's HTTPS listener. */
    readonly listenerArn: pulumi.Input<string>;
    /** The ALB's ARN suffix ("app/<name>/<id>"), for the requests-per-target scaling metric. */
    readonly loadBalancerArnSuffix: pulumi.Input<string>;
    /** The PBC's listener rules: priorities unique per listener, at most 3 path patterns each. */
    readonly rules: readonly { readonly priority: number; readonly pathPatterns: readonly string[] }[];
    /** X-Origin-Verify values a request must carry (current secret, and the previous one during a rotation). */
    readonly originVerifyValues: pulumi.Input<string>[];
    /** The VPC of the target group. */
    readonly vpcId: pulumi.Input<string>;
}

export interface PbcServiceArgs {
    /** The PBC's name: the container, ECS service and Cloud Map service are called this. */
    readonly pbcName: string;
    /** Image reference with a tag or digest (must exist before `pulumi up`). */
    readonly image: string;
    /** Task CPU units (a Fargate size). */
    readonly cpu: number;
    /** Task memory in MiB (valid for the CPU size). */
    readonly memory: number;
    /** Tasks at creation; afterwards auto scaling owns the count. */
    readonly desiredCount: number;
    /** Auto scaling's lower bound. */
    readonly minCount: number;
    /** Auto scaling's upper bound (at most 20). */
    readonly maxCount: number;
    /** Port the container listens on (unprivileged: the container runs as non-root). */
    readonly containerPort: number;
    /** Path the health check requests: the target group's, or (without ALB routing) the container's own. */
    readonly healthCheckPath: string;
    /** Non-root "uid:gid" the container runs as. */
    readonly user: string;
    /** Writable directories besides /tmp, each a bind-mount volume (the root filesystem is read-only). */
    readonly writablePaths: readonly string[];
    /** Plain environment variables (never credentials). */
    readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
    /** Variables ECS injects from Secrets Manager: variable name -> secret ARN. */
    readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
    /**
     * Variables ECS injects from SSM parameters: variable name -> parameter. For values AWS assigns at creation
     * (endpoints, ids): the definition names the parameter, known at preview, and a changed value redeploys the service.
     */
    readonly parameters?: Readonly<Record<string, RuntimeParameter>>;
    /** The PBC's declared AWS permissions, the task role's only grants. */
    readonly permissions: readonly { readonly actions: readonly string[]; readonly resources: readonly string[] }[];
    /** Further task-role statements the platform grants (e.g. its data stores). */
    readonly extraTaskRoleStatements?: pulumi.Input<PolicyStatement>[];
    /** Task-role statements naming ids AWS assigns at creation; a policy of their own, so the rest is known at preview. */
    readonly assignedIdTaskRoleStatements?: pulumi.Input<PolicyStatement>[];
    /** ARN of the cluster. */
    readonly clusterArn: pulumi.Input<string>;
    /** Name of the cluster (scaling resource id and alarm dimension). */
    readonly clusterName: string;
    /** Subnets the tasks run in (application, or payment for the PCI-isolated PBC). */
    readonly subnetIds: pulumi.Input<string>[];
    /** Security group of the tasks. */
    readonly securityGroupId: pulumi.Input<string>;
    /** Cloud Map namespace the service registers in. */
    readonly namespaceId: pulumi.Input<string>;
    /** The PBC's ECR repository (the execution role may pull from it). */
    readonly repositoryArn: pulumi.Input<string>;
    /** The stack's home region. */
    readonly region: string;
    /** The account, for the roles' confused-deputy conditions. */
    readonly accountId: pulumi.Input<string>;
    /** ARN of the home key: the log group's key, and the key Secrets Manager decrypts the secrets with. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The same key as the execution role's policy names it (by alias, known at a first preview). */
    readonly kmsKey: KeyGrantRef;
    /** Retention of the task log group in days. */
    readonly logRetentionDays: number;
    /** Topic the high-CPU alarm notifies. */
    readonly alarmTopicArn: pulumi.Input<string>;
    /** ALB routing; absent for a PBC only reached through Cloud Map. */
    readonly routing?: PbcRouting;
    /** Target of the requests-per-target scaling policy (ALB requests per task per minute). */
    readonly requestsPerTarget?: number;
}

export const CPU_TARGET_PERCENT = 70;
export const DEFAULT_REQUESTS_PER_TARGET = 1000;
export const DEREGISTRATION_DELAY_SECONDS = 30;

/**
 * One packaged business capability on ECS Fargate: task
 * definition (non-root, read-only root filesystem, bind mounts for /tmp and the writable paths, encrypted logs,
 * secrets injected by ECS), a task role with only the declared permissions, a separate execution role, the target
 * group and listener rules, the service (private subnets, no public IP, circuit breaker with rollback, Cloud Map),
 * target-tracking auto scaling on CPU and ALB requests per target, and the high-CPU alarm.
 */
/** The container that makes the task's bind mounts writable for the non-root application, and its image. */
export const VOLUME_INIT_CONTAINER = "volume-permissions";
const VOLUME_INIT_IMAGE = "public.ecr.aws/docker/library/busybox:1.36";

/**
 * The IAM resource for a `valueFrom` secret reference: ECS accepts a JSON key, version stage or id after the ARN
 * (`…:secret:name-AbCdEf:key::`) and ARNs without the 6-character suffix, IAM matches only the secret's own ARN.
 */
export function secretResourceArn(valueFrom: string): string {
    const arn = valueFrom.split(":").slice(0, 7).join(":");
    return /-[A-Za-z0-9]{6}$/.test(arn) ? arn : `${arn}-??????`;
}

export class PbcService extends pulumi.ComponentResource {
    readonly service: aws.ecs.Service;
    readonly taskDefinition: aws.ecs.TaskDefinition;
    readonly taskRole: aws.iam.Role;
    readonly executionRole: aws.iam.Role;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly targetGroup?: aws.lb.TargetGroup;
    readonly listenerRules: aws.lb.ListenerRule[] = [];
    readonly discovery: aws.servicediscovery.Service;
    readonly highCpuAlarm: aws.cloudwatch.MetricAlarm;

    constructor(name: string, args: PbcServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:application:PbcService", name, {}, opts);
        this.validate(args);
        const parent = { parent: this };
        const pbc = args.pbcName;

        const logGroupName = `/ecs/${args.clusterName}/${pbc}`;
        this.logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: logGroupName,
                retentionInDays: args.logRetentionDays,
                kmsKeyId: args.kmsKeyArn,
            },
            parent,
        );

        // Execution role: what ECS needs to start the task — pull the image, write logs, read exactly the declared secrets.
        this.executionRole = new aws.iam.Role(
            `${name}-execution`,
            {
                description: `ECS task execution for PBC ${pbc}: image pull, logs, its declared secrets`,
                assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", args.accountId),
            },
            parent,
        );
        const secretArns = Object.values(args.secrets);
        const parameters = Object.entries(args.parameters ?? {}).sort(([a], [b]) => a.localeCompare(b));
        const parameterArns = pulumi.all(parameters.map(([, p]) => p.arn));
        const executionPolicy = new aws.iam.RolePolicy(
            `${name}-execution-policy`,
            {
                role: this.executionRole.id,
                // The key joins only when there are secrets to decrypt: it is unknown on a first preview, and any unknown
                // value makes the whole document unknown to the policy pack.
                policy: policyDocument(
                    pulumi
                        .all([
                            args.repositoryArn,
                            arnFromName("logs", args.region, args.accountId, `log-group:${logGroupName}`),
                            pulumi.all(secretArns),
                            parameterArns,
                        ])
                        .apply(([repo, logs, secrets, parameterResources]) => {
                            const statements: pulumi.Input<PolicyStatement>[] = [
                                { Sid: "EcrAuthorization", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                                {
                                    Sid: "PullOwnRepository",
                                    Effect: "Allow",
                                    Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                                    Resource: repo,
                                },
                                {
                                    Sid: "WriteOwnLogs",
                                    Effect: "Allow",
                                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                                    Resource: `${logs}:log-stream:*`,
                                },
                            ];
                            if (parameterResources.length > 0) {
                                // String parameters: no key to decrypt with (kms:Decrypt is needed for SecureString only).
                                statements.push({
                                    Sid: "ReadRuntimeParameters",
                                    Effect: "Allow",
                                    Action: "ssm:GetParameters",
                                    Resource: [...new Set(parameterResources)].sort(),
                                });
                            }
                            if (secrets.length > 0) {
                                statements.push({
                                    Sid: "ReadDeclaredSecrets",
                                    Effect: "Allow",
                                    Action: "secretsmanager:GetSecretValue",
                                    Resource: [...new Set(secrets.map(secretResourceArn))].sort(),
                                });
                                statements.push(
                                    keyStatement(args.kmsKey, {
                                        sid: "DecryptSecretsThroughSecretsManager",
                                        actions: "kms:Decrypt",
                                        viaServices: ["secretsmanager"],
                                    }),
                                );
                            }
                            return pulumi.all(statements);
                        }),
                ),
            },
            { ...parent, aliases: [{ name: `${name}-execution` }] },
        );

        // Task role: the application's own permissions, nothing else.
        this.taskRole = new aws.iam.Role(
            `${name}-task-role`,
            {
                description: `PBC ${pbc}: its declared AWS permissions only`,
                assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", args.accountId),
            },
            { ...parent, aliases: [{ name: `${name}-task` }] },
        );
        const declared: PolicyStatement[] = args.permissions.map((p, i) => ({
            Sid: `Declared${i}`,
            Effect: "Allow",
            Action: [...p.actions],
            Resource: [...p.resources],
        }));
        const taskStatements: pulumi.Input<PolicyStatement>[] = [...declared, ...(args.extraTaskRoleStatements ?? [])];
        // Created before the main policy is updated, so a statement moving into it is never missing in between.
        const assignedIdStatements = args.assignedIdTaskRoleStatements ?? [];
        const assignedIdPolicy =
            assignedIdStatements.length > 0
                ? new aws.iam.RolePolicy(
                      `${name}-task-ids-policy`,
                      { role: this.taskRole.id, policy: policyDocument(assignedIdStatements) },
                      parent,
                  )
                : undefined;
        const taskPolicies: aws.iam.RolePolicy[] = assignedIdPolicy ? [assignedIdPolicy] : [];
        if (taskStatements.length > 0) {
            const taskPolicy = new aws.iam.RolePolicy(
                `${name}-task-policy`,
                { role: this.taskRole.id, policy: policyDocument(taskStatements) },
                { ...parent, aliases: [{ name: `${name}-task` }], dependsOn: assignedIdPolicy ? [assignedIdPolicy] : [] },
            );
            taskPolicies.push(taskPolicy);
        }

        const volumes = [{ name: "tmp", path: "/tmp" }, ...args.writablePaths.map((path, i) => ({ name: `writable-${i}`, path }))];
        const mountPoints = volumes.map((v) => ({ sourceVolume: v.name, containerPath: v.path, readOnly: false }));
        const containerDefinitions = pulumi
            .all([
                this.logGroup.name,
                pulumi.all(args.environment as Record<string, pulumi.Input<string>>),
                pulumi.all(args.secrets as Record<string, pulumi.Input<string>>),
                pulumi.all(Object.fromEntries(parameters.map(([n, p]) => [n, p.arn]))),
            ])
            .apply(([logGroup, environment, secrets, parameterArnsByVariable]) =>
                JSON.stringify([
                    {
                        name: pbc,
                        image: args.image,
                        essential: true,
                        user: args.user,
                        readonlyRootFilesystem: true,
                        privileged: false,
                        portMappings: [{ containerPort: args.containerPort, protocol: "tcp", name: "http" }],
                        // Without an ALB target group nothing else checks the application: ECS would report a task RUNNING while
                        // its port refuses every call. The container checks itself (busybox wget: alpine images, the placeholder
                        // included, carry it; a real image must provide wget too) and ECS replaces a task that stays unhealthy.
                        ...(args.routing
                            ? {}
                            : {
                                  healthCheck: {
                                      command: [
                                          "CMD-SHELL",
                                          `wget -q -O /dev/null http://127.0.0.1:${args.containerPort}${args.healthCheckPath} || exit 1`,
                                      ],
                                      interval: 30,
                                      timeout: 5,
                                      retries: 3,
                                      startPeriod: 60,
                                  },
                              }),
                        environment: Object.entries(environment)
                            .sort(([a], [b]) => a.localeCompare(b))
                            .map(([n, value]) => ({ name: n, value })),
                        secrets: Object.entries({ ...secrets, ...parameterArnsByVariable })
                            .sort(([a], [b]) => a.localeCompare(b))
                            .map(([n, valueFrom]) => ({ name: n, valueFrom })),
                        mountPoints,
                        linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] } },
                        logConfiguration: {
                            logDriver: "awslogs",
                            options: {
                                "awslogs-group": logGroup,
                                "awslogs-region": args.region,
                                "awslogs-stream-prefix": pbc,
                                mode: "non-blocking",
                                "max-buffer-size": "4m",
                            },
                        },
                        dependsOn: [{ containerName: VOLUME_INIT_CONTAINER, condition: "SUCCESS" }],
                    },
                    {
                        // Fargate creates bind mounts owned by root (mode 0755) unless the image declares them as VOLUMEs, so the
                        // non-root application could not write /tmp. This short-lived container opens them up, then exits.
                        name: VOLUME_INIT_CONTAINER,
                        image: VOLUME_INIT_IMAGE,
                        essential: false,
                        user: "0:0",
                        readonlyRootFilesystem: true,
                        privileged: false,
                        command: ["chmod", "1777", ...volumes.map((v) => v.path)],
                        mountPoints,
                        linuxParameters: { capabilities: { drop: ["ALL"] } },
                        logConfiguration: {
                            logDriver: "awslogs",
                            options: { "awslogs-group": logGroup, "awslogs-region": args.region, "awslogs-stream-prefix": `${pbc}-init` },
                        },
                    },
                ]),
            );
        this.taskDefinition = new aws.ecs.TaskDefinition(
            `${name}-task`,
            {
                family: `${args.clusterName}-${pbc}`,
                requiresCompatibilities: ["FARGATE"],
                networkMode: "awsvpc",
                cpu: String(args.cpu),
                memory: String(args.memory),
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
                executionRoleArn: this.executionRole.arn,
                taskRoleArn: this.taskRole.arn,
                // Fargate has no tmpfs: a volume without a host path is task-scoped ephemeral storage (a bind mount).
                volumes: volumes.map((v) => ({ name: v.name })),
                containerDefinitions,
            },
            // A new revision's tasks start once the roles hold what they need (the parameters it names, new grants).
            { ...parent, dependsOn: [executionPolicy, ...taskPolicies] },
        );

        if (args.routing) {
            const routing = args.routing;
            this.targetGroup = new aws.lb.TargetGroup(
                `${name}-tg`,
                {
                    // Target group names hold at most 32 characters and `${name}-tg` plus the autonamer's 8 exceeds that:
                    // a prefix of at most 6 (the provider appends a 26-character unique id) keeps create-before-delete
                    // replacement, which an explicit `name` would turn into delete-first (refused while a listener rule
                    // still forwards to the group).
                    namePrefix: targetGroupNamePrefix(pbc),
                    port: args.containerPort,
                    protocol: "HTTP",
                    protocolVersion: "HTTP1",
                    targetType: "ip", // Fargate tasks register by IP (awsvpc)
                    vpcId: routing.vpcId,
                    deregistrationDelay: DEREGISTRATION_DELAY_SECONDS,
                    healthCheck: {
                        enabled: true,
                        path: args.healthCheckPath,
                        protocol: "HTTP",
                        matcher: "200-399",
                        interval: 15,
                        timeout: 5,
                        healthyThreshold: 2,
                        unhealthyThreshold: 3,
                    },
                },
                parent,
            );
            routing.rules.forEach((rule, i) => {
                this.listenerRules.push(
                    new aws.lb.ListenerRule(
                        `${name}-rule-${i}`,
                        {
                            listenerArn: routing.listenerArn,
                            priority: rule.priority,
                            actions: [{ type: "forward", targetGroupArn: this.targetGroup!.arn }],
                            conditions: [
                                { pathPattern: { values: [...rule.pathPatterns] } },
                                { httpHeader: { httpHeaderName: ORIGIN_VERIFY_HEADER, values: routing.originVerifyValues } },
                            ],
                        },
                        parent,
                    ),
                );
            });
        }

        this.discovery = new aws.servicediscovery.Service(
            `${name}-discovery`,
            {
                name: pbc,
                description: `PBC ${pbc}`,
                dnsConfig: { namespaceId: args.namespaceId, routingPolicy: "MULTIVALUE", dnsRecords: [{ type: "A", ttl: 10 }] },
                healthCheckCustomConfig: {},
                forceDestroy: false,
            },
            parent,
        );

        this.service = new aws.ecs.Service(
            `${name}-service`,
            {
                name: pbc,
                cluster: args.clusterArn,
                taskDefinition: this.taskDefinition.arn,
                desiredCount: args.desiredCount,
                launchType: "FARGATE",
                platformVersion: "LATEST",
                networkConfiguration: { subnets: args.subnetIds, securityGroups: [args.securityGroupId], assignPublicIp: false },
                deploymentCircuitBreaker: { enable: true, rollback: true },
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: 200,
                ...(this.targetGroup
                    ? {
                          loadBalancers: [{ targetGroupArn: this.targetGroup.arn, containerName: pbc, containerPort: args.containerPort }],
                          healthCheckGracePeriodSeconds: 60,
                      }
                    : {}),
                serviceRegistries: { registryArn: this.discovery.arn },
                // ECS reads a parameter only when a task starts: a changed value (a replaced cluster's endpoint) must
                // start new tasks, as a changed task definition did when the value was in it. The provider redeploys
                // when `triggers` change and `forceNewDeployment` is set; referencing the values also orders the
                // service after the parameters.
                ...(parameters.length > 0
                    ? { forceNewDeployment: true, triggers: Object.fromEntries(parameters.map(([n, p]) => [n, p.value])) }
                    : {}),
                propagateTags: "SERVICE",
                enableEcsManagedTags: true,
                waitForSteadyState: false,
            },
            {
                parent: this,
                // Set on creation, then owned by auto scaling: an update must not scale production down mid-sale.
                ignoreChanges: ["desiredCount"],
                // A target group must be attached to the listener before a service can register targets in it.
                dependsOn: this.listenerRules,
            },
        );

        const target = new aws.appautoscaling.Target(
            `${name}-scaling`,
            {
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId: pulumi.interpolate`service/${args.clusterName}/${this.service.name}`,
                minCapacity: args.minCount,
                maxCapacity: args.maxCount,
            },
            parent,
        );
        const tracking = (policy: string, predefinedMetricType: string, targetValue: number, resourceLabel?: pulumi.Input<string>) =>
            new aws.appautoscaling.Policy(
                `${name}-${policy}`,
                {
                    policyType: "TargetTrackingScaling",
                    serviceNamespace: target.serviceNamespace,
                    scalableDimension: target.scalableDimension,
                    resourceId: target.resourceId,
                    targetTrackingScalingPolicyConfiguration: {
                        targetValue,
                        predefinedMetricSpecification: { predefinedMetricType, ...(resourceLabel ? { resourceLabel } : {}) },
                        scaleOutCooldown: 60,
                        scaleInCooldown: 300,
                    },
                },
                parent,
            );
        tracking("cpu-target", "ECSServiceAverageCPUUtilization", CPU_TARGET_PERCENT);
        if (this.targetGroup && args.routing) {
            tracking(
                "requests-target",
                "ALBRequestCountPerTarget",
                args.requestsPerTarget ?? DEFAULT_REQUESTS_PER_TARGET,
                pulumi.interpolate`${args.routing.loadBalancerArnSuffix}/${this.targetGroup.arnSuffix}`,
            );
        }

        // The HighCPU alarm. Scaling targets the same 70 %, so a quarter of an hour above it means scaling has
        // run out of room (maxCount) or cannot place tasks: that is what the operations topic hears about.
        this.highCpuAlarm = new aws.cloudwatch.MetricAlarm(
            `${name}-high-cpu`,
            {
                name: `${args.clusterName}-${pbc}-HighCPU`,
                alarmDescription: `PBC ${pbc}: average CPU above ${CPU_TARGET_PERCENT}% for 15 minutes despite auto scaling`,
                namespace: "AWS/ECS",
                metricName: "CPUUtilization",
                dimensions: { ClusterName: args.clusterName, ServiceName: this.service.name },
                statistic: "Average",
                period: 60,
                evaluationPeriods: 15,
                datapointsToAlarm: 15,
                threshold: CPU_TARGET_PERCENT,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
                alarmActions: [args.alarmTopicArn],
                okActions: [args.alarmTopicArn],
            },
            parent,
        );

        this.registerOutputs({
            serviceName: this.service.name,
            taskDefinitionArn: this.taskDefinition.arn,
            taskRoleArn: this.taskRole.arn,
            executionRoleArn: this.executionRole.arn,
            targetGroupArn: this.targetGroup?.arn,
            discoveryServiceArn: this.discovery.arn,
            logGroupName: this.logGroup.name,
            highCpuAlarmArn: this.highCpuAlarm.arn,
        });
    }

    private validate(args: PbcServiceArgs): void {
        const problems: string[] = [];
        const fail = (msg: string) => problems.push(msg);
        if (!(args.minCount >= 1 && args.minCount <= args.desiredCount && args.desiredCount <= args.maxCount && args.maxCount <= 20)) {
            fail(
                `counts must satisfy 1 <= minCount <= desiredCount <= maxCount <= 20, got ${args.minCount}/${args.desiredCount}/${args.maxCount}`,
            );
        }
        if (/^0:|^root/.test(args.user)) fail(`user must not be root, got ${JSON.stringify(args.user)}`);
        if (args.routing) {
            if (args.routing.rules.length === 0) fail("routing needs at least one listener rule");
            if (args.routing.originVerifyValues.length < 1 || args.routing.originVerifyValues.length > 2)
                fail(`originVerifyValues must hold 1 or 2 values, got ${args.routing.originVerifyValues.length}`);
            for (const r of args.routing.rules) {
                if (r.pathPatterns.length === 0 || r.pathPatterns.length + args.routing.originVerifyValues.length > 5) {
                    fail(
                        `listener rule ${r.priority} has ${r.pathPatterns.length} path patterns; a rule holds at most 5 condition values including the header's`,
                    );
                }
            }
        }
        const env = Object.keys(args.environment).filter((k) => k in args.secrets);
        if (env.length) fail(`variables ${env.join(", ")} are both plain and secret`);
        const fromParameters = Object.keys(args.parameters ?? {}).filter((k) => k in args.environment || k in args.secrets);
        if (fromParameters.length) fail(`variables ${fromParameters.join(", ")} are set both from a parameter and otherwise`);
        throwArgumentErrors(this, problems, `PBC ${args.pbcName}: `);
    }
}
