package dev.polystack.services.kms;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.kms.api.AliasListEntry;
import dev.polystack.services.kms.api.CreateAliasRequest;
import dev.polystack.services.kms.api.DeleteAliasRequest;
import dev.polystack.services.kms.api.ListAliasesRequest;
import dev.polystack.services.kms.api.ListAliasesResponse;
import dev.polystack.services.kms.api.UpdateAliasRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsValidation.*;
import static dev.polystack.services.kms.KmsKeyStore.aliasArn;
import static dev.polystack.services.kms.KmsPaging.page;

/** Aliases: alias/ names that point at keys; alias/aws/ is reserved for AWS managed keys. */
final class KmsAliases {
    private static final java.util.regex.Pattern ALIAS_NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9:/_-]+");

    private final KmsKeyStore keys;

    KmsAliases(KmsKeyStore keys) {
        this.keys = keys;
    }

    void createAlias(RequestContext ctx, CreateAliasRequest in) {
        String name = required("AliasName", in.aliasName());
        validateAliasName(name);
        KmsKey key = keys.findKey(ctx, required("TargetKeyId", in.targetKeyId()), false);
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

    void updateAlias(RequestContext ctx, UpdateAliasRequest in) {
        String name = required("AliasName", in.aliasName());
        validateAliasName(name);
        KmsKey key = keys.findKey(ctx, required("TargetKeyId", in.targetKeyId()), false);
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
    }

    void deleteAlias(RequestContext ctx, DeleteAliasRequest in) {
        String name = required("AliasName", in.aliasName());
        validateAliasName(name);
        if (keys.region(ctx).aliases.remove(name) == null) {
            throw notFound("Alias " + aliasArn(ctx.partition(), ctx.region(), ctx.accountId(), name) + " is not found.");
        }
    }

    ListAliasesResponse listAliases(RequestContext ctx, ListAliasesRequest in) {
        KmsRegion state = keys.settledRegion(ctx); // aliases of keys past their deletion date are gone
        String keyRef = in.keyId();
        String keyId = keyRef == null ? null : keys.findKey(ctx, keyRef, false).keyId;
        List<KmsRegion.Alias> aliases = new ArrayList<>();
        for (KmsRegion.Alias a : state.aliases.values()) {
            if (keyId == null || keyId.equals(a.targetKeyId)) aliases.add(a);
        }
        aliases.sort(Comparator.comparing(a -> a.name));
        var page = page(in.limit(), in.marker(), aliases, a -> AliasListEntry.builder()
                .aliasName(a.name)
                .aliasArn(aliasArn(ctx.partition(), ctx.region(), ctx.accountId(), a.name))
                .targetKeyId(a.targetKeyId)
                .creationDate(Instant.ofEpochMilli(a.createdMillis))
                .lastUpdatedDate(Instant.ofEpochMilli(a.updatedMillis))
                .build());
        return ListAliasesResponse.builder().aliases(page.items()).truncated(page.truncated()).nextMarker(page.nextMarker()).build();
    }
}
