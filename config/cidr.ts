// IPv4 CIDR arithmetic for the subnet plan. Parsing is ipaddr.js's; the plan is ours.
import * as ipaddr from "ipaddr.js";

export interface Cidr {
    /** Network address as an unsigned 32-bit integer. */
    base: number;
    prefix: number;
}

/** Parses "a.b.c.d/n"; returns undefined unless it is a valid IPv4 network address with that prefix. */
export function parseIpv4Cidr(text: string): Cidr | undefined {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text)) return undefined;
    let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
        parsed = ipaddr.parseCIDR(text);
    } catch {
        return undefined;
    }
    const [addr, prefix] = parsed;
    if (addr.kind() !== "ipv4" || prefix < 0 || prefix > 32) return undefined;
    const base = ipv4ToInt(addr as ipaddr.IPv4);
    if (base % blockSize(prefix) !== 0) return undefined; // host bits set: "10.0.0.1/16" is not a network
    return { base, prefix };
}

export function formatCidr(c: Cidr): string {
    const b = c.base;
    return `${(b >>> 24) & 255}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`;
}

export function blockSize(prefix: number): number {
    return 2 ** (32 - prefix);
}

function ipv4ToInt(addr: ipaddr.IPv4): number {
    return addr.octets.reduce((acc, o) => acc * 256 + o, 0);
}

export type SubnetClass = "public" | "application" | "data" | "payment";
export const SUBNET_CLASSES: readonly SubnetClass[] = ["public", "application", "data", "payment"];

export interface PlannedSubnet {
    subnetClass: SubnetClass;
    azIndex: number;
    cidr: string;
}

/**
 * Allocates one subnet per class per AZ from `vpcCidr`, largest first, so every block stays aligned.
 * Returns undefined when the VPC cannot hold the plan.
 */
export function planSubnets(
    vpcCidr: string,
    azCount: number,
    prefixLengths: Record<SubnetClass, number>,
): PlannedSubnet[] | undefined {
    const vpc = parseIpv4Cidr(vpcCidr);
    if (!vpc) return undefined;
    const requests: { subnetClass: SubnetClass; azIndex: number; prefix: number }[] = [];
    for (const subnetClass of SUBNET_CLASSES) {
        for (let azIndex = 0; azIndex < azCount; azIndex++) {
            requests.push({ subnetClass, azIndex, prefix: prefixLengths[subnetClass] });
        }
    }
    // Largest blocks (smallest prefix) first; ties keep class then AZ order, so the plan is stable.
    requests.sort((a, b) => a.prefix - b.prefix);
    const end = vpc.base + blockSize(vpc.prefix);
    let next = vpc.base;
    const planned: PlannedSubnet[] = [];
    for (const r of requests) {
        if (r.prefix < vpc.prefix) return undefined;
        const size = blockSize(r.prefix);
        if (next + size > end) return undefined;
        planned.push({ subnetClass: r.subnetClass, azIndex: r.azIndex, cidr: formatCidr({ base: next, prefix: r.prefix }) });
        next += size;
    }
    return planned;
}
