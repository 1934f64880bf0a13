package dev.polystack.services.kms;

import java.util.Base64;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsInput.*;
import static dev.polystack.services.kms.KmsPaging.page;

/** Grants: created, listed, retired and revoked (stored as given; not enforced on use). */
final class KmsGrants {
    private static final java.util.regex.Pattern GRANT_ID = java.util.regex.Pattern.compile("[0-9a-f]{64}");
    private static final List<String> GRANT_OPERATIONS = List.of("Decrypt", "Encrypt", "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify", "GetPublicKey",
            "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
            "GenerateMac", "VerifyMac", "DeriveSharedSecret");

    private final KmsKeyStore keys;

    KmsGrants(KmsKeyStore keys) {
        this.keys = keys;
    }

    Map<String, Object> createGrant(RequestContext ctx, Map<String, Object> in) {
        String grantee = required(in, "GranteePrincipal");
        List<String> operations = new ArrayList<>();
        for (Object o : KmsInput.list(in, "Operations")) {
            String op = o.toString();
            if (!GRANT_OPERATIONS.contains(op)) {
                throw validation("1 validation error detected: Value '[" + op + "]' at 'operations' failed to satisfy constraint: "
                        + "Member must satisfy constraint: [Member must satisfy enum value set: " + GRANT_OPERATIONS + "]");
            }
            operations.add(op);
        }
        if (operations.isEmpty()) throw validation("1 validation error detected: Value null at 'operations' failed to satisfy constraint: Member must not be null");
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
        requireNotPendingDeletion(key);
        String name = str(in, "Name");
        String retiring = str(in, "RetiringPrincipal");
        @SuppressWarnings("unchecked")
        Map<String, Object> constraints = in.get("Constraints") instanceof Map<?, ?> c ? (Map<String, Object>) c : null;
        dryRun(in);
        KmsRegion state = keys.region(key.accountId, key.region);
        synchronized (state.grants) {
            if (name != null) {
                // CreateGrant is idempotent for the same name and parameters
                for (KmsRegion.Grant g : state.grants.values()) {
                    if (g.keyId.equals(key.keyId) && name.equals(g.name) && grantee.equals(g.granteePrincipal)
                            && Objects.equals(retiring, g.retiringPrincipal) && new HashSet<>(operations).equals(new HashSet<>(g.operations))
                            && Objects.equals(constraints, g.constraints)) {
                        return Map.of("GrantToken", g.grantToken, "GrantId", g.grantId);
                    }
                }
            }
            KmsRegion.Grant g = new KmsRegion.Grant();
            g.grantId = KmsCrypto.hex(KmsCrypto.random(32));
            g.grantToken = Base64.getUrlEncoder().withoutPadding().encodeToString(KmsCrypto.random(96));
            g.keyId = key.keyId;
            g.name = name;
            g.createdMillis = keys.now();
            g.granteePrincipal = grantee;
            g.retiringPrincipal = retiring;
            g.issuingAccount = "arn:" + ctx.partition() + ":iam::" + ctx.accountId() + ":root";
            g.operations = operations;
            g.constraints = constraints;
            state.grants.put(g.grantId, g);
            return Map.of("GrantToken", g.grantToken, "GrantId", g.grantId);
        }
    }

    private Map<String, Object> grantEntry(KmsKey key, KmsRegion.Grant g) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("KeyId", key.arn);
        e.put("GrantId", g.grantId);
        if (g.name != null) e.put("Name", g.name);
        e.put("CreationDate", Instant.ofEpochMilli(g.createdMillis));
        e.put("GranteePrincipal", g.granteePrincipal);
        if (g.retiringPrincipal != null) e.put("RetiringPrincipal", g.retiringPrincipal);
        e.put("IssuingAccount", g.issuingAccount);
        e.put("Operations", g.operations);
        if (g.constraints != null) e.put("Constraints", g.constraints);
        return e;
    }

    private static List<KmsRegion.Grant> grantsInOrder(KmsRegion state) {
        List<KmsRegion.Grant> grants = new ArrayList<>(state.grants.values());
        grants.sort(Comparator.comparingLong((KmsRegion.Grant g) -> g.createdMillis).thenComparing(g -> g.grantId));
        return grants;
    }

    Map<String, Object> listGrants(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
        String grantId = str(in, "GrantId");
        String grantee = str(in, "GranteePrincipal");
        KmsRegion state = keys.region(key.accountId, key.region);
        List<KmsRegion.Grant> grants = new ArrayList<>();
        for (KmsRegion.Grant g : grantsInOrder(state)) {
            if (g.keyId.equals(key.keyId) && (grantId == null || grantId.equals(g.grantId))
                    && (grantee == null || grantee.equals(g.granteePrincipal))) grants.add(g);
        }
        return page(in, grants, "Grants", g -> grantEntry(key, g));
    }

    Map<String, Object> listRetirableGrants(RequestContext ctx, Map<String, Object> in) {
        String retiring = required(in, "RetiringPrincipal");
        KmsRegion state = keys.settledRegion(ctx); // grants of keys past their deletion date are gone
        List<Map.Entry<KmsKey, KmsRegion.Grant>> grants = new ArrayList<>();
        for (KmsRegion.Grant g : grantsInOrder(state)) {
            KmsKey key = state.keys.get(g.keyId);
            if (key != null && retiring.equals(g.retiringPrincipal)) grants.add(Map.entry(key, g));
        }
        return page(in, grants, "Grants", e -> grantEntry(e.getKey(), e.getValue()));
    }

    Map<String, Object> retireGrant(RequestContext ctx, Map<String, Object> in) {
        String token = str(in, "GrantToken");
        String grantId = str(in, "GrantId");
        String keyRef = str(in, "KeyId");
        if (token == null && (grantId == null || keyRef == null)) {
            throw validation("Grant token OR (grant ID, key ID) must be specified");
        }
        KmsRegion state;
        KmsRegion.Grant grant = null;
        if (token != null) {
            state = keys.region(ctx);
            for (KmsRegion.Grant g : state.grants.values()) if (g.grantToken.equals(token)) grant = g;
            if (grant == null) throw new ServiceException("InvalidGrantTokenException", "Grant token is invalid.");
        } else {
            KmsKey key = keys.findKey(ctx, keyRef, false);
            state = keys.region(key.accountId, key.region);
            grant = findGrant(state, key, grantId);
        }
        dryRun(in);
        state.grants.remove(grant.grantId);
        return Map.of();
    }

    private KmsRegion.Grant findGrant(KmsRegion state, KmsKey key, String grantId) {
        if (!GRANT_ID.matcher(grantId).matches()) throw new ServiceException("InvalidGrantIdException", "Invalid grant ID " + grantId);
        KmsRegion.Grant g = state.grants.get(grantId);
        if (g == null || !g.keyId.equals(key.keyId)) throw notFound("Grant ID " + grantId + " not found");
        return g;
    }

    Map<String, Object> revokeGrant(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
        KmsRegion state = keys.region(key.accountId, key.region);
        KmsRegion.Grant grant = findGrant(state, key, required(in, "GrantId"));
        dryRun(in);
        state.grants.remove(grant.grantId);
        return Map.of();
    }
}
