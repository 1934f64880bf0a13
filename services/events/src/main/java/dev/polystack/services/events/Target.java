package dev.polystack.services.events;

import java.util.Map;

/**
 * One target of a rule, as PutTargets stored it. Only the members delivery uses are typed; the rest of
 * what the caller sent (EcsParameters, HttpParameters ...) is kept verbatim in {@code other} so ListTargets
 * returns it unchanged.
 */
public record Target(String id, String arn, String roleArn, String input, String inputPath,
                     InputTransformer inputTransformer, String messageGroupId, String partitionKeyPath,
                     Integer maximumRetryAttempts, Integer maximumEventAgeInSeconds, String deadLetterArn,
                     Map<String, Object> other) {

    /** InputTransformer: JSON paths by placeholder name, and the template they fill. */
    public record InputTransformer(Map<String, String> inputPathsMap, String inputTemplate) {
    }

    /** The service a target ARN names ({@code sqs}, {@code sns}, {@code lambda}, {@code events} ...). */
    public String service() {
        String[] parts = arn.split(":", 6);
        return parts.length > 2 ? parts[2] : "";
    }
}
