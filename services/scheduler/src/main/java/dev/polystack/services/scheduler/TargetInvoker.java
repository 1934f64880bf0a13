package dev.polystack.services.scheduler;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.events.api.EventsApi;
import dev.polystack.services.events.api.PutEventsRequest;
import dev.polystack.services.events.api.PutEventsRequestEntry;
import dev.polystack.services.firehose.api.FirehoseApi;
import dev.polystack.services.firehose.api.Record;
import dev.polystack.services.kinesis.api.KinesisApi;
import dev.polystack.services.kinesis.api.PutRecordInput;
import dev.polystack.services.lambda.api.InvocationRequest;
import dev.polystack.services.lambda.api.LambdaApi;
import dev.polystack.services.scheduler.api.EventBridgeParameters;
import dev.polystack.services.scheduler.api.KinesisParameters;
import dev.polystack.services.scheduler.api.Target;
import dev.polystack.services.sns.api.PublishInput;
import dev.polystack.services.sns.api.SnsApi;
import dev.polystack.services.stepfunctions.api.StartExecutionInput;
import dev.polystack.services.stepfunctions.api.StepFunctionsApi;
import dev.polystack.services.sqs.api.GetQueueUrlRequest;
import dev.polystack.services.sqs.api.SendMessageRequest;
import dev.polystack.services.sqs.api.SqsApi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs a schedule's target in process, through the target service's typed API. Templated targets by the ARN's
 * service: SQS (FIFO with
 * {@code SqsParameters.MessageGroupId}), SNS, Lambda (asynchronous invoke), EventBridge (PutEvents with
 * {@code EventBridgeParameters}), Kinesis, Firehose, Step Functions. Universal targets
 * ({@code arn:aws:scheduler:::aws-sdk:<service>:<apiAction>}) call the operation with {@code Input} as its parameters.
 */
final class TargetInvoker {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderEnvironment env;
    private final SqsApi sqs;
    private final SnsApi sns;
    private final LambdaApi lambda;
    private final EventsApi events;
    private final KinesisApi kinesis;
    private final FirehoseApi firehose;
    private final StepFunctionsApi stepFunctions;

    TargetInvoker(ProviderEnvironment env) {
        this.env = env;
        this.sqs = SqsApi.client(env);
        this.sns = SnsApi.client(env);
        this.lambda = LambdaApi.client(env);
        this.events = EventsApi.client(env);
        this.kinesis = KinesisApi.client(env);
        this.firehose = FirehoseApi.client(env);
        this.stepFunctions = StepFunctionsApi.client(env);
    }

    void invoke(String account, String region, Target target) {
        String arn = String.valueOf(target.arn());
        String input = target.input() == null ? "" : target.input();
        if (arn.startsWith("arn:aws:scheduler:::aws-sdk:")) {
            universal(account, region, arn, input);
            return;
        }
        String[] parts = arn.split(":", 6);
        if (parts.length < 6) throw new ServiceException("ValidationException", "Invalid target ARN " + arn);
        String service = parts[2];
        RequestContext ctx = RequestContext.internal(parts[4].isEmpty() ? account : parts[4], parts[3].isEmpty() ? region : parts[3], service);
        byte[] payload = input.getBytes(StandardCharsets.UTF_8);
        switch (service) {
            case "sqs" -> {
                String url = sqs.getQueueUrl(ctx, GetQueueUrlRequest.builder().queueName(parts[5]).queueOwnerAWSAccountId(parts[4]).build()).queueUrl();
                SendMessageRequest.Builder m = SendMessageRequest.builder().queueUrl(url).messageBody(input.isEmpty() ? "{}" : input);
                if (target.sqsParameters() != null && target.sqsParameters().messageGroupId() != null) {
                    m.messageGroupId(target.sqsParameters().messageGroupId()).messageDeduplicationId(UUID.randomUUID().toString());
                }
                sqs.sendMessage(ctx, m.build());
            }
            case "sns" -> sns.publish(ctx, PublishInput.builder().topicArn(arn).message(input).build());
            case "lambda" -> lambda.invoke(ctx, InvocationRequest.builder().functionName(arn).invocationType("Event").payload(payload).build());
            case "events" -> {
                EventBridgeParameters p = target.eventBridgeParameters();
                events.putEvents(ctx, PutEventsRequest.builder().entries(List.of(PutEventsRequestEntry.builder().eventBusName(arn)
                        .source(p == null || p.source() == null ? "aws.scheduler" : p.source())
                        .detailType(p == null || p.detailType() == null ? "Scheduled Event" : p.detailType())
                        .detail(input.isEmpty() ? "{}" : input).time(Instant.now()).build())).build());
            }
            case "kinesis" -> {
                KinesisParameters p = target.kinesisParameters();
                kinesis.putRecord(ctx, PutRecordInput.builder().streamARN(arn).data(payload)
                        .partitionKey(p == null || p.partitionKey() == null ? UUID.randomUUID().toString() : p.partitionKey()).build());
            }
            case "firehose" -> firehose.putRecord(ctx, dev.polystack.services.firehose.api.PutRecordInput.builder()
                    .deliveryStreamName(parts[5].substring(parts[5].indexOf('/') + 1)).recordValue(Record.builder().data(payload).build()).build());
            case "states" -> stepFunctions.startExecution(ctx, StartExecutionInput.builder().stateMachineArn(arn)
                    .input(input.isEmpty() ? "{}" : input).build());
            default -> throw new ServiceException("ValidationException", "Unsupported target " + arn);
        }
    }

    /**
     * {@code arn:aws:scheduler:::aws-sdk:sqs:sendMessage}: the operation {@code SendMessage} with Input's members.
     * A universal target names any action of any service, so this one call stays generic: the parameter tree goes
     * through {@link ProviderEnvironment#call} by name, not through a typed API.
     */
    private void universal(String account, String region, String arn, String input) {
        String[] parts = arn.substring("arn:aws:scheduler:::aws-sdk:".length()).split(":");
        if (parts.length != 2 || parts[1].isEmpty()) throw new ServiceException("ValidationException", "Invalid target ARN " + arn);
        String operation = Character.toUpperCase(parts[1].charAt(0)) + parts[1].substring(1);
        Map<String, Object> params;
        try {
            JsonNode node = input.isEmpty() ? JSON.createObjectNode() : JSON.readTree(input);
            params = JSON.convertValue(node, new TypeReference<Map<String, Object>>() { });
        } catch (IOException | IllegalArgumentException e) {
            throw new ServiceException("ValidationException", "Input of a universal target must be a JSON object.");
        }
        env.call(RequestContext.internal(account, region, parts[0]), parts[0], operation, params);
    }
}
