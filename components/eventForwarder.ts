import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";

export interface EventForwarderArgs {
    /** The region whose default bus receives the events (an EventBridge target must be in its rule's region). */
    readonly region: string;
    /** Physical name of the rule. */
    readonly ruleName: string;
    readonly description: string;
    /** Event pattern (JSON) of the events to forward. */
    readonly eventPattern: pulumi.Input<string>;
    /** ARN of the home region's default event bus. */
    readonly homeBusArn: pulumi.Input<string>;
    /** Role EventBridge assumes to put events on the home bus (events:PutEvents on it). */
    readonly roleArn: pulumi.Input<string>;
}

/** A rule on a region's default bus forwarding matching events to the home region's default bus. */
export class EventForwarder extends pulumi.ComponentResource {
    readonly rule: aws.cloudwatch.EventRule;
    readonly target: aws.cloudwatch.EventTarget;

    constructor(name: string, args: EventForwarderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:governance:EventForwarder", name, {}, opts);
        const region = { region: args.region };
        this.rule = new aws.cloudwatch.EventRule(
            `${name}-rule`,
            {
                ...region,
                name: args.ruleName,
                description: args.description,
                eventPattern: args.eventPattern,
            },
            { parent: this },
        );
        this.target = new aws.cloudwatch.EventTarget(
            `${name}-target`,
            {
                ...region,
                rule: this.rule.name,
                // A target id is unique per rule only; the autonamed `<resource name>-<7 hex>` would pass its 64-character cap.
                targetId: "home-default-bus",
                arn: args.homeBusArn,
                roleArn: args.roleArn,
            },
            { parent: this },
        );
        this.registerOutputs({ ruleArn: this.rule.arn });
    }
}
