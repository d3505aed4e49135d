// network: the VPC block, its AZs, NAT mode, interface endpoints and the subnet plan.
import { z } from "zod";
import { MAX_AZ_COUNT, parseIpv4Cidr, planSubnetsChecked, SUBNET_CLASSES, SubnetClass } from "./cidr";
import { int, obj, oneOf, str } from "./validators";

/** Short names of the interface endpoints a stack may ask for (`com.amazonaws.<region>.<name>`). */
export const INTERFACE_ENDPOINT_SERVICES = [
    "application-autoscaling",
    "athena",
    "autoscaling",
    "bedrock",
    "bedrock-runtime",
    "cloudformation",
    "ec2",
    "ec2messages",
    "ecr.api",
    "ecr.dkr",
    "ecs",
    "ecs-agent",
    "ecs-telemetry",
    "elasticache",
    "elasticloadbalancing",
    "events",
    "execute-api",
    "glue",
    "kinesis-firehose",
    "kinesis-streams",
    "kms",
    "lambda",
    "logs",
    "monitoring",
    "rds",
    "rds-data",
    "redshift-data",
    "secretsmanager",
    "servicediscovery",
    "sns",
    "sqs",
    "ssm",
    "ssmmessages",
    "states",
    "sts",
    "xray",
] as const;

/** The minimum sizes the subnet plan guarantees per AZ (largest allowed prefix length). */
export const MAX_SUBNET_PREFIX: Record<SubnetClass, number> = { application: 24, public: 27, data: 27, payment: 27 };

const subnetPrefixLengths = obj({
    application: int(16, MAX_SUBNET_PREFIX.application).default(24),
    public: int(16, MAX_SUBNET_PREFIX.public).default(27),
    data: int(16, MAX_SUBNET_PREFIX.data).default(27),
    payment: int(16, MAX_SUBNET_PREFIX.payment).default(27),
});

export const networkSchema = obj({
    cidr: str('an IPv4 network in CIDR form from /16 to /22 (e.g. "10.20.0.0/16")', (s) => {
        const c = parseIpv4Cidr(s);
        return !!c && c.prefix >= 16 && c.prefix <= 22;
    }),
    azCount: int(2, MAX_AZ_COUNT),
    natGateways: oneOf(["single", "per-az"] as const),
    interfaceEndpoints: z
        .array(oneOf(INTERFACE_ENDPOINT_SERVICES), { error: "must be a list of endpoint short names" })
        .superRefine((list, ctx) => {
            const seen = new Set<string>();
            list.forEach((name, i) => {
                if (seen.has(name)) ctx.addIssue({ code: "custom", path: [i], message: `duplicate endpoint ${JSON.stringify(name)}` });
                seen.add(name);
            });
        })
        .default([]),
    subnetPrefixLengths: subnetPrefixLengths.default({ application: 24, public: 27, data: 27, payment: 27 }),
    // Existing subnets to keep (an imported VPC): per class, the CIDR of AZ 0, 1, ...; the rest are allocated.
    subnetCidrs: obj(
        Object.fromEntries(SUBNET_CLASSES.map((c) => [c, z.array(z.string({ error: "must be a CIDR string" })).optional()])) as Record<
            SubnetClass,
            z.ZodOptional<z.ZodArray<z.ZodString>>
        >,
    ).default({}),
}).superRefine((n, ctx) => {
    // Only judge the plan when its inputs are individually valid; their own errors are already reported.
    if (!parseIpv4Cidr(n.cidr) || !Number.isInteger(n.azCount) || n.azCount < 2 || n.azCount > MAX_AZ_COUNT) return;
    for (const issue of planSubnetsChecked(n.cidr, n.azCount, n.subnetPrefixLengths, n.subnetCidrs).issues) {
        ctx.addIssue({ code: "custom", path: issue.key, message: issue.message });
    }
});
