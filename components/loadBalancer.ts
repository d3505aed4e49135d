import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

export interface LoadBalancerArgs {
    /** Subnets of the load balancer: the public ones, or the application ones when internal (CloudFront VPC origin). */
    readonly subnetIds: pulumi.Input<string>[];
    /** The ALB security group (443 from CloudFront only). */
    readonly securityGroupId: pulumi.Input<string>;
    /** Internal load balancer reached through a CloudFront VPC origin instead of the internet. */
    readonly internal: boolean;
    /** ARN of the validated home-region certificate for the origin name. */
    readonly certificateArn: pulumi.Input<string>;
    /** Bucket receiving access logs under "alb/" (an SSE-S3 bucket: ALB delivers logs nowhere else). */
    readonly accessLogsBucket: pulumi.Input<string>;
    /** The logs bucket's policy granting ALB log delivery; the ALB waits for it (ELB checks it at creation). */
    readonly accessLogsPolicy: pulumi.Input<pulumi.Resource>;
    /** Refuse deletion (production). */
    readonly deletionProtection: boolean;
}

// Rule planning is pure config work (validated before any resource); the constants live with it.
export {
    MAX_RULE_CONDITION_VALUES,
    ORIGIN_VERIFY_VALUES,
    PATTERNS_PER_RULE,
    PRIORITY_BAND,
    planListenerRules,
} from "../config/listenerRules";
export type { PlannedRule } from "../config/listenerRules";
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The ALB's `namePrefix`: its physical name is this and a unique id; the stack is in its tags. */
export const LOAD_BALANCER_NAME_PREFIX = "alb-";

/**
 * The origin load balancer: HTTPS on 443 only (CloudFront connects HTTPS-only and the ALB group
 * admits nothing else), a TLS 1.3-capable policy, invalid header fields dropped, strictest desync mitigation, access
 * logs, and a fixed 403 for anything no PBC rule matches — including every request without the X-Origin-Verify
 * header, since each PBC rule requires it.
 */
export class LoadBalancer extends pulumi.ComponentResource {
    readonly loadBalancer: aws.lb.LoadBalancer;
    readonly listener: aws.lb.Listener;
    readonly arnSuffix: pulumi.Output<string>;
    readonly dnsName: pulumi.Output<string>;
    readonly zoneId: pulumi.Output<string>;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:ingress:LoadBalancer", name, {}, opts);
        if (args.subnetIds.length < 2)
            throw new pulumi.ResourceError(`an ALB needs subnets in at least 2 AZs, got ${args.subnetIds.length}`, this);
        this.loadBalancer = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                // Load balancer names hold at most 32 characters; the resource name plus the autonamer's 8 exceeds that.
                // A prefix (at most 6; the provider appends a 26-character unique id) keeps create-before-delete
                // replacement: an explicit `name` would delete the ALB first, which deletion protection refuses.
                namePrefix: LOAD_BALANCER_NAME_PREFIX,
                loadBalancerType: "application",
                internal: args.internal,
                subnets: args.subnetIds,
                securityGroups: [args.securityGroupId],
                ipAddressType: "ipv4",
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "strictest",
                enableDeletionProtection: args.deletionProtection,
                idleTimeout: 60,
                accessLogs: { enabled: true, bucket: args.accessLogsBucket, prefix: "alb" },
            },
            { parent: this, dependsOn: [args.accessLogsPolicy] },
        );
        this.listener = new aws.lb.Listener(
            `${name}-https`,
            {
                loadBalancerArn: this.loadBalancer.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: TLS_POLICY,
                certificateArn: args.certificateArn,
                defaultActions: [
                    { type: "fixed-response", fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "Forbidden" } },
                ],
            },
            { parent: this },
        );
        this.arnSuffix = this.loadBalancer.arnSuffix;
        this.dnsName = this.loadBalancer.dnsName;
        this.zoneId = this.loadBalancer.zoneId;
        this.registerOutputs({ loadBalancerArn: this.loadBalancer.arn, listenerArn: this.listener.arn, dnsName: this.dnsName });
    }
}
