import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";

export const athenaWorkgroupEncryption: PackResourcePolicy = {
    kind: "resource",
    id: "athena-workgroup-encryption",
    description: "Athena workgroups must encrypt query results and enforce the workgroup configuration on clients.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["athena-workgroup-encrypted-at-rest"],
        pciDss: ["3.5.1"],
        // No FSBP control: Athena.1 (workgroups encrypted at rest) is not in the FSBP standard.
        securityHub: [],
    },
    remediation:
        "Set configuration.resultConfiguration.encryptionConfiguration { encryptionOption: \"SSE_KMS\", kmsKeyArn: the stack's key } (or managed query results with the stack's key) and leave enforceWorkgroupConfiguration true.",
    validateResource: validateResourceOfType(aws.athena.Workgroup, (w, _args, report) => {
        const c = w.configuration;
        if (c?.enforceWorkgroupConfiguration === false)
            report("enforceWorkgroupConfiguration is false; clients can override the result encryption.");
        if (c?.managedQueryResultsConfiguration?.enabled === true) return; // managed results are always encrypted
        const option = c?.resultConfiguration?.encryptionConfiguration?.encryptionOption;
        if (!option || !["SSE_S3", "SSE_KMS", "CSE_KMS"].includes(option)) {
            report(
                `resultConfiguration.encryptionConfiguration.encryptionOption is ${option ? `"${option}"` : "not set"}; query results are written unencrypted.`,
            );
        }
    }),
};
