package dev.polystack.services.iam;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.polystack.services.iam.PolicyEvaluator.Decision.ALLOWED;
import static dev.polystack.services.iam.PolicyEvaluator.Decision.EXPLICIT_DENY;
import static dev.polystack.services.iam.PolicyEvaluator.Decision.IMPLICIT_DENY;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PolicyEvaluatorTest {
    private static PolicyEvaluator.Decision decide(String statements, String action, String resource, Map<String, List<String>> context) {
        String doc = "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
        return PolicyEvaluator.evaluate(List.of(new PolicyEvaluator.Source("p", "IAM Policy", doc)), action, resource, context).decision();
    }

    @Test
    void explicitDenyWinsAndWildcardsMatch() {
        String st = "{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"arn:aws:s3:::b/*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/private/?ecret\"}";
        assertEquals(ALLOWED, decide(st, "S3:getobject", "arn:aws:s3:::b/x", Map.of()));
        assertEquals(EXPLICIT_DENY, decide(st, "s3:GetObject", "arn:aws:s3:::b/private/secret", Map.of()));
        assertEquals(IMPLICIT_DENY, decide(st, "s3:PutObject", "arn:aws:s3:::b/x", Map.of()));
        assertEquals(IMPLICIT_DENY, decide(st, "s3:GetObject", "arn:aws:s3:::other/x", Map.of()));
    }

    @Test
    void notActionAndNotResource() {
        String st = "{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"NotResource\":\"arn:aws:sqs:*:*:private\"}";
        assertEquals(ALLOWED, decide(st, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:public", Map.of()));
        assertEquals(IMPLICIT_DENY, decide(st, "iam:CreateUser", "*", Map.of()));
        assertEquals(IMPLICIT_DENY, decide(st, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:private", Map.of()));
    }

    @Test
    void conditions() {
        String st = "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{"
                + "\"StringEqualsIgnoreCase\":{\"aws:RequestedRegion\":[\"EU-WEST-1\",\"us-east-1\"]},"
                + "\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"},"
                + "\"NumericLessThan\":{\"s3:max-keys\":\"10\"},"
                + "\"DateGreaterThan\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"},"
                + "\"BoolIfExists\":{\"aws:SecureTransport\":\"true\"},"
                + "\"ForAllValues:StringLike\":{\"aws:TagKeys\":[\"team-*\"]}}}";
        Map<String, List<String>> ok = Map.of("aws:requestedregion", List.of("eu-west-1"), "aws:SourceIp", List.of("10.1.2.3"),
                "s3:max-keys", List.of("5"), "aws:CurrentTime", List.of("2026-01-01T00:00:00Z"), "aws:TagKeys", List.of("team-a", "team-b"));
        assertEquals(ALLOWED, decide(st, "s3:ListBucket", "*", ok));
        Map<String, List<String>> badIp = new java.util.HashMap<>(ok);
        badIp.put("aws:SourceIp", List.of("192.168.0.1"));
        assertEquals(IMPLICIT_DENY, decide(st, "s3:ListBucket", "*", badIp));
        Map<String, List<String>> badTag = new java.util.HashMap<>(ok);
        badTag.put("aws:TagKeys", List.of("team-a", "other"));
        assertEquals(IMPLICIT_DENY, decide(st, "s3:ListBucket", "*", badTag));
        Map<String, List<String>> missing = new java.util.HashMap<>(ok);
        missing.remove("s3:max-keys");
        assertEquals(IMPLICIT_DENY, decide(st, "s3:ListBucket", "*", missing));
        String nullCheck = "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"Null\":{\"aws:MultiFactorAuthAge\":\"true\"}}}";
        assertEquals(EXPLICIT_DENY, decide(nullCheck, "ec2:RunInstances", "*", Map.of()));
        String notEquals = "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"aws:PrincipalTag/team\":\"red\"}}}";
        assertEquals(ALLOWED, decide(notEquals, "x:Y", "*", Map.of("aws:PrincipalTag/team", List.of("blue"))));
        assertEquals(IMPLICIT_DENY, decide(notEquals, "x:Y", "*", Map.of("aws:PrincipalTag/team", List.of("red"))));
    }

    /** The two positions AWS is known to answer: the recorded simulation and AWS's CLI example. */
    @Test
    void statementPositionsAsAwsReportsThem() {
        String recorded = "{\"Version\": \"2012-10-17\", \"Statement\": {\"Sid\": \"\", \"Effect\": \"Allow\", \"Action\": \"s3:PutObject\", \"Resource\": \"*\"}}";
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[]{1, 41, 1, 113}, PolicyEvaluator.statementSpans(recorded)[0]);
        String cliExample = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2018-08-16T12:00:00Z\"}}}}";
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[]{1, 38, 1, 167}, PolicyEvaluator.statementSpans(cliExample)[0]);
        String lines = "{\n  \"Statement\": [\n    {\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"},\n    {\"Effect\": \"Allow\"}\n  ]\n}";
        int[][] spans = PolicyEvaluator.statementSpans(lines);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[]{3, 6, 3, 55}, spans[0]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[]{4, 6, 4, 24}, spans[1]);
    }
}
