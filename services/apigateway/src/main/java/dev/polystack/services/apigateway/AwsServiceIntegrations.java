package dev.polystack.services.apigateway;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.model.Shape;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.events.api.EventsApi;
import dev.polystack.services.events.api.PutEventsRequest;
import dev.polystack.services.events.api.PutEventsRequestEntry;
import dev.polystack.services.events.api.PutEventsResponse;
import dev.polystack.services.kinesis.api.KinesisApi;
import dev.polystack.services.kinesis.api.PutRecordInput;
import dev.polystack.services.kinesis.api.PutRecordOutput;
import dev.polystack.services.sqs.api.DeleteMessageRequest;
import dev.polystack.services.sqs.api.MessageAttributeValue;
import dev.polystack.services.sqs.api.PurgeQueueRequest;
import dev.polystack.services.sqs.api.ReceiveMessageRequest;
import dev.polystack.services.sqs.api.ReceiveMessageResult;
import dev.polystack.services.sqs.api.SendMessageRequest;
import dev.polystack.services.sqs.api.SendMessageResult;
import dev.polystack.services.sqs.api.SqsApi;
import dev.polystack.services.stepfunctions.api.StartExecutionInput;
import dev.polystack.services.stepfunctions.api.StartExecutionOutput;
import dev.polystack.services.stepfunctions.api.StartSyncExecutionInput;
import dev.polystack.services.stepfunctions.api.StartSyncExecutionOutput;
import dev.polystack.services.stepfunctions.api.StepFunctionsApi;
import dev.polystack.services.stepfunctions.api.StopExecutionInput;
import dev.polystack.services.stepfunctions.api.StopExecutionOutput;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP APIs' first-class AWS service integrations ({@code AWS_PROXY} with an {@code IntegrationSubtype}): the
 * integration's {@code RequestParameters}, already resolved against the request, become the action's typed request,
 * sent through the target's typed API ({@code SqsApi.client(env)} ...) to whichever provider serves it. The answer is the
 * action's result as JSON with status 200; a service error keeps the service's status, with its code and message.
 */
final class AwsServiceIntegrations {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The subtypes served (AWS's list also has AppConfig-GetConfiguration: AppConfig has no provider here). */
    static final List<String> SUBTYPES = List.of("SQS-SendMessage", "SQS-ReceiveMessage", "SQS-DeleteMessage",
            "SQS-PurgeQueue", "EventBridge-PutEvents", "Kinesis-PutRecord", "StepFunctions-StartExecution",
            "StepFunctions-StartSyncExecution", "StepFunctions-StopExecution");

    private AwsServiceIntegrations() {
    }

    /**
     * Calls the subtype's action. {@code parameters} are the resolved RequestParameters (member name → value);
     * {@code Region} picks another region than the API's.
     */
    static HttpResponseData invoke(ProviderEnvironment env, String accountId, String apiRegion, String subtype,
                                   Map<String, String> parameters) {
        String region = parameters.getOrDefault("Region", apiRegion);
        try {
            return switch (subtype) {
                case "SQS-SendMessage" -> {
                    SendMessageRequest.Builder b = SendMessageRequest.builder().queueUrl(parameters.get("QueueUrl"))
                            .messageBody(parameters.get("MessageBody"))
                            .messageGroupId(parameters.get("MessageGroupId"))
                            .messageDeduplicationId(parameters.get("MessageDeduplicationId"))
                            .delaySeconds(integer(parameters.get("DelaySeconds")));
                    if (parameters.containsKey("MessageAttributes")) b.messageAttributes(messageAttributes(parameters.get("MessageAttributes")));
                    SendMessageResult out = SqsApi.client(env).sendMessage(context(accountId, region, "sqs"), b.build());
                    yield ok(SendMessageResult.SHAPE, out);
                }
                case "SQS-ReceiveMessage" -> {
                    ReceiveMessageRequest in = ReceiveMessageRequest.builder().queueUrl(parameters.get("QueueUrl"))
                            .maxNumberOfMessages(integer(parameters.get("MaxNumberOfMessages")))
                            .visibilityTimeout(integer(parameters.get("VisibilityTimeout")))
                            .waitTimeSeconds(integer(parameters.get("WaitTimeSeconds")))
                            .receiveRequestAttemptId(parameters.get("ReceiveRequestAttemptId"))
                            .attributeNames(list(parameters.get("AttributeNames")))
                            .messageAttributeNames(list(parameters.get("MessageAttributeNames")))
                            .build();
                    ReceiveMessageResult out = SqsApi.client(env).receiveMessage(context(accountId, region, "sqs"), in);
                    yield ok(ReceiveMessageResult.SHAPE, out);
                }
                case "SQS-DeleteMessage" -> {
                    SqsApi.client(env).deleteMessage(context(accountId, region, "sqs"), DeleteMessageRequest.builder()
                            .queueUrl(parameters.get("QueueUrl")).receiptHandle(parameters.get("ReceiptHandle")).build());
                    yield json(200, "{}");
                }
                case "SQS-PurgeQueue" -> {
                    SqsApi.client(env).purgeQueue(context(accountId, region, "sqs"),
                            PurgeQueueRequest.builder().queueUrl(parameters.get("QueueUrl")).build());
                    yield json(200, "{}");
                }
                case "EventBridge-PutEvents" -> {
                    PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                            .detail(parameters.get("Detail"))
                            .detailType(parameters.get("DetailType"))
                            .source(parameters.get("Source"))
                            .eventBusName(parameters.get("EventBusName"))
                            .traceHeader(parameters.get("TraceHeader"))
                            .resources(list(parameters.get("Resources")))
                            .time(time(parameters.get("Time")))
                            .build();
                    PutEventsResponse out = EventsApi.client(env).putEvents(context(accountId, region, "events"),
                            PutEventsRequest.builder().entries(List.of(entry)).build());
                    yield ok(PutEventsResponse.SHAPE, out);
                }
                case "Kinesis-PutRecord" -> {
                    String data = parameters.get("Data");
                    PutRecordOutput out = KinesisApi.client(env).putRecord(context(accountId, region, "kinesis"),
                            PutRecordInput.builder().streamName(parameters.get("StreamName"))
                                    .streamARN(parameters.get("StreamARN"))
                                    .partitionKey(parameters.get("PartitionKey"))
                                    .explicitHashKey(parameters.get("ExplicitHashKey"))
                                    .sequenceNumberForOrdering(parameters.get("SequenceNumberForOrdering"))
                                    .data(data == null ? null : data.getBytes(StandardCharsets.UTF_8))
                                    .build());
                    yield ok(PutRecordOutput.SHAPE, out);
                }
                case "StepFunctions-StartExecution" -> {
                    StartExecutionOutput out = StepFunctionsApi.client(env).startExecution(context(accountId, region, "stepfunctions"),
                            StartExecutionInput.builder().stateMachineArn(parameters.get("StateMachineArn"))
                                    .name(parameters.get("Name")).input(parameters.get("Input"))
                                    .traceHeader(parameters.get("TraceHeader")).build());
                    yield ok(StartExecutionOutput.SHAPE, out);
                }
                case "StepFunctions-StartSyncExecution" -> {
                    StartSyncExecutionOutput out = StepFunctionsApi.client(env).startSyncExecution(context(accountId, region, "stepfunctions"),
                            StartSyncExecutionInput.builder().stateMachineArn(parameters.get("StateMachineArn"))
                                    .name(parameters.get("Name")).input(parameters.get("Input"))
                                    .traceHeader(parameters.get("TraceHeader")).build());
                    yield ok(StartSyncExecutionOutput.SHAPE, out);
                }
                case "StepFunctions-StopExecution" -> {
                    StopExecutionOutput out = StepFunctionsApi.client(env).stopExecution(context(accountId, region, "stepfunctions"),
                            StopExecutionInput.builder().executionArn(parameters.get("ExecutionArn"))
                                    .cause(parameters.get("Cause")).error(parameters.get("Error")).build());
                    yield ok(StopExecutionOutput.SHAPE, out);
                }
                default -> json(500, "{\"message\":\"Internal Server Error\"}");
            };
        } catch (ServiceException e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("__type", e.code());
            error.put("message", e.getMessage());
            return json(e.status(), write(error));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // a parameter that does not parse, or a target service without the action
            return json(500, "{\"message\":\"Internal Server Error\"}");
        }
    }

    private static RequestContext context(String accountId, String region, String service) {
        return RequestContext.internal(accountId, region, service);
    }

    private static <T> HttpResponseData ok(Shape<T> shape, T result) {
        return json(200, write(TreeConverter.toTree(shape, result)));
    }

    private static String write(Object tree) {
        try {
            return JSON.writeValueAsString(jsonSafe(tree));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Timestamps as epoch seconds and blobs as base64, as the JSON protocols write them. */
    private static Object jsonSafe(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), jsonSafe(v)));
            return out;
        }
        if (value instanceof List<?> l) return l.stream().map(AwsServiceIntegrations::jsonSafe).toList();
        if (value instanceof Instant t) return t.toEpochMilli() / 1000.0;
        if (value instanceof byte[] b) return java.util.Base64.getEncoder().encodeToString(b);
        return value;
    }

    private static HttpResponseData json(int status, String body) {
        HttpResponseData out = new HttpResponseData(status);
        out.header("Content-Type", "application/json");
        return out.body(body);
    }

    private static Integer integer(String value) {
        if (value == null || value.isBlank()) return null;
        return Integer.valueOf(value.trim());
    }

    /** A list parameter: a JSON array, else comma-separated values. */
    private static List<String> list(String value) {
        if (value == null || value.isBlank()) return null;
        String v = value.trim();
        if (v.startsWith("[")) {
            try {
                return JSON.readValue(v, new TypeReference<List<String>>() { });
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Instant time(String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return Instant.parse(value.trim());
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.ofEpochSecond(Long.parseLong(value.trim()));
        }
    }

    /** {@code {"name": {"DataType": "String", "StringValue": "v"}}}, as SQS's JSON protocol writes message attributes. */
    private static Map<String, MessageAttributeValue> messageAttributes(String value) {
        try {
            Map<String, Map<String, String>> parsed = JSON.readValue(value, new TypeReference<Map<String, Map<String, String>>>() { });
            Map<String, MessageAttributeValue> out = new LinkedHashMap<>();
            parsed.forEach((name, v) -> out.put(name, MessageAttributeValue.builder().dataType(v.get("DataType"))
                    .stringValue(v.get("StringValue")).build()));
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
