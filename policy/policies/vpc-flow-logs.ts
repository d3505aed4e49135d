import type { PackStackPolicy } from "../lib/types";
import { StackGraph, read } from "../lib/graph";

const VPC = "aws:ec2/vpc:Vpc";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

export const vpcFlowLogs: PackStackPolicy = {
    kind: "stack",
    id: "vpc-flow-logs",
    description: "Every VPC must have a flow log.",
    severity: "medium",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["vpc-flow-logs-enabled"],
        pciDss: ["10.2.1"],
        // Not EC2.6: it requires flow logs of REJECT traffic; this policy accepts a flow log of any traffic type.
        securityHub: [],
    },
    remediation: 'Declare an aws.ec2.FlowLog with vpcId: vpc.id and trafficType "ALL" (to an encrypted log group or bucket).',
    validateStack: (args, report) => {
        const graph = new StackGraph(args.resources);
        const vpcs = graph.ofType(VPC);
        if (vpcs.length === 0) args.notApplicable("the stack declares no VPCs");
        const logs = graph.ofType(FLOW_LOG);
        for (const vpc of vpcs) {
            if (
                logs.some((l) =>
                    graph
                        .referenced(
                            l,
                            "vpcId",
                            read(l, (p) => p.vpcId),
                            [VPC],
                        )
                        .includes(vpc),
                )
            )
                continue;
            report(`VPC ${vpc.name} has no flow log.`, vpc.urn);
        }
    },
};
