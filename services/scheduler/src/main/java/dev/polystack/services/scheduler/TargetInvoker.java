package dev.polystack.services.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.sqs.api.GetQueueUrlRequest;
import dev.polystack.services.sqs.api.SendMessageRequest;
import dev.polystack.services.sqs.api.SqsApi;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs a schedule's target in process. Templated targets by the ARN's service: SQS (typed client; FIFO with
 * {@code SqsParameters.MessageGroupId}), SNS, Lambda (asynchronous invoke), EventBridge (PutEvents with
 * {@code EventBridgeParameters}), Kinesis, Firehose, Step Functions. Universal targets
 * ({@code arn:aws:scheduler:::aws-sdk:<service>:<apiAction>}) call the operation with {@code Input} as its parameters.
 */
final class TargetInvoker {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderEnvironment env;
    private final SqsApi sqs;

    TargetInvoker(ProviderEnvironment env) {
        this.env = env;
        this.sqs = SqsApi.client(env);
    }

    @SuppressWarnings("unchecked")
    void invoke(String account, String region, Map<String, Object> target) {
        String arn = String.valueOf(target.get("Arn"));
        String input = target.get("Input") == null ? "" : target.get("Input").toString();
        if (arn.startsWith("arn:aws:scheduler:::aws-sdk:")) {
            universal(account, region, arn, input);
            return;
        }
        String[] parts = arn.split(":", 6);
        if (parts.length < 6) throw new ServiceException("ValidationException", "Invalid target ARN " + arn);
        String service = parts[2];
        RequestContext ctx = RequestContext.internal(parts[4].isEmpty() ? account : parts[4], parts[3].isEmpty() ? region : parts[3], service);
        Map<String, Object> params = new LinkedHashMap<>();
        switch (service) {
            case "sqs" -> {
                String url = sqs.getQueueUrl(ctx, GetQueueUrlRequest.builder().queueName(parts[5]).queueOwnerAWSAccountId(parts[4]).build()).queueUrl();
                SendMessageRequest.Builder m = SendMessageRequest.builder().queueUrl(url).messageBody(input.isEmpty() ? "{}" : input);
                if (target.get("SqsParameters") instanceof Map<?, ?> p && p.get("MessageGroupId") != null) {
                    m.messageGroupId(p.get("MessageGroupId").toString()).messageDeduplicationId(UUID.randomUUID().toString());
                }
                sqs.sendMessage(ctx, m.build());
                return;
            }
            case "sns" -> {
                params.put("TopicArn", arn);
                params.put("Message", input);
                env.call(ctx, "sns", "Publish", params);
            }
            case "lambda" -> {
                params.put("FunctionName", arn);
                params.put("InvocationType", "Event");
                params.put("Payload", input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                env.call(ctx, "lambda", "Invoke", params);
            }
            case "events" -> {
                Map<String, Object> p = target.get("EventBridgeParameters") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("EventBusName", arn);
                entry.put("Source", p.getOrDefault("Source", "aws.scheduler"));
                entry.put("DetailType", p.getOrDefault("DetailType", "Scheduled Event"));
                entry.put("Detail", input.isEmpty() ? "{}" : input);
                entry.put("Time", Instant.now());
                params.put("Entries", List.of(entry));
                env.call(ctx, "events", "PutEvents", params);
            }
            case "kinesis" -> {
                Map<String, Object> p = target.get("KinesisParameters") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
                params.put("StreamARN", arn);
                params.put("Data", input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                params.put("PartitionKey", p.getOrDefault("PartitionKey", UUID.randomUUID().toString()));
                env.call(ctx, "kinesis", "PutRecord", params);
            }
            case "firehose" -> {
                params.put("DeliveryStreamName", parts[5].substring(parts[5].indexOf('/') + 1));
                params.put("Record", Map.of("Data", input.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                env.call(ctx, "firehose", "PutRecord", params);
            }
            case "states" -> {
                params.put("stateMachineArn", arn);
                params.put("input", input.isEmpty() ? "{}" : input);
                env.call(ctx, "stepfunctions", "StartExecution", params);
            }
            default -> throw new ServiceException("ValidationException", "Unsupported target " + arn);
        }
    }

    /** {@code arn:aws:scheduler:::aws-sdk:sqs:sendMessage}: the operation {@code SendMessage} with Input's members. */
    @SuppressWarnings("unchecked")
    private void universal(String account, String region, String arn, String input) {
        String[] parts = arn.substring("arn:aws:scheduler:::aws-sdk:".length()).split(":");
        if (parts.length != 2 || parts[1].isEmpty()) throw new ServiceException("ValidationException", "Invalid target ARN " + arn);
        String operation = Character.toUpperCase(parts[1].charAt(0)) + parts[1].substring(1);
        Map<String, Object> params;
        try {
            JsonNode node = input.isEmpty() ? JSON.createObjectNode() : JSON.readTree(input);
            params = JSON.convertValue(node, Map.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ServiceException("ValidationException", "Input of a universal target must be a JSON object.");
        }
        env.call(RequestContext.internal(account, region, parts[0]), parts[0], operation, params);
    }
}
