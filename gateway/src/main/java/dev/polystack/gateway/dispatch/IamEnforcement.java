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
        // the account's root (its default credentials, a 12-digit key) has every permission in its own account
        boolean root = principal == null || principal.endsWith(":root");
        if (root && !mentionsAnotherAccount(ctx, params)) return;
        if (root) principal = "arn:" + ctx.partition() + ":iam::" + ctx.accountId() + ":root";
        ServiceProvider iam = registry.obtain("iam");
        if (!(iam instanceof IdentityAuthorizer authorizer)) return;
        String action = actionPrefix(codec) + ":" + iamActionName(ctx.service(), operation);
        Map<String, List<String>> context = new LinkedHashMap<>();
        context.put("aws:RequestedRegion", List.of(ctx.region()));
        context.put("aws:CurrentTime", List.of(Instant.now().toString()));
        String forwarded = ctx.request() == null ? null : ctx.request().header("X-Forwarded-For");
        if (forwarded != null) context.put("aws:SourceIp", List.of(forwarded.split(",")[0].trim()));
        String sessionPolicy = AccessKeys.sessionPolicyFor(ctx.accessKeyId());
        for (String resource : ResourceArns.of(ctx, ctx.service(), params, dispatcher)) {
            boolean crossAccount = ResourceArns.crossAccount(ctx, ctx.service(), resource, dispatcher);
            if (root && !crossAccount) continue;
            IdentityAuthorizer.Decision identity = root ? IdentityAuthorizer.Decision.ALLOW
                    : authorizer.decide(ctx.accountId(), principal, action, resource, context, sessionPolicy);
            ResourcePolicies.Policy policy = identity == IdentityAuthorizer.Decision.EXPLICIT_DENY ? null
                    : ResourcePolicies.of(ctx, ctx.service(), operation, params, dispatcher);
            IdentityAuthorizer.ResourceDecision onResource = policy == null ? IdentityAuthorizer.ResourceDecision.NONE
                    : authorizer.resourcePolicy(policy.document(), ctx.accountId(), principal, action, resource, context);
            String refusal = crossAccount ? crossAccountRefusal(identity, onResource, action)
                    : refusal(identity, onResource, policy != null && policy.mandatory(), action);
            if (refusal != null) throw denied(codec.info().protocol(), principal, action, resource, refusal);
        }
    }

    /**
     * A delivery one service makes to another in process ({@link RequestContext#delivery()}: SNS to SQS, S3 and
     * EventBridge notifications): the target's resource policy must allow the delivering service's principal, with
     * {@code aws:SourceArn} and {@code aws:SourceAccount} set to the source, as on AWS; otherwise it is refused and
     * the message does not arrive. A target without a policy refuses services, as AWS's do.
     */
    void checkDelivery(RequestContext ctx, String service, String operation, Map<String, Object> params) {
        RequestContext.Delivery delivery = ctx.delivery();
        ServiceProvider iam = registry.obtain("iam");
        if (!(iam instanceof IdentityAuthorizer authorizer)) return;
        String action = service + ":" + iamActionName(service, operation);
        Map<String, List<String>> context = new LinkedHashMap<>();
        context.put("aws:SourceArn", List.of(delivery.sourceArn()));
        context.put("aws:SourceAccount", List.of(delivery.sourceAccount()));
        for (String resource : ResourceArns.of(ctx, service, params, dispatcher)) {
            ResourcePolicies.Policy policy = ResourcePolicies.of(ctx, service, operation, params, dispatcher);
            IdentityAuthorizer.ResourceDecision decision = policy == null ? IdentityAuthorizer.ResourceDecision.NONE
                    : authorizer.servicePolicy(policy.document(), delivery.servicePrincipal(), action, resource, context);
            if (decision != IdentityAuthorizer.ResourceDecision.ALLOW_PRINCIPAL) {
                throw denied("query", delivery.servicePrincipal(), action, resource, decision == IdentityAuthorizer.ResourceDecision.EXPLICIT_DENY
                        ? "with an explicit deny in a resource-based policy" : "because no resource-based policy allows the " + action + " action");
            }
        }
    }

    private static ServiceException denied(String protocol, String principal, String action, String resource, String refusal) {
        String message = "User: " + principal + " is not authorized to perform: " + action + " on resource: " + resource + " " + refusal;
        return protocol.equals("json") || protocol.equals("rest-json") || protocol.equals("smithy-rpc-v2-cbor")
                ? new ServiceException("AccessDeniedException", message, 400)
                : new ServiceException("AccessDenied", message, 403).queryCode("AccessDenied");
    }

    /** Whether a root caller's request names something of another account (an ARN, a queue URL) or a bucket. */
    private static boolean mentionsAnotherAccount(RequestContext ctx, Map<String, Object> params) {
        if (ctx.service().equals("s3")) return params.get("Bucket") != null;
        for (Object value : params.values()) {
            if (value instanceof String text && (text.startsWith("arn:") || text.startsWith("http")) && !text.contains(ctx.accountId())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why AWS refuses a request across accounts, or null when it is allowed: both the caller's identity policies and
     * the resource's policy (granting the caller, or its account) must allow, and an explicit deny in either refuses.
     */
    static String crossAccountRefusal(IdentityAuthorizer.Decision identity, IdentityAuthorizer.ResourceDecision onResource, String action) {
        if (identity == IdentityAuthorizer.Decision.EXPLICIT_DENY) return "with an explicit deny in an identity-based policy";
        if (onResource == IdentityAuthorizer.ResourceDecision.EXPLICIT_DENY) return "with an explicit deny in a resource-based policy";
        if (identity != IdentityAuthorizer.Decision.ALLOW) return "because no identity-based policy allows the " + action + " action";
        if (onResource == IdentityAuthorizer.ResourceDecision.NONE) return "because no resource-based policy allows the " + action + " action";
        return null;
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

    /** IAM's name of an operation's action, where it differs from the operation's (Lambda's Invoke is InvokeFunction). */
    private static String iamActionName(String service, String operation) {
        return service.equals("lambda") && (operation.equals("Invoke") || operation.equals("InvokeAsync")) ? "InvokeFunction" : operation;
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

        /**
         * Whether a resource belongs to another account than the caller's: the account field of its ARN; for a bucket
         * (whose ARN names no account), S3's own check of an expected owner.
         */
        static boolean crossAccount(RequestContext ctx, String service, String resource, ServiceDispatcher dispatcher) {
            String[] parts = resource.split(":", 6);
            if (parts.length < 6) return false;
            if (service.equals("s3")) {
                String bucket = parts[5].contains("/") ? parts[5].substring(0, parts[5].indexOf('/')) : parts[5];
                if (bucket.isEmpty()) return false;
                try {
                    dispatcher.call(RequestContext.internal(ctx.accountId(), ctx.region(), "s3"), "s3", "HeadBucket",
                            Map.of("Bucket", bucket, "ExpectedBucketOwner", ctx.accountId()));
                    return false;
                } catch (ServiceException e) {
                    return "AccessDenied".equals(e.code()); // S3's answer for a bucket another account owns
                }
            }
            return !parts[4].isEmpty() && !parts[4].equals(ctx.accountId()) && !parts[4].equals("aws");
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
