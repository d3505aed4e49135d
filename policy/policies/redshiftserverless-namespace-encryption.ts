import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { setOrUnknown } from "../lib/util";

export const redshiftserverlessNamespaceEncryption: PackResourcePolicy = {
    kind: "resource",
    id: "redshiftserverless-namespace-encryption",
    description: "Redshift Serverless namespaces must name the KMS key that encrypts the warehouse.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["redshift-serverless-namespace-cmk-encryption"],
        pciDss: ["3.5.1"],
        // No FSBP control: RedshiftServerless.4 (customer managed keys) is not in the FSBP standard.
        securityHub: [],
    },
    remediation: "Set kmsKeyId to the stack's key.",
    validateResource: validateResourceOfType(aws.redshiftserverless.Namespace, (n, _args, report) => {
        if (!setOrUnknown(() => n.kmsKeyId)) report("kmsKeyId is not set; the namespace is encrypted only with an AWS-owned key.");
    }),
};
