package dev.polystack.services.lambda;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.StreamingBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every call Lambda makes to another service, in one place: a package read from S3, records to destinations (SQS,
 * SNS, Lambda, EventBridge, S3) and the execution role's credentials from STS. The stream sources
 * ({@link KinesisSource}, {@link DynamoStreamSource}) and the SQS poller read their own source.
 */
final class ServiceCalls {
    private static final System.Logger LOG = System.getLogger(ServiceCalls.class.getName());

    private final ProviderEnvironment env;

    ServiceCalls(ProviderEnvironment env) {
        this.env = env;
    }

    /** A deployment package from S3; AWS's InvalidParameterValueException naming S3's error when it cannot be read. */
    byte[] packageFromS3(String account, String region, String bucket, String key, String version) {
        Map<String, Object> get = new LinkedHashMap<>(Map.of("Bucket", bucket, "Key", key));
        if (version != null) get.put("VersionId", version);
        Map<String, Object> out;
        try {
            out = env.call(RequestContext.internal(account, region, "s3"), "s3", "GetObject", get);
        } catch (ServiceException e) {
            throw LambdaErrors.invalidParameter("Error occurred while GetObject. S3 Error Code: " + e.code()
                    + ". S3 Error Message: " + e.getMessage());
        }
        Object body = out.get("Body");
        try {
            if (body instanceof byte[] b) return b;
            if (body instanceof StreamingBody s) {
                try (InputStream stream = s.stream()) {
                    return stream.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw LambdaErrors.invalidParameter("Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.");
    }

    /** Temporary credentials of the execution role (AssumeRole); null when STS refuses. */
    Map<String, String> assumeRole(String account, String region, String role, String sessionName) {
        try {
            Map<String, Object> out = env.call(RequestContext.internal(account, region, "sts"), "sts", "AssumeRole",
                    Map.of("RoleArn", role, "RoleSessionName", sessionName));
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) out.get("Credentials");
            return Map.of("AWS_ACCESS_KEY_ID", String.valueOf(c.get("AccessKeyId")),
                    "AWS_SECRET_ACCESS_KEY", String.valueOf(c.get("SecretAccessKey")),
                    "AWS_SESSION_TOKEN", String.valueOf(c.get("SessionToken")));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "AssumeRole for " + role + " failed: " + e);
            return null;
        }
    }

    /**
     * Sends a record to a destination: an SQS queue, SNS topic, Lambda function (asynchronously) or EventBridge bus.
     * A destination that cannot be reached is logged, as AWS drops the record.
     */
    void send(LambdaFunction fn, String arn, String body, boolean success) {
        String[] p = arn.split(":", 6);
        if (p.length < 6) return;
        String service = p[2];
        String region = p[3].isEmpty() ? fn.region : p[3];
        String account = p[4].isEmpty() ? fn.account : p[4];
        RequestContext ctx = RequestContext.internal(account, region, service);
        try {
            switch (service) {
                case "sqs" -> {
                    Map<String, Object> url = env.call(ctx, "sqs", "GetQueueUrl", Map.of("QueueName", p[5], "QueueOwnerAWSAccountId", account));
                    env.call(ctx, "sqs", "SendMessage", Map.of("QueueUrl", url.get("QueueUrl"), "MessageBody", body));
                }
                case "sns" -> env.call(ctx, "sns", "Publish", Map.of("TopicArn", arn, "Message", body));
                case "lambda" -> env.call(ctx, "lambda", "Invoke", Map.of("FunctionName", arn, "InvocationType", "Event",
                        "Payload", body.getBytes(StandardCharsets.UTF_8)));
                case "events" -> env.call(ctx, "events", "PutEvents", Map.of("Entries", List.of(Map.of(
                        "Source", "lambda",
                        "DetailType", success ? "Lambda Function Invocation Result - Success" : "Lambda Function Invocation Result - Failure",
                        "Detail", body,
                        "Resources", List.of(),
                        "EventBusName", arn))));
                default -> LOG.log(System.Logger.Level.WARNING, "Lambda destination " + arn + " is not a supported service");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Lambda destination " + arn + " could not be reached: " + e.getMessage());
        }
    }

    /** Writes a record to an S3 bucket ({@code arn:aws:s3:::bucket}) under {@code key}. */
    void putObject(LambdaFunction fn, String bucketArn, String key, String body) {
        String bucket = bucketArn.substring(bucketArn.lastIndexOf(':') + 1);
        try {
            env.call(RequestContext.internal(fn.account, fn.region, "s3"), "s3", "PutObject", Map.of("Bucket", bucket,
                    "Key", key, "Body", body.getBytes(StandardCharsets.UTF_8), "ContentType", "application/json"));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Lambda destination " + bucketArn + " could not be reached: " + e.getMessage());
        }
    }
}
