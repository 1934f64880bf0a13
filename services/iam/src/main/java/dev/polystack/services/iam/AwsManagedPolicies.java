package dev.polystack.services.iam;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AWS managed policies attachable by ARN ({@code arn:aws:iam::aws:policy/...}). The set is the commonly used
 * ones; their documents carry the policies' intent (full access to a service, read-only listing ...) in a
 * condensed form, not AWS's current text line for line.
 */
final class AwsManagedPolicies {
    static final Map<String, String> DOCUMENTS = new LinkedHashMap<>();

    static {
        add("AdministratorAccess", "/", allow("\"*\"", "\"*\""));
        add("PowerUserAccess", "/", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\",\"organizations:*\",\"account:*\"],\"Resource\":\"*\"}]}");
        add("ReadOnlyAccess", "/", allow("[\"*:Get*\",\"*:List*\",\"*:Describe*\",\"*:BatchGet*\",\"*:Query\",\"*:Scan\",\"s3:GetObject\"]", "\"*\""));
        add("IAMFullAccess", "/", allow("\"iam:*\"", "\"*\""));
        add("IAMReadOnlyAccess", "/", allow("[\"iam:Get*\",\"iam:List*\",\"iam:Generate*\",\"iam:Simulate*\"]", "\"*\""));
        add("AmazonS3FullAccess", "/", allow("[\"s3:*\",\"s3-object-lambda:*\"]", "\"*\""));
        add("AmazonS3ReadOnlyAccess", "/", allow("[\"s3:Get*\",\"s3:List*\",\"s3:Describe*\"]", "\"*\""));
        add("AmazonSQSFullAccess", "/", allow("\"sqs:*\"", "\"*\""));
        add("AmazonSQSReadOnlyAccess", "/", allow("[\"sqs:GetQueueAttributes\",\"sqs:GetQueueUrl\",\"sqs:ListQueues\",\"sqs:ListDeadLetterSourceQueues\",\"sqs:ListQueueTags\"]", "\"*\""));
        add("AmazonSNSFullAccess", "/", allow("\"sns:*\"", "\"*\""));
        add("AmazonSNSReadOnlyAccess", "/", allow("[\"sns:GetTopicAttributes\",\"sns:List*\"]", "\"*\""));
        add("AmazonDynamoDBFullAccess", "/", allow("\"dynamodb:*\"", "\"*\""));
        add("AmazonDynamoDBReadOnlyAccess", "/", allow("[\"dynamodb:BatchGetItem\",\"dynamodb:Describe*\",\"dynamodb:List*\",\"dynamodb:GetItem\",\"dynamodb:Query\",\"dynamodb:Scan\"]", "\"*\""));
        add("AWSLambda_FullAccess", "/", allow("\"lambda:*\"", "\"*\""));
        add("AWSLambda_ReadOnlyAccess", "/", allow("[\"lambda:Get*\",\"lambda:List*\"]", "\"*\""));
        add("AWSLambdaBasicExecutionRole", "/service-role/", allow("[\"logs:CreateLogGroup\",\"logs:CreateLogStream\",\"logs:PutLogEvents\"]", "\"*\""));
        add("AWSLambdaSQSQueueExecutionRole", "/service-role/", allow("[\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\",\"sqs:GetQueueAttributes\",\"logs:CreateLogGroup\",\"logs:CreateLogStream\",\"logs:PutLogEvents\"]", "\"*\""));
        add("AmazonSSMFullAccess", "/", allow("\"ssm:*\"", "\"*\""));
        add("AmazonSSMReadOnlyAccess", "/", allow("[\"ssm:Describe*\",\"ssm:Get*\",\"ssm:List*\"]", "\"*\""));
        add("SecretsManagerReadWrite", "/", allow("[\"secretsmanager:*\",\"kms:Decrypt\",\"kms:DescribeKey\",\"kms:ListAliases\",\"kms:ListKeys\"]", "\"*\""));
        add("AWSKeyManagementServicePowerUser", "/", allow("[\"kms:Create*\",\"kms:Describe*\",\"kms:Enable*\",\"kms:List*\",\"kms:Put*\",\"kms:Update*\",\"kms:Revoke*\",\"kms:Disable*\",\"kms:Get*\",\"kms:Delete*\",\"kms:TagResource\",\"kms:UntagResource\",\"kms:ScheduleKeyDeletion\",\"kms:CancelKeyDeletion\"]", "\"*\""));
        add("CloudWatchLogsFullAccess", "/", allow("\"logs:*\"", "\"*\""));
        add("CloudWatchFullAccess", "/", allow("[\"cloudwatch:*\",\"logs:*\"]", "\"*\""));
        add("AmazonKinesisFullAccess", "/", allow("\"kinesis:*\"", "\"*\""));
        add("AmazonEventBridgeFullAccess", "/", allow("\"events:*\"", "\"*\""));
        add("AWSStepFunctionsFullAccess", "/", allow("\"states:*\"", "\"*\""));
        add("AWSCloudFormationFullAccess", "/", allow("\"cloudformation:*\"", "\"*\""));
        add("AmazonAPIGatewayAdministrator", "/", allow("\"apigateway:*\"", "\"*\""));
    }

    private AwsManagedPolicies() {
    }

    private static String allow(String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":" + action + ",\"Resource\":" + resource + "}]}";
    }

    private static void add(String name, String path, String document) {
        DOCUMENTS.put("arn:aws:iam::aws:policy" + path + name, document);
    }

    static String name(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    static String path(String arn) {
        String rest = arn.substring("arn:aws:iam::aws:policy".length());
        return rest.substring(0, rest.lastIndexOf('/') + 1);
    }
}
