import * as pulumi from "@pulumi/pulumi";
import * as aws from "./aws";
import { policyDocument, PolicyStatement } from "./iam";

export interface SealedTopicPolicyArgs {
    /** ARN of the topic whose single policy this component writes. */
    readonly topicArn: pulumi.Input<string>;
    /**
     * The same ARN for statements to name, built from the topic's explicit name (partition, region, account), so the
     * policy document is known at a stack's first preview and the pack can judge it; defaults to `topicArn`.
     */
    readonly statementTopicArn?: pulumi.Input<string>;
}

/**
 * The one `aws.sns.TopicPolicy` of a topic. A topic has exactly one policy (a second TopicPolicy would replace the
 * first), so tiers contribute statements with {@link addStatement} and {@link seal} writes it once after every tier.
 * Nothing is written when no tier contributed a statement (the topic keeps its default policy).
 */
export class SealedTopicPolicy extends pulumi.ComponentResource {
    /** The written policy, once {@link seal} has run (undefined when no statement was contributed). */
    readonly policy: Promise<aws.sns.TopicPolicy | undefined>;
    private resolvePolicy!: (policy: aws.sns.TopicPolicy | undefined) => void;
    private readonly statements: pulumi.Input<PolicyStatement>[] = [];
    private sealed = false;
    /** The topic's ARN for statements (see {@link SealedTopicPolicyArgs.statementTopicArn}). */
    readonly statementTopicArn: pulumi.Output<string>;

    constructor(
        private readonly resourceName: string,
        private readonly args: SealedTopicPolicyArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("retail:shared:SealedTopicPolicy", resourceName, {}, opts);
        this.policy = new Promise((resolve) => {
            this.resolvePolicy = resolve;
        });
        this.statementTopicArn = pulumi.output(args.statementTopicArn ?? args.topicArn);
        this.registerOutputs({ topicArn: args.topicArn });
    }

    /** Adds a statement to the topic's one policy (before {@link seal}). */
    addStatement(statement: pulumi.Input<PolicyStatement>): void {
        if (this.sealed) throw new pulumi.ResourceError("a topic policy statement was added after the topic policy was written", this);
        this.statements.push(statement);
    }

    /** Writes the topic's single policy. Called once, after every tier has contributed. */
    seal(): void {
        if (this.sealed) return;
        this.sealed = true;
        if (this.statements.length === 0) {
            this.resolvePolicy(undefined);
            return;
        }
        this.resolvePolicy(
            new aws.sns.TopicPolicy(
                `${this.resourceName}-policy`,
                {
                    arn: this.args.topicArn,
                    policy: policyDocument(this.statements),
                },
                { parent: this },
            ),
        );
    }
}
