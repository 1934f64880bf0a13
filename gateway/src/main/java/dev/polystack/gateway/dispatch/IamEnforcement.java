package dev.polystack.gateway.dispatch;

import dev.polystack.api.AccessKeys;
import dev.polystack.api.IdentityAuthorizer;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.protocol.ServiceCodec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ENFORCE_IAM=1}: every request signed with an IAM user's key or an STS session's key is checked before the
 * provider sees it, as AWS evaluates a request within one account: the principal's identity policies (with its
 * permissions boundary and the session policy of an STS session), decided by the IAM provider (an
 * {@link IdentityAuthorizer}), combined with the resource-based policy of what the request acts on
 * ({@link ResourcePolicies}: S3 bucket policies, SQS and SNS access policies, secrets' resource policies, KMS key
 * policies, role trust policies on AssumeRole). An explicit deny in either refuses; otherwise a grant in either
 * allows, except that a KMS key policy and a role's trust policy must grant themselves (to the principal, or to its
 * account, which then defers to its identity policies). Refusals are AccessDenied in the service's protocol.
 * Requests with root or unknown credentials (the default {@code test}/{@code test}, a 12-digit account key), and
 * calls between providers in process, are always allowed, as in LocalStack.
 */
public final class IamEnforcement {
    private final ProviderRegistry registry;
    private final ServiceDispatcher dispatcher;

    public IamEnforcement(ProviderRegistry registry, ServiceDispatcher dispatcher) {
        this.registry = registry;
        this.dispatcher = dispatcher;
    }

    void check(RequestContext ctx, ServiceCodec codec, String operation, Map<String, Object> params) {
        String principal = AccessKeys.principalFor(ctx.accessKeyId());
        if (principal == null || principal.endsWith(":root")) return;
        ServiceProvider iam = registry.obtain("iam");
        if (!(iam instanceof IdentityAuthorizer authorizer)) return;
        String action = actionPrefix(codec) + ":" + operation;
        Map<String, List<String>> context = new LinkedHashMap<>();
        context.put("aws:RequestedRegion", List.of(ctx.region()));
        context.put("aws:CurrentTime", List.of(Instant.now().toString()));
        String forwarded = ctx.request() == null ? null : ctx.request().header("X-Forwarded-For");
        if (forwarded != null) context.put("aws:SourceIp", List.of(forwarded.split(",")[0].trim()));
        String sessionPolicy = AccessKeys.sessionPolicyFor(ctx.accessKeyId());
        for (String resource : ResourceArns.of(ctx, ctx.service(), params, dispatcher)) {
            IdentityAuthorizer.Decision identity = authorizer.decide(ctx.accountId(), principal, action, resource, context, sessionPolicy);
            ResourcePolicies.Policy policy = identity == IdentityAuthorizer.Decision.EXPLICIT_DENY ? null
                    : ResourcePolicies.of(ctx, ctx.service(), operation, params, dispatcher);
            IdentityAuthorizer.ResourceDecision onResource = policy == null ? IdentityAuthorizer.ResourceDecision.NONE
                    : authorizer.resourcePolicy(policy.document(), ctx.accountId(), principal, action, resource, context);
            String refusal = refusal(identity, onResource, policy != null && policy.mandatory(), action);
            if (refusal != null) {
                String message = "User: " + principal + " is not authorized to perform: " + action + " on resource: " + resource + " " + refusal;
                String protocol = codec.info().protocol();
                throw protocol.equals("json") || protocol.equals("rest-json") || protocol.equals("smithy-rpc-v2-cbor")
                        ? new ServiceException("AccessDeniedException", message, 400)
                        : new ServiceException("AccessDenied", message, 403).queryCode("AccessDenied");
            }
        }
    }

    /** Why AWS refuses the request (the end of its message), or null when it is allowed. */
    static String refusal(IdentityAuthorizer.Decision identity, IdentityAuthorizer.ResourceDecision onResource, boolean mandatory,
                          String action) {
        if (identity == IdentityAuthorizer.Decision.EXPLICIT_DENY) return "with an explicit deny in an identity-based policy";
        if (onResource == IdentityAuthorizer.ResourceDecision.EXPLICIT_DENY) return "with an explicit deny in a resource-based policy";
        boolean identityAllows = identity == IdentityAuthorizer.Decision.ALLOW;
        if (mandatory) {
            if (onResource == IdentityAuthorizer.ResourceDecision.ALLOW_PRINCIPAL) return null;
            if (onResource == IdentityAuthorizer.ResourceDecision.ALLOW_ACCOUNT && identityAllows) return null;
            return onResource == IdentityAuthorizer.ResourceDecision.NONE
                    ? "because no resource-based policy allows the " + action + " action"
                    : "because no identity-based policy allows the " + action + " action";
        }
        if (identityAllows || onResource == IdentityAuthorizer.ResourceDecision.ALLOW_PRINCIPAL) return null;
        return "because no identity-based policy allows the " + action + " action";
    }

    /** The IAM action prefix: the signing name, except where IAM names the service differently. */
    private static String actionPrefix(ServiceCodec codec) {
        String name = codec.info().signingName() != null ? codec.info().signingName() : codec.info().service();
        return switch (name) {
            case "monitoring" -> "cloudwatch";
            default -> name;
        };
    }

    /** The resource ARNs a request acts on, from its parameters, for the services whose resources policies name. */
    static final class ResourceArns {
        private ResourceArns() {
        }

        static List<String> of(RequestContext ctx, String service, Map<String, Object> in, ServiceDispatcher dispatcher) {
            String prefix = "arn:" + ctx.partition() + ":" + service + ":" + ctx.region() + ":" + ctx.accountId() + ":";
            List<String> out = new ArrayList<>();
            switch (service) {
                case "ssm" -> {
                    List<String> names = new ArrayList<>();
                    if (in.get("Name") != null) names.add(in.get("Name").toString());
                    if (in.get("Names") instanceof List<?> list) for (Object o : list) names.add(String.valueOf(o));
                    if (in.get("Path") != null) names.add(in.get("Path").toString());
                    for (String name : names) {
                        if (name.startsWith("arn:")) {
                            out.add(name.replaceFirst("(:parameter/[^:]*):.*$", "$1"));
                        } else {
                            String bare = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
                            out.add(prefix + "parameter/" + (bare.startsWith("/") ? bare.substring(1) : bare));
                        }
                    }
                }
                case "secretsmanager" -> {
                    Object id = in.get("SecretId") != null ? in.get("SecretId") : in.get("Name");
                    if (id != null) out.add(secretArn(ctx, id.toString(), prefix, dispatcher));
                }
                case "sqs" -> {
                    Object url = in.get("QueueUrl");
                    if (url != null) {
                        String[] parts = url.toString().split("/");
                        out.add(prefix.replace(":" + ctx.accountId() + ":", ":" + parts[parts.length - 2] + ":") + parts[parts.length - 1]);
                    } else if (in.get("QueueName") != null) {
                        out.add(prefix + in.get("QueueName"));
                    }
                }
                case "sns" -> {
                    for (String key : List.of("TopicArn", "TargetArn", "ResourceArn")) if (in.get(key) != null) out.add(in.get(key).toString());
                    if (out.isEmpty() && in.get("Name") != null) out.add(prefix + in.get("Name"));
                }
                case "s3" -> {
                    if (in.get("Bucket") != null) {
                        out.add("arn:" + ctx.partition() + ":s3:::" + in.get("Bucket") + (in.get("Key") != null ? "/" + in.get("Key") : ""));
                    }
                }
                case "kms" -> {
                    Object key = in.get("KeyId");
                    if (key != null) {
                        String k = key.toString();
                        out.add(k.startsWith("arn:") ? k : k.startsWith("alias/") ? prefix + k : prefix + "key/" + k);
                    }
                }
                case "sts" -> {
                    if (in.get("RoleArn") != null) out.add(in.get("RoleArn").toString());
                }
                case "iam" -> {
                    String iam = "arn:" + ctx.partition() + ":iam::" + ctx.accountId() + ":";
                    if (in.get("UserName") != null) out.add(iam + "user/" + in.get("UserName"));
                    else if (in.get("RoleName") != null) out.add(iam + "role/" + in.get("RoleName"));
                    else if (in.get("GroupName") != null) out.add(iam + "group/" + in.get("GroupName"));
                    else if (in.get("PolicyArn") != null) out.add(in.get("PolicyArn").toString());
                }
                case "dynamodb" -> {
                    if (in.get("TableName") != null) out.add(prefix + "table/" + in.get("TableName"));
                }
                case "lambda" -> {
                    Object fn = in.get("FunctionName");
                    if (fn != null) out.add(fn.toString().startsWith("arn:") ? fn.toString() : prefix + "function:" + fn);
                }
                default -> {
                }
            }
            if (out.isEmpty()) out.add("*");
            return out;
        }

        /** A secret's full ARN (policies name it with its suffix, {@code name-??????} or {@code name-*}). */
        private static String secretArn(RequestContext ctx, String id, String prefix, ServiceDispatcher dispatcher) {
            if (id.startsWith("arn:")) return id;
            try {
                Object arn = dispatcher.call(RequestContext.internal(ctx.accountId(), ctx.region(), "secretsmanager"),
                        "secretsmanager", "DescribeSecret", Map.of("SecretId", id)).get("ARN");
                if (arn != null) return arn.toString();
            } catch (RuntimeException e) {
                // a secret that does not exist yet (CreateSecret) or cannot be described: its name-based ARN
            }
            return prefix + "secret:" + id;
        }
    }
}
