package dev.polystack.services.kms;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.kms.api.GetKeyRotationStatusResponse;
import dev.polystack.services.kms.api.ListKeyRotationsRequest;
import dev.polystack.services.kms.api.ListKeyRotationsResponse;
import dev.polystack.services.kms.api.RotationsListEntry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsValidation.*;
import static dev.polystack.services.kms.KmsPaging.page;

/** Key rotation: automatic (period 90-2560 days, applied by {@link KmsKeyStore#settle}) and on demand. */
final class KmsRotation {
    private static final int MAX_ON_DEMAND_ROTATIONS = 10;

    private final KmsKeyStore keys;

    KmsRotation(KmsKeyStore keys) {
        this.keys = keys;
    }

    private static void requireAutomaticallyRotatable(KmsKey key) {
        if (key.keySpec != KmsKeySpec.SYMMETRIC_DEFAULT) throw new ServiceException("UnsupportedOperationException", null);
        if (!"AWS_KMS".equals(key.origin)) {
            throw new ServiceException("UnsupportedOperationException",
                    key.arn + " origin is " + key.origin + " which is not valid for this operation.");
        }
    }

    /** EnableKeyRotation ({@code period} optional) and DisableKeyRotation ({@code period} null). */
    void setKeyRotation(RequestContext ctx, String keyId, Integer period, boolean enable) {
        if (enable) range("RotationPeriodInDays", period, 90, 2560);
        KmsKey key = keys.findKey(ctx, required("KeyId", keyId), false);
        synchronized (key) {
            requireNotPendingDeletion(key);
            if ("Disabled".equals(key.keyState)) throw new ServiceException("DisabledException", key.arn + " is disabled.");
            requireAutomaticallyRotatable(key);
            if (enable) {
                if (!key.rotationEnabled) key.rotationEnabledMillis = keys.now();
                key.rotationEnabled = true;
                if (period != null) key.rotationPeriodDays = period;
            } else {
                key.rotationEnabled = false;
            }
        }
    }

    GetKeyRotationStatusResponse getKeyRotationStatus(RequestContext ctx, String keyId) {
        KmsKey key = keys.findKey(ctx, required("KeyId", keyId), false);
        requireNotPendingDeletion(key);
        if (key.keySpec != KmsKeySpec.SYMMETRIC_DEFAULT) throw new ServiceException("UnsupportedOperationException", null);
        var out = GetKeyRotationStatusResponse.builder();
        synchronized (key) {
            out.keyRotationEnabled(key.rotationEnabled).keyId(key.arn);
            if (key.rotationEnabled) {
                out.rotationPeriodInDays(key.rotationPeriodDays).nextRotationDate(Instant.ofEpochMilli(nextRotationMillis(key)));
            }
        }
        return out.build();
    }

    private static long nextRotationMillis(KmsKey key) {
        long last = key.rotationEnabledMillis;
        for (KmsKey.Rotation r : key.rotations) if ("AUTOMATIC".equals(r.type)) last = Math.max(last, r.dateMillis);
        return last + key.rotationPeriodDays * KmsKeyStore.DAY_MILLIS;
    }

    /** Adds the automatic rotations that came due by {@code now}, each dated when it was due. */
    static void rotateIfDue(KmsKey key, long now) {
        // cheap unlocked check first: this runs on every key lookup
        if (!key.rotationEnabled || nextRotationMillis(key) > now) return;
        synchronized (key) {
            while (key.rotationEnabled && nextRotationMillis(key) <= now) {
                rotate(key, "AUTOMATIC", nextRotationMillis(key));
            }
        }
    }

    private static void rotate(KmsKey key, String type, long when) {
        key.addMaterial(KmsCrypto.generate(key.keySpec, when));
        recordRotation(key, key.current().id, type, when);
    }

    private static void recordRotation(KmsKey key, String materialId, String type, long when) {
        KmsKey.Rotation r = new KmsKey.Rotation();
        r.materialId = materialId;
        r.dateMillis = when;
        r.type = type;
        List<KmsKey.Rotation> next = new ArrayList<>(key.rotations);
        next.add(r);
        key.rotations = next;
    }

    /** RotateKeyOnDemand: the key's ARN. */
    String rotateKeyOnDemand(RequestContext ctx, String keyId) {
        KmsKey key = keys.findKey(ctx, required("KeyId", keyId), false);
        synchronized (key) {
            requireUsable(key);
            if (key.keySpec != KmsKeySpec.SYMMETRIC_DEFAULT) throw new ServiceException("UnsupportedOperationException", null);
            if ("EXTERNAL".equals(key.origin)) {
                // imported material rotates to what was imported as NEW_KEY_MATERIAL
                if (key.pendingMaterial == null) {
                    throw invalidState("No available key material pending rotation for the key: " + key.arn + ".");
                }
                key.addMaterial(key.pendingMaterial);
                recordRotation(key, key.pendingMaterial.id, "ON_DEMAND", keys.now());
                key.pendingMaterial = null;
                return key.arn;
            }
            requireAutomaticallyRotatable(key);
            long onDemand = key.rotations.stream().filter(r -> "ON_DEMAND".equals(r.type)).count();
            if (onDemand >= MAX_ON_DEMAND_ROTATIONS) {
                throw new ServiceException("LimitExceededException", "The on-demand rotations limit has been reached for the given keyId. "
                        + "No more on-demand rotations can be performed for this key: " + key.arn);
            }
            rotate(key, "ON_DEMAND", keys.now());
        }
        return key.arn;
    }

    ListKeyRotationsResponse listKeyRotations(RequestContext ctx, ListKeyRotationsRequest in) {
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        if (key.keySpec != KmsKeySpec.SYMMETRIC_DEFAULT) throw new ServiceException("UnsupportedOperationException", null);
        var page = page(in.limit(), in.marker(), List.copyOf(key.rotations), r -> RotationsListEntry.builder()
                .keyId(key.arn)
                .keyMaterialId(r.materialId)
                .rotationDate(Instant.ofEpochMilli(r.dateMillis))
                .rotationType(r.type)
                .build());
        return ListKeyRotationsResponse.builder().rotations(page.items()).truncated(page.truncated()).nextMarker(page.nextMarker()).build();
    }
}
