// CI bootstrap (one stack per account): GitHub's OIDC provider, the roles the workflows assume and the S3 state
// backend with its KMS key. Planned offline like the main program (`npm run plan -- --program bootstrap --stack
// global`) and checked by the same policy pack.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const github = config.requireObject<{ owner: string; repo: string }>("github");
const productionGate = config.get("productionGate") ?? "environment";
const stacks = config.requireObject<string[]>("stacks");
if (!/^[A-Za-z0-9-]+$/.test(github.owner) || !/^[A-Za-z0-9._-]+$/.test(github.repo))
    throw new pulumi.RunError(`github.owner/repo must be a GitHub owner and repository name, got ${JSON.stringify(github)}`);
if (productionGate !== "environment" && productionGate !== "main-branch")
    throw new pulumi.RunError(`productionGate must be "environment" or "main-branch", got ${JSON.stringify(productionGate)}`);

const project = "retail-platform";
const identity = aws.getCallerIdentityOutput({});
const partition = aws.getPartitionOutput({});
const region = aws.getRegionOutput({});
const repo = `repo:${github.owner}/${github.repo}`;
const OIDC_HOST = "token.actions.githubusercontent.com";

// GitHub's OIDC provider. AWS no longer checks thumbprints for this provider (it trusts its own CA store), so none is
// pinned; the audience is STS, as aws-actions/configure-aws-credentials requests.
const oidc = new aws.iam.OpenIdConnectProvider("github-oidc", {
    url: `https://${OIDC_HOST}`,
    clientIdLists: ["sts.amazonaws.com"],
});

// The state: a KMS key (also the secrets provider, awskms://alias/...) and a versioned, encrypted, private bucket.
const key = new aws.kms.Key("state-key", {
    description: `${project} Pulumi state and stack secrets`,
    enableKeyRotation: true,
    rotationPeriodInDays: 365,
    deletionWindowInDays: 30,
});
const alias = new aws.kms.Alias("state-key-alias", { name: `alias/${project}-pulumi`, targetKeyId: key.keyId });
const bucket = new aws.s3.Bucket("state", { bucket: pulumi.interpolate`${project}-pulumi-state-${identity.accountId}` }, { protect: true });
new aws.s3.BucketPublicAccessBlock("state-public-access", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
});
new aws.s3.BucketOwnershipControls("state-ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
new aws.s3.BucketVersioning("state-versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
new aws.s3.BucketServerSideEncryptionConfiguration("state-encryption", {
    bucket: bucket.id,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
});
new aws.s3.BucketPolicy("state-policy", {
    bucket: bucket.id,
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    }),
});

/** A role GitHub Actions jobs whose token subject is one of `subjects` may assume through the OIDC provider. */
function githubRole(name: string, description: string, subjects: string[]): aws.iam.Role {
    return new aws.iam.Role(name, {
        name: `${project}-${name}`,
        description,
        maxSessionDuration: 3600,
        assumeRolePolicy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Federated: oidc.arn },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: { [`${OIDC_HOST}:aud`]: "sts.amazonaws.com", [`${OIDC_HOST}:sub`]: subjects },
                    },
                },
            ],
        }),
    });
}

// Every role reads and writes the state (the S3 backend takes a lock object even for a preview) and uses the key.
function stateAccess(name: string, role: aws.iam.Role): void {
    new aws.iam.RolePolicy(`${name}-state`, {
        role: role.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "StateBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: bucket.arn },
                {
                    Sid: "StateObjects",
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                    Resource: pulumi.interpolate`${bucket.arn}/*`,
                },
                {
                    Sid: "StateKey",
                    Effect: "Allow",
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
                    Resource: key.arn,
                },
            ],
        }),
    });
}

const readOnly = pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/ReadOnlyAccess`;

// Pull requests (never forks: GitHub gives fork workflows no id-token) preview with read-only access.
const preview = githubRole("ci-preview", "GitHub pull requests: pulumi preview (read-only)", [`${repo}:pull_request`]);
new aws.iam.RolePolicyAttachment("ci-preview-read-only", { role: preview.name, policyArn: readOnly });
stateAccess("ci-preview", preview);

// The nightly drift check runs on the default branch: preview --refresh reads, it does not write state.
const drift = githubRole("ci-drift", "Nightly drift check: pulumi preview --refresh (read-only)", [`${repo}:ref:refs/heads/main`]);
new aws.iam.RolePolicyAttachment("ci-drift-read-only", { role: drift.name, policyArn: readOnly });
stateAccess("ci-drift", drift);

// One deploy role per stack, trusted by jobs in that stack's GitHub environment. PowerUserAccess covers every service
// but IAM; IAM is limited to the stack's own roles and policies (the program names them <project>-<stack>-…).
export const deployRoleArns: Record<string, pulumi.Output<string>> = {};
for (const stack of stacks) {
    const subject =
        stack === "production" && productionGate === "main-branch" ? `${repo}:ref:refs/heads/main` : `${repo}:environment:${stack}`;
    const role = githubRole(`ci-deploy-${stack}`, `GitHub deploy of the ${stack} stack: pulumi up`, [subject]);
    new aws.iam.RolePolicyAttachment(`ci-deploy-${stack}-power-user`, {
        role: role.name,
        policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/PowerUserAccess`,
    });
    new aws.iam.RolePolicy(`ci-deploy-${stack}-iam`, {
        role: role.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "StackRoles",
                    Effect: "Allow",
                    Action: [
                        "iam:CreateRole",
                        "iam:DeleteRole",
                        "iam:GetRole",
                        "iam:UpdateRole",
                        "iam:UpdateAssumeRolePolicy",
                        "iam:TagRole",
                        "iam:UntagRole",
                        "iam:PutRolePolicy",
                        "iam:DeleteRolePolicy",
                        "iam:GetRolePolicy",
                        "iam:ListRolePolicies",
                        "iam:AttachRolePolicy",
                        "iam:DetachRolePolicy",
                        "iam:ListAttachedRolePolicies",
                        "iam:ListInstanceProfilesForRole",
                        "iam:PassRole",
                    ],
                    Resource: pulumi.interpolate`arn:${partition.partition}:iam::${identity.accountId}:role/${project}-${stack}-*`,
                },
                {
                    Sid: "ServiceLinkedRoles",
                    Effect: "Allow",
                    Action: "iam:CreateServiceLinkedRole",
                    Resource: pulumi.interpolate`arn:${partition.partition}:iam::${identity.accountId}:role/aws-service-role/*`,
                },
            ],
        }),
    });
    stateAccess(`ci-deploy-${stack}`, role);
    deployRoleArns[stack] = role.arn;
}

export const oidcProviderArn = oidc.arn;
export const previewRoleArn = preview.arn;
export const driftRoleArn = drift.arn;
export const stateBucket = bucket.bucket;
export const backendUrl = pulumi.interpolate`s3://${bucket.bucket}`;
export const secretsProvider = pulumi.interpolate`awskms://${alias.name}?region=${region.name}`;
