package dev.polystack.services.kms;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsInput.*;
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

    Map<String, Object> enableKeyRotation(RequestContext ctx, Map<String, Object> in, boolean enable) {
        Integer period = integer(in, "RotationPeriodInDays");
        if (enable) range("RotationPeriodInDays", period, 90, 2560);
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
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
        return Map.of();
    }

    Map<String, Object> getKeyRotationStatus(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
        requireNotPendingDeletion(key);
        if (key.keySpec != KmsKeySpec.SYMMETRIC_DEFAULT) throw new ServiceException("UnsupportedOperationException", null);
        Map<String, Object> out = new LinkedHashMap<>();
        synchronized (key) {
            out.put("KeyRotationEnabled", key.rotationEnabled);
            out.put("KeyId", key.arn);
            if (key.rotationEnabled) {
                out.put("RotationPeriodInDays", key.rotationPeriodDays);
                out.put("NextRotationDate", Instant.ofEpochMilli(nextRotationMillis(key)));
            }
        }
        return out;
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

    Map<String, Object> rotateKeyOnDemand(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
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
                return Map.of("KeyId", key.arn);
            }
            requireAutomaticallyRotatable(key);
            long onDemand = key.rotations.stream().filter(r -> "ON_DEMAND".equals(r.type)).count();
            if (onDemand >= MAX_ON_DEMAND_ROTATIONS) {
                throw new ServiceException("LimitExceededException", "The on-demand rotations limit has been reached for the given keyId. "
                        + "No more on-demand rotations can be performed for this key: " + key.arn);
            }
            rotate(key, "ON_DEMAND", keys.now());
        }
        return Map.of("KeyId", key.arn);
    }

    Map<String, Object> listKeyRotations(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
        if (key.keySpec != KmsKeySpec.SYMMETRIC_DEFAULT) throw new ServiceException("UnsupportedOperationException", null);
        return page(in, List.copyOf(key.rotations), "Rotations", r -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("KeyId", key.arn);
            e.put("KeyMaterialId", r.materialId);
            e.put("RotationDate", Instant.ofEpochMilli(r.dateMillis));
            e.put("RotationType", r.type);
            return e;
        });
    }
}
