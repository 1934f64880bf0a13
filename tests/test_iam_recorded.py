"""IAM answers replayed against what real AWS answered (LocalStack's recorded snapshots of its test_iam suite). The
expected answers are embedded here; dates become "datetime", ids "<id>", the names this run chose "<name>"/"<path>";
field sets, values, error codes, texts and statuses must match exactly.

Recorded scenarios not replayed here, and why:
- test_simulate_principle_policy[...]: replayed in tests/test_iam_simulation.py;
- test_service_specific_credential_* (9): replayed field by field in tests/test_iam_credentials.py;
- test_put_role_policy_encoding / test_put_group_policy_encoding: the same encoding as the user case below.
"""
import datetime
import json

import pytest
from botocore.exceptions import ClientError

from helpers import unique

TRUST = {"Version": "2012-10-17", "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow",
                                                 "Principal": {"Service": "ec2.amazonaws.com"}}]}


@pytest.fixture(scope="module")
def iam(aws_client):
    return aws_client("iam")


def normalised(value, names):
    """Dates, ids and this run's names replaced by placeholders; ResponseMetadata dropped."""
    if isinstance(value, dict):
        return {k: ("<id>" if k in ("RoleId", "PolicyId", "UserId") else normalised(v, names))
                for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [normalised(v, names) for v in value]
    if isinstance(value, datetime.datetime):
        return "datetime"
    if isinstance(value, str):
        for real, placeholder in names.items():
            value = value.replace(real, placeholder)
    return value


def error(call, **kwargs):
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    r = info.value.response
    return r["ResponseMetadata"]["HTTPStatusCode"], r["Error"]["Code"], r["Error"]["Message"], r["Error"].get("Type")


def test_create_describe_list_role(iam):
    name, prefix = unique("role"), unique("path")
    names = {name: "<name>", prefix: "<path>"}
    role = {"Arn": "arn:aws:iam::000000000000:role/<path>/<name>", "AssumeRolePolicyDocument": TRUST, "CreateDate": "datetime",
            "Path": "/<path>/", "RoleId": "<id>", "RoleName": "<name>"}
    created = iam.create_role(RoleName=name, Path=f"/{prefix}/", AssumeRolePolicyDocument=json.dumps(TRUST))
    assert normalised(created, names) == {"Role": role}
    # GetRole adds MaxSessionDuration and an (empty) RoleLastUsed; ListRoles MaxSessionDuration only
    assert normalised(iam.get_role(RoleName=name), names) == {"Role": role | {"MaxSessionDuration": 3600, "RoleLastUsed": {}}}
    assert normalised(iam.list_roles(PathPrefix=f"/{prefix}/"), names) == {
        "IsTruncated": False, "Roles": [role | {"MaxSessionDuration": 3600}]}
    assert normalised(iam.delete_role(RoleName=name), names) == {}


def test_role_with_tags(iam):
    name = unique("role")
    names = {name: "<name>"}
    role = {"Arn": "arn:aws:iam::000000000000:role/role-with-tags/<name>", "AssumeRolePolicyDocument": TRUST,
            "CreateDate": "datetime", "Path": "/role-with-tags/", "RoleId": "<id>", "RoleName": "<name>"}
    tags = [{"Key": "test", "Value": "value"}]
    created = iam.create_role(RoleName=name, Path="/role-with-tags/", AssumeRolePolicyDocument=json.dumps(TRUST), Tags=tags)
    assert normalised(created, names) == {"Role": role | {"Tags": tags}}
    assert normalised(iam.get_role(RoleName=name), names) == {
        "Role": role | {"MaxSessionDuration": 3600, "RoleLastUsed": {}, "Tags": tags}}
    # lists leave the tags out
    listed = [r for r in iam.list_roles(PathPrefix="/role-with-tags/")["Roles"] if r["RoleName"] == name]
    assert normalised(listed, names) == [role | {"MaxSessionDuration": 3600}]
    iam.delete_role(RoleName=name)


def test_update_assume_role_policy_and_malformed_documents(iam):
    name = unique("role")
    trust = {"Version": "2012-10-17", "Statement": [{"Action": ["sts:AssumeRole"], "Effect": "Allow",
                                                     "Principal": {"Service": ["ec2.amazonaws.com"]}}]}
    created = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    assert created["AssumeRolePolicyDocument"] == trust and created["Path"] == "/"
    assert normalised(iam.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(TRUST)), {}) == {}
    assert iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"] == TRUST
    assert error(iam.create_role, RoleName=unique("role"), AssumeRolePolicyDocument="{not json") == (
        400, "MalformedPolicyDocument", "This policy contains invalid Json", "Sender")
    iam.delete_role(RoleName=name)


@pytest.mark.parametrize("kind", ["role", "user"])
def test_attach_policy_errors(iam, kind):
    # a policy name of at least 20 characters: the client itself refuses shorter PolicyArn values
    name, policy_name = unique(kind), unique("existing-policy-name")
    if kind == "role":
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))
        attach = lambda arn: iam.attach_role_policy(RoleName=name, PolicyArn=arn)  # noqa: E731
    else:
        iam.create_user(UserName=name)
        attach = lambda arn: iam.attach_user_policy(UserName=name, PolicyArn=arn)  # noqa: E731
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}
    created = iam.create_policy(PolicyName=policy_name, PolicyDocument=json.dumps(document))
    assert normalised(created, {policy_name: "<policy>"}) == {"Policy": {
        "Arn": "arn:aws:iam::000000000000:policy/<policy>", "AttachmentCount": 0, "CreateDate": "datetime", "DefaultVersionId": "v1",
        "IsAttachable": True, "Path": "/", "PermissionsBoundaryUsageCount": 0, "PolicyId": "<id>", "PolicyName": "<policy>",
        "UpdateDate": "datetime"}}
    arn = created["Policy"]["Arn"]
    assert error(attach, arn="non-existent-malformed-arn") == (400, "ValidationError", "Invalid ARN:  Could not be parsed!", "Sender")
    assert error(attach, arn=policy_name) == (400, "ValidationError", "Invalid ARN:  Could not be parsed!", "Sender")
    assert error(attach, arn=arn + "123") == (
        404, "NoSuchEntity", f"Policy {arn}123 does not exist or is not attachable.", "Sender")
    assert normalised(attach(arn), {}) == {}


def test_delete_non_existent_policy(iam):
    arn = "arn:aws:iam::000000000000:policy/non-existent-policy"
    assert error(iam.delete_policy, PolicyArn=arn) == (404, "NoSuchEntity", f"Policy {arn} was not found.", "Sender")


def test_put_user_policy_keeps_encoded_characters(iam):
    user, policy_name = unique("user"), unique("policy")
    iam.create_user(UserName=user)
    resource = "arn:aws:apigateway:us-east-1::/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Frestapis%2Faaeeieije"
    document = {"Version": "2012-10-17", "Statement": [{"Action": ["apigatway:PUT"], "Effect": "Allow", "Resource": [resource]}]}
    iam.put_user_policy(UserName=user, PolicyName=policy_name, PolicyDocument=json.dumps(document))
    got = iam.get_user_policy(UserName=user, PolicyName=policy_name)
    assert normalised(got, {user: "<user>", policy_name: "<policy>"}) == {
        "PolicyDocument": document, "PolicyName": "<policy>", "UserName": "<user>"}


def test_service_linked_role_taken_and_deleted(iam):
    try:
        iam.create_service_linked_role(AWSServiceName="batch.amazonaws.com")
    except ClientError:
        pass  # left by an earlier run against the same server
    assert error(iam.create_service_linked_role, AWSServiceName="batch.amazonaws.com") == (
        400, "InvalidInput", "Service role name AWSServiceRoleForBatch has been taken in this account, please try a different suffix.",
        "Sender")
    task = iam.delete_service_linked_role(RoleName="AWSServiceRoleForBatch")["DeletionTaskId"]
    assert task.startswith("task/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch/")
    assert normalised(iam.get_service_linked_role_deletion_status(DeletionTaskId=task), {}) == {"Status": "SUCCEEDED"}


# --- service-linked roles (test_service_role_lifecycle*, 142 recorded scenarios) ----------------------------------

# service principal: (role name AWS gave, the AWS managed policy it attached), as recorded
SERVICE_LINKED_ROLES = {
    "accountdiscovery.ssm.amazonaws.com": ("AWSServiceRoleForAmazonSSM_AccountDiscovery", "AWSSystemsManagerAccountDiscoveryServicePolicy"),
    "acm.amazonaws.com": ("AWSServiceRoleForCertificateManager", "CertificateManagerServiceRolePolicy"),
    "appmesh.amazonaws.com": ("AWSServiceRoleForAppMesh", "AWSAppMeshServiceRolePolicy"),
    "autoscaling-plans.amazonaws.com": ("AWSServiceRoleForAutoScalingPlans_EC2AutoScaling", "AWSAutoScalingPlansEC2AutoScalingPolicy"),
    "autoscaling.amazonaws.com": ("AWSServiceRoleForAutoScaling", "AutoScalingServiceRolePolicy"),
    "backup.amazonaws.com": ("AWSServiceRoleForBackup", "AWSBackupServiceLinkedRolePolicyForBackup"),
    "batch.amazonaws.com": ("AWSServiceRoleForBatch", "BatchServiceRolePolicy"),
    "cassandra.application-autoscaling.amazonaws.com": ("AWSServiceRoleForApplicationAutoScaling_CassandraTable", "AWSApplicationAutoscalingCassandraTablePolicy"),
    "cks.kms.amazonaws.com": ("AWSServiceRoleForKeyManagementServiceCustomKeyStores", "AWSKeyManagementServiceCustomKeyStoresServiceRolePolicy"),
    "cloudtrail.amazonaws.com": ("AWSServiceRoleForCloudTrail", "CloudTrailServiceRolePolicy"),
    "codestar-notifications.amazonaws.com": ("AWSServiceRoleForCodeStarNotifications", "AWSCodeStarNotificationsServiceRolePolicy"),
    "config.amazonaws.com": ("AWSServiceRoleForConfig", "AWSConfigServiceRolePolicy"),
    "connect.amazonaws.com": ("AWSServiceRoleForAmazonConnect", "AmazonConnectServiceLinkedRolePolicy"),
    "dms-fleet-advisor.amazonaws.com": ("AWSServiceRoleForDMSFleetAdvisor", "AWSDMSFleetAdvisorServiceRolePolicy"),
    "dms.amazonaws.com": ("AWSServiceRoleForDMSServerless", "AWSDMSServerlessServiceRolePolicy"),
    "docdb-elastic.amazonaws.com": ("AWSServiceRoleForDocDB-Elastic", "AmazonDocDB-ElasticServiceRolePolicy"),
    "ec2-instance-connect.amazonaws.com": ("AWSServiceRoleForEc2InstanceConnect", "Ec2InstanceConnectEndpoint"),
    "ec2.application-autoscaling.amazonaws.com": ("AWSServiceRoleForApplicationAutoScaling_EC2SpotFleetRequest", "AWSApplicationAutoscalingEC2SpotFleetRequestPolicy"),
    "ecr.amazonaws.com": ("AWSServiceRoleForECRTemplate", "ECRTemplateServiceRolePolicy"),
    "ecs.amazonaws.com": ("AWSServiceRoleForECS", "AmazonECSServiceRolePolicy"),
    "eks-connector.amazonaws.com": ("AWSServiceRoleForAmazonEKSConnector", "AmazonEKSConnectorServiceRolePolicy"),
    "eks-fargate.amazonaws.com": ("AWSServiceRoleForAmazonEKSForFargate", "AmazonEKSForFargateServiceRolePolicy"),
    "eks-nodegroup.amazonaws.com": ("AWSServiceRoleForAmazonEKSNodegroup", "AWSServiceRoleForAmazonEKSNodegroup"),
    "eks.amazonaws.com": ("AWSServiceRoleForAmazonEKS", "AmazonEKSServiceRolePolicy"),
    "elasticache.amazonaws.com": ("AWSServiceRoleForElastiCache", "ElastiCacheServiceRolePolicy"),
    "elasticbeanstalk.amazonaws.com": ("AWSServiceRoleForElasticBeanstalk", "AWSElasticBeanstalkServiceRolePolicy"),
    "elasticfilesystem.amazonaws.com": ("AWSServiceRoleForAmazonElasticFileSystem", "AmazonElasticFileSystemServiceRolePolicy"),
    "elasticloadbalancing.amazonaws.com": ("AWSServiceRoleForElasticLoadBalancing", "AWSElasticLoadBalancingServiceRolePolicy"),
    "email.cognito-idp.amazonaws.com": ("AWSServiceRoleForAmazonCognitoIdpEmailService", "AmazonCognitoIdpEmailServiceRolePolicy"),
    "emr-containers.amazonaws.com": ("AWSServiceRoleForAmazonEMRContainers", "AmazonEMRContainersServiceRolePolicy"),
    "emrwal.amazonaws.com": ("AWSServiceRoleForEMRWAL", "EMRDescribeClusterPolicyForEMRWAL"),
    "fis.amazonaws.com": ("AWSServiceRoleForFIS", "AmazonFISServiceRolePolicy"),
    "grafana.amazonaws.com": ("AWSServiceRoleForAmazonGrafana", "AmazonGrafanaServiceLinkedRolePolicy"),
    "imagebuilder.amazonaws.com": ("AWSServiceRoleForImageBuilder", "AWSServiceRoleForImageBuilder"),
    "iotmanagedintegrations.amazonaws.com": ("AWSServiceRoleForIoTManagedIntegrations", "AWSIoTManagedIntegrationsRolePolicy"),
    "kafka.amazonaws.com": ("AWSServiceRoleForKafka", "KafkaServiceRolePolicy"),
    "kafkaconnect.amazonaws.com": ("AWSServiceRoleForKafkaConnect", "KafkaConnectServiceRolePolicy"),
    "lakeformation.amazonaws.com": ("AWSServiceRoleForLakeFormationDataAccess", "LakeFormationDataAccessServiceRolePolicy"),
    "lex.amazonaws.com": ("AWSServiceRoleForLexBots", "AmazonLexBotPolicy"),
    "lexv2.amazonaws.com": ("AWSServiceRoleForLexV2Bots", "AmazonLexV2BotPolicy"),
    "lightsail.amazonaws.com": ("AWSServiceRoleForLightsail", "LightsailExportAccess"),
    "m2.amazonaws.com": ("AWSServiceRoleForAWSM2", "AWSM2ServicePolicy"),
    "memorydb.amazonaws.com": ("AWSServiceRoleForMemoryDB", "MemoryDBServiceRolePolicy"),
    "mq.amazonaws.com": ("AWSServiceRoleForAmazonMQ", "AmazonMQServiceRolePolicy"),
    "mrk.kms.amazonaws.com": ("AWSServiceRoleForKeyManagementServiceMultiRegionKeys", "AWSKeyManagementServiceMultiRegionKeysServiceRolePolicy"),
    "notifications.amazonaws.com": ("AWSServiceRoleForAwsUserNotifications", "AWSUserNotificationsServiceLinkedRolePolicy"),
    "observability.aoss.amazonaws.com": ("AWSServiceRoleForAmazonOpenSearchServerless", "AmazonOpenSearchServerlessServiceRolePolicy"),
    "opensearchservice.amazonaws.com": ("AWSServiceRoleForAmazonOpenSearchService", "AmazonOpenSearchServiceRolePolicy"),
    "ops.apigateway.amazonaws.com": ("AWSServiceRoleForAPIGateway", "APIGatewayServiceRolePolicy"),
    "ops.emr-serverless.amazonaws.com": ("AWSServiceRoleForAmazonEMRServerless", "AmazonEMRServerlessServiceRolePolicy"),
    "opsdatasync.ssm.amazonaws.com": ("AWSServiceRoleForSystemsManagerOpsDataSync", "AWSSystemsManagerOpsDataSyncServiceRolePolicy"),
    "opsinsights.ssm.amazonaws.com": ("AWSServiceRoleForAmazonSSM_OpsInsights", "AWSSSMOpsInsightsServiceRolePolicy"),
    "pullthroughcache.ecr.amazonaws.com": ("AWSServiceRoleForECRPullThroughCache", "AWSECRPullThroughCache_ServiceRolePolicy"),
    "ram.amazonaws.com": ("AWSServiceRoleForResourceAccessManager", "AWSResourceAccessManagerServiceRolePolicy"),
    "rds.amazonaws.com": ("AWSServiceRoleForRDS", "AmazonRDSServiceRolePolicy"),
    "redshift.amazonaws.com": ("AWSServiceRoleForRedshift", "AmazonRedshiftServiceLinkedRolePolicy"),
    "replication.cassandra.amazonaws.com": ("AWSServiceRoleForKeyspacesReplication", "KeyspacesReplicationServiceRolePolicy"),
    "replication.ecr.amazonaws.com": ("AWSServiceRoleForECRReplication", "ECRReplicationServiceRolePolicy"),
    "repository.sync.codeconnections.amazonaws.com": ("AWSServiceRoleForGitSync", "AWSGitSyncServiceRolePolicy"),
    "resource-explorer-2.amazonaws.com": ("AWSServiceRoleForResourceExplorer", "AWSResourceExplorerServiceRolePolicy"),
    "rolesanywhere.amazonaws.com": ("AWSServiceRoleForRolesAnywhere", "AWSRolesAnywhereServicePolicy"),
    "s3-outposts.amazonaws.com": ("AWSServiceRoleForS3OnOutposts", "AWSS3OnOutpostsServiceRolePolicy"),
    "ses.amazonaws.com": ("AWSServiceRoleForAmazonSES", "AmazonSESServiceRolePolicy"),
    "shield.amazonaws.com": ("AWSServiceRoleForAWSShield", "AWSShieldServiceRolePolicy"),
    "ssm-incidents.amazonaws.com": ("AWSServiceRoleForIncidentManager", "AWSIncidentManagerServiceRolePolicy"),
    "ssm-quicksetup.amazonaws.com": ("AWSServiceRoleForSSMQuickSetup", "SSMQuickSetupRolePolicy"),
    "ssm.amazonaws.com": ("AWSServiceRoleForAmazonSSM", "AmazonSSMServiceRolePolicy"),
    "sso.amazonaws.com": ("AWSServiceRoleForSSO", "AWSSSOServiceRolePolicy"),
    "vpcorigin.cloudfront.amazonaws.com": ("AWSServiceRoleForCloudFrontVPCOrigin", "AWSCloudFrontVPCOriginServiceRolePolicy"),
    "waf.amazonaws.com": ("AWSServiceRoleForWAFLogging", "WAFLoggingServiceRolePolicy"),
    "wafv2.amazonaws.com": ("AWSServiceRoleForWAFV2Logging", "WAFV2LoggingServiceRolePolicy"),
}
CUSTOM_SUFFIX_ALLOWED = ['autoscaling.amazonaws.com', 'connect.amazonaws.com', 'lexv2.amazonaws.com']


@pytest.fixture(scope="module")
def iam_111(endpoint_url):
    """IAM of account 111111111111 (the recordings' account, so ARNs compare as recorded; no other test uses it)."""
    import boto3
    return boto3.client("iam", endpoint_url=endpoint_url, region_name="us-east-1",
                        aws_access_key_id="111111111111", aws_secret_access_key="test")


def linked_role(iam, **kwargs):
    """CreateServiceLinkedRole, or the role an earlier run against the same server left (named by AWS's refusal)."""
    try:
        return iam.create_service_linked_role(**kwargs)["Role"]["RoleName"]
    except ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidInput" and "has been taken" in e.response["Error"]["Message"]
        return e.response["Error"]["Message"].split()[3]


def assert_linked_role_as_recorded(iam, service, name, policy):
    role = iam.get_role(RoleName=name)
    assert normalised(role, {}) == {"Role": {
        "Arn": f"arn:aws:iam::111111111111:role/aws-service-role/{service}/{name}",
        "AssumeRolePolicyDocument": {"Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": service}}],
                                     "Version": "2012-10-17"},
        "CreateDate": "datetime", "MaxSessionDuration": 3600, "Path": f"/aws-service-role/{service}/", "RoleId": "<id>",
        "RoleLastUsed": {}, "RoleName": name}}
    assert normalised(iam.list_role_policies(RoleName=name), {}) == {"IsTruncated": False, "PolicyNames": []}
    assert normalised(iam.list_attached_role_policies(RoleName=name), {}) == {"IsTruncated": False, "AttachedPolicies": [
        {"PolicyArn": f"arn:aws:iam::aws:policy/aws-service-role/{policy}", "PolicyName": policy}]}


@pytest.mark.parametrize("service", sorted(SERVICE_LINKED_ROLES))
def test_service_role_lifecycle(iam_111, service):
    role_name, policy = SERVICE_LINKED_ROLES[service]
    assert linked_role(iam_111, AWSServiceName=service) == role_name
    assert_linked_role_as_recorded(iam_111, service, role_name, policy)


@pytest.mark.parametrize("service", CUSTOM_SUFFIX_ALLOWED)
def test_service_role_lifecycle_custom_suffix(iam_111, service):
    suffix = unique("sfx").replace("-", "")[:12]
    name = iam_111.create_service_linked_role(AWSServiceName=service, CustomSuffix=suffix)["Role"]["RoleName"]
    role_name, policy = SERVICE_LINKED_ROLES[service]
    assert name == f"{role_name}_{suffix}"
    assert_linked_role_as_recorded(iam_111, service, name, policy)
    iam_111.delete_service_linked_role(RoleName=name)


@pytest.mark.parametrize("service", sorted(set(SERVICE_LINKED_ROLES) - set(CUSTOM_SUFFIX_ALLOWED)))
def test_service_role_lifecycle_custom_suffix_not_allowed(iam_111, service):
    assert error(iam_111.create_service_linked_role, AWSServiceName=service, CustomSuffix="testsuffix") == (
        400, "InvalidInput", f"Custom suffix is not allowed for {service}", "Sender")
