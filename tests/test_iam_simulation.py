"""IAM's policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy) answering in AWS's shape: the recorded
test_simulate_principle_policy[role|group|user] replayed field for field (statement positions, EvalDecisionDetails,
OrganizationsDecisionDetail, ResourceSpecificResults, MissingContextValues), then what AWS documents beyond the
recording: the Deny statements behind an explicit deny, positions on several lines, and the condition keys a policy
names but the request does not supply."""
import json

import pytest

from helpers import unique

# json.dumps of this dict is the document the recording used; AWS placed its one statement at columns 41..113
RECORDED_POLICY = {"Version": "2012-10-17", "Statement": {"Sid": "", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}}


@pytest.fixture(scope="module")
def iam(aws_client):
    return aws_client("iam")


def recorded_answer(bucket, policy_id):
    matched = [{"EndPosition": {"Column": 113, "Line": 1}, "SourcePolicyId": policy_id, "SourcePolicyType": "IAM Policy",
                "StartPosition": {"Column": 41, "Line": 1}}]
    resource = f"arn:aws:s3:::{bucket}"

    def result(action, decision, statements):
        return {"EvalActionName": action, "EvalDecision": decision, "EvalDecisionDetails": {}, "EvalResourceName": resource,
                "MatchedStatements": statements, "MissingContextValues": [],
                "OrganizationsDecisionDetail": {"AllowedByOrganizations": True},
                "ResourceSpecificResults": [{"EvalResourceDecision": decision, "EvalResourceName": resource,
                                             "MatchedStatements": statements, "MissingContextValues": []}]}

    return {"EvaluationResults": [result("s3:PutObject", "allowed", matched), result("s3:GetObjectVersion", "implicitDeny", [])],
            "IsTruncated": False}


@pytest.mark.parametrize("arn_type", ["role", "group", "user"])
def test_simulate_principal_policy_as_recorded(iam, arn_type):
    policy_name = unique("sim")
    policy_arn = iam.create_policy(PolicyName=policy_name, PolicyDocument=json.dumps(RECORDED_POLICY))["Policy"]["Arn"]
    name = unique(arn_type)
    if arn_type == "role":
        trust = {"Version": "2012-10-17", "Statement": {"Sid": "", "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"},
                                                        "Action": "sts:AssumeRole"}}
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
    elif arn_type == "group":
        arn = iam.create_group(GroupName=name)["Group"]["Arn"]
        iam.attach_group_policy(GroupName=name, PolicyArn=policy_arn)
    else:
        arn = iam.create_user(UserName=name)["User"]["Arn"]
        iam.attach_user_policy(UserName=name, PolicyArn=policy_arn)
    bucket = unique("bucket")
    answer = iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=["s3:PutObject", "s3:GetObjectVersion"],
                                           ResourceArns=[f"arn:aws:s3:::{bucket}"])
    answer.pop("ResponseMetadata")
    assert answer == recorded_answer(bucket, policy_name)


def test_explicit_deny_names_the_deny_statement_where_it_stands(iam):
    document = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n'
                '    {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"},\n'
                '    {"Effect": "Deny", "Action": "sqs:DeleteQueue", "Resource": "*"}\n  ]\n}')
    results = iam.simulate_custom_policy(PolicyInputList=[document], ActionNames=["sqs:DeleteQueue", "sqs:SendMessage"])["EvaluationResults"]
    deny, allow = results
    assert (deny["EvalDecision"], deny["EvalResourceName"]) == ("explicitDeny", "*")
    assert deny["MatchedStatements"] == [{"SourcePolicyId": "PolicyInputList.1", "SourcePolicyType": "IAM Policy",
                                          "StartPosition": {"Line": 5, "Column": 6}, "EndPosition": {"Line": 5, "Column": 69}}]
    assert allow["EvalDecision"] == "allowed"
    assert allow["MatchedStatements"][0]["StartPosition"] == {"Line": 4, "Column": 6}
    assert allow["MatchedStatements"][0]["EndPosition"] == {"Line": 4, "Column": 60}
    # no ResourceArns: no per-resource results; a custom policy has no principal, so no Organizations verdict
    assert "ResourceSpecificResults" not in allow and "OrganizationsDecisionDetail" not in allow


def test_missing_context_values_are_the_keys_the_policy_needs(iam):
    document = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "dynamodb:*", "Resource": "*",
        "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2018-08-16T12:00:00Z"}, "Bool": {"aws:SecureTransport": "true"}}}]})
    missing = iam.simulate_custom_policy(PolicyInputList=[document], ActionNames=["dynamodb:CreateBackup"])["EvaluationResults"][0]
    assert missing["EvalDecision"] == "implicitDeny"
    assert sorted(missing["MissingContextValues"]) == ["aws:CurrentTime", "aws:SecureTransport"]
    given = iam.simulate_custom_policy(PolicyInputList=[document], ActionNames=["dynamodb:CreateBackup"], ContextEntries=[
        {"ContextKeyName": "aws:CurrentTime", "ContextKeyValues": ["2019-04-25T11:00:00Z"], "ContextKeyType": "date"},
        {"ContextKeyName": "aws:SecureTransport", "ContextKeyValues": ["true"], "ContextKeyType": "boolean"}])["EvaluationResults"][0]
    assert (given["EvalDecision"], given["MissingContextValues"]) == ("allowed", [])
    assert given["MatchedStatements"][0]["SourcePolicyId"] == "PolicyInputList.1"
