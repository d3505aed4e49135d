import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { throwArgumentErrors } from "./argumentErrors";

export interface AuroraClusterArgs {
    /** Cluster identifier (lower-case letters, digits, hyphens). */
    readonly clusterIdentifier: string;
    /** Aurora PostgreSQL engine version, e.g. "16.6". */
    readonly engineVersion: string;
    /** Minimum capacity in ACU (0 pauses the cluster when idle). */
    readonly minCapacity: number;
    /** Maximum capacity in ACU. */
    readonly maxCapacity: number;
    /** Reader instances besides the writer. */
    readonly readers: number;
    /** Days of automated backups (1-35). */
    readonly backupRetentionDays: number;
    /** The data subnets. */
    readonly subnetIds: pulumi.Input<string>[];
    /** The data security group (5432 from the application, Lambda and payment groups). */
    readonly securityGroupId: pulumi.Input<string>;
    /** The stack's key: storage, the managed master secret, Performance Insights. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Retention of the PostgreSQL log group (a CloudWatch Logs retention value). */
    readonly logRetentionDays: number;
    /** Production: deletion protection on and a final snapshot on delete. */
    readonly production: boolean;
    /** Name of the initial database. */
    readonly databaseName: string;
}

/**
 * Aurora PostgreSQL Serverless v2: a writer and `readers` readers of class db.serverless, never
 * publicly accessible; storage, master secret and Performance Insights under the stack's key; IAM authentication;
 * SSL forced; PostgreSQL logs exported into a log group declared first (else RDS creates an unencrypted one).
 */
export class AuroraCluster extends pulumi.ComponentResource {
    readonly cluster: aws.rds.Cluster;
    readonly instances: aws.rds.ClusterInstance[];
    /** Writes go here. */
    readonly writerEndpoint: pulumi.Output<string>;
    /** Reads go here (catalogue browsing, availability checks). */
    readonly readerEndpoint: pulumi.Output<string>;
    /** The cluster's resource id, which `rds-db:connect` ARNs name. */
    readonly clusterResourceId: pulumi.Output<string>;
    /** ARN of the RDS-managed master secret (rotated every 7 days: for the migration runner only). */
    readonly masterUserSecretArn: pulumi.Output<string>;
    readonly masterUsername = "retail_admin";
    readonly port = 5432;

    constructor(name: string, args: AuroraClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:data:AuroraCluster", name, {}, opts);
        const problems: string[] = [];
        if (args.minCapacity < 0 || args.maxCapacity < 1 || args.minCapacity > args.maxCapacity || args.maxCapacity > 256) {
            problems.push(`capacity must satisfy 0 <= min <= max <= 256 and max >= 1, got ${args.minCapacity}-${args.maxCapacity}`);
        }
        if (!Number.isInteger(args.readers) || args.readers < 0 || args.readers > 15) {
            problems.push(`readers must be an integer from 0 to 15, got ${args.readers}`);
        }
        throwArgumentErrors(this, problems);
        const parent = { parent: this };
        const major = args.engineVersion.split(".")[0];

        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            {
                description: "Aurora in the data subnets (no route to the internet)",
                subnetIds: args.subnetIds,
            },
            parent,
        );
        const parameters = new aws.rds.ClusterParameterGroup(
            `${name}-params`,
            {
                family: `aurora-postgresql${major}`,
                description: "Forces TLS for every connection",
                parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }],
            },
            parent,
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-postgresql-logs`,
            {
                name: `/aws/rds/cluster/${args.clusterIdentifier}/postgresql`,
                retentionInDays: args.logRetentionDays,
                kmsKeyId: args.kmsKeyArn,
            },
            parent,
        );

        this.cluster = new aws.rds.Cluster(
            `${name}-cluster`,
            {
                clusterIdentifier: args.clusterIdentifier,
                engine: "aurora-postgresql",
                engineMode: "provisioned",
                engineVersion: args.engineVersion,
                databaseName: args.databaseName,
                masterUsername: this.masterUsername,
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: args.kmsKeyArn,
                storageEncrypted: true,
                kmsKeyId: args.kmsKeyArn,
                iamDatabaseAuthenticationEnabled: true,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [args.securityGroupId],
                dbClusterParameterGroupName: parameters.name,
                port: this.port,
                backupRetentionPeriod: args.backupRetentionDays,
                preferredBackupWindow: "02:00-03:00",
                preferredMaintenanceWindow: "sun:04:00-sun:05:00",
                copyTagsToSnapshot: true,
                deletionProtection: args.production,
                skipFinalSnapshot: !args.production,
                finalSnapshotIdentifier: args.production ? `${args.clusterIdentifier}-final` : undefined,
                enabledCloudwatchLogsExports: ["postgresql"],
                serverlessv2ScalingConfiguration: {
                    minCapacity: args.minCapacity,
                    maxCapacity: args.maxCapacity,
                    // Only meaningful at 0 ACU: pause after 10 idle minutes.
                    secondsUntilAutoPause: args.minCapacity === 0 ? 600 : undefined,
                },
            },
            { parent: this, dependsOn: [logGroup] },
        );

        this.instances = [];
        for (let i = 0; i <= args.readers; i++) {
            const role = i === 0 ? "writer" : `reader-${i}`;
            this.instances.push(
                new aws.rds.ClusterInstance(
                    `${name}-${role}`,
                    {
                        identifier: `${args.clusterIdentifier}-${role}`,
                        clusterIdentifier: this.cluster.id,
                        instanceClass: "db.serverless",
                        engine: "aurora-postgresql",
                        engineVersion: this.cluster.engineVersion,
                        dbSubnetGroupName: subnetGroup.name,
                        publiclyAccessible: false,
                        promotionTier: i === 0 ? 0 : 1,
                        // The cluster pins engineVersion from config; upgrades happen by changing it, not behind its back.
                        autoMinorVersionUpgrade: false,
                        performanceInsightsEnabled: true,
                        performanceInsightsKmsKeyId: args.kmsKeyArn,
                        performanceInsightsRetentionPeriod: 7,
                    },
                    parent,
                ),
            );
        }
        this.writerEndpoint = this.cluster.endpoint;
        this.readerEndpoint = this.cluster.readerEndpoint;
        this.clusterResourceId = this.cluster.clusterResourceId;
        // RDS reports the secret once it manages the password; an empty ARN would only fail later, in SSM's PutParameter.
        this.masterUserSecretArn = this.cluster.masterUserSecrets.apply((s) => {
            const arn = s?.[0]?.secretArn;
            if (!arn) throw new Error("the Aurora cluster reported no RDS-managed master secret (manageMasterUserPassword must be true)");
            return arn;
        });
        this.registerOutputs({
            writerEndpoint: this.writerEndpoint,
            readerEndpoint: this.readerEndpoint,
            clusterResourceId: this.clusterResourceId,
            masterUserSecretArn: this.masterUserSecretArn,
        });
    }

    /** The IAM statement letting a role connect as `dbUser` with an IAM token, and as nothing else. */
    connectStatement(region: string, accountId: pulumi.Input<string>, partition: pulumi.Input<string>, dbUser: string) {
        return pulumi.all([this.clusterResourceId, accountId, partition]).apply(([resourceId, account, part]) => ({
            Effect: "Allow" as const,
            Action: "rds-db:connect",
            Resource: `arn:${part}:rds-db:${region}:${account}:dbuser:${resourceId}/${dbUser}`,
        }));
    }
}
