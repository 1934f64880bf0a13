package dev.polystack.services.lambda;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.StreamingBody;
import dev.polystack.services.events.api.EventsApi;
import dev.polystack.services.events.api.PutEventsRequest;
import dev.polystack.services.events.api.PutEventsRequestEntry;
import dev.polystack.services.lambda.api.InvocationRequest;
import dev.polystack.services.lambda.api.LambdaApi;
import dev.polystack.services.s3.api.GetObjectOutput;
import dev.polystack.services.s3.api.GetObjectRequest;
import dev.polystack.services.s3.api.PutObjectRequest;
import dev.polystack.services.s3.api.S3Api;
import dev.polystack.services.sns.api.PublishInput;
import dev.polystack.services.sns.api.SnsApi;
import dev.polystack.services.sqs.api.GetQueueUrlRequest;
import dev.polystack.services.sqs.api.SendMessageRequest;
import dev.polystack.services.sqs.api.SqsApi;
import dev.polystack.services.sts.api.AssumeRoleRequest;
import dev.polystack.services.sts.api.Credentials;
import dev.polystack.services.sts.api.StsApi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Every call Lambda makes to another service, in one place: a package read from S3, records to destinations (SQS,
 * SNS, Lambda, EventBridge, S3) and the execution role's credentials from STS. The stream sources
 * ({@link KinesisSource}, {@link DynamoStreamSource}) and the SQS poller read their own source.
 */
final class ServiceCalls {
    private static final System.Logger LOG = System.getLogger(ServiceCalls.class.getName());

    private final S3Api s3;
    private final EventsApi events;
    private final SqsApi sqs;
    private final SnsApi sns;
    private final StsApi sts;
    private final LambdaApi lambda;

    ServiceCalls(ProviderEnvironment env) {
        this.s3 = S3Api.client(env);
        this.events = EventsApi.client(env);
        this.sqs = SqsApi.client(env);
        this.sns = SnsApi.client(env);
        this.sts = StsApi.client(env);
        this.lambda = LambdaApi.client(env);
    }

    /** A deployment package from S3; AWS's InvalidParameterValueException naming S3's error when it cannot be read. */
    byte[] packageFromS3(String account, String region, String bucket, String key, String version) {
        GetObjectOutput out;
        try {
            out = s3.getObject(RequestContext.internal(account, region, "s3"),
                    GetObjectRequest.builder().bucket(bucket).key(key).versionId(version).build());
        } catch (ServiceException e) {
            throw LambdaErrors.invalidParameter("Error occurred while GetObject. S3 Error Code: " + e.code()
                    + ". S3 Error Message: " + e.getMessage());
        }
        StreamingBody body = out.body();
        if (body == null) {
            throw LambdaErrors.invalidParameter("Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.");
        }
        try (InputStream stream = body.stream()) {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Temporary credentials of the execution role (AssumeRole); null when STS refuses. */
    Map<String, String> assumeRole(String account, String region, String role, String sessionName) {
        try {
            Credentials c = sts.assumeRole(RequestContext.internal(account, region, "sts"),
                    AssumeRoleRequest.builder().roleArn(role).roleSessionName(sessionName).build()).credentials();
            return Map.of("AWS_ACCESS_KEY_ID", c.accessKeyId(), "AWS_SECRET_ACCESS_KEY", c.secretAccessKey(),
                    "AWS_SESSION_TOKEN", c.sessionToken());
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
                    String url = sqs.getQueueUrl(ctx, GetQueueUrlRequest.builder().queueName(p[5])
                            .queueOwnerAWSAccountId(account).build()).queueUrl();
                    sqs.sendMessage(ctx, SendMessageRequest.builder().queueUrl(url).messageBody(body).build());
                }
                case "sns" -> sns.publish(ctx, PublishInput.builder().topicArn(arn).message(body).build());
                case "lambda" -> lambda.invoke(ctx, InvocationRequest.builder().functionName(arn).invocationType("Event")
                        .payload(body.getBytes(StandardCharsets.UTF_8)).build());
                case "events" -> events.putEvents(ctx, PutEventsRequest.builder().entries(List.of(PutEventsRequestEntry.builder()
                        .source("lambda")
                        .detailType(success ? "Lambda Function Invocation Result - Success" : "Lambda Function Invocation Result - Failure")
                        .detail(body)
                        .resources(List.of())
                        .eventBusName(arn).build())).build());
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
            s3.putObject(RequestContext.internal(fn.account, fn.region, "s3"), PutObjectRequest.builder().bucket(bucket)
                    .key(key).body(StreamingBody.of(body.getBytes(StandardCharsets.UTF_8))).contentType("application/json").build());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Lambda destination " + bucketArn + " could not be reached: " + e.getMessage());
        }
    }
}
