import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { asArray } from "../lib/util";

const hasAll = (v: unknown) => asArray(v as unknown[]).some((x) => String(x).toLowerCase() === "all");

/**
 * Snapshots and images must not be shared with every AWS account ("all"): RDS instance and cluster snapshots
 * (sharedAccounts), EBS snapshot create-volume permissions and AMI launch permissions. Turning the account's EBS
 * snapshot block-public-access off is the same exposure for every snapshot in the region.
 */
export const snapshotNotPublic: PackResourcePolicy = {
    kind: "resource",
    id: "snapshot-not-public",
    description:
        "RDS and EBS snapshots and AMIs must not be shared publicly, and EBS snapshot and AMI public-access blocking must stay on.",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["rds-snapshots-public-prohibited", "ebs-snapshot-public-restorable-check"],
        pciDss: ["1.4.4", "7.2.1"],
        // AMI launch permissions have no FSBP control; EC2.182 (EBS snapshot block public access) is left out until the FSBP
        // standard lists it.
        securityHub: [
            "RDS.1", // RDS snapshot should be private
            "EC2.1", // Amazon EBS snapshots should not be publicly restorable
        ],
    },
    remediation:
        'Share snapshots only with named account ids; keep aws.ebs.SnapshotBlockPublicAccess at "block-all-sharing" and aws.ec2.ImageBlockPublicAccess at "block-new-sharing".',
    validateResource: [
        validateResourceOfType(aws.rds.Snapshot, (s, _a, report) => {
            if (hasAll(s.sharedAccounts))
                report(
                    'sharedAccounts includes "all": anyone can restore the database snapshot [AWS Config rds-snapshots-public-prohibited].',
                );
        }),
        validateResourceOfType(aws.rds.ClusterSnapshot, (s, _a, report) => {
            if (hasAll(s.sharedAccounts))
                report(
                    'sharedAccounts includes "all": anyone can restore the cluster snapshot [AWS Config rds-snapshots-public-prohibited].',
                );
        }),
        validateResourceOfType(aws.ec2.SnapshotCreateVolumePermission, (p, _a, report) => {
            if (hasAll(p.accountId))
                report(
                    'accountId is "all": anyone can create a volume from the snapshot [AWS Config ebs-snapshot-public-restorable-check].',
                );
        }),
        validateResourceOfType(aws.ec2.AmiLaunchPermission, (p, _a, report) => {
            if (hasAll(p.group)) report('group is "all": the image is public, with its snapshots [platform rule].');
        }),
        // The account's block on public AMI sharing ("block-new-sharing", the default for new accounts): "unblocked"
        // lets any image of the region be made public.
        validateResourceOfType(aws.ec2.ImageBlockPublicAccess, (b, _a, report) => {
            if (b.state !== "block-new-sharing")
                report(`state is ${b.state ? `"${b.state}"` : "not set"}: AMIs in the region can be made public [platform rule].`);
        }),
        validateResourceOfType(aws.ebs.SnapshotBlockPublicAccess, (b, _a, report) => {
            if (b.state !== "block-all-sharing" && b.state !== "block-new-sharing")
                report(
                    `state is ${b.state ? `"${b.state}"` : "not set"}: EBS snapshots in the region can be made public [AWS Config ebs-snapshot-public-restorable-check].`,
                );
        }),
    ],
};
