import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";

/** Glue security configurations encrypt everything a job writes; the Data Catalog encrypts metadata and passwords. */
export const glueEncryption: PackResourcePolicy = {
    kind: "resource",
    id: "glue-encryption",
    description: "Glue security configurations, the Data Catalog, jobs and crawlers must encrypt data at rest.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: [],
        pciDss: ["3.5.1"],
        // No FSBP control checks these settings (Glue.3 is about machine learning transforms).
        securityHub: [],
    },
    remediation:
        "Security configuration: s3EncryptionMode SSE-KMS, cloudwatchEncryptionMode SSE-KMS, jobBookmarksEncryptionMode CSE-KMS, each with the stack's key. Data Catalog: catalogEncryptionMode SSE-KMS and returnConnectionPasswordEncrypted true. Jobs and crawlers: securityConfiguration set.",
    validateResource: [
        validateResourceOfType(aws.glue.SecurityConfiguration, (c, _args, report) => {
            const e = c.encryptionConfiguration;
            const s3 = e?.s3Encryption?.s3EncryptionMode;
            if (s3 !== "SSE-KMS" && s3 !== "SSE-S3") report(`s3Encryption.s3EncryptionMode is ${s3 ? `"${s3}"` : "not set"}; use SSE-KMS.`);
            const cw = e?.cloudwatchEncryption?.cloudwatchEncryptionMode;
            if (cw !== "SSE-KMS") report(`cloudwatchEncryption.cloudwatchEncryptionMode is ${cw ? `"${cw}"` : "not set"}; use SSE-KMS.`);
            const jb = e?.jobBookmarksEncryption?.jobBookmarksEncryptionMode;
            if (jb !== "CSE-KMS")
                report(`jobBookmarksEncryption.jobBookmarksEncryptionMode is ${jb ? `"${jb}"` : "not set"}; use CSE-KMS.`);
        }),
        validateResourceOfType(aws.glue.DataCatalogEncryptionSettings, (d, _args, report) => {
            const s = d.dataCatalogEncryptionSettings;
            const mode = s?.encryptionAtRest?.catalogEncryptionMode;
            if (mode !== "SSE-KMS" && mode !== "SSE-KMS-WITH-SERVICE-ROLE")
                report(`encryptionAtRest.catalogEncryptionMode is ${mode ? `"${mode}"` : "not set"}; use SSE-KMS.`);
            if (s?.connectionPasswordEncryption?.returnConnectionPasswordEncrypted !== true)
                report(
                    "connectionPasswordEncryption.returnConnectionPasswordEncrypted is not true; connection passwords are stored in plaintext.",
                );
        }),
        validateResourceOfType(aws.glue.Job, (j, _args, report) => {
            if (!j.securityConfiguration)
                report("securityConfiguration is not set; the job writes unencrypted output, logs and bookmarks.");
        }),
        validateResourceOfType(aws.glue.Crawler, (c, _args, report) => {
            if (!c.securityConfiguration) report("securityConfiguration is not set; the crawler writes unencrypted logs.");
        }),
    ],
};
