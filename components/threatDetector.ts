import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";

export interface ThreatDetectorArgs {
    /** Region of the detector; undefined for the home region. */
    readonly region?: string;
    /** GuardDuty protection plans to enable, each a DetectorFeature (the detector's `datasources` block is deprecated). */
    readonly features: readonly string[];
    /** How often updated findings are exported to EventBridge. */
    readonly findingPublishingFrequency: "FIFTEEN_MINUTES" | "ONE_HOUR" | "SIX_HOURS";
}

/** Runtime monitoring's agent for ECS Fargate: GuardDuty manages the sidecar, so the PBC tasks are covered. */
const ADDITIONAL: Record<string, { name: string; status: string }[]> = {
    RUNTIME_MONITORING: [{ name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" }],
};

/** The account's GuardDuty detector in one region (one per account and region) and its protection plans. */
export class ThreatDetector extends pulumi.ComponentResource {
    readonly detector: aws.guardduty.Detector;
    readonly features: aws.guardduty.DetectorFeature[] = [];

    constructor(name: string, args: ThreatDetectorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:governance:ThreatDetector", name, {}, opts);
        if (new Set(args.features).size !== args.features.length)
            throw new pulumi.ResourceError(`features list a plan twice: ${args.features.join(", ")}`, this);
        const region = args.region ? { region: args.region } : {};
        this.detector = new aws.guardduty.Detector(
            `${name}-detector`,
            {
                ...region,
                enable: true,
                findingPublishingFrequency: args.findingPublishingFrequency,
            },
            { parent: this },
        );
        for (const feature of args.features) {
            this.features.push(
                new aws.guardduty.DetectorFeature(
                    `${name}-${feature.toLowerCase().replace(/_/g, "-")}`,
                    {
                        ...region,
                        detectorId: this.detector.id,
                        name: feature,
                        status: "ENABLED",
                        ...(ADDITIONAL[feature] ? { additionalConfigurations: ADDITIONAL[feature] } : {}),
                    },
                    { parent: this },
                ),
            );
        }
        this.registerOutputs({ detectorId: this.detector.id });
    }
}
