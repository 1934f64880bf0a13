package dev.polystack.services.kms;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsInput.*;
import static dev.polystack.services.kms.KmsKeyStore.aliasArn;
import static dev.polystack.services.kms.KmsPaging.page;

/** Aliases: alias/ names that point at keys; alias/aws/ is reserved for AWS managed keys. */
final class KmsAliases {
    private static final java.util.regex.Pattern ALIAS_NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9:/_-]+");

    private final KmsKeyStore keys;

    KmsAliases(KmsKeyStore keys) {
        this.keys = keys;
    }

    Map<String, Object> createAlias(RequestContext ctx, Map<String, Object> in) {
        String name = required(in, "AliasName");
        validateAliasName(name);
        KmsKey key = keys.findKey(ctx, required(in, "TargetKeyId"), false);
        requireNotPendingDeletion(key);
        if (!key.accountId.equals(ctx.accountId())) throw notFound("Key '" + key.arn + "' does not exist");
        KmsRegion state = keys.region(ctx);
        KmsRegion.Alias alias = new KmsRegion.Alias();
        alias.name = name;
        alias.targetKeyId = key.keyId;
        alias.createdMillis = alias.updatedMillis = keys.now();
        if (state.aliases.putIfAbsent(name, alias) != null) {
            throw new ServiceException("AlreadyExistsException", "An alias with the name "
                    + aliasArn(ctx.partition(), ctx.region(), ctx.accountId(), name) + " already exists");
        }
        return Map.of();
    }

    private static void validateAliasName(String name) {
        if (!name.startsWith("alias/")) {
            throw validation("Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
        }
        if (name.length() > 256 || !ALIAS_NAME.matcher(name).matches()) {
            throw validation("1 validation error detected: Value '" + name + "' at 'aliasName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
        }
        if (name.startsWith("alias/aws/")) {
            throw new ServiceException("NotAuthorizedException",
                    "Cannot create, update or delete an alias with the reserved prefix alias/aws/.");
        }
    }

    Map<String, Object> updateAlias(RequestContext ctx, Map<String, Object> in) {
        String name = required(in, "AliasName");
        validateAliasName(name);
        KmsKey key = keys.findKey(ctx, required(in, "TargetKeyId"), false);
        requireNotPendingDeletion(key);
        KmsRegion state = keys.region(ctx);
        KmsRegion.Alias alias = state.aliases.get(name);
        if (alias == null) throw notFound("Alias " + aliasArn(ctx.partition(), ctx.region(), ctx.accountId(), name) + " is not found.");
        KmsKey current = state.keys.get(alias.targetKeyId);
        if (current != null && (current.keySpec.family != key.keySpec.family || !current.keyUsage.equals(key.keyUsage))) {
            throw validation("Alias " + name + " is already associated with a key of a different key type or key usage: "
                    + current.arn + ". The target key must have the same key type and usage.");
        }
        synchronized (alias) {
            alias.targetKeyId = key.keyId;
            alias.updatedMillis = keys.now();
        }
        return Map.of();
    }

    Map<String, Object> deleteAlias(RequestContext ctx, Map<String, Object> in) {
        String name = required(in, "AliasName");
        validateAliasName(name);
        if (keys.region(ctx).aliases.remove(name) == null) {
            throw notFound("Alias " + aliasArn(ctx.partition(), ctx.region(), ctx.accountId(), name) + " is not found.");
        }
        return Map.of();
    }

    Map<String, Object> listAliases(RequestContext ctx, Map<String, Object> in) {
        KmsRegion state = keys.settledRegion(ctx); // aliases of keys past their deletion date are gone
        String keyRef = str(in, "KeyId");
        String keyId = keyRef == null ? null : keys.findKey(ctx, keyRef, false).keyId;
        List<KmsRegion.Alias> aliases = new ArrayList<>();
        for (KmsRegion.Alias a : state.aliases.values()) {
            if (keyId == null || keyId.equals(a.targetKeyId)) aliases.add(a);
        }
        aliases.sort(Comparator.comparing(a -> a.name));
        return page(in, aliases, "Aliases", a -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("AliasName", a.name);
            e.put("AliasArn", aliasArn(ctx.partition(), ctx.region(), ctx.accountId(), a.name));
            e.put("TargetKeyId", a.targetKeyId);
            e.put("CreationDate", Instant.ofEpochMilli(a.createdMillis));
            e.put("LastUpdatedDate", Instant.ofEpochMilli(a.updatedMillis));
            return e;
        });
    }
}
