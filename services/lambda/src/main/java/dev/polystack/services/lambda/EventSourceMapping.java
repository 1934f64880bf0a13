package dev.polystack.services.lambda;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An event source mapping: a poller reads batches from the source (an SQS queue today; a stream source plugs in
 * through {@link EventSourcePoller}) and invokes the function with them.
 */
record EventSourceMapping(String uuid, String account, String region, String eventSourceArn, String functionArn,
                          int batchSize, int maximumBatchingWindowInSeconds, boolean enabled, String state,
                          List<String> functionResponseTypes, List<Map<String, Object>> filters,
                          String startingPosition, Integer maximumRetryAttempts, String onFailureDestination,
                          Instant lastModified, Map<String, String> tags) {
    EventSourceMapping {
        functionResponseTypes = functionResponseTypes == null ? List.of() : List.copyOf(functionResponseTypes);
        filters = filters == null ? List.of() : List.copyOf(filters);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    String arn() {
        return "arn:" + FunctionRef.partition(region) + ":lambda:" + region + ":" + account + ":event-source-mapping:" + uuid;
    }

    EventSourceMapping withState(String newState, boolean isEnabled) {
        return new EventSourceMapping(uuid, account, region, eventSourceArn, functionArn, batchSize,
                maximumBatchingWindowInSeconds, isEnabled, newState, functionResponseTypes, filters, startingPosition,
                maximumRetryAttempts, onFailureDestination, Instant.now(), tags);
    }
}
