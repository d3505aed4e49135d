import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { throwArgumentErrors } from "./argumentErrors";

export interface RedshiftWarehouseArgs {
    /** Namespace and workgroup name (lower case, digits, hyphens; 3-64). */
    readonly name: string;
    readonly databaseName: string;
    readonly adminUsername: string;
    /** The stack key: warehouse storage, the managed admin secret and the audit log groups. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The role Redshift assumes for Spectrum and COPY (the namespace's default). */
    readonly roleArn: pulumi.Input<string>;
    /** Exactly three data subnets, one per AZ (enhanced VPC routing needs three AZs). */
    readonly subnetIds: pulumi.Input<string>[];
    /** Their AZs, validated distinct. */
    readonly availabilityZones: pulumi.Input<string[]>;
    readonly vpcId: pulumi.Input<string>;
    /** Groups admitted to 5439, by label. */
    readonly clientSecurityGroups: Readonly<Record<string, pulumi.Input<string>>>;
    /** The interface endpoints' group: the warehouse reaches Glue there (443), and the group admits it. */
    readonly endpointSecurityGroupId: pulumi.Input<string>;
    /** The S3 gateway endpoint's prefix list: the warehouse reaches S3 there (443). */
    readonly s3PrefixListId: pulumi.Input<string>;
    /** Base RPUs: 4, or a multiple of 8 from 8 to 512 (AWS's default of 128 is never relied on). */
    readonly baseCapacity: number;
    readonly maxCapacity: number;
    /** RPU-hours per day before the usage limit acts. */
    readonly dailyRpuHourLimit: number;
    /** What breaching the limit does: turn user queries off, or only emit a metric (then alarmed). */
    readonly breachAction: "deactivate" | "emit-metric";
    readonly logRetentionDays: number;
}

export const REDSHIFT_PORT = 5439;
/** Audit logs exported to CloudWatch (`/aws/redshift/<namespace>/<type>`). */
export const REDSHIFT_LOG_EXPORTS = ["connectionlog", "userlog", "useractivitylog"] as const;

/**
 * Every parameter AWS returns for a workgroup, in AWS's snake_case keys: the API refuses camelCase, and leaving one
 * out makes the provider report a difference on every plan.
 */
export const REDSHIFT_CONFIG_PARAMETERS: Readonly<Record<string, string>> = {
    auto_mv: "true",
    datestyle: "ISO, MDY",
    enable_case_sensitive_identifier: "false",
    enable_user_activity_logging: "true",
    max_query_execution_time: "14400",
    query_group: "default",
    require_ssl: "true",
    search_path: "$user, public",
    use_fips_ssl: "false",
};

/**
 * Redshift Serverless: a namespace under the stack key with a managed admin password and audit-log exports into
 * log groups declared first, a private workgroup with enhanced VPC routing in three data subnets behind its own
 * `warehouse` group, and a daily RPU-hour usage limit.
 */
export class RedshiftWarehouse extends pulumi.ComponentResource {
    readonly namespace: aws.redshiftserverless.Namespace;
    readonly workgroup: aws.redshiftserverless.Workgroup;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly usageLimit: aws.redshiftserverless.UsageLimit;
    readonly logGroups: aws.cloudwatch.LogGroup[];

    constructor(name: string, args: RedshiftWarehouseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:analytics:RedshiftWarehouse", name, {}, opts);
        const problems: string[] = [];
        if (!/^[a-z0-9-]{3,64}$/.test(args.name))
            problems.push(`name must be 3-64 lower-case letters, digits or hyphens, got ${JSON.stringify(args.name)}`);
        if (!(args.baseCapacity === 4 || (args.baseCapacity >= 8 && args.baseCapacity <= 512 && args.baseCapacity % 8 === 0))) {
            problems.push(`baseCapacity must be 4 or a multiple of 8 from 8 to 512, got ${args.baseCapacity}`);
        }
        if (args.maxCapacity < args.baseCapacity)
            problems.push(`maxCapacity (${args.maxCapacity}) must be at least baseCapacity (${args.baseCapacity})`);
        if (args.subnetIds.length !== 3)
            problems.push(`subnetIds must hold exactly three data subnets (three AZs), got ${args.subnetIds.length}`);
        throwArgumentErrors(this, problems);
        const parent = { parent: this };

        this.logGroups = REDSHIFT_LOG_EXPORTS.map(
            (type) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-${type}`,
                    {
                        name: `/aws/redshift/${args.name}/${type}`,
                        retentionInDays: args.logRetentionDays,
                        kmsKeyId: args.kmsKeyArn,
                    },
                    parent,
                ),
        );

        this.namespace = new aws.redshiftserverless.Namespace(
            `${name}-namespace`,
            {
                namespaceName: args.name,
                dbName: args.databaseName,
                adminUsername: args.adminUsername,
                manageAdminPassword: true,
                adminPasswordSecretKmsKeyId: args.kmsKeyArn,
                kmsKeyId: args.kmsKeyArn,
                iamRoles: [args.roleArn],
                defaultIamRoleArn: args.roleArn,
                logExports: [...REDSHIFT_LOG_EXPORTS],
            },
            { parent: this, dependsOn: this.logGroups },
        );

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: "Redshift Serverless workgroup: 5439 from named client groups; HTTPS to S3 and the endpoints",
                tags: { Name: name },
            },
            parent,
        );
        const rule = (
            direction: "in" | "out",
            label: string,
            port: number,
            peer: { referencedSecurityGroupId: pulumi.Input<string> } | { prefixListId: pulumi.Input<string> },
            description: string,
            groupId: pulumi.Input<string> = this.securityGroup.id,
        ) => {
            const ruleArgs = { securityGroupId: groupId, ipProtocol: "tcp", fromPort: port, toPort: port, description, ...peer };
            return direction === "in"
                ? new aws.vpc.SecurityGroupIngressRule(`${name}-${label}`, ruleArgs, parent)
                : new aws.vpc.SecurityGroupEgressRule(`${name}-${label}`, ruleArgs, parent);
        };
        for (const [label, groupId] of Object.entries(args.clientSecurityGroups)) {
            rule(
                "in",
                `warehouse-in-${REDSHIFT_PORT}-${label}`,
                REDSHIFT_PORT,
                { referencedSecurityGroupId: groupId },
                `Redshift from ${label}`,
            );
        }
        rule(
            "out",
            "warehouse-out-443-endpoints",
            443,
            { referencedSecurityGroupId: args.endpointSecurityGroupId },
            "Glue and other interface endpoints",
        );
        rule("out", "warehouse-out-443-s3", 443, { prefixListId: args.s3PrefixListId }, "S3 through the gateway endpoint");
        rule(
            "in",
            "endpoints-in-443-warehouse",
            443,
            { referencedSecurityGroupId: this.securityGroup.id },
            "HTTPS from warehouse",
            args.endpointSecurityGroupId,
        );

        // Redshift Serverless needs the subnets in three distinct AZs with enhanced VPC routing; refuse otherwise.
        const subnetIds = pulumi.all([pulumi.output(args.availabilityZones), pulumi.all(args.subnetIds)]).apply(([zones, ids]) => {
            if (new Set(zones.slice(0, ids.length)).size !== 3) {
                throw new pulumi.ResourceError(`the warehouse subnets must be in three distinct AZs, got ${zones.join(", ")}`, this);
            }
            return ids;
        });
        this.workgroup = new aws.redshiftserverless.Workgroup(
            `${name}-workgroup`,
            {
                workgroupName: args.name,
                namespaceName: this.namespace.namespaceName,
                baseCapacity: args.baseCapacity,
                maxCapacity: args.maxCapacity,
                subnetIds,
                securityGroupIds: [this.securityGroup.id],
                publiclyAccessible: false,
                enhancedVpcRouting: true,
                port: REDSHIFT_PORT,
                configParameters: Object.entries(REDSHIFT_CONFIG_PARAMETERS).map(([parameterKey, parameterValue]) => ({
                    parameterKey,
                    parameterValue,
                })),
            },
            parent,
        );

        this.usageLimit = new aws.redshiftserverless.UsageLimit(
            `${name}-daily-rpu-hours`,
            {
                resourceArn: this.workgroup.arn,
                usageType: "serverless-compute",
                amount: args.dailyRpuHourLimit,
                period: "daily",
                breachAction: args.breachAction,
            },
            parent,
        );
        this.registerOutputs({ workgroupName: this.workgroup.workgroupName, namespaceName: this.namespace.namespaceName });
    }
}
