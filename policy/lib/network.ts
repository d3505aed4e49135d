// Security-group rule arithmetic: which ports a rule opens and whether its source is the internet.
import * as ipaddr from "ipaddr.js";

/**
 * Administrative and database ports that must never be reachable from the internet, with the control that forbids
 * each: AWS Config's restricted-ssh (22) and restricted-common-ports (its default blockedPorts 20, 21, 3389, 3306,
 * 4333), and the platform's own rule for the other data and admin ports.
 */
export const RESTRICTED_PORTS: ReadonlyArray<{ port: number; service: string; udp?: boolean; control: string }> = [
    { port: 20, service: "FTP data", control: "AWS Config restricted-common-ports" },
    { port: 21, service: "FTP", control: "AWS Config restricted-common-ports" },
    { port: 22, service: "SSH", control: "AWS Config restricted-ssh" },
    { port: 3389, service: "RDP", udp: true, control: "AWS Config restricted-common-ports" },
    { port: 3306, service: "MySQL/Aurora MySQL/MariaDB", control: "AWS Config restricted-common-ports" },
    { port: 4333, service: "mSQL", control: "AWS Config restricted-common-ports" },
    { port: 1433, service: "SQL Server", control: "platform rule" },
    { port: 1521, service: "Oracle", control: "platform rule" },
    { port: 2049, service: "NFS/EFS", control: "platform rule" },
    { port: 2375, service: "Docker API", control: "platform rule" },
    { port: 2376, service: "Docker API (TLS)", control: "platform rule" },
    { port: 5432, service: "PostgreSQL/Aurora PostgreSQL", control: "platform rule" },
    { port: 5439, service: "Redshift", control: "platform rule" },
    { port: 5601, service: "OpenSearch Dashboards/Kibana", control: "platform rule" },
    { port: 5900, service: "VNC", control: "platform rule" },
    { port: 6379, service: "Redis/Valkey", control: "platform rule" },
    { port: 6380, service: "Redis/Valkey (serverless reader)", control: "platform rule" },
    { port: 8182, service: "Neptune", control: "platform rule" },
    { port: 8111, service: "DAX", control: "platform rule" },
    { port: 9042, service: "Cassandra/Keyspaces", control: "platform rule" },
    { port: 9092, service: "Kafka/MSK (plaintext)", control: "platform rule" },
    { port: 9094, service: "Kafka/MSK (TLS)", control: "platform rule" },
    { port: 9200, service: "OpenSearch/Elasticsearch HTTP", control: "platform rule" },
    { port: 9300, service: "OpenSearch/Elasticsearch transport", control: "platform rule" },
    { port: 11211, service: "Memcached", control: "platform rule" },
    { port: 11212, service: "Memcached (serverless reader)", control: "platform rule" },
    { port: 27017, service: "MongoDB/DocumentDB", control: "platform rule" },
];

export type Protocol = "all" | "tcp" | "udp" | "other";

/** AWS accepts names or IANA numbers, in any case; "-1" and "all" mean every protocol and every port. */
export function normalizeProtocol(p: unknown): Protocol {
    const s = String(p ?? "")
        .trim()
        .toLowerCase();
    if (s === "-1" || s === "all") return "all";
    if (s === "tcp" || s === "6") return "tcp";
    if (s === "udp" || s === "17") return "udp";
    return "other";
}

/**
 * Restricted ports a rule reaches. With protocol all, AWS ignores the port range (the rule opens every port).
 * A missing or -1 port bound on tcp/udp is treated as the full range.
 */
export function reachedPorts(
    protocol: unknown,
    fromPort: unknown,
    toPort: unknown,
    extraPorts: number[] = [],
): { port: number; service: string; control: string }[] {
    const proto = normalizeProtocol(protocol);
    if (proto === "other") return [];
    let from = typeof fromPort === "number" ? fromPort : Number(fromPort);
    let to = typeof toPort === "number" ? toPort : Number(toPort);
    if (proto === "all" || !Number.isFinite(from) || from < 0) from = 0;
    if (proto === "all" || !Number.isFinite(to) || to < 0) to = 65535;
    if (to < from) [from, to] = [to, from];
    const list = [...RESTRICTED_PORTS, ...extraPorts.map((port) => ({ port, service: "configured", udp: true, control: "platform rule" }))];
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
