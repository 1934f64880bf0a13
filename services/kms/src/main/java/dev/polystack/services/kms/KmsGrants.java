package dev.polystack.services.kms;

import java.util.Base64;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.kms.api.CreateGrantRequest;
import dev.polystack.services.kms.api.CreateGrantResponse;
import dev.polystack.services.kms.api.GrantConstraints;
import dev.polystack.services.kms.api.GrantListEntry;
import dev.polystack.services.kms.api.ListGrantsRequest;
import dev.polystack.services.kms.api.ListGrantsResponse;
import dev.polystack.services.kms.api.ListRetirableGrantsRequest;
import dev.polystack.services.kms.api.RetireGrantRequest;
import dev.polystack.services.kms.api.RevokeGrantRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsValidation.*;
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

    CreateGrantResponse createGrant(RequestContext ctx, CreateGrantRequest in) {
        String grantee = required("GranteePrincipal", in.granteePrincipal());
        List<String> operations = new ArrayList<>();
        for (String op : in.operations() == null ? List.<String>of() : in.operationsAsStrings()) {
            if (!GRANT_OPERATIONS.contains(op)) {
                throw validation("1 validation error detected: Value '[" + op + "]' at 'operations' failed to satisfy constraint: "
                        + "Member must satisfy constraint: [Member must satisfy enum value set: " + GRANT_OPERATIONS + "]");
            }
            operations.add(op);
        }
        if (operations.isEmpty()) throw validation("1 validation error detected: Value null at 'operations' failed to satisfy constraint: Member must not be null");
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        requireNotPendingDeletion(key);
        String name = in.name();
        String retiring = in.retiringPrincipal();
        KmsRegion.Constraints constraints = KmsRegion.Constraints.of(in.constraints());
        dryRun(in.dryRun());
        KmsRegion state = keys.region(key.accountId, key.region);
        synchronized (state.grants) {
            if (name != null) {
                // CreateGrant is idempotent for the same name and parameters
                for (KmsRegion.Grant g : state.grants.values()) {
                    if (g.keyId.equals(key.keyId) && name.equals(g.name) && grantee.equals(g.granteePrincipal)
                            && Objects.equals(retiring, g.retiringPrincipal) && new HashSet<>(operations).equals(new HashSet<>(g.operations))
                            && Objects.equals(constraints, g.constraints)) {
                        return CreateGrantResponse.builder().grantToken(g.grantToken).grantId(g.grantId).build();
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
            return CreateGrantResponse.builder().grantToken(g.grantToken).grantId(g.grantId).build();
        }
    }

    private static GrantListEntry grantEntry(KmsKey key, KmsRegion.Grant g) {
        GrantConstraints constraints = g.constraints == null ? null : GrantConstraints.builder()
                .encryptionContextSubset(g.constraints.encryptionContextSubset)
                .encryptionContextEquals(g.constraints.encryptionContextEquals)
                .build();
        return GrantListEntry.builder()
                .keyId(key.arn)
                .grantId(g.grantId)
                .name(g.name)
                .creationDate(Instant.ofEpochMilli(g.createdMillis))
                .granteePrincipal(g.granteePrincipal)
                .retiringPrincipal(g.retiringPrincipal)
                .issuingAccount(g.issuingAccount)
                .operations(g.operations)
                .constraints(constraints)
                .build();
    }

    private static ListGrantsResponse grantPage(KmsPaging.Page<GrantListEntry> page) {
        return ListGrantsResponse.builder().grants(page.items()).truncated(page.truncated()).nextMarker(page.nextMarker()).build();
    }

    private static List<KmsRegion.Grant> grantsInOrder(KmsRegion state) {
        List<KmsRegion.Grant> grants = new ArrayList<>(state.grants.values());
        grants.sort(Comparator.comparingLong((KmsRegion.Grant g) -> g.createdMillis).thenComparing(g -> g.grantId));
        return grants;
    }

    ListGrantsResponse listGrants(RequestContext ctx, ListGrantsRequest in) {
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        String grantId = in.grantId();
        String grantee = in.granteePrincipal();
        KmsRegion state = keys.region(key.accountId, key.region);
        List<KmsRegion.Grant> grants = new ArrayList<>();
        for (KmsRegion.Grant g : grantsInOrder(state)) {
            if (g.keyId.equals(key.keyId) && (grantId == null || grantId.equals(g.grantId))
                    && (grantee == null || grantee.equals(g.granteePrincipal))) grants.add(g);
        }
        return grantPage(page(in.limit(), in.marker(), grants, g -> grantEntry(key, g)));
    }

    ListGrantsResponse listRetirableGrants(RequestContext ctx, ListRetirableGrantsRequest in) {
        String retiring = required("RetiringPrincipal", in.retiringPrincipal());
        KmsRegion state = keys.settledRegion(ctx); // grants of keys past their deletion date are gone
        List<Map.Entry<KmsKey, KmsRegion.Grant>> grants = new ArrayList<>();
        for (KmsRegion.Grant g : grantsInOrder(state)) {
            KmsKey key = state.keys.get(g.keyId);
            if (key != null && retiring.equals(g.retiringPrincipal)) grants.add(Map.entry(key, g));
        }
        return grantPage(page(in.limit(), in.marker(), grants, e -> grantEntry(e.getKey(), e.getValue())));
    }

    void retireGrant(RequestContext ctx, RetireGrantRequest in) {
        String token = in.grantToken();
        String grantId = in.grantId();
        String keyRef = in.keyId();
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
        dryRun(in.dryRun());
        state.grants.remove(grant.grantId);
    }

    private KmsRegion.Grant findGrant(KmsRegion state, KmsKey key, String grantId) {
        if (!GRANT_ID.matcher(grantId).matches()) throw new ServiceException("InvalidGrantIdException", "Invalid grant ID " + grantId);
        KmsRegion.Grant g = state.grants.get(grantId);
        if (g == null || !g.keyId.equals(key.keyId)) throw notFound("Grant ID " + grantId + " not found");
        return g;
    }

    void revokeGrant(RequestContext ctx, RevokeGrantRequest in) {
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        KmsRegion state = keys.region(key.accountId, key.region);
        KmsRegion.Grant grant = findGrant(state, key, required("GrantId", in.grantId()));
        dryRun(in.dryRun());
        state.grants.remove(grant.grantId);
    }
}
