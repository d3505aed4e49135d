import type { PackStackPolicy } from "../lib/types";
import { StackGraph, read } from "../lib/graph";
import { UNKNOWN } from "../lib/util";

const VPC = "aws:ec2/vpc:Vpc";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

export const vpcFlowLogs: PackStackPolicy = {
    kind: "stack",
    id: "vpc-flow-logs",
    description: "Every VPC must have a flow log that records rejected traffic (traffic type ALL or REJECT).",
    severity: "medium",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["vpc-flow-logs-enabled"],
        pciDss: ["10.2.1"],
        // EC2.6 runs vpc-flow-logs-enabled with trafficType REJECT: a flow log of ALL traffic records the rejects too.
        securityHub: [
            "EC2.6", // VPC flow logging should be enabled in all VPCs
        ],
    },
    remediation: 'Declare an aws.ec2.FlowLog with vpcId: vpc.id and trafficType "ALL" (to an encrypted log group or bucket).',
    validateStack: (args, report) => {
        const graph = new StackGraph(args.resources);
        const vpcs = graph.ofType(VPC);
        if (vpcs.length === 0) args.notApplicable("the stack declares no VPCs");
        const logs = graph.ofType(FLOW_LOG);
        // An ACCEPT-only flow log misses the rejected connections (scans, blocked exfiltration) the control asks for;
        // a traffic type not known yet is judged at the update.
        const recordsRejects = logs.filter((l) => {
            const t = read(l, (p) => p.trafficType);
            return t === UNKNOWN || t === "ALL" || t === "REJECT";
        });
        for (const vpc of vpcs) {
            const covering = (set: typeof logs) =>
                set.some((l) =>
                    graph
                        .referenced(
                            l,
                            "vpcId",
                            read(l, (p) => p.vpcId),
                            [VPC],
                        )
                        .includes(vpc),
                );
            if (covering(recordsRejects)) continue;
            report(
                covering(logs)
                    ? `VPC ${vpc.name} has only flow logs of ACCEPT traffic: rejected connections are not recorded (trafficType ALL or REJECT) [AWS Config vpc-flow-logs-enabled].`
                    : `VPC ${vpc.name} has no flow log.`,
                vpc.urn,
            );
        }
    },
};
