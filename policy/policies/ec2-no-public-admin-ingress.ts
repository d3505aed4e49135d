import { aws } from "../lib/aws";
import { ResourceValidationArgs, ReportViolation, validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { isInternetCidr, reachedPorts } from "../lib/network";
import { asArray, isUnknownError } from "../lib/util";

interface Rule {
    label: string;
    protocol: unknown;
    fromPort: unknown;
    toPort: unknown;
    cidrs: unknown[];
}

/** A rule whose fields are read only when judged: any of them may be unknown at preview, and reading it throws. */
function lazyRule(
    label: string,
    fields: { protocol: () => unknown; fromPort: () => unknown; toPort: () => unknown; cidrs: () => unknown[] },
): Rule {
    return {
        label,
        get protocol() {
            return fields.protocol();
        },
        get fromPort() {
            return fields.fromPort();
        },
        get toPort() {
            return fields.toPort();
        },
        get cidrs() {
            return fields.cidrs();
        },
    };
}

/** A security group's inline ingress rules, read lazily (a field may be unknown at preview). */
function inlineIngress(
    ingress: { protocol: string; fromPort: number; toPort: number; cidrBlocks?: string[]; ipv6CidrBlocks?: string[] }[] | undefined,
) {
    return (ingress ?? []).map((r, i) =>
        lazyRule(`ingress[${i}]`, {
            protocol: () => r.protocol,
            fromPort: () => r.fromPort,
            toPort: () => r.toPort,
            cidrs: () => [...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? [])],
        }),
    );
}

/**
 * Judges each rule on its own, so a `self` or security-group rule listed first cannot mask an open one after it, and
 * an unknown value in one rule cannot hide a definite violation in another. A rule opens a port when its protocol is
 * -1/all (every port, whatever the range says), or tcp/udp with a range that covers it; its source is the internet
 * when any CIDR is 0.0.0.0/0, ::/0 or wider than /8 (IPv4) or /16 (IPv6) outside private space.
 */
function judge(rules: Rule[], args: ResourceValidationArgs, report: ReportViolation): void {
    const extra = asArray((args.getConfig<{ additionalPorts?: number[] }>().additionalPorts ?? []) as number[]);
    let deferred: unknown;
    let reported = false;
    for (const rule of rules) {
        try {
            const open = asArray(rule.cidrs).filter(isInternetCidr) as string[];
            if (open.length === 0) continue;
            const ports = reachedPorts(rule.protocol, rule.fromPort, rule.toPort, extra);
            if (ports.length === 0) continue;
            const proto = String(rule.protocol);
            const range = ["-1", "all"].includes(proto.toLowerCase()) ? "all traffic" : `${proto} ${rule.fromPort}-${rule.toPort}`;
            report(
                `${rule.label} allows ${range} from ${open.join(", ")}, reaching ${ports.map((p) => `${p.port} (${p.service}) [${p.control}]`).join(", ")}.`,
            );
            reported = true;
        } catch (e) {
            if (!isUnknownError(e)) throw e;
            deferred ??= e;
        }
    }
    if (!reported && deferred) throw deferred;
}

export const ec2NoPublicAdminIngress: PackResourcePolicy = {
    kind: "resource",
    id: "ec2-no-public-admin-ingress",
    description: "Security groups must not admit the internet (0.0.0.0/0 or ::/0) to SSH, RDP, FTP or data and admin ports.",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["restricted-ssh", "restricted-common-ports"],
        pciDss: ["1.3.1", "1.2.5"],
        // Not EC2.19: it also blocks ports this policy allows (23, 25, 110, 135, 143, 445, 1434, 3000, 5000, 5500, 8080, 8088,
        // 8888); EC2.13/EC2.14/EC2.53/EC2.54 are not in the FSBP standard.
        securityHub: [],
    },
    remediation:
        "Admit SSH/RDP/database ports only from security groups or private CIDRs (use SSM Session Manager instead of SSH); never use protocol -1 with a public CIDR.",
    configSchema: {
        properties: {
            additionalPorts: {
                type: "array",
                items: { type: "integer", minimum: 0, maximum: 65535 },
                description: "Further ports that must never be open to the internet.",
            },
        },
    },
    validateResource: [
        validateResourceOfType(aws.ec2.SecurityGroup, (sg, args, report) => judge(inlineIngress(sg.ingress), args, report)),
        validateResourceOfType(aws.ec2.DefaultSecurityGroup, (sg, args, report) => judge(inlineIngress(sg.ingress), args, report)),
        validateResourceOfType(aws.ec2.SecurityGroupRule, (r, args, report) => {
            if (r.type !== "ingress") args.notApplicable("egress rule");
            judge(
                [
                    lazyRule("the rule", {
                        protocol: () => r.protocol,
                        fromPort: () => r.fromPort,
                        toPort: () => r.toPort,
                        cidrs: () => [...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? [])],
                    }),
                ],
                args,
                report,
            );
        }),
        validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (r, args, report) => {
            judge(
                [
                    lazyRule("the rule", {
                        protocol: () => r.ipProtocol,
                        fromPort: () => r.fromPort,
                        toPort: () => r.toPort,
                        cidrs: () => [r.cidrIpv4, r.cidrIpv6].filter((c) => c !== undefined),
                    }),
                ],
                args,
                report,
            );
        }),
    ],
};
