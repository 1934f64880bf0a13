package dev.polystack.gateway.dispatch;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The resource-based policy a request is judged against under {@code ENFORCE_IAM=1}, read from the provider that
 * keeps it (in process, as an internal call that is not itself enforced): a bucket's policy, a queue's or topic's
 * {@code Policy} attribute, a secret's resource policy, a KMS key's policy, a Lambda function's policy, the trust
 * policy of the role AssumeRole names. Resources of another account are named by ARN or URL, which the providers
 * resolve in that account. Null when the resource has none (or does not exist: the provider answers that itself).
 */
final class ResourcePolicies {
    /** A policy document, and whether it must grant by itself (key policies, trust policies). */
    record Policy(String document, boolean mandatory) {
    }

    private ResourcePolicies() {
    }

    @SuppressWarnings("unchecked")
    static Policy of(RequestContext ctx, String service, String operation, Map<String, Object> in, ServiceDispatcher dispatcher) {
        try {
            return switch (service) {
                case "s3" -> in.get("Bucket") == null ? null
                        : optional(call(ctx, dispatcher, "s3", "GetBucketPolicy", Map.of("Bucket", in.get("Bucket"))).get("Policy"));
                case "sqs" -> in.get("QueueUrl") == null ? null
                        : optional(((Map<String, Object>) call(ctx, dispatcher, "sqs", "GetQueueAttributes",
                        Map.of("QueueUrl", in.get("QueueUrl"), "AttributeNames", List.of("Policy"))).getOrDefault("Attributes", Map.of())).get("Policy"));
                case "sns" -> in.get("TopicArn") == null ? null
                        : optional(((Map<String, Object>) call(ctx, dispatcher, "sns", "GetTopicAttributes",
                        Map.of("TopicArn", in.get("TopicArn"))).getOrDefault("Attributes", Map.of())).get("Policy"));
                case "secretsmanager" -> in.get("SecretId") == null || operation.equals("GetResourcePolicy") ? null
                        : optional(call(ctx, dispatcher, "secretsmanager", "GetResourcePolicy", Map.of("SecretId", in.get("SecretId")))
                        .get("ResourcePolicy"));
                case "kms" -> in.get("KeyId") == null ? null : mandatory(call(ctx, dispatcher, "kms", "GetKeyPolicy",
                        Map.of("KeyId", in.get("KeyId"), "PolicyName", "default")).get("Policy"));
                case "lambda" -> in.get("FunctionName") == null || operation.equals("GetPolicy") ? null
                        : optional(call(ctx, dispatcher, "lambda", "GetPolicy", Map.of("FunctionName", in.get("FunctionName"))).get("Policy"));
                case "sts" -> operation.equals("AssumeRole") && in.get("RoleArn") != null ? trustPolicy(ctx, in.get("RoleArn").toString(), dispatcher) : null;
                default -> null;
            };
        } catch (ServiceException | ClassCastException e) {
            return null; // no policy, or no such resource: the provider answers the request itself
        }
    }

    @SuppressWarnings("unchecked")
    private static Policy trustPolicy(RequestContext ctx, String roleArn, ServiceDispatcher dispatcher) {
        String[] parts = roleArn.split(":", 6);
        if (parts.length < 6 || !parts[5].startsWith("role/")) return null;
        String name = parts[5].substring(parts[5].lastIndexOf('/') + 1);
        Map<String, Object> role = (Map<String, Object>) dispatcher.call(RequestContext.internal(parts[4], ctx.region(), "iam"), "iam", "GetRole",
                Map.of("RoleName", name)).get("Role");
        Object document = role == null ? null : role.get("AssumeRolePolicyDocument");
        // IAM answers policy documents URL-encoded, as AWS does
        return document == null ? null : new Policy(URLDecoder.decode(document.toString(), StandardCharsets.UTF_8), true);
    }

    private static Map<String, Object> call(RequestContext ctx, ServiceDispatcher dispatcher, String service, String operation,
                                            Map<String, Object> input) {
        return dispatcher.call(RequestContext.internal(ctx.accountId(), ctx.region(), service), service, operation, input);
    }

    private static Policy optional(Object document) {
        return document == null || document.toString().isBlank() ? null : new Policy(document.toString(), false);
    }

    private static Policy mandatory(Object document) {
        return document == null || document.toString().isBlank() ? null : new Policy(document.toString(), true);
    }
}
