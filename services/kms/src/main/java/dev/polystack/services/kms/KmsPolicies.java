package dev.polystack.services.kms;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.kms.api.GetKeyPolicyRequest;
import dev.polystack.services.kms.api.GetKeyPolicyResponse;
import dev.polystack.services.kms.api.ListKeyPoliciesRequest;
import dev.polystack.services.kms.api.ListKeyPoliciesResponse;
import dev.polystack.services.kms.api.PutKeyPolicyRequest;

import java.util.List;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsValidation.*;
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
        stringLength("policy", policy, 1, 131072);
    }

    /** A key has one policy, "default"; an absent name means it. */
    private static String policyName(String name) {
        if (name == null) return "default";
        if (!name.equals("default")) throw notFound("No such policy exists");
        return name;
    }

    GetKeyPolicyResponse getKeyPolicy(RequestContext ctx, GetKeyPolicyRequest in) {
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        String name = policyName(in.policyName());
        return GetKeyPolicyResponse.builder().policy(key.policy).policyName(name).build();
    }

    void putKeyPolicy(RequestContext ctx, PutKeyPolicyRequest in) {
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        policyName(in.policyName());
        String policy = required("Policy", in.policy());
        validatePolicy(policy);
        synchronized (key) {
            requireNotPendingDeletion(key);
            key.policy = policy;
        }
    }

    ListKeyPoliciesResponse listKeyPolicies(RequestContext ctx, ListKeyPoliciesRequest in) {
        keys.findKey(ctx, required("KeyId", in.keyId()), false);
        var page = page(in.limit(), in.marker(), List.of("default"), n -> n);
        return ListKeyPoliciesResponse.builder().policyNames(page.items()).truncated(page.truncated()).nextMarker(page.nextMarker()).build();
    }
}
