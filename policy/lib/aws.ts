// Stand-ins for the @pulumi/aws resource classes the pack checks types against. validateResourceOfType needs only a
// class's Pulumi type token (its __pulumiType), and loading @pulumi/aws at run time to get it cost the analyzer
// process most of its start-up. The classes are imported as types only (erased at compile time), so every stand-in
// keeps the real constructor's argument type; test/policy/pack.test.ts checks each token against the real class.
import type * as real from "@pulumi/aws";

function t<C>(token: string): C {
    return {
        __pulumiType: token,
        isInstance: (o: unknown) => (o as { __pulumiType?: string } | undefined)?.__pulumiType === token,
    } as unknown as C;
}

export const aws = {
    alb: {
        Listener: t<typeof real.alb.Listener>("aws:alb/listener:Listener"),
        ListenerRule: t<typeof real.alb.ListenerRule>("aws:alb/listenerRule:ListenerRule"),
        LoadBalancer: t<typeof real.alb.LoadBalancer>("aws:alb/loadBalancer:LoadBalancer"),
    },
    apigateway: {
        MethodSettings: t<typeof real.apigateway.MethodSettings>("aws:apigateway/methodSettings:MethodSettings"),
        Stage: t<typeof real.apigateway.Stage>("aws:apigateway/stage:Stage"),
    },
    apigatewayv2: {
        Stage: t<typeof real.apigatewayv2.Stage>("aws:apigatewayv2/stage:Stage"),
    },
    athena: {
        Workgroup: t<typeof real.athena.Workgroup>("aws:athena/workgroup:Workgroup"),
    },
    backup: {
        Vault: t<typeof real.backup.Vault>("aws:backup/vault:Vault"),
    },
    cloudfront: {
        Distribution: t<typeof real.cloudfront.Distribution>("aws:cloudfront/distribution:Distribution"),
        VpcOrigin: t<typeof real.cloudfront.VpcOrigin>("aws:cloudfront/vpcOrigin:VpcOrigin"),
    },
    cognito: {
        UserPool: t<typeof real.cognito.UserPool>("aws:cognito/userPool:UserPool"),
    },
    cloudtrail: {
        Trail: t<typeof real.cloudtrail.Trail>("aws:cloudtrail/trail:Trail"),
    },
    cloudwatch: {
        LogGroup: t<typeof real.cloudwatch.LogGroup>("aws:cloudwatch/logGroup:LogGroup"),
    },
    dax: {
        Cluster: t<typeof real.dax.Cluster>("aws:dax/cluster:Cluster"),
    },
    docdb: {
        Cluster: t<typeof real.docdb.Cluster>("aws:docdb/cluster:Cluster"),
    },
    dynamodb: {
        Table: t<typeof real.dynamodb.Table>("aws:dynamodb/table:Table"),
    },
    ebs: {
        DefaultKmsKey: t<typeof real.ebs.DefaultKmsKey>("aws:ebs/defaultKmsKey:DefaultKmsKey"),
        EncryptionByDefault: t<typeof real.ebs.EncryptionByDefault>("aws:ebs/encryptionByDefault:EncryptionByDefault"),
        SnapshotBlockPublicAccess: t<typeof real.ebs.SnapshotBlockPublicAccess>(
            "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess",
        ),
    },
    ec2: {
        AmiLaunchPermission: t<typeof real.ec2.AmiLaunchPermission>("aws:ec2/amiLaunchPermission:AmiLaunchPermission"),
        DefaultSecurityGroup: t<typeof real.ec2.DefaultSecurityGroup>("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"),
        Fleet: t<typeof real.ec2.Fleet>("aws:ec2/fleet:Fleet"),
        FlowLog: t<typeof real.ec2.FlowLog>("aws:ec2/flowLog:FlowLog"),
        ImageBlockPublicAccess: t<typeof real.ec2.ImageBlockPublicAccess>("aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess"),
        SecurityGroup: t<typeof real.ec2.SecurityGroup>("aws:ec2/securityGroup:SecurityGroup"),
        SecurityGroupRule: t<typeof real.ec2.SecurityGroupRule>("aws:ec2/securityGroupRule:SecurityGroupRule"),
        SnapshotCreateVolumePermission: t<typeof real.ec2.SnapshotCreateVolumePermission>(
            "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission",
        ),
        SpotFleetRequest: t<typeof real.ec2.SpotFleetRequest>("aws:ec2/spotFleetRequest:SpotFleetRequest"),
        SpotInstanceRequest: t<typeof real.ec2.SpotInstanceRequest>("aws:ec2/spotInstanceRequest:SpotInstanceRequest"),
    },
    ecr: {
        Repository: t<typeof real.ecr.Repository>("aws:ecr/repository:Repository"),
        RepositoryPolicy: t<typeof real.ecr.RepositoryPolicy>("aws:ecr/repositoryPolicy:RepositoryPolicy"),
    },
    ecs: {
        Service: t<typeof real.ecs.Service>("aws:ecs/service:Service"),
        TaskDefinition: t<typeof real.ecs.TaskDefinition>("aws:ecs/taskDefinition:TaskDefinition"),
    },
    efs: {
        FileSystem: t<typeof real.efs.FileSystem>("aws:efs/fileSystem:FileSystem"),
    },
    elasticache: {
        Cluster: t<typeof real.elasticache.Cluster>("aws:elasticache/cluster:Cluster"),
        ReplicationGroup: t<typeof real.elasticache.ReplicationGroup>("aws:elasticache/replicationGroup:ReplicationGroup"),
        ServerlessCache: t<typeof real.elasticache.ServerlessCache>("aws:elasticache/serverlessCache:ServerlessCache"),
        SubnetGroup: t<typeof real.elasticache.SubnetGroup>("aws:elasticache/subnetGroup:SubnetGroup"),
    },
    glue: {
        Crawler: t<typeof real.glue.Crawler>("aws:glue/crawler:Crawler"),
        DataCatalogEncryptionSettings: t<typeof real.glue.DataCatalogEncryptionSettings>(
            "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",
        ),
        Job: t<typeof real.glue.Job>("aws:glue/job:Job"),
        SecurityConfiguration: t<typeof real.glue.SecurityConfiguration>("aws:glue/securityConfiguration:SecurityConfiguration"),
    },
    iam: {
        GroupPolicy: t<typeof real.iam.GroupPolicy>("aws:iam/groupPolicy:GroupPolicy"),
        GroupPolicyAttachment: t<typeof real.iam.GroupPolicyAttachment>("aws:iam/groupPolicyAttachment:GroupPolicyAttachment"),
        Policy: t<typeof real.iam.Policy>("aws:iam/policy:Policy"),
        PolicyAttachment: t<typeof real.iam.PolicyAttachment>("aws:iam/policyAttachment:PolicyAttachment"),
        Role: t<typeof real.iam.Role>("aws:iam/role:Role"),
        RolePolicy: t<typeof real.iam.RolePolicy>("aws:iam/rolePolicy:RolePolicy"),
        RolePolicyAttachment: t<typeof real.iam.RolePolicyAttachment>("aws:iam/rolePolicyAttachment:RolePolicyAttachment"),
        UserPolicy: t<typeof real.iam.UserPolicy>("aws:iam/userPolicy:UserPolicy"),
        UserPolicyAttachment: t<typeof real.iam.UserPolicyAttachment>("aws:iam/userPolicyAttachment:UserPolicyAttachment"),
    },
    kinesis: {
        FirehoseDeliveryStream: t<typeof real.kinesis.FirehoseDeliveryStream>("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"),
        Stream: t<typeof real.kinesis.Stream>("aws:kinesis/stream:Stream"),
        VideoStream: t<typeof real.kinesis.VideoStream>("aws:kinesis/videoStream:VideoStream"),
    },
    kms: {
        Key: t<typeof real.kms.Key>("aws:kms/key:Key"),
        KeyPolicy: t<typeof real.kms.KeyPolicy>("aws:kms/keyPolicy:KeyPolicy"),
        ReplicaKey: t<typeof real.kms.ReplicaKey>("aws:kms/replicaKey:ReplicaKey"),
    },
    lambda: {
        Function: t<typeof real.lambda.Function>("aws:lambda/function:Function"),
        FunctionUrl: t<typeof real.lambda.FunctionUrl>("aws:lambda/functionUrl:FunctionUrl"),
        LayerVersionPermission: t<typeof real.lambda.LayerVersionPermission>("aws:lambda/layerVersionPermission:LayerVersionPermission"),
        Permission: t<typeof real.lambda.Permission>("aws:lambda/permission:Permission"),
    },
    lb: {
        Listener: t<typeof real.lb.Listener>("aws:lb/listener:Listener"),
        ListenerRule: t<typeof real.lb.ListenerRule>("aws:lb/listenerRule:ListenerRule"),
        LoadBalancer: t<typeof real.lb.LoadBalancer>("aws:lb/loadBalancer:LoadBalancer"),
    },
    memorydb: {
        Cluster: t<typeof real.memorydb.Cluster>("aws:memorydb/cluster:Cluster"),
    },
    msk: {
        Cluster: t<typeof real.msk.Cluster>("aws:msk/cluster:Cluster"),
        ServerlessCluster: t<typeof real.msk.ServerlessCluster>("aws:msk/serverlessCluster:ServerlessCluster"),
    },
    neptune: {
        Cluster: t<typeof real.neptune.Cluster>("aws:neptune/cluster:Cluster"),
        ClusterInstance: t<typeof real.neptune.ClusterInstance>("aws:neptune/clusterInstance:ClusterInstance"),
    },
    opensearch: {
        Domain: t<typeof real.opensearch.Domain>("aws:opensearch/domain:Domain"),
        DomainPolicy: t<typeof real.opensearch.DomainPolicy>("aws:opensearch/domainPolicy:DomainPolicy"),
        ServerlessSecurityPolicy: t<typeof real.opensearch.ServerlessSecurityPolicy>(
            "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy",
        ),
    },
    rds: {
        Cluster: t<typeof real.rds.Cluster>("aws:rds/cluster:Cluster"),
        ClusterInstance: t<typeof real.rds.ClusterInstance>("aws:rds/clusterInstance:ClusterInstance"),
        ClusterSnapshot: t<typeof real.rds.ClusterSnapshot>("aws:rds/clusterSnapshot:ClusterSnapshot"),
        GlobalCluster: t<typeof real.rds.GlobalCluster>("aws:rds/globalCluster:GlobalCluster"),
        Instance: t<typeof real.rds.Instance>("aws:rds/instance:Instance"),
        Snapshot: t<typeof real.rds.Snapshot>("aws:rds/snapshot:Snapshot"),
        SubnetGroup: t<typeof real.rds.SubnetGroup>("aws:rds/subnetGroup:SubnetGroup"),
    },
    redshift: {
        Cluster: t<typeof real.redshift.Cluster>("aws:redshift/cluster:Cluster"),
        SubnetGroup: t<typeof real.redshift.SubnetGroup>("aws:redshift/subnetGroup:SubnetGroup"),
    },
    redshiftserverless: {
        Namespace: t<typeof real.redshiftserverless.Namespace>("aws:redshiftserverless/namespace:Namespace"),
        Workgroup: t<typeof real.redshiftserverless.Workgroup>("aws:redshiftserverless/workgroup:Workgroup"),
    },
    s3: {
        AccountPublicAccessBlock: t<typeof real.s3.AccountPublicAccessBlock>("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"),
        Bucket: t<typeof real.s3.Bucket>("aws:s3/bucket:Bucket"),
        BucketAcl: t<typeof real.s3.BucketAcl>("aws:s3/bucketAcl:BucketAcl"),
        BucketObject: t<typeof real.s3.BucketObject>("aws:s3/bucketObject:BucketObject"),
        BucketObjectv2: t<typeof real.s3.BucketObjectv2>("aws:s3/bucketObjectv2:BucketObjectv2"),
        BucketPolicy: t<typeof real.s3.BucketPolicy>("aws:s3/bucketPolicy:BucketPolicy"),
        BucketPublicAccessBlock: t<typeof real.s3.BucketPublicAccessBlock>("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"),
        BucketServerSideEncryptionConfiguration: t<typeof real.s3.BucketServerSideEncryptionConfiguration>(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        ),
    },
    secretsmanager: {
        Secret: t<typeof real.secretsmanager.Secret>("aws:secretsmanager/secret:Secret"),
        SecretPolicy: t<typeof real.secretsmanager.SecretPolicy>("aws:secretsmanager/secretPolicy:SecretPolicy"),
    },
    sns: {
        Topic: t<typeof real.sns.Topic>("aws:sns/topic:Topic"),
        TopicPolicy: t<typeof real.sns.TopicPolicy>("aws:sns/topicPolicy:TopicPolicy"),
    },
    sqs: {
        Queue: t<typeof real.sqs.Queue>("aws:sqs/queue:Queue"),
        QueuePolicy: t<typeof real.sqs.QueuePolicy>("aws:sqs/queuePolicy:QueuePolicy"),
        RedrivePolicy: t<typeof real.sqs.RedrivePolicy>("aws:sqs/redrivePolicy:RedrivePolicy"),
    },
    timestreamwrite: {
        Database: t<typeof real.timestreamwrite.Database>("aws:timestreamwrite/database:Database"),
    },
    vpc: {
        SecurityGroupIngressRule: t<typeof real.vpc.SecurityGroupIngressRule>("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
    },
    wafv2: {
        WebAcl: t<typeof real.wafv2.WebAcl>("aws:wafv2/webAcl:WebAcl"),
    },
};
