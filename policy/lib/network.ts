// Security-group rule arithmetic: which ports a rule opens and whether its source is the internet.
import * as ipaddr from "ipaddr.js";

/** Administrative and database ports that must never be reachable from the internet. */
export const RESTRICTED_PORTS: ReadonlyArray<{ port: number; service: string; udp?: boolean }> = [
    { port: 22, service: "SSH" },
    { port: 3389, service: "RDP", udp: true },
    { port: 1433, service: "SQL Server" },
    { port: 1521, service: "Oracle" },
    { port: 2049, service: "NFS/EFS" },
    { port: 3306, service: "MySQL/Aurora MySQL/MariaDB" },
    { port: 5432, service: "PostgreSQL/Aurora PostgreSQL" },
    { port: 5439, service: "Redshift" },
    { port: 6379, service: "Redis/Valkey" },
    { port: 6380, service: "Redis/Valkey (serverless reader)" },
    { port: 8182, service: "Neptune" },
    { port: 9042, service: "Cassandra/Keyspaces" },
    { port: 9200, service: "OpenSearch/Elasticsearch HTTP" },
    { port: 9300, service: "OpenSearch/Elasticsearch transport" },
    { port: 11211, service: "Memcached" },
    { port: 11212, service: "Memcached (serverless reader)" },
    { port: 27017, service: "MongoDB/DocumentDB" },
];

export type Protocol = "all" | "tcp" | "udp" | "other";

/** AWS accepts names or IANA numbers, in any case; "-1" and "all" mean every protocol and every port. */
export function normalizeProtocol(p: unknown): Protocol {
    const s = String(p ?? "").trim().toLowerCase();
    if (s === "-1" || s === "all") return "all";
    if (s === "tcp" || s === "6") return "tcp";
    if (s === "udp" || s === "17") return "udp";
    return "other";
}

/**
 * Restricted ports a rule reaches. With protocol all, AWS ignores the port range (the rule opens every port).
 * A missing or -1 port bound on tcp/udp is treated as the full range.
 */
export function reachedPorts(protocol: unknown, fromPort: unknown, toPort: unknown, extraPorts: number[] = []): { port: number; service: string }[] {
    const proto = normalizeProtocol(protocol);
    if (proto === "other") return [];
    let from = typeof fromPort === "number" ? fromPort : Number(fromPort);
    let to = typeof toPort === "number" ? toPort : Number(toPort);
    if (proto === "all" || !Number.isFinite(from) || from < 0) from = 0;
    if (proto === "all" || !Number.isFinite(to) || to < 0) to = 65535;
    if (to < from) [from, to] = [to, from];
    const list = [...RESTRICTED_PORTS, ...extraPorts.map((port) => ({ port, service: "configured", udp: true }))];
    return list.filter((r) => r.port >= from && r.port <= to && (proto !== "udp" || r.udp === true));
}

/**
 * True when a CIDR admits the internet: any /0 (0.0.0.0/0, ::/0 and spellings with host bits), or a block so wide
 * (shorter than /8 for IPv4, /16 for IPv6) that it is the internet split in pieces — 0.0.0.0/1 plus 128.0.0.0/1 —
 * unless it lies wholly in IPv6 unique-local or link-local space.
 */
export function isInternetCidr(cidr: unknown): boolean {
    if (typeof cidr !== "string") return false;
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    let prefix: number;
    try {
        [addr, prefix] = ipaddr.parseCIDR(cidr.trim());
    } catch {
        return false;
    }
    if (prefix === 0) return true;
    if (addr.kind() === "ipv4") return prefix < 8; // no private IPv4 block is wider than /8
    const v6 = addr as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return prefix - 96 < 8;
    if (prefix >= 16) return false;
    const within = (net: string) => {
        const [n, len] = ipaddr.parseCIDR(net);
        return prefix >= len && v6.match(n as ipaddr.IPv6, len);
    };
    return !(within("fc00::/7") || within("fe80::/10"));
}
