import { runResource, runStack, StackResource, UNKNOWN } from "./harness";
import { compliant, violates, notApplicable, deferred } from "./assert";
import { ec2NoPublicAdminIngress } from "../../policy/policies/ec2-no-public-admin-ingress";
import { rdsNoPublicAccess } from "../../policy/policies/rds-no-public-access";
import { redshiftNotPublic } from "../../policy/policies/redshift-not-public";
import { dataStorePrivateSubnets } from "../../policy/policies/data-store-private-subnets";
import { vpcFlowLogs } from "../../policy/policies/vpc-flow-logs";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const VPC_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

describe("policy: network exposure", () => {
    describe("ec2-no-public-admin-ingress", () => {
        const p = ec2NoPublicAdminIngress;
        const ing = (x: Record<string, unknown>) => ({ protocol: "tcp", fromPort: 443, toPort: 443, ...x });
        it("passes HTTPS from the internet and SSH from a private range", async () =>
            compliant(
                await runResource(p, {
                    type: SG,
                    props: {
                        ingress: [ing({ cidrBlocks: ["0.0.0.0/0"] }), ing({ fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/16"] })],
                    },
                }),
            ));
        it("fails exact port 22 from 0.0.0.0/0", async () =>
            violates(
                await runResource(p, { type: SG, props: { ingress: [ing({ fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] })] } }),
                /22 \(SSH\)/,
            ));
        it("regression (cfn-guard): a 0-65535 range open to the world covers 22", async () =>
            violates(
                await runResource(p, { type: SG, props: { ingress: [ing({ fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] })] } }),
                /22 \(SSH\)/,
                /3389/,
            ));
        it("regression: protocol -1 opens every port whatever the range says", async () =>
            violates(
                await runResource(p, {
                    type: SG,
                    props: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
                }),
                /all traffic/,
            ));
        it("regression: protocol 'all' on a separate SecurityGroupRule", async () =>
            violates(
                await runResource(p, {
                    type: RULE,
                    props: { type: "ingress", protocol: "all", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg" },
                }),
                /all traffic/,
            ));
        it("regression: IPv6 ::/0 to RDP", async () =>
            violates(
                await runResource(p, { type: SG, props: { ingress: [ing({ fromPort: 3389, toPort: 3389, ipv6CidrBlocks: ["::/0"] })] } }),
                /3389 \(RDP\)/,
            ));
        it("regression (Checkov): a self rule listed first does not mask an open port 22 after it", async () =>
            violates(
                await runResource(p, {
                    type: SG,
                    props: {
                        ingress: [
                            { protocol: "-1", fromPort: 0, toPort: 0, self: true },
                            ing({ fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }),
                        ],
                    },
                }),
                /ingress\[1\]/,
            ));
        it("fails a database port on vpc.SecurityGroupIngressRule", async () =>
            violates(
                await runResource(p, {
                    type: VPC_RULE,
                    props: { securityGroupId: "sg", ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "0.0.0.0/0" },
                }),
                /5432/,
            ));
        it("fails a vpc rule with ipProtocol -1 from ::/0", async () =>
            violates(
                await runResource(p, { type: VPC_RULE, props: { securityGroupId: "sg", ipProtocol: "-1", cidrIpv6: "::/0" } }),
                /all traffic/,
            ));
        it("catches the split-world evasion 0.0.0.0/1", async () =>
            violates(
                await runResource(p, {
                    type: VPC_RULE,
                    props: { securityGroupId: "sg", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/1" },
                }),
                /0\.0\.0\.0\/1/,
            ));
        it("passes UDP to a database port (not a TCP service)", async () =>
            compliant(
                await runResource(p, {
                    type: VPC_RULE,
                    props: { securityGroupId: "sg", ipProtocol: "udp", fromPort: 5432, toPort: 5432, cidrIpv4: "0.0.0.0/0" },
                }),
            ));
        it("is not applicable to egress rules", async () =>
            notApplicable(
                await runResource(p, {
                    type: RULE,
                    props: { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg" },
                }),
            ));
        it("is not applicable to other types", async () => notApplicable(await runResource(p, { type: "aws:ec2/vpc:Vpc", props: {} })));
        it("an unknown rule does not hide a definite violation in another", async () =>
            violates(
                await runResource(p, {
                    type: SG,
                    props: { ingress: [ing({ cidrBlocks: [UNKNOWN] }), ing({ fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] })] },
                }),
                /ingress\[1\]/,
            ));
        it("defers when the only candidate is unknown", async () =>
            deferred(
                await runResource(p, {
                    type: VPC_RULE,
                    props: { securityGroupId: "sg", ipProtocol: "tcp", fromPort: UNKNOWN, toPort: UNKNOWN, cidrIpv4: "0.0.0.0/0" },
                }),
            ));
    });

    describe("rds-no-public-access", () => {
        const p = rdsNoPublicAccess;
        const ci = "aws:rds/clusterInstance:ClusterInstance";
        it("passes an Aurora instance with publiclyAccessible false", async () =>
            compliant(
                await runResource(p, {
                    type: ci,
                    props: { clusterIdentifier: "c", instanceClass: "db.r7g.large", publiclyAccessible: false },
                }),
            ));
        it("regression: fails a public Aurora Serverless v2 (db.serverless) instance", async () =>
            violates(
                await runResource(p, {
                    type: ci,
                    props: { clusterIdentifier: "c", instanceClass: "db.serverless", publiclyAccessible: true },
                }),
                /Serverless v2.*publicly accessible/,
            ));
        it("fails an Aurora instance that leaves publiclyAccessible unset", async () =>
            violates(await runResource(p, { type: ci, props: { clusterIdentifier: "c", instanceClass: "db.serverless" } }), /not set/));
        it("fails a public RDS instance", async () =>
            violates(
                await runResource(p, { type: "aws:rds/instance:Instance", props: { publiclyAccessible: true } }),
                /publicly accessible/,
            ));
        it("is not applicable to the cluster itself", async () =>
            notApplicable(await runResource(p, { type: "aws:rds/cluster:Cluster", props: {} })));
    });

    describe("redshift-not-public", () => {
        const p = redshiftNotPublic;
        it("passes a private workgroup", async () =>
            compliant(
                await runResource(p, {
                    type: "aws:redshiftserverless/workgroup:Workgroup",
                    props: { namespaceName: "n", workgroupName: "w", publiclyAccessible: false },
                }),
            ));
        it("passes a workgroup that leaves the private default", async () =>
            compliant(
                await runResource(p, {
                    type: "aws:redshiftserverless/workgroup:Workgroup",
                    props: { namespaceName: "n", workgroupName: "w" },
                }),
            ));
        it("fails a public workgroup", async () =>
            violates(
                await runResource(p, {
                    type: "aws:redshiftserverless/workgroup:Workgroup",
                    props: { namespaceName: "n", workgroupName: "w", publiclyAccessible: true },
                }),
                /publicly accessible/,
            ));
        it("is not applicable to other types", async () => notApplicable(await runResource(p, { type: "aws:sqs/queue:Queue", props: {} })));
    });

    describe("data-store-private-subnets", () => {
        const p = dataStorePrivateSubnets;
        const vpc: StackResource = { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { cidrBlock: "10.0.0.0/16" } };
        const subnet = (n: string): StackResource => ({
            type: "aws:ec2/subnet:Subnet",
            name: n,
            props: { vpcId: UNKNOWN, cidrBlock: "10.0.1.0/24" },
            deps: { vpcId: ["vpc"] },
        });
        const rt = (n: string, routes?: unknown[]): StackResource => ({
            type: "aws:ec2/routeTable:RouteTable",
            name: n,
            props: { vpcId: UNKNOWN, ...(routes ? { routes } : {}) },
            deps: { vpcId: ["vpc"] },
        });
        const assoc = (n: string, s: string, t: string): StackResource => ({
            type: "aws:ec2/routeTableAssociation:RouteTableAssociation",
            name: n,
            props: { subnetId: UNKNOWN, routeTableId: UNKNOWN },
            deps: { subnetId: [s], routeTableId: [t] },
        });
        const igw: StackResource = {
            type: "aws:ec2/internetGateway:InternetGateway",
            name: "igw",
            props: { vpcId: UNKNOWN },
            deps: { vpcId: ["vpc"] },
        };
        const nat: StackResource = { type: "aws:ec2/natGateway:NatGateway", name: "nat", props: { subnetId: UNKNOWN } };
        const route = (n: string, t: string, target: Record<string, unknown>, deps: Record<string, string[]>): StackResource => ({
            type: "aws:ec2/route:Route",
            name: n,
            props: { routeTableId: UNKNOWN, destinationCidrBlock: "0.0.0.0/0", ...target },
            deps: { routeTableId: [t], ...deps },
        });
        const group = (subnets: string[]): StackResource => ({
            type: "aws:rds/subnetGroup:SubnetGroup",
            name: "db-subnets",
            props: { subnetIds: subnets.map(() => UNKNOWN) },
            deps: { subnetIds: subnets },
        });
        it("passes data subnets whose table has no default route", async () =>
            compliant(await runStack(p, [vpc, igw, subnet("data-0"), rt("data-rt"), assoc("a", "data-0", "data-rt"), group(["data-0"])])));
        it("fails a subnet routed to an internet gateway", async () =>
            violates(
                await runStack(p, [
                    vpc,
                    igw,
                    subnet("pub-0"),
                    rt("pub-rt"),
                    assoc("a", "pub-0", "pub-rt"),
                    route("default", "pub-rt", { gatewayId: UNKNOWN }, { gatewayId: ["igw"] }),
                    group(["pub-0"]),
                ]),
                /internet gateway/,
            ));
        it("fails a subnet routed to a NAT gateway", async () =>
            violates(
                await runStack(p, [
                    vpc,
                    nat,
                    subnet("app-0"),
                    rt("app-rt"),
                    assoc("a", "app-0", "app-rt"),
                    route("default", "app-rt", { natGatewayId: UNKNOWN }, { natGatewayId: ["nat"] }),
                    group(["app-0"]),
                ]),
                /NAT gateway/,
            ));
        it("fails an inline ::/0 route to an internet gateway in a cache's subnets", async () =>
            violates(
                await runStack(p, [
                    vpc,
                    igw,
                    subnet("s"),
                    rt("t", [{ ipv6CidrBlock: "::/0", gatewayId: "igw-123" }]),
                    assoc("a", "s", "t"),
                    {
                        type: "aws:elasticache/serverlessCache:ServerlessCache",
                        name: "cache",
                        props: { engine: "valkey", subnetIds: [UNKNOWN] },
                        deps: { subnetIds: ["s"] },
                    },
                ]),
                /::\/0 to an internet gateway/,
            ));
        it("fails routes added to the VPC's main table for an unassociated subnet", async () =>
            violates(
                await runStack(p, [
                    vpc,
                    igw,
                    subnet("s"),
                    {
                        ...route("main-default", "vpc", { gatewayId: UNKNOWN }, { gatewayId: ["igw"] }),
                        deps: { routeTableId: ["vpc"], gatewayId: ["igw"] },
                    },
                    group(["s"]),
                ]),
                /main route table/,
            ));
        it("passes an unassociated subnet whose VPC main table is untouched", async () =>
            compliant(await runStack(p, [vpc, subnet("s"), group(["s"])])));
        it("does not judge subnets outside the program", async () =>
            compliant(
                await runStack(p, [
                    { type: "aws:redshiftserverless/workgroup:Workgroup", name: "wg", props: { subnetIds: ["subnet-0abc"] } },
                ]),
            ));
        it("is not applicable without data-store subnets", async () => notApplicable(await runStack(p, [vpc])));
    });

    describe("vpc-flow-logs", () => {
        const vpc: StackResource = { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { cidrBlock: "10.0.0.0/16" } };
        it("passes a VPC with a flow log", async () =>
            compliant(
                await runStack(vpcFlowLogs, [
                    vpc,
                    {
                        type: "aws:ec2/flowLog:FlowLog",
                        name: "fl",
                        props: { vpcId: UNKNOWN, trafficType: "ALL" },
                        deps: { vpcId: ["vpc"] },
                    },
                ]),
            ));
        it("fails a VPC without one", async () => violates(await runStack(vpcFlowLogs, [vpc]), /no flow log/));
        it("is not applicable without VPCs", async () => notApplicable(await runStack(vpcFlowLogs, [])));
    });
});
