import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { throwArgumentErrors } from "./argumentErrors";

export interface GlueEtlJobArgs {
    /** Physical job name (also the trigger's prefix). */
    readonly jobName: string;
    /** The job's role (least privilege, built by the tier). */
    readonly roleArn: pulumi.Input<string>;
    /** Bucket the script, its extra files and --TempDir live in (the data lake). */
    readonly bucket: pulumi.Input<string>;
    /** Key prefix of the uploaded script and extra files, e.g. "glue-assets/etl/". */
    readonly assetPrefix: string;
    /** Local path of the job script. */
    readonly scriptPath: string;
    /** Local files copied to the script's working directory (Glue's --extra-files). */
    readonly extraFiles: readonly string[];
    /** S3 URI of the job's temporary directory. */
    readonly tempDir: pulumi.Input<string>;
    /** The Glue security configuration (S3, CloudWatch and bookmark encryption). */
    readonly securityConfiguration: pulumi.Input<string>;
    /** Key the uploaded objects and log groups are encrypted with. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Log-group prefix: Glue 5.0 writes `<prefix>/error` and `<prefix>/output`, declared here first. */
    readonly logGroupPrefix: string;
    readonly logRetentionDays: number;
    /** G.1X workers (at least 2). */
    readonly workers: number;
    readonly timeoutMinutes: number;
    readonly maxRetries: number;
    /** Glue cron expression of the daily trigger. */
    readonly schedule: string;
    /** The script's own arguments (`--NAME` → value). */
    readonly scriptArguments: Record<string, pulumi.Input<string>>;
}

/** `<base>-<first 16 hex of sha256(content)>.<ext>`: a new object per content change, the old one untouched. */
export function contentHashedName(file: string): string {
    const digest = crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex").slice(0, 16);
    const ext = path.extname(file);
    return `${path.basename(file, ext)}-${digest}${ext}`;
}

/**
 * A Glue 5.0 Spark job run daily by a SCHEDULED trigger: the script (and its extra files) uploaded under a
 * content-hashed key, bookmarks on, metrics, the security configuration, and its error/output log groups declared
 * with retention and the stack key before Glue would create them without.
 */
export class GlueEtlJob extends pulumi.ComponentResource {
    readonly job: aws.glue.Job;
    readonly trigger: aws.glue.Trigger;
    readonly logGroups: aws.cloudwatch.LogGroup[];
    readonly scriptKey: string;

    constructor(name: string, args: GlueEtlJobArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:analytics:GlueEtlJob", name, {}, opts);
        const problems: string[] = [];
        if (!Number.isInteger(args.workers) || args.workers < 2)
            problems.push(`workers must be an integer of at least 2, got ${args.workers}`);
        if (!/^cron\(.+\)$/.test(args.schedule))
            problems.push(`schedule must be a Glue cron expression, got ${JSON.stringify(args.schedule)}`);
        if (!/^[^:*]{1,400}$/.test(args.logGroupPrefix))
            problems.push(`logGroupPrefix must be 1-400 characters without ':' or '*', got ${JSON.stringify(args.logGroupPrefix)}`);
        for (const file of [args.scriptPath, ...args.extraFiles]) if (!fs.existsSync(file)) problems.push(`${file} does not exist`);
        throwArgumentErrors(this, problems);
        const parent = { parent: this };

        const uploads: aws.s3.BucketObjectv2[] = [];
        const upload = (file: string, role: string) => {
            const key = `${args.assetPrefix}${contentHashedName(file)}`;
            uploads.push(
                new aws.s3.BucketObjectv2(
                    `${name}-${role}`,
                    {
                        bucket: args.bucket,
                        key,
                        source: new pulumi.asset.FileAsset(file),
                        serverSideEncryption: "aws:kms",
                        kmsKeyId: args.kmsKeyArn,
                        bucketKeyEnabled: true,
                    },
                    parent,
                ),
            );
            return pulumi.interpolate`s3://${args.bucket}/${key}`;
        };
        this.scriptKey = `${args.assetPrefix}${contentHashedName(args.scriptPath)}`;
        const scriptLocation = upload(args.scriptPath, "script");
        const extraFiles = args.extraFiles.map((f, i) => upload(f, `extra-file-${i}`));

        this.logGroups = ["error", "output"].map(
            (stream) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-${stream}-logs`,
                    {
                        name: `${args.logGroupPrefix}/${stream}`,
                        retentionInDays: args.logRetentionDays,
                        kmsKeyId: args.kmsKeyArn,
                    },
                    parent,
                ),
        );

        this.job = new aws.glue.Job(
            `${name}-job`,
            {
                name: args.jobName,
                roleArn: args.roleArn,
                glueVersion: "5.0",
                workerType: "G.1X",
                numberOfWorkers: args.workers,
                timeout: args.timeoutMinutes,
                maxRetries: args.maxRetries,
                securityConfiguration: args.securityConfiguration,
                executionClass: "STANDARD",
                executionProperty: { maxConcurrentRuns: 1 },
                command: { name: "glueetl", scriptLocation, pythonVersion: "3" },
                defaultArguments: pulumi.all([extraFiles, args.tempDir]).apply(([files, tempDir]) => ({
                    "--job-language": "python",
                    "--job-bookmark-option": "job-bookmark-enable",
                    "--TempDir": tempDir,
                    "--enable-metrics": "true",
                    "--enable-observability-metrics": "true",
                    "--custom-logGroup-prefix": args.logGroupPrefix,
                    ...(files.length > 0 ? { "--extra-files": files.join(",") } : {}),
                })),
                nonOverridableArguments: pulumi
                    .output(args.scriptArguments)
                    .apply((a) => Object.fromEntries(Object.entries(a).map(([k, v]) => [`--${k}`, v]))),
            },
            { parent: this, dependsOn: [...this.logGroups, ...uploads] },
        );

        this.trigger = new aws.glue.Trigger(
            `${name}-daily`,
            {
                name: `${args.jobName}-daily`,
                type: "SCHEDULED",
                schedule: args.schedule,
                startOnCreation: true,
                actions: [{ jobName: this.job.name }],
            },
            parent,
        );
        this.registerOutputs({ jobName: this.job.name, triggerName: this.trigger.name });
    }
}
