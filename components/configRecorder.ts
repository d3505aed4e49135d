import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";

/** One AWS Config managed rule: its name in the account and the identifier AWS gives it (they often differ). */
export interface ManagedRule {
    readonly name: string;
    readonly identifier: string;
    readonly description: string;
    /** Parameters of the managed rule, serialized to InputParameters. */
    readonly parameters?: Record<string, string>;
}

export interface ConfigRecorderArgs {
    /** The region of this recorder; undefined for the home region (the default provider's). */
    readonly region?: string;
    /**
     * Whether this is the home region: only there are the global IAM types recorded (Config records them in every
     * region it runs in unless excluded, each a billed configuration item).
     */
    readonly isHome: boolean;
    /** ARN of the AWSServiceRoleForConfig service-linked role. */
    readonly roleArn: pulumi.Input<string>;
    /** The governance bucket the delivery channel writes to. */
    readonly bucketName: pulumi.Input<string>;
    /** The governance bucket's policy: Config checks it when the delivery channel is created. */
    readonly bucketPolicy: pulumi.Input<pulumi.Resource>;
    /** The key of the governance bucket (in the bucket's region, not necessarily this one). */
    readonly bucketKmsKeyArn: pulumi.Input<string>;
    /** Managed rules evaluated in this region. */
    readonly rules: readonly ManagedRule[];
}

/** Resource types never recorded: each Fargate task start creates and deletes a network interface, a billed item. */
export const EXCLUDED_EVERYWHERE = ["AWS::EC2::NetworkInterface"];
/** Global types recorded only in the home region. */
export const EXCLUDED_OUTSIDE_HOME = ["AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::RDS::GlobalCluster"];

/**
 * AWS Config in one region: the recorder (every supported type but the excluded ones, continuous), the delivery
 * channel to the governance bucket (after the bucket policy Config checks), the recorder status (after the channel:
 * a recorder cannot start without one), and the managed rules (after the recorder runs).
 */
export class ConfigRecorder extends pulumi.ComponentResource {
    readonly recorder: aws.cfg.Recorder;
    readonly deliveryChannel: aws.cfg.DeliveryChannel;
    readonly status: aws.cfg.RecorderStatus;
    readonly rules: Record<string, aws.cfg.Rule> = {};

    constructor(name: string, args: ConfigRecorderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:governance:ConfigRecorder", name, {}, opts);
        const names = args.rules.map((r) => r.name);
        if (new Set(names).size !== names.length) throw new pulumi.ResourceError(`rules list a name twice: ${names.join(", ")}`, this);
        const region = args.region ? { region: args.region } : {};
        const excluded = args.isHome ? EXCLUDED_EVERYWHERE : [...EXCLUDED_EVERYWHERE, ...EXCLUDED_OUTSIDE_HOME];

        this.recorder = new aws.cfg.Recorder(
            `${name}-recorder`,
            {
                ...region,
                name: "default",
                roleArn: args.roleArn,
                recordingGroup: {
                    // The exclusion strategy needs allSupported and includeGlobalResourceTypes off.
                    allSupported: false,
                    includeGlobalResourceTypes: false,
                    recordingStrategies: [{ useOnly: "EXCLUSION_BY_RESOURCE_TYPES" }],
                    exclusionByResourceTypes: [{ resourceTypes: excluded }],
                },
                recordingMode: { recordingFrequency: "CONTINUOUS" },
            },
            { parent: this },
        );
        this.deliveryChannel = new aws.cfg.DeliveryChannel(
            `${name}-channel`,
            {
                ...region,
                name: "default",
                s3BucketName: args.bucketName,
                s3KmsKeyArn: args.bucketKmsKeyArn,
                snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
            },
            { parent: this, dependsOn: [this.recorder, args.bucketPolicy] },
        );
        this.status = new aws.cfg.RecorderStatus(
            `${name}-status`,
            {
                ...region,
                name: this.recorder.name,
                isEnabled: true,
            },
            { parent: this, dependsOn: [this.deliveryChannel] },
        );
        for (const rule of args.rules) {
            this.rules[rule.name] = new aws.cfg.Rule(
                `${name}-${rule.name}`,
                {
                    ...region,
                    name: rule.name,
                    description: rule.description,
                    source: { owner: "AWS", sourceIdentifier: rule.identifier },
                    ...(rule.parameters ? { inputParameters: JSON.stringify(rule.parameters) } : {}),
                },
                { parent: this, dependsOn: [this.recorder, this.status] },
            );
        }
        this.registerOutputs({ recorderName: this.recorder.name, ruleNames: names });
    }
}
