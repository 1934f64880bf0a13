package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An event source mapping: a poller reads batches from the source (an SQS queue, a Kinesis stream or a DynamoDB
 * stream, see {@link EventSourcePoller}) and invokes the function with them. The stream settings (starting position,
 * retries, record age, bisection, the on-failure destination, parallelization, tumbling windows) only apply to
 * stream sources.
 */
record EventSourceMapping(String uuid, String account, String region, String eventSourceArn, String functionArn,
                          int batchSize, int maximumBatchingWindowInSeconds, boolean enabled, String state,
                          List<String> functionResponseTypes, List<Map<String, Object>> filters,
                          String startingPosition, Integer maximumRetryAttempts, String onFailureDestination,
                          Instant lastModified, Map<String, String> tags, Instant startingPositionTimestamp,
                          Integer maximumRecordAgeInSeconds, boolean bisectBatchOnFunctionError,
                          int parallelizationFactor, int tumblingWindowInSeconds) {
    EventSourceMapping {
        functionResponseTypes = functionResponseTypes == null ? List.of() : List.copyOf(functionResponseTypes);
        filters = filters == null ? List.of() : List.copyOf(filters);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        if (parallelizationFactor < 1) parallelizationFactor = 1;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether one of the mapping's filter patterns matches the record as the poller prepared it for matching. */
    boolean anyFilterMatches(JsonNode subject) {
        for (Map<String, Object> f : filters) {
            Object pattern = f.get("Pattern");
            if (pattern == null) continue;
            try {
                if (EventPattern.matches(JSON.readTree(pattern.toString()), subject)) return true;
            } catch (Exception ignored) {
                // validated on create
            }
        }
        return false;
    }

    String arn() {
        return "arn:" + FunctionRef.partition(region) + ":lambda:" + region + ":" + account + ":event-source-mapping:" + uuid;
    }

    /** The source's service as its ARN names it: {@code sqs}, {@code kinesis} or {@code dynamodb}. */
    String sourceService() {
        return eventSourceArn.split(":")[2];
    }

    boolean isStream() {
        return !sourceService().equals("sqs");
    }

    EventSourceMapping withState(String newState, boolean isEnabled) {
        return new EventSourceMapping(uuid, account, region, eventSourceArn, functionArn, batchSize,
                maximumBatchingWindowInSeconds, isEnabled, newState, functionResponseTypes, filters, startingPosition,
                maximumRetryAttempts, onFailureDestination, Instant.now(), tags, startingPositionTimestamp,
                maximumRecordAgeInSeconds, bisectBatchOnFunctionError, parallelizationFactor, tumblingWindowInSeconds);
    }
}
