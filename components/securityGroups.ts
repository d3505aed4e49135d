import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

export interface SecurityGroupsArgs {
    /** The VPC the groups belong to. */
    readonly vpcId: pulumi.Input<string>;
    /**
     * The ALB's only source: CloudFront's origin-facing managed prefix list (public ALB), or, for a CloudFront VPC
     * origin (internal ALB), CloudFront's VPC-origin service group, admitted later through {@link admitVpcOrigin}
     * because CloudFront creates that group only with the first VPC origin.
     */
    readonly albSource: { readonly cloudFrontPrefixListId: pulumi.Input<string> } | "cloudfront-vpc-origin";
    /** Container ports of the PBCs the ALB routes to. */
    readonly routedPorts: readonly number[];
    /** Container ports of every PBC in the application subnets (PBC-to-PBC calls through Cloud Map). */
    readonly applicationPorts: readonly number[];
    /** Container ports of the payment-isolated PBCs. */
    readonly paymentPorts: readonly number[];
    /** The interface endpoints' group (declared by the network); it gains 443 from the workloads. */
    readonly endpointSecurityGroupId: pulumi.Input<string>;
}

/** A rule as declared, for tests and reviews: one port range, one source or destination. */
interface RuleSpec {
    direction: "in" | "out";
    port: number;
    toPort?: number;
    peer: { group: pulumi.Input<string>; label: string } | { cidr: string } | { prefixList: pulumi.Input<string> };
    description: string;
}

const POSTGRES = 5432;
// ElastiCache serverless serves on 6379 and its read-replica endpoint on 6380.
const CACHE_FROM = 6379;
const CACHE_TO = 6380;
const HTTPS = 443;

/**
 * The platform's security groups. Every rule names one TCP port (or the cache's 6379-6380 pair)
 * and one peer; nothing admits 0.0.0.0/0 or ::/0, nothing uses protocol -1, no range reaches 22.
 */
export class SecurityGroups extends pulumi.ComponentResource {
    readonly alb: aws.ec2.SecurityGroup;
    readonly application: aws.ec2.SecurityGroup;
    readonly payment: aws.ec2.SecurityGroup;
    readonly data: aws.ec2.SecurityGroup;
    readonly lambda: aws.ec2.SecurityGroup;

    constructor(
        private readonly name: string,
        args: SecurityGroupsArgs,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("retail:security:SecurityGroups", name, {}, opts);
        for (const [field, ports] of Object.entries({
            routedPorts: args.routedPorts,
            applicationPorts: args.applicationPorts,
            paymentPorts: args.paymentPorts,
        })) {
            for (const p of ports) {
                if (!Number.isInteger(p) || p < 1024 || p > 65535)
                    throw new pulumi.ResourceError(`${field} must hold ports from 1024 to 65535, got ${p}`, this);
            }
        }
        const group = (role: string, description: string) =>
            new aws.ec2.SecurityGroup(
                `${name}-${role}`,
                {
                    vpcId: args.vpcId,
                    description,
                    tags: { Name: `${name}-${role}` },
                },
                { parent: this },
            );
        this.alb = group("alb", "Load balancer: HTTPS from CloudFront only");
        this.application = group("application", "PBC tasks in the application subnets");
        this.payment = group("payment", "Payment PBC in the payment subnets");
        this.data = group("data", "Aurora and ElastiCache in the data subnets");
        this.lambda = group("lambda", "Lambda handlers: no ingress");

        const app = { group: this.application.id, label: "application" };
        const alb = { group: this.alb.id, label: "alb" };
        const pay = { group: this.payment.id, label: "payment" };
        const lam = { group: this.lambda.id, label: "lambda" };
        const data = { group: this.data.id, label: "data" };
        const uniq = (ports: readonly number[]) => [...new Set(ports)].sort((a, b) => a - b);

        // ALB: exactly one ingress rule. The CloudFront prefix list counts as 55 of a group's 60 rules.
        this.rules("alb", this.alb.id, [
            ...(args.albSource === "cloudfront-vpc-origin"
                ? []
                : [
                      {
                          direction: "in" as const,
                          port: HTTPS,
                          peer: { prefixList: args.albSource.cloudFrontPrefixListId },
                          description: "HTTPS from CloudFront origin-facing servers",
                      },
                  ]),
            ...uniq(args.routedPorts).map((port): RuleSpec => ({ direction: "out", port, peer: app, description: "to routed PBC tasks" })),
        ]);
        this.rules("application", this.application.id, [
            ...uniq(args.routedPorts).map((port): RuleSpec => ({
                direction: "in",
                port,
                peer: alb,
                description: "from the load balancer",
            })),
            ...uniq(args.applicationPorts).map((port): RuleSpec => ({
                direction: "in",
                port,
                peer: app,
                description: "PBC-to-PBC through Cloud Map",
            })),
            ...uniq(args.applicationPorts).map((port): RuleSpec => ({
                direction: "out",
                port,
                peer: app,
                description: "PBC-to-PBC through Cloud Map",
            })),
            ...uniq(args.paymentPorts).map((port): RuleSpec => ({ direction: "out", port, peer: pay, description: "checkout to payment" })),
            { direction: "out", port: POSTGRES, peer: data, description: "Aurora PostgreSQL" },
            { direction: "out", port: CACHE_FROM, toPort: CACHE_TO, peer: data, description: "ElastiCache and its reader endpoint" },
            { direction: "out", port: HTTPS, peer: { cidr: "0.0.0.0/0" }, description: "AWS APIs, endpoints and S3 over HTTPS" },
        ]);
        this.rules("payment", this.payment.id, [
            ...uniq(args.paymentPorts).map((port): RuleSpec => ({
                direction: "in",
                port,
                peer: app,
                description: "from checkout in the application group",
            })),
            { direction: "out", port: POSTGRES, peer: data, description: "Aurora PostgreSQL" },
            { direction: "out", port: HTTPS, peer: { cidr: "0.0.0.0/0" }, description: "payment provider, endpoints and S3 over HTTPS" },
        ]);
        this.rules("data", this.data.id, [
            ...[app, lam, pay].map((peer): RuleSpec => ({
                direction: "in",
                port: POSTGRES,
                peer,
                description: `PostgreSQL from ${peer.label}`,
            })),
            ...[app, lam].map((peer): RuleSpec => ({
                direction: "in",
                port: CACHE_FROM,
                toPort: CACHE_TO,
                peer,
                description: `cache from ${peer.label}`,
            })),
        ]);
        this.rules("lambda", this.lambda.id, [
            { direction: "out", port: POSTGRES, peer: data, description: "Aurora PostgreSQL" },
            { direction: "out", port: CACHE_FROM, toPort: CACHE_TO, peer: data, description: "ElastiCache and its reader endpoint" },
            { direction: "out", port: HTTPS, peer: { cidr: "0.0.0.0/0" }, description: "AWS APIs, endpoints and S3 over HTTPS" },
        ]);
        this.rules(
            "endpoints",
            args.endpointSecurityGroupId,
            [app, lam, pay].map((peer): RuleSpec => ({
                direction: "in",
                port: HTTPS,
                peer,
                description: `HTTPS from ${peer.label}`,
            })),
        );

        this.registerOutputs({
            albSecurityGroupId: this.alb.id,
            applicationSecurityGroupId: this.application.id,
            paymentSecurityGroupId: this.payment.id,
            dataSecurityGroupId: this.data.id,
            lambdaSecurityGroupId: this.lambda.id,
        });
    }

    /** The internal ALB's one ingress rule: HTTPS from CloudFront's VPC-origin service group. */
    admitVpcOrigin(serviceGroupId: pulumi.Input<string>): void {
        this.rules("alb", this.alb.id, [
            {
                direction: "in",
                port: HTTPS,
                peer: { group: serviceGroupId, label: "cloudfront-vpc-origin" },
                description: "HTTPS from CloudFront VPC origins",
            },
        ]);
    }

    private rules(role: string, securityGroupId: pulumi.Input<string>, specs: RuleSpec[]): void {
        for (const spec of specs) {
            const peer =
                "group" in spec.peer
                    ? { referencedSecurityGroupId: spec.peer.group }
                    : "cidr" in spec.peer
                      ? { cidrIpv4: spec.peer.cidr }
                      : { prefixListId: spec.peer.prefixList };
            const peerLabel = "group" in spec.peer ? spec.peer.label : "cidr" in spec.peer ? "anywhere" : "cloudfront";
            const ports = spec.toPort ? `${spec.port}-${spec.toPort}` : `${spec.port}`;
            const args = {
                securityGroupId,
                ipProtocol: "tcp",
                fromPort: spec.port,
                toPort: spec.toPort ?? spec.port,
                description: spec.description,
                ...peer,
            };
            const ruleName = `${this.name}-${role}-${spec.direction}-${ports}-${peerLabel}`;
            if (spec.direction === "in") new aws.vpc.SecurityGroupIngressRule(ruleName, args, { parent: this });
            else new aws.vpc.SecurityGroupEgressRule(ruleName, args, { parent: this });
        }
    }
}
