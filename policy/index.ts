// Entry file of the CrossGuard pack: `pulumi preview --policy-pack policy` runs it as the analyzer process.
// The only place that constructs the PolicyPack — its constructor starts the analyzer's gRPC server.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, pulumiPolicies } from "./pack";

new PolicyPack(PACK_NAME, {
    description:
        "Retail platform guardrails: encryption with the stack's keys, no public databases, no internet-facing admin ports, IMDSv2, edge TLS, least-privilege IAM, messaging hygiene.",
    enforcementLevel: "mandatory",
    policies: pulumiPolicies(),
});
