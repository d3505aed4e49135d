import * as assert from "assert";
import { parseIpv4Cidr } from "../../config/cidr";
import { byName, ofType, planOf, PlanJson, PlanResource, resolveRef } from "../support/plan";

const STACKS = {
    staging: { cidr: "10.10.0.0/16", nat: 1, endpoints: ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sts"] },
    production: {
        cidr: "10.20.0.0/16",
        nat: 3,
        endpoints: ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sts", "sqs", "sns", "events", "monitoring", "kms", "glue"],
    },
} as const;

const CLASSES = ["public", "application", "data", "payment"] as const;

function subnetsOf(plan: PlanJson, subnetClass: string): PlanResource[] {
    return ofType(plan, "aws:ec2/subnet:Subnet")
        .filter((s) => s.inputs.tags["retail:subnet-class"] === subnetClass)
        .sort((a, b) => a.name.localeCompare(b.name));
}

function routesOf(plan: PlanJson, subnet: PlanResource): PlanResource[] {
    const assoc = ofType(plan, "aws:ec2/routeTableAssociation:RouteTableAssociation").filter(
        (a) => resolveRef(plan, a.inputs.subnetId).name === subnet.name,
    );
    assert.strictEqual(assoc.length, 1, `${subnet.name} has exactly one route table association`);
    const table = resolveRef(plan, assoc[0].inputs.routeTableId);
    return ofType(plan, "aws:ec2/route:Route").filter((r) => resolveRef(plan, r.inputs.routeTableId).name === table.name);
}

for (const [stack, expected] of Object.entries(STACKS)) {
    describe(`networking tier (${stack})`, function () {
        let plan: PlanJson;
        before(function () {
            this.timeout(60_000);
            plan = planOf(stack);
        });

        it("declares one VPC with DNS support and DNS hostnames, in the networking tier", () => {
            const [vpc] = ofType(plan, "aws:ec2/vpc:Vpc");
            assert.strictEqual(ofType(plan, "aws:ec2/vpc:Vpc").length, 1);
            assert.strictEqual(vpc.inputs.cidrBlock, expected.cidr);
            assert.strictEqual(vpc.inputs.enableDnsSupport, true);
            assert.strictEqual(vpc.inputs.enableDnsHostnames, true);
            assert.strictEqual(vpc.tier, "networking");
        });

        it("lays out 12 subnets: per AZ a public, application, data and payment subnet of the planned sizes", () => {
            assert.strictEqual(ofType(plan, "aws:ec2/subnet:Subnet").length, 12);
            const vpc = parseIpv4Cidr(expected.cidr)!;
            const seen: { base: number; size: number }[] = [];
            for (const subnetClass of CLASSES) {
                const subnets = subnetsOf(plan, subnetClass);
                assert.strictEqual(subnets.length, 3, `${subnetClass}: one per AZ`);
                assert.deepStrictEqual(
                    subnets.map((s) => s.inputs.availabilityZone),
                    ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
                );
                for (const s of subnets) {
                    const c = parseIpv4Cidr(s.inputs.cidrBlock)!;
                    assert.ok(c, `${s.name} has a valid CIDR`);
                    // Staging and production plan application /20 and /24 for the others (minimums are /24 and /27).
                    assert.strictEqual(c.prefix, subnetClass === "application" ? 20 : 24, `${s.name} size`);
                    assert.ok(
                        c.base >= vpc.base && c.base + 2 ** (32 - c.prefix) <= vpc.base + 2 ** (32 - vpc.prefix),
                        `${s.name} inside the VPC`,
                    );
                    assert.strictEqual(s.inputs.mapPublicIpOnLaunch, false);
                    seen.push({ base: c.base, size: 2 ** (32 - c.prefix) });
                }
            }
            seen.sort((a, b) => a.base - b.base);
            for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1].base + seen[i - 1].size <= seen[i].base, "subnets do not overlap");
            // Largest first: the application /20s come first in the block.
            assert.deepStrictEqual(
                subnetsOf(plan, "application").map((s) => s.inputs.cidrBlock),
                [16, 32, 48].map((third) => expected.cidr.replace(/\.0\.0\/16$/, `.${third}.0/20`)),
            );
        });

        it(`has ${expected.nat} NAT gateway(s) in the public subnets, each with an Elastic IP`, () => {
            const nats = ofType(plan, "aws:ec2/natGateway:NatGateway");
            assert.strictEqual(nats.length, expected.nat);
            assert.strictEqual(ofType(plan, "aws:ec2/eip:Eip").length, expected.nat);
            nats.forEach((nat, i) => {
                assert.strictEqual(resolveRef(plan, nat.inputs.subnetId).name, subnetsOf(plan, "public")[i].name);
                assert.strictEqual(resolveRef(plan, nat.inputs.allocationId).inputs.domain, "vpc");
            });
        });

        it("routes public subnets to the internet gateway, application and payment to a NAT in their AZ, data nowhere", () => {
            const igw = ofType(plan, "aws:ec2/internetGateway:InternetGateway");
            assert.strictEqual(igw.length, 1);
            const nats = ofType(plan, "aws:ec2/natGateway:NatGateway").sort((a, b) => a.name.localeCompare(b.name));
            for (const s of subnetsOf(plan, "public")) {
                const routes = routesOf(plan, s);
                assert.deepStrictEqual(
                    routes.map((r) => [r.inputs.destinationCidrBlock, resolveRef(plan, r.inputs.gatewayId).type]),
                    [["0.0.0.0/0", "aws:ec2/internetGateway:InternetGateway"]],
                );
            }
            for (const subnetClass of ["application", "payment"]) {
                subnetsOf(plan, subnetClass).forEach((s, az) => {
                    const routes = routesOf(plan, s);
                    assert.strictEqual(routes.length, 1, `${s.name}: only the default route`);
                    assert.strictEqual(routes[0].inputs.destinationCidrBlock, "0.0.0.0/0");
                    assert.strictEqual(routes[0].inputs.gatewayId, undefined);
                    assert.strictEqual(resolveRef(plan, routes[0].inputs.natGatewayId).name, nats[expected.nat === 1 ? 0 : az].name);
                });
            }
            for (const s of subnetsOf(plan, "data")) assert.deepStrictEqual(routesOf(plan, s), [], `${s.name} has no route at all`);
        });

        it("attaches S3 and DynamoDB gateway endpoints to every application, data and payment route table", () => {
            const gateways = ofType(plan, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Gateway");
            assert.deepStrictEqual(gateways.map((g) => g.inputs.serviceName).sort(), [
                "com.amazonaws.eu-west-1.dynamodb",
                "com.amazonaws.eu-west-1.s3",
            ]);
            const privateTables = ofType(plan, "aws:ec2/routeTable:RouteTable")
                .filter((t) => !/public/.test(t.name))
                .map((t) => t.name)
                .sort();
            assert.strictEqual(privateTables.length, 9);
            for (const g of gateways) {
                assert.deepStrictEqual(g.inputs.routeTableIds.map((id: string) => resolveRef(plan, id).name).sort(), privateTables);
            }
        });

        it("places the configured interface endpoints in the application subnets with private DNS and their own group", () => {
            const interfaces = ofType(plan, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface");
            assert.deepStrictEqual(
                interfaces.map((e) => e.inputs.serviceName).sort(),
                expected.endpoints.map((e) => `com.amazonaws.eu-west-1.${e}`).sort(),
            );
            const appSubnets = subnetsOf(plan, "application").map((s) => s.name);
            for (const e of interfaces) {
                assert.strictEqual(e.inputs.privateDnsEnabled, true);
                assert.deepStrictEqual(
                    e.inputs.subnetIds.map((id: string) => resolveRef(plan, id).name),
                    appSubnets,
                );
                assert.deepStrictEqual(
                    e.inputs.securityGroupIds.map((id: string) => resolveRef(plan, id).name),
                    ["retail-platform-" + stack + "-endpoints-sg"],
                );
            }
        });

        it("guards the payment subnets with a NACL that admits exactly the listed traffic", () => {
            const [nacl] = ofType(plan, "aws:ec2/networkAcl:NetworkAcl");
            assert.deepStrictEqual(
                nacl.inputs.subnetIds.map((id: string) => resolveRef(plan, id).name),
                subnetsOf(plan, "payment").map((s) => s.name),
            );
            const app = subnetsOf(plan, "application").map((s) => s.inputs.cidrBlock);
            const data = subnetsOf(plan, "data").map((s) => s.inputs.cidrBlock);
            const rules = ofType(plan, "aws:ec2/networkAclRule:NetworkAclRule")
                .map((r) => [
                    r.inputs.egress ? "out" : "in",
                    r.inputs.ruleNumber,
                    r.inputs.protocol,
                    r.inputs.ruleAction,
                    r.inputs.cidrBlock,
                    r.inputs.fromPort,
                    r.inputs.toPort,
                ])
                .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));
            const expectedRules = [
                ...app.map((c, i) => ["in", 100 + i, "tcp", "allow", c, 8080, 8080]),
                ...app.map((c, i) => ["in", 200 + i, "tcp", "allow", c, 443, 443]),
                ["in", 300, "tcp", "allow", "0.0.0.0/0", 1024, 65535],
                ...app.map((c, i) => ["out", 100 + i, "tcp", "allow", c, 1024, 65535]),
                ...data.map((c, i) => ["out", 200 + i, "tcp", "allow", c, 5432, 5432]),
                ["out", 300, "tcp", "allow", "0.0.0.0/0", 443, 443],
            ];
            assert.deepStrictEqual(rules, expectedRules);
        });

        it("sends flow logs of all traffic to a log group encrypted with the stack's key", () => {
            const [flow] = ofType(plan, "aws:ec2/flowLog:FlowLog");
            assert.strictEqual(flow.inputs.trafficType, "ALL");
            assert.strictEqual(flow.inputs.logDestinationType, "cloud-watch-logs");
            assert.strictEqual(resolveRef(plan, flow.inputs.vpcId).type, "aws:ec2/vpc:Vpc");
            const group = resolveRef(plan, flow.inputs.logDestination);
            assert.strictEqual(group.type, "aws:cloudwatch/logGroup:LogGroup");
            assert.strictEqual(group.inputs.retentionInDays, stack === "production" ? 365 : 30);
            assert.strictEqual(resolveRef(plan, group.inputs.kmsKeyId).type, "aws:kms/key:Key");
            const role = resolveRef(plan, flow.inputs.iamRoleArn);
            const trust = JSON.parse(role.inputs.assumeRolePolicy);
            assert.deepStrictEqual(
                trust.Statement.map((s: any) => s.Principal.Service),
                ["vpc-flow-logs.amazonaws.com"],
            );
            assert.deepStrictEqual(trust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
        });

        it("manages the default security group with no rules", () => {
            const [dflt] = ofType(plan, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
            assert.strictEqual(dflt.inputs.ingress, undefined);
            assert.strictEqual(dflt.inputs.egress, undefined);
            assert.strictEqual(byName(plan, dflt.name).tier, "networking");
        });

        it("exports the VPC id and the subnet ids per tier", () => {
            assert.match(plan.outputs.vpcId, /^vpc-/);
            for (const subnetClass of CLASSES) {
                assert.deepStrictEqual(
                    plan.outputs.subnetIds[subnetClass].map((id: string) => resolveRef(plan, id).name),
                    subnetsOf(plan, subnetClass).map((s) => s.name),
                );
            }
        });
    });
}
