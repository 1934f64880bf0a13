package dev.polystack.services.secretsmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Resource policies of secrets: the checks PutResourcePolicy makes, and whether a policy lets another account's
 * principal perform an action (cross-account reads). Explicit denies win; {@code *} and {@code ?} wildcards.
 */
final class Policies {
    static final ObjectMapper JSON = new ObjectMapper();

    private Policies() {
    }

    static JsonNode check(String policy) {
        JsonNode root;
        try {
            root = JSON.readTree(policy);
        } catch (Exception e) {
            throw new dev.polystack.api.ServiceException("MalformedPolicyDocumentException",
                    "This resource policy contains a syntax error.");
        }
        if (root == null || !root.isObject() || !root.has("Statement")) {
            throw new dev.polystack.api.ServiceException("MalformedPolicyDocumentException",
                    "This resource policy contains a syntax error.");
        }
        return root;
    }

    /** Whether {@code policy} allows {@code principalArn} (of {@code account}) the action on the resource. */
    static boolean allows(String policy, String principalArn, String account, String action, String resource) {
        if (policy == null) return false;
        JsonNode root;
        try {
            root = JSON.readTree(policy);
        } catch (Exception e) {
            return false;
        }
        boolean allowed = false;
        for (JsonNode st : list(root.get("Statement"))) {
            if (!principalMatches(st.get("Principal"), principalArn, account)) continue;
            if (!anyMatch(st.get("Action"), action) || !(st.get("Resource") == null || anyMatch(st.get("Resource"), resource))) continue;
            if ("Deny".equals(st.path("Effect").asText())) return false;
            if ("Allow".equals(st.path("Effect").asText())) allowed = true;
        }
        return allowed;
    }

    private static boolean principalMatches(JsonNode principal, String principalArn, String account) {
        if (principal == null) return false;
        if (principal.isTextual()) return principal.asText().equals("*");
        for (JsonNode p : list(principal.get("AWS"))) {
            String value = p.asText();
            if (value.equals("*") || value.equals(account) || value.equals("arn:aws:iam::" + account + ":root")
                    || (principalArn != null && value.equals(principalArn))) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyMatch(JsonNode patterns, String value) {
        for (JsonNode p : list(patterns)) if (wildcard(p.asText()).matcher(value).matches()) return true;
        return false;
    }

    static Pattern wildcard(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') re.append(".*");
            else if (c == '?') re.append('.');
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node == null) return out;
        if (node.isArray()) node.forEach(out::add);
        else out.add(node);
        return out;
    }
}
