package dev.polystack.services.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.polystack.api.IdentityAuthorizer.ResourceDecision;

import java.util.List;
import java.util.Map;

/**
 * Resource-based policies (S3 bucket policies, SQS/SNS access policies, KMS key policies, secrets' resource
 * policies, role trust policies): the statements that apply to an action and resource as in
 * {@link PolicyEvaluator}, and also to the calling principal through {@code Principal}/{@code NotPrincipal}. A
 * statement naming the principal itself (its ARN, the role of an assumed-role session, the session ARN, or
 * {@code "*"}) grants on its own; one naming the principal's account ({@code arn:...:root} or the 12-digit id) only
 * delegates to the account's identity policies, as AWS evaluates it.
 */
final class ResourcePolicyEvaluator {
    private ResourcePolicyEvaluator() {
    }

    static ResourceDecision evaluate(String policy, String accountId, List<String> principalArns, String action, String resource,
                                     Map<String, List<String>> context) {
        return evaluate(policy, principal -> matches(principal, accountId, principalArns), action, resource, context);
    }

    /** The same for an AWS service principal: statements naming the service (or everyone) grant; accounts do not. */
    static ResourceDecision evaluateForService(String policy, String servicePrincipal, String action, String resource,
                                               Map<String, List<String>> context) {
        return evaluate(policy, principal -> matchesService(principal, servicePrincipal), action, resource, context);
    }

    private static ResourceDecision evaluate(String policy, java.util.function.Function<JsonNode, Match> principalMatch, String action,
                                             String resource, Map<String, List<String>> context) {
        JsonNode root;
        try {
            root = PolicyEvaluator.JSON.readTree(policy);
        } catch (Exception e) {
            return ResourceDecision.NONE;
        }
        boolean principalAllowed = false;
        boolean accountAllowed = false;
        for (JsonNode st : PolicyEvaluator.list(root == null ? null : root.get("Statement"))) {
            String effect = st.path("Effect").asText();
            // the statement's action, resource and conditions, through the identity evaluator (Principal ignored there)
            if (PolicyEvaluator.evaluate(List.of(new PolicyEvaluator.Source("resource", "Resource", statementOnly(st))), action, resource,
                    context).decision() == PolicyEvaluator.Decision.IMPLICIT_DENY) {
                continue;
            }
            Match match = st.has("NotPrincipal") ? negate(principalMatch.apply(st.get("NotPrincipal"))) : principalMatch.apply(st.get("Principal"));
            if (match == Match.NONE) continue;
            if ("Deny".equals(effect)) return ResourceDecision.EXPLICIT_DENY;
            if ("Allow".equals(effect)) {
                if (match == Match.PRINCIPAL) principalAllowed = true;
                else accountAllowed = true;
            }
        }
        if (principalAllowed) return ResourceDecision.ALLOW_PRINCIPAL;
        if (accountAllowed) return ResourceDecision.ALLOW_ACCOUNT;
        return ResourceDecision.NONE;
    }

    private enum Match { PRINCIPAL, ACCOUNT, NONE }

    /** The statement without its principal, as a one-statement policy, so that the identity evaluator can judge it. */
    private static String statementOnly(JsonNode st) {
        var copy = ((com.fasterxml.jackson.databind.node.ObjectNode) st.deepCopy());
        copy.remove("Principal");
        copy.remove("NotPrincipal");
        if (copy.has("Effect")) copy.put("Effect", "Allow");
        var policy = PolicyEvaluator.JSON.createObjectNode();
        policy.putArray("Statement").add(copy);
        return policy.toString();
    }

    private static Match matches(JsonNode principal, String accountId, List<String> principalArns) {
        if (principal == null) return Match.NONE;
        if (principal.isTextual()) return "*".equals(principal.asText()) ? Match.PRINCIPAL : Match.NONE;
        Match best = Match.NONE;
        for (JsonNode value : PolicyEvaluator.list(principal.get("AWS"))) {
            String v = value.asText();
            if (v.equals("*") || principalArns.contains(v)) return Match.PRINCIPAL;
            if (v.equals(accountId) || v.matches("arn:[^:]+:iam::" + accountId + ":root")) best = Match.ACCOUNT;
        }
        return best;
    }

    /** {@code "*"}, {@code {"AWS": "*"}} (the same, AWS documents) or {@code {"Service": [..the principal..]}}. */
    private static Match matchesService(JsonNode principal, String servicePrincipal) {
        if (principal == null) return Match.NONE;
        if (principal.isTextual()) return "*".equals(principal.asText()) ? Match.PRINCIPAL : Match.NONE;
        for (JsonNode value : PolicyEvaluator.list(principal.get("AWS"))) if ("*".equals(value.asText())) return Match.PRINCIPAL;
        for (JsonNode value : PolicyEvaluator.list(principal.get("Service"))) {
            if (servicePrincipal.equals(value.asText())) return Match.PRINCIPAL;
        }
        return Match.NONE;
    }

    private static Match negate(Match m) {
        return m == Match.NONE ? Match.PRINCIPAL : Match.NONE;
    }
}
