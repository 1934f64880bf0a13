package dev.polystack.services.kms;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.util.List;
import java.util.Map;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsInput.*;
import static dev.polystack.services.kms.KmsPaging.page;

/** Key policies: the default one, PutKeyPolicy's JSON check, GetKeyPolicy, ListKeyPolicies (stored, not enforced). */
final class KmsPolicies {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final KmsKeyStore keys;

    KmsPolicies(KmsKeyStore keys) {
        this.keys = keys;
    }

    static String defaultPolicy(String partition, String account) {
        return "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n"
                + "    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n      \"AWS\" : \"arn:" + partition + ":iam::" + account + ":root\"\n    },\n"
                + "    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}";
    }

    static void validatePolicy(String policy) {
        try {
            if (!JSON.readTree(policy).isObject()) throw new ServiceException("MalformedPolicyDocumentException", "The policy is not a JSON object.");
        } catch (JsonProcessingException e) {
            throw new ServiceException("MalformedPolicyDocumentException", "The policy document is not valid JSON.");
        }
        KmsInput.stringLength("policy", policy, 1, 131072);
    }

    private static String policyName(Map<String, Object> in) {
        String name = str(in, "PolicyName");
        if (name == null) return "default";
        if (!name.equals("default")) throw notFound("No such policy exists");
        return name;
    }

    Map<String, Object> getKeyPolicy(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
        String name = policyName(in);
        return Map.of("Policy", key.policy, "PolicyName", name);
    }

    Map<String, Object> putKeyPolicy(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
        policyName(in);
        String policy = required(in, "Policy");
        validatePolicy(policy);
        synchronized (key) {
            requireNotPendingDeletion(key);
            key.policy = policy;
        }
        return Map.of();
    }

    Map<String, Object> listKeyPolicies(RequestContext ctx, Map<String, Object> in) {
        keys.findKey(ctx, required(in, "KeyId"), false);
        return page(in, List.of("default"), "PolicyNames", n -> n);
    }
}
