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

export interface PlannedSubnet<C extends string = SubnetClass> {
    subnetClass: C;
    azIndex: number;
    cidr: string;
    /** Taken from `network.subnetCidrs` rather than allocated. */
    pinned: boolean;
}

/** The most AZs a stack may use (network.azCount); the layout reserves room for this many per class. */
export const MAX_AZ_COUNT = 6;

export interface SubnetLayout<C extends string = SubnetClass> {
    /** AZs each class's region holds: MAX_AZ_COUNT when the VPC has room, else the most that fit. */
    reservedAzs: number;
    /** The subnet of `subnetClass` in AZ `azIndex` (azIndex < reservedAzs). */
    slot(subnetClass: C, azIndex: number): string;
}

function layoutFor<C extends string>(
    vpc: Cidr,
    reservedAzs: number,
    prefixLengths: Record<C, number>,
    classes: readonly C[],
): Map<C, number> | undefined {
    const end = vpc.base + blockSize(vpc.prefix);
    const starts = new Map<C, number>();
    let next = vpc.base;
    for (const c of classes) {
        const prefix = prefixLengths[c];
        if (prefix < vpc.prefix) return undefined;
        const size = blockSize(prefix);
        next = Math.ceil(next / size) * size; // every block aligned to its own size
        starts.set(c, next);
        next += size * reservedAzs;
        if (next > end) return undefined;
    }
    return starts;
}

/**
 * Where every subnet goes, independent of `network.azCount`: each class gets one region of `reservedAzs`
 * consecutive blocks, regions in class order, so the subnet of class c in AZ i is always the i-th block of c's
 * region. Raising azCount only takes the next free blocks, and a class appended to `classes` takes a region after
 * the existing ones: no existing subnet moves (a subnet's CIDR cannot change in place: a new CIDR replaces it).
 * The reservation depends only on the VPC block and the prefix lengths, both of which replace every subnet anyway
 * when changed. Returns undefined when the VPC cannot hold one AZ of every class.
 */
export function subnetLayout<C extends string = SubnetClass>(
    vpcCidr: string,
    prefixLengths: Record<C, number>,
    classes: readonly C[] = SUBNET_CLASSES as unknown as readonly C[],
): SubnetLayout<C> | undefined {
    const vpc = parseIpv4Cidr(vpcCidr);
    if (!vpc) return undefined;
    for (let reservedAzs = MAX_AZ_COUNT; reservedAzs >= 1; reservedAzs--) {
        const starts = layoutFor(vpc, reservedAzs, prefixLengths, classes);
        if (!starts) continue;
        return {
            reservedAzs,
            slot: (subnetClass, azIndex) => {
                const start = starts.get(subnetClass);
                if (start === undefined || azIndex >= reservedAzs) throw new Error(`no slot for ${subnetClass}-${azIndex}`);
                const prefix = prefixLengths[subnetClass];
                return formatCidr({ base: start + azIndex * blockSize(prefix), prefix });
            },
        };
    }
    return undefined;
}

export interface SubnetPlanIssue {
    /** Key under `network`, e.g. ["subnetCidrs", "data", 1]. */
    key: (string | number)[];
    message: string;
}

function overlaps(a: Cidr, b: Cidr): boolean {
    return a.base < b.base + blockSize(b.prefix) && b.base < a.base + blockSize(a.prefix);
}

/**
 * One subnet per class per AZ: the pinned CIDR of `pinned[class][az]` when given (an imported VPC's subnets), else
 * the AZ's slot in {@link subnetLayout}. Every problem is returned at once: a pinned CIDR that is not a network,
 * has another prefix length than its class, lies outside the VPC or overlaps another subnet; more pins than AZs;
 * a VPC too small for the unpinned subnets.
 */
export function planSubnetsChecked<C extends string = SubnetClass>(
    vpcCidr: string,
    azCount: number,
    prefixLengths: Record<C, number>,
    pinned: Partial<Record<C, readonly string[]>> = {},
    classes: readonly C[] = SUBNET_CLASSES as unknown as readonly C[],
): { subnets: PlannedSubnet<C>[]; issues: SubnetPlanIssue[] } {
    const issues: SubnetPlanIssue[] = [];
    const vpc = parseIpv4Cidr(vpcCidr);
    if (!vpc)
        return {
            subnets: [],
            issues: [{ key: ["cidr"], message: `must be an IPv4 network in CIDR form, got ${JSON.stringify(vpcCidr)}` }],
        };
    const layout = subnetLayout(vpcCidr, prefixLengths, classes);
    const subnets: PlannedSubnet<C>[] = [];
    const unpinnedNeed = classes.some((c) => (pinned[c]?.length ?? 0) < azCount);
    if (unpinnedNeed && (!layout || layout.reservedAzs < azCount)) {
        const p = classes.map((c) => `${c} /${prefixLengths[c]}`).join(", ");
        const most = layout ? ` (it holds at most ${layout.reservedAzs})` : "";
        issues.push({
            key: ["cidr"],
            message: `${vpcCidr} cannot hold ${azCount} AZs x (${p}) in the stable layout${most}; use a larger block, fewer AZs or pin the subnets in network.subnetCidrs`,
        });
    }
    for (const c of classes) {
        const pins: readonly string[] = pinned[c] ?? [];
        if (pins.length > azCount)
            issues.push({ key: ["subnetCidrs", c], message: `must list at most azCount (${azCount}) CIDRs, got ${pins.length}` });
        for (let az = 0; az < azCount; az++) {
            if (az < pins.length) {
                const text = pins[az];
                const cidr = parseIpv4Cidr(text);
                const key = ["subnetCidrs", c, az];
                if (!cidr) issues.push({ key, message: `must be an IPv4 network in CIDR form, got ${JSON.stringify(text)}` });
                else if (cidr.prefix !== prefixLengths[c])
                    issues.push({ key, message: `must be a /${prefixLengths[c]} (network.subnetPrefixLengths.${c}), got ${text}` });
                else if (!(cidr.base >= vpc.base && cidr.base + blockSize(cidr.prefix) <= vpc.base + blockSize(vpc.prefix)))
                    issues.push({ key, message: `must lie inside the VPC block ${vpcCidr}, got ${text}` });
                else subnets.push({ subnetClass: c, azIndex: az, cidr: text, pinned: true });
            } else if (layout && az < layout.reservedAzs) {
                subnets.push({ subnetClass: c, azIndex: az, cidr: layout.slot(c, az), pinned: false });
            }
        }
    }
    for (let i = 0; i < subnets.length; i++) {
        for (let j = i + 1; j < subnets.length; j++) {
            const [a, b] = [subnets[i], subnets[j]];
            if (!overlaps(parseIpv4Cidr(a.cidr)!, parseIpv4Cidr(b.cidr)!)) continue;
            // Report on the pinned side: that is the value the team can change.
            const [at, other] = b.pinned || !a.pinned ? [b, a] : [a, b];
            issues.push({
                key: at.pinned ? ["subnetCidrs", at.subnetClass, at.azIndex] : ["cidr"],
                message: `${at.subnetClass}-${at.azIndex} ${at.cidr} overlaps ${other.subnetClass}-${other.azIndex} ${other.cidr}${other.pinned ? "" : " (its allocated slot; pin that subnet too or choose another block)"}`,
            });
        }
    }
    return { subnets, issues };
}

/** The subnet plan, or undefined when it has any problem (config validation reports them one by one). */
export function planSubnets<C extends string = SubnetClass>(
    vpcCidr: string,
    azCount: number,
    prefixLengths: Record<C, number>,
    pinned: Partial<Record<C, readonly string[]>> = {},
    classes: readonly C[] = SUBNET_CLASSES as unknown as readonly C[],
): PlannedSubnet<C>[] | undefined {
    const { subnets, issues } = planSubnetsChecked(vpcCidr, azCount, prefixLengths, pinned, classes);
    return issues.length ? undefined : subnets;
}
