package dev.polystack.api;

import java.util.List;
import java.util.Map;

/**
 * Decides whether a principal's identity policies allow an action on a resource ({@code ENFORCE_IAM=1}).
 * Implemented by the IAM provider; the gateway asks it for every request signed with a user's or role's key.
 */
public interface IdentityAuthorizer {

    /**
     * @param accountId    the principal's account
     * @param principalArn an IAM user ARN or an STS assumed-role session ARN
     * @param action       {@code service:Operation}, for example {@code ssm:GetParameter}
     * @param resource     the resource ARN, or {@code *} when the request names none
     * @param context      condition keys (global keys such as {@code aws:SourceIp}) to values
     * @return whether an identity policy allows it (explicit deny wins; no statement means deny)
     */
    boolean allows(String accountId, String principalArn, String action, String resource, Map<String, List<String>> context);
}
