package dev.polystack.services.events;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One target of a rule, as PutTargets stored it. Only the members delivery uses are typed; the rest of
 * what the caller sent (EcsParameters, HttpParameters ...) is kept verbatim in {@code other} so ListTargets
 * returns it unchanged.
 */
public record Target(String id, String arn, String roleArn, String input, String inputPath,
                     InputTransformer inputTransformer, String messageGroupId, String partitionKeyPath,
                     Integer maximumRetryAttempts, Integer maximumEventAgeInSeconds, String deadLetterArn,
                     Http http, Map<String, Object> other) {

    /** The members of AWS's Target this record holds in its own fields (the rest go to {@code other}). */
    public static final Set<String> TYPED_MEMBERS = Set.of("Id", "Arn", "RoleArn", "Input", "InputPath", "InputTransformer",
            "SqsParameters", "KinesisParameters", "RetryPolicy", "DeadLetterConfig", "HttpParameters");

    /** HttpParameters (API destination and API Gateway targets): path values for the endpoint's {@code *}, headers, query. */
    public record Http(List<String> pathParameterValues, Map<String, String> headerParameters,
                       Map<String, String> queryStringParameters) {
    }

    /** InputTransformer: JSON paths by placeholder name, and the template they fill. */
    public record InputTransformer(Map<String, String> inputPathsMap, String inputTemplate) {
    }

    /** The service a target ARN names ({@code sqs}, {@code sns}, {@code lambda}, {@code events} ...). */
    public String service() {
        String[] parts = arn.split(":", 6);
        return parts.length > 2 ? parts[2] : "";
    }
}
