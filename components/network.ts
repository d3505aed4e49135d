import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { PlannedSubnet, planSubnetsChecked, SUBNET_CLASSES, SubnetClass } from "../config/cidr";
import { arnFromName, serviceTrustPolicy, policyDocument } from "./iam";
import { throwArgumentErrors } from "./argumentErrors";

export interface NetworkArgs {
    /** The VPC's IPv4 block (/16 to /22). */
    readonly cidr: string;
    /** Availability zones to spread every subnet class over (2-6). */
    readonly azCount: number;
    /** One NAT gateway for the VPC (cheaper) or one per AZ (no cross-AZ dependency). */
    readonly natGateways: "single" | "per-az";
    /** Prefix length of each subnet class. */
    readonly subnetPrefixLengths: Record<SubnetClass, number>;
    /** Pinned CIDRs per class, AZ 0 first (existing subnets of an imported VPC); the others are allocated stably. */
    readonly subnetCidrs?: Partial<Record<SubnetClass, readonly string[]>>;
    /** Interface endpoint short names, e.g. "ecr.api"; placed in the application subnets. */
    readonly interfaceEndpoints: readonly string[];
    /** Container ports of the payment PBCs, the only ports the payment subnets admit from the application subnets. */
    readonly paymentPorts: readonly number[];
    /** The region the VPC lives in, for endpoint service names. */
    readonly region: string;
    /** The account id, for the flow-log role's confused-deputy condition. */
    readonly accountId: pulumi.Input<string>;
    /** ARN of the customer-managed key that encrypts the flow-log group. */
    readonly logsKeyArn: pulumi.Input<string>;
    /** Retention of the flow-log group in days (a CloudWatch Logs retention value). */
    readonly logRetentionDays: number;
}

/** One NACL entry as declared; exported so tests and docs can read the payment subnets' rules. */
export interface NaclEntry {
    ruleNumber: number;
    egress: boolean;
    cidrBlock: string;
    fromPort: number;
    toPort: number;
    why: string;
}

const EPHEMERAL = { from: 1024, to: 65535 };

/**
 * The payment subnets' network ACL: only the payment port and 443 from the application subnets, 5432 to the data
 * subnets, 443 out to anywhere, and the ephemeral return ports of each. Return traffic of outbound 443 (S3 gateway
 * ranges, the payment provider through NAT) arrives from anywhere, so one inbound ephemeral rule from 0.0.0.0/0 also
 * covers the returns from the application and data subnets; the rule counts stay within the default quota of 20
 * per direction for 6 AZs.
 *
 * A rule's number is fixed by its purpose and AZ (a block of 10 per purpose, AZ i at offset i), never by how many
 * AZs there are: an entry's number and CIDR cannot change in place, so a renumbering on a new AZ would replace
 * every rule and collide on the numbers still in use.
 */
export function paymentNaclEntries(applicationCidrs: string[], dataCidrs: string[], paymentPorts: readonly number[]): NaclEntry[] {
    const ports = [...new Set(paymentPorts)].sort((a, b) => a - b);
    if (ports.length > 10) throw new Error(`the payment NACL numbers at most 10 payment ports, got ${ports.length}`);
    const entries: NaclEntry[] = [];
    const add = (egress: boolean, ruleNumber: number, cidrBlock: string, fromPort: number, toPort: number, why: string) =>
        entries.push({ ruleNumber, egress, cidrBlock, fromPort, toPort, why });
    ports.forEach((port, k) =>
        applicationCidrs.forEach((cidr, az) =>
            add(false, 100 + 10 * k + az, cidr, port, port, "payment port from the application subnets"),
        ),
    );
    applicationCidrs.forEach((cidr, az) => add(false, 200 + az, cidr, 443, 443, "443 from the application subnets"));
    add(false, 300, "0.0.0.0/0", EPHEMERAL.from, EPHEMERAL.to, "return traffic of outbound connections");
    applicationCidrs.forEach((cidr, az) => add(true, 100 + az, cidr, EPHEMERAL.from, EPHEMERAL.to, "replies to the application subnets"));
    dataCidrs.forEach((cidr, az) => add(true, 200 + az, cidr, 5432, 5432, "PostgreSQL in the data subnets"));
    add(true, 300, "0.0.0.0/0", 443, 443, "HTTPS to endpoints, S3 and the payment provider");
    return entries;
}

/**
 * The platform's VPC, spread over the configured AZs: per AZ a public, an application, a data and a payment
 * subnet; NAT per config; the data subnets have no default route; S3 and DynamoDB gateway endpoints; interface
 * endpoints with private DNS; the payment NACL; flow logs; and a default security group stripped of all rules.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpc: aws.ec2.Vpc;
    readonly subnets: Record<SubnetClass, aws.ec2.Subnet[]>;
    readonly subnetIds: Record<SubnetClass, pulumi.Output<string>[]>;
    readonly subnetCidrs: Record<SubnetClass, string[]>;
    readonly routeTables: Record<SubnetClass, aws.ec2.RouteTable[]>;
    readonly natGateways: aws.ec2.NatGateway[];
    readonly endpointSecurityGroup: aws.ec2.SecurityGroup;
    readonly interfaceEndpoints: aws.ec2.VpcEndpoint[];
    readonly gatewayEndpoints: aws.ec2.VpcEndpoint[];
    readonly flowLog: aws.ec2.FlowLog;
    readonly availabilityZones: pulumi.Output<string[]>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("retail:networking:Network", name, {}, opts);
        const { subnets: plan, issues } = planSubnetsChecked(args.cidr, args.azCount, args.subnetPrefixLengths, args.subnetCidrs);
        throwArgumentErrors(
            this,
            issues.map((i) => `${i.key.join(".")}: ${i.message}`),
            `network ${args.cidr}: `,
        );
        const parent = { parent: this };

        this.vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.cidr,
                enableDnsSupport: true,
                enableDnsHostnames: true, // interface endpoints with private DNS need both
                tags: { Name: `${name}-vpc` },
            },
            parent,
        );

        // Nothing may rely on the default group: it is managed and left with no rules at all.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: this.vpc.id, tags: { Name: `${name}-default-unused` } }, parent);

        const zones = aws.getAvailabilityZonesOutput(
            { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
            parent,
        );
        this.availabilityZones = zones.names.apply((names) => {
            if (names.length < args.azCount) {
                throw new Error(`network.azCount is ${args.azCount} but ${args.region} offers ${names.length} availability zones`);
            }
            return names.slice(0, args.azCount);
        });

        const byClass = (c: SubnetClass) => plan.filter((p) => p.subnetClass === c).sort((a, b) => a.azIndex - b.azIndex);
        this.subnets = {} as Record<SubnetClass, aws.ec2.Subnet[]>;
        this.subnetCidrs = {} as Record<SubnetClass, string[]>;
        for (const subnetClass of SUBNET_CLASSES) {
            this.subnetCidrs[subnetClass] = byClass(subnetClass).map((p) => p.cidr);
            this.subnets[subnetClass] = byClass(subnetClass).map(
                (p: PlannedSubnet) =>
                    new aws.ec2.Subnet(
                        `${name}-${subnetClass}-${p.azIndex}`,
                        {
                            vpcId: this.vpc.id,
                            cidrBlock: p.cidr,
                            availabilityZone: this.availabilityZones.apply((azs) => azs[p.azIndex]),
                            mapPublicIpOnLaunch: false,
                            tags: { Name: `${name}-${subnetClass}-${p.azIndex}`, "retail:subnet-class": subnetClass },
                        },
                        parent,
                    ),
            );
        }
        this.subnetIds = Object.fromEntries(SUBNET_CLASSES.map((c) => [c, this.subnets[c].map((s) => s.id)])) as Record<
            SubnetClass,
            pulumi.Output<string>[]
        >;

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: this.vpc.id, tags: { Name: `${name}-igw` } }, parent);

        const natCount = args.natGateways === "single" ? 1 : args.azCount;
        this.natGateways = [];
        for (let i = 0; i < natCount; i++) {
            const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: { Name: `${name}-nat-${i}` } }, parent);
            this.natGateways.push(
                new aws.ec2.NatGateway(
                    `${name}-nat-${i}`,
                    {
                        allocationId: eip.id,
                        subnetId: this.subnets.public[i].id,
                        connectivityType: "public",
                        tags: { Name: `${name}-nat-${i}` },
                    },
                    { parent: this, dependsOn: [igw] },
                ),
            );
        }
        const natFor = (az: number) => this.natGateways[args.natGateways === "single" ? 0 : az];

        this.routeTables = { public: [], application: [], data: [], payment: [] };
        const publicTable = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: this.vpc.id, tags: { Name: `${name}-public` } }, parent);
        new aws.ec2.Route(
            `${name}-public-default`,
            { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
            parent,
        );
        this.routeTables.public.push(publicTable);
        this.subnets.public.forEach(
            (s, az) => new aws.ec2.RouteTableAssociation(`${name}-public-${az}`, { subnetId: s.id, routeTableId: publicTable.id }, parent),
        );

        for (const subnetClass of ["application", "data", "payment"] as const) {
            this.subnets[subnetClass].forEach((s, az) => {
                const table = new aws.ec2.RouteTable(
                    `${name}-${subnetClass}-rt-${az}`,
                    { vpcId: this.vpc.id, tags: { Name: `${name}-${subnetClass}-${az}` } },
                    parent,
                );
                // The data subnets get no default route at all: nothing in them can reach or be reached from the internet.
                if (subnetClass !== "data") {
                    new aws.ec2.Route(
                        `${name}-${subnetClass}-default-${az}`,
                        {
                            routeTableId: table.id,
                            destinationCidrBlock: "0.0.0.0/0",
                            natGatewayId: natFor(az).id,
                        },
                        parent,
                    );
                }
                new aws.ec2.RouteTableAssociation(`${name}-${subnetClass}-${az}`, { subnetId: s.id, routeTableId: table.id }, parent);
                this.routeTables[subnetClass].push(table);
            });
        }

        const privateTableIds = [...this.routeTables.application, ...this.routeTables.data, ...this.routeTables.payment].map((t) => t.id);
        this.gatewayEndpoints = ["s3", "dynamodb"].map(
            (service) =>
                new aws.ec2.VpcEndpoint(
                    `${name}-${service}-gateway`,
                    {
                        vpcId: this.vpc.id,
                        serviceName: `com.amazonaws.${args.region}.${service}`,
                        vpcEndpointType: "Gateway",
                        routeTableIds: privateTableIds,
                        tags: { Name: `${name}-${service}` },
                    },
                    parent,
                ),
        );

        // The endpoints' own group; the security tier adds its 443 rules from the application, Lambda and payment groups.
        this.endpointSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-endpoints-sg`,
            {
                vpcId: this.vpc.id,
                description: "Interface VPC endpoints: HTTPS from the platform's workloads",
                tags: { Name: `${name}-endpoints` },
            },
            parent,
        );
        this.interfaceEndpoints = args.interfaceEndpoints.map(
            (service) =>
                new aws.ec2.VpcEndpoint(
                    `${name}-${service.replace(/\./g, "-")}-endpoint`,
                    {
                        vpcId: this.vpc.id,
                        serviceName: `com.amazonaws.${args.region}.${service}`,
                        vpcEndpointType: "Interface",
                        privateDnsEnabled: true,
                        subnetIds: this.subnetIds.application,
                        securityGroupIds: [this.endpointSecurityGroup.id],
                        tags: { Name: `${name}-${service}` },
                    },
                    parent,
                ),
        );

        const nacl = new aws.ec2.NetworkAcl(
            `${name}-payment-nacl`,
            {
                vpcId: this.vpc.id,
                subnetIds: this.subnetIds.payment,
                tags: { Name: `${name}-payment` },
            },
            parent,
        );
        for (const e of paymentNaclEntries(this.subnetCidrs.application, this.subnetCidrs.data, args.paymentPorts)) {
            new aws.ec2.NetworkAclRule(
                `${name}-payment-${e.egress ? "out" : "in"}-${e.ruleNumber}`,
                {
                    networkAclId: nacl.id,
                    ruleNumber: e.ruleNumber,
                    egress: e.egress,
                    protocol: "tcp",
                    ruleAction: "allow",
                    cidrBlock: e.cidrBlock,
                    fromPort: e.fromPort,
                    toPort: e.toPort,
                },
                parent,
            );
        }

        const flowLogGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                name: `/vpc/${name}/flow-logs`,
                retentionInDays: args.logRetentionDays,
                kmsKeyId: args.logsKeyArn,
            },
            parent,
        );
        const flowLogRole = new aws.iam.Role(
            `${name}-flow-logs-role`,
            {
                description: "VPC flow logs delivery to CloudWatch Logs",
                assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", args.accountId),
            },
            { ...parent, aliases: [{ name: `${name}-flow-logs` }] },
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs-policy`,
            {
                role: flowLogRole.id,
                policy: policyDocument([
                    arnFromName("logs", args.region, args.accountId, `log-group:/vpc/${name}/flow-logs`).apply((arn) => ({
                        Effect: "Allow" as const,
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
                        Resource: [arn, `${arn}:*`],
                    })),
                ]),
            },
            { ...parent, aliases: [{ name: `${name}-flow-logs` }] },
        );
        this.flowLog = new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: this.vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: flowLogGroup.arn,
                iamRoleArn: flowLogRole.arn,
                maxAggregationInterval: 60,
            },
            parent,
        );

        this.registerOutputs({
            vpcId: this.vpc.id,
            subnetIds: this.subnetIds,
            availabilityZones: this.availabilityZones,
            natGatewayIds: this.natGateways.map((n) => n.id),
            endpointSecurityGroupId: this.endpointSecurityGroup.id,
            flowLogId: this.flowLog.id,
        });
    }
}
