import type { PolicyResource } from "@pulumi/policy";
import type { PackStackPolicy } from "../lib/types";
import { StackGraph, read } from "../lib/graph";
import { UNKNOWN, asArray, type Inputs } from "../lib/util";

/** Resources that place a database, cache or warehouse in subnets, and the input that lists them. */
export const SUBNET_USERS: Record<string, string> = {
    "aws:rds/subnetGroup:SubnetGroup": "subnetIds",
    "aws:elasticache/subnetGroup:SubnetGroup": "subnetIds",
    "aws:elasticache/serverlessCache:ServerlessCache": "subnetIds",
    "aws:redshiftserverless/workgroup:Workgroup": "subnetIds",
    "aws:redshift/subnetGroup:SubnetGroup": "subnetIds",
    "aws:docdb/subnetGroup:SubnetGroup": "subnetIds",
    "aws:neptune/subnetGroup:SubnetGroup": "subnetIds",
    "aws:dax/subnetGroup:SubnetGroup": "subnetIds",
    "aws:memorydb/subnetGroup:SubnetGroup": "subnetIds",
    "aws:efs/mountTarget:MountTarget": "subnetId",
    "aws:msk/cluster:Cluster": "brokerNodeGroupInfo",
    "aws:msk/serverlessCluster:ServerlessCluster": "vpcConfigs",
    "aws:opensearch/domain:Domain": "vpcOptions",
};
/** Where a nested input holds the subnet ids (the top-level input carries the property dependencies). */
const NESTED_SUBNETS: Record<string, (v: Inputs) => unknown> = {
    "aws:msk/cluster:Cluster": (v) => v?.clientSubnets,
    "aws:msk/serverlessCluster:ServerlessCluster": (v) => asArray(v).flatMap((c: Inputs) => asArray(c?.subnetIds)),
    "aws:opensearch/domain:Domain": (v) => v?.subnetIds,
};
const SUBNET = "aws:ec2/subnet:Subnet";
const VPC = "aws:ec2/vpc:Vpc";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const DEFAULT_ROUTE_TABLE = "aws:ec2/defaultRouteTable:DefaultRouteTable";
const ROUTE = "aws:ec2/route:Route";
const ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";
const MAIN_ASSOCIATION = "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation";
const IGW = "aws:ec2/internetGateway:InternetGateway";
const NAT = "aws:ec2/natGateway:NatGateway";

interface Exit {
    destination: string;
    via: string;
}

/**
 * Stack check over every subnet a database, cache or warehouse uses: the subnet's route table must have no default
 * route (0.0.0.0/0 or ::/0) to an internet gateway, a NAT gateway or an egress-only internet gateway.
 *
 * A subnet's table is the one a RouteTableAssociation gives it; without one, the VPC's main table — the table a
 * MainRouteTableAssociation names, a DefaultRouteTable, or routes added to the VPC's `mainRouteTableId`. A main table
 * the program never touches has only AWS's local route, so such a subnet passes. Subnets and tables outside the
 * program are not judged.
 */
export const dataStorePrivateSubnets: PackStackPolicy = {
    kind: "stack",
    id: "data-store-private-subnets",
    description:
        "Subnets used by databases, caches, warehouses, search domains, file systems and streaming clusters must have no default route to an internet or NAT gateway.",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["rds-instance-public-access-check", "elasticache-subnet-group-check"],
        pciDss: ["1.3.1", "1.4.4"],
        // The policy checks every data-store subnet and any default route (NAT as well as internet gateway); RDS.46 only RDS
        // instances behind an internet gateway.
        securityHub: [
            "RDS.46", // RDS DB instances should not be deployed in public subnets with routes to internet gateways
        ],
    },
    remediation:
        "Place DB/cache/warehouse subnet groups in data subnets whose route table has no 0.0.0.0/0 or ::/0 route (reach AWS services through VPC endpoints).",
    validateStack: (args, report) => {
        const graph = new StackGraph(args.resources);
        // The resources of the given types that `r`'s top-level `prop` references.
        const referencedBy = (r: PolicyResource, prop: string, types: string[]) =>
            graph.referenced(
                r,
                prop,
                read(r, (p) => p[prop]),
                types,
            );
        const users = graph.ofType(...Object.keys(SUBNET_USERS));
        if (users.length === 0) args.notApplicable("the stack declares no database, cache or warehouse subnets");

        const exitsOf = (table: PolicyResource): Exit[] | typeof UNKNOWN => {
            const exits: Exit[] = [];
            let unknown = false;
            const inline = read(table, (p) => p.routes);
            if (inline === UNKNOWN) unknown = true;
            for (const r of asArray(inline as Inputs[])) {
                const e = classify(
                    graph,
                    table,
                    "routes",
                    read({ props: r }, (p) => p.cidrBlock),
                    read({ props: r }, (p) => p.ipv6CidrBlock),
                    {
                        gatewayId: read({ props: r }, (p) => p.gatewayId),
                        natGatewayId: read({ props: r }, (p) => p.natGatewayId),
                        egressOnlyGatewayId: read({ props: r }, (p) => p.egressOnlyGatewayId),
                    },
                );
                if (e === UNKNOWN) unknown = true;
                else if (e) exits.push(e);
            }
            for (const route of graph.ofType(ROUTE)) {
                if (!routeBelongsTo(graph, route, table)) continue;
                const e = classify(
                    graph,
                    route,
                    "",
                    read(route, (p) => p.destinationCidrBlock),
                    read(route, (p) => p.destinationIpv6CidrBlock),
                    {
                        gatewayId: read(route, (p) => p.gatewayId),
                        natGatewayId: read(route, (p) => p.natGatewayId),
                        egressOnlyGatewayId: read(route, (p) => p.egressOnlyGatewayId),
                    },
                );
                if (e === UNKNOWN) unknown = true;
                else if (e) exits.push(e);
            }
            return exits.length ? exits : unknown ? UNKNOWN : [];
        };

        const tableOf = (subnet: PolicyResource): { table?: PolicyResource; vpcMainRoutes?: PolicyResource[] } => {
            for (const a of graph.ofType(ASSOCIATION)) {
                if (!referencedBy(a, "subnetId", [SUBNET]).includes(subnet)) continue;
                const t = referencedBy(a, "routeTableId", [ROUTE_TABLE, DEFAULT_ROUTE_TABLE])[0];
                return { table: t }; // undefined table: associated with a table outside the program
            }
            // Main table of the subnet's VPC.
            const vpc = referencedBy(subnet, "vpcId", [VPC])[0];
            if (!vpc) return {};
            for (const m of graph.ofType(MAIN_ASSOCIATION)) {
                if (!referencedBy(m, "vpcId", [VPC]).includes(vpc)) continue;
                return {
                    table: referencedBy(m, "routeTableId", [ROUTE_TABLE])[0],
                };
            }
            const drt = graph.ofType(DEFAULT_ROUTE_TABLE).find((d) => graph.dependencies(d, "defaultRouteTableId", [VPC]).includes(vpc));
            if (drt) return { table: drt };
            return { vpcMainRoutes: graph.ofType(ROUTE).filter((r) => graph.dependencies(r, "routeTableId", [VPC]).includes(vpc)) };
        };

        for (const user of users) {
            const prop = SUBNET_USERS[user.type];
            const ids = read(user, (p) => (NESTED_SUBNETS[user.type] ? NESTED_SUBNETS[user.type](p[prop]) : p[prop]));
            const subnets = graph.referenced(user, prop, ids, [SUBNET]);
            for (const subnet of subnets) {
                const { table, vpcMainRoutes } = tableOf(subnet);
                let exits: Exit[] | typeof UNKNOWN = [];
                let where = "";
                if (table) {
                    exits = exitsOf(table);
                    where = `route table ${table.name}`;
                } else if (vpcMainRoutes) {
                    const found: Exit[] = [];
                    for (const route of vpcMainRoutes) {
                        const e = classify(
                            graph,
                            route,
                            "",
                            read(route, (p) => p.destinationCidrBlock),
                            read(route, (p) => p.destinationIpv6CidrBlock),
                            {
                                gatewayId: read(route, (p) => p.gatewayId),
                                natGatewayId: read(route, (p) => p.natGatewayId),
                                egressOnlyGatewayId: read(route, (p) => p.egressOnlyGatewayId),
                            },
                        );
                        if (e && e !== UNKNOWN) found.push(e);
                    }
                    exits = found;
                    where = "the VPC's main route table";
                }
                if (exits === UNKNOWN || exits.length === 0) continue;
                report(
                    `${user.name} uses subnet ${subnet.name}, whose ${where} routes ${exits.map((e) => `${e.destination} to ${e.via}`).join(" and ")}.`,
                    user.urn,
                );
            }
        }
    },
};

function routeBelongsTo(graph: StackGraph, route: PolicyResource, table: PolicyResource): boolean {
    return graph
        .referenced(
            route,
            "routeTableId",
            read(route, (p) => p.routeTableId),
            [ROUTE_TABLE, DEFAULT_ROUTE_TABLE],
        )
        .includes(table);
}

/** A default route to the internet (IGW), through NAT, or out through an egress-only IGW; UNKNOWN if undecidable. */
function classify(
    graph: StackGraph,
    owner: PolicyResource,
    depProp: string,
    v4: unknown,
    v6: unknown,
    targets: { gatewayId: unknown; natGatewayId: unknown; egressOnlyGatewayId: unknown },
): Exit | undefined | typeof UNKNOWN {
    const isDefault4 = v4 === "0.0.0.0/0";
    const isDefault6 = v6 === "::/0" || v6 === "0::/0";
    if (!isDefault4 && !isDefault6) return v4 === UNKNOWN || v6 === UNKNOWN ? UNKNOWN : undefined;
    const destination = isDefault4 ? "0.0.0.0/0" : "::/0";
    const dep = (prop: string, types: string[]) => graph.dependencies(owner, depProp || prop, types).length > 0;
    const { gatewayId, natGatewayId, egressOnlyGatewayId } = targets;
    if (typeof natGatewayId === "string" && natGatewayId) return { destination, via: "a NAT gateway" };
    if (typeof egressOnlyGatewayId === "string" && egressOnlyGatewayId) return { destination, via: "an egress-only internet gateway" };
    if (typeof gatewayId === "string" && gatewayId) {
        if (gatewayId.startsWith("igw-") || dep("gatewayId", [IGW])) return { destination, via: "an internet gateway" };
        if (dep("gatewayId", [NAT])) return { destination, via: "a NAT gateway" };
        return undefined; // virtual private gateway, endpoint or a gateway outside the program
    }
    if (natGatewayId === UNKNOWN) return { destination, via: "a NAT gateway" }; // set, to some NAT gateway
    if (egressOnlyGatewayId === UNKNOWN) return { destination, via: "an egress-only internet gateway" };
    if (gatewayId === UNKNOWN) {
        if (dep("gatewayId", [IGW])) return { destination, via: "an internet gateway" };
        if (dep("gatewayId", [NAT])) return { destination, via: "a NAT gateway" };
        return UNKNOWN;
    }
    return undefined;
}
