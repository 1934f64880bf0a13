package dev.polystack.api;

import java.util.List;
import java.util.Map;

/**
 * Policy decisions for {@code ENFORCE_IAM=1}, made by the IAM provider: a principal's identity policies (with its
 * permissions boundary and an STS session policy), and resource-based policies (bucket, queue, topic, key, secret
 * policies, role trust policies) judged for that principal. The gateway asks it for every request signed with a
 * user's or role's key and combines the two as AWS does.
 */
public interface IdentityAuthorizer {

    /** What identity policies say about a request. */
    enum Decision { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    /**
     * What a resource-based policy says about a request: granted to the principal itself, granted to its account
     * (which defers to the account's identity policies), explicitly denied, or not mentioned.
     */
    enum ResourceDecision { ALLOW_PRINCIPAL, ALLOW_ACCOUNT, EXPLICIT_DENY, NONE }

    /**
     * @param accountId     the principal's account
     * @param principalArn  an IAM user ARN or an STS assumed-role session ARN
     * @param action        {@code service:Operation}, for example {@code ssm:GetParameter}
     * @param resource      the resource ARN, or {@code *} when the request names none
     * @param context       condition keys (global keys such as {@code aws:SourceIp}) to values
     * @param sessionPolicy the inline session policy the session was created with, or null
     * @return the identity-based decision: explicit deny wins; no statement means implicit deny; the permissions
     * boundary and session policy, when present, must allow as well
     */
    Decision decide(String accountId, String principalArn, String action, String resource, Map<String, List<String>> context,
                    String sessionPolicy);

    /** Judges a resource-based policy (JSON) for the principal, action and resource. */
    ResourceDecision resourcePolicy(String policy, String accountId, String principalArn, String action, String resource,
                                    Map<String, List<String>> context);

    /**
     * Judges a resource-based policy for an AWS service delivering on its own behalf ({@code sns.amazonaws.com}
     * sending to a queue): statements naming that service principal, or everyone, with their conditions evaluated
     * against the context ({@code aws:SourceArn}, {@code aws:SourceAccount}). Account grants do not cover services.
     */
    ResourceDecision servicePolicy(String policy, String servicePrincipal, String action, String resource, Map<String, List<String>> context);

    /** Whether identity policies alone allow the request (no session policy). */
    default boolean allows(String accountId, String principalArn, String action, String resource, Map<String, List<String>> context) {
        return decide(accountId, principalArn, action, resource, context, null) == Decision.ALLOW;
    }
}
