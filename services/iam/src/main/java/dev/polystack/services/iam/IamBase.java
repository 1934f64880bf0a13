package dev.polystack.services.iam;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.RequestContext;
import dev.polystack.services.iam.IamState.AccessKey;
import dev.polystack.services.iam.IamState.Group;
import dev.polystack.services.iam.IamState.InstanceProfile;
import dev.polystack.services.iam.IamState.ManagedPolicy;
import dev.polystack.services.iam.IamState.PolicyVersion;
import dev.polystack.services.iam.IamState.Role;
import dev.polystack.services.iam.IamState.User;
import dev.polystack.services.iam.api.AccessKeyMetadata;
import dev.polystack.services.iam.api.AttachedPermissionsBoundary;
import dev.polystack.services.iam.api.AttachedPolicy;
import dev.polystack.services.iam.api.IamApi;
import dev.polystack.services.iam.api.Policy;
import dev.polystack.services.iam.api.RoleLastUsed;
import dev.polystack.services.iam.api.Tag;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What every IAM operation shares: the accounts (IAM is global per account, {@link AccountRegionStore#global}),
 * each request running under its account's monitor, IAM's Marker/MaxItems pages, tags, and the answers' shapes
 * (users, groups, roles, policies ...). The operations live in the classes above this one, one concern each:
 * {@link IamCredentials}, {@link IamExtras}, {@link IamProvider}.
 */
abstract class IamBase implements IamApi {
    final AccountRegionStore<IamAccount> accounts = new AccountRegionStore<>((account, scope) ->
            new IamAccount(scope.substring(scope.indexOf(':') + 1), account, new IamState.Account()));

    /** Runs {@code operation} on the caller's account under its monitor (IAM's state is one object per account). */
    final <T> T locked(RequestContext ctx, Function<IamAccount, T> operation) {
        IamAccount account = accounts.global(ctx);
        synchronized (account) {
            return operation.apply(account);
        }
    }

    final void run(RequestContext ctx, Consumer<IamAccount> operation) {
        IamAccount account = accounts.global(ctx);
        synchronized (account) {
            operation.accept(account);
        }
    }

    static long now() {
        return System.currentTimeMillis();
    }

    // ---------------------------------------------------------------- pages

    /** One page: its items, whether more follow, and the Marker of the next (null on the last). */
    record Page<R>(List<R> items, boolean truncated, String marker) {
    }

    /** IAM's Marker/MaxItems/IsTruncated pagination over an ordered list (100 items by default). */
    static <T, R> Page<R> page(Integer maxItems, String marker, List<T> all, Function<T, R> format) {
        int max = maxItems == null ? 100 : maxItems;
        int start = 0;
        if (marker != null) {
            try {
                start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw IamErrors.validation("Invalid Marker.");
            }
        }
        int end = Math.min(all.size(), start + max);
        List<R> items = new ArrayList<>();
        for (T t : all.subList(Math.min(start, end), end)) items.add(format.apply(t));
        boolean truncated = end < all.size();
        return new Page<>(items, truncated, truncated
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(String.valueOf(end).getBytes(StandardCharsets.UTF_8)) : null);
    }

    static <T extends IamState.Principal> List<T> filterPath(Collection<T> all, String prefix) {
        return all.stream().filter(p -> prefix == null || p.path.startsWith(prefix)).toList();
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    // ---------------------------------------------------------------- tags

    static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : orEmpty(tags)) out.put(String.valueOf(t.key()), String.valueOf(t.value()));
        return out;
    }

    static List<Tag> tagList(Map<String, String> tags) {
        List<Tag> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        return out;
    }

    /** The tags, or null when there are none (AWS leaves the member out). */
    static List<Tag> tagsIfAny(Map<String, String> tags) {
        return tags.isEmpty() ? null : tagList(tags);
    }

    static void tag(Map<String, String> target, List<Tag> tags) {
        Map<String, String> merged = new LinkedHashMap<>(target);
        merged.putAll(tags(tags));
        if (merged.size() > 50) throw IamErrors.limit("The number of tags has reached the maximum limit.");
        target.clear();
        target.putAll(merged);
    }

    static void untag(Map<String, String> target, List<String> keys) {
        target.keySet().removeAll(orEmpty(keys));
    }

    // ---------------------------------------------------------------- answers

    /** Policy documents travel URL-encoded, as AWS sends them. */
    static String encode(String document) {
        return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Instant date(long millis) {
        return Instant.ofEpochMilli(millis);
    }

    static dev.polystack.services.iam.api.User user(User u, boolean full) {
        return dev.polystack.services.iam.api.User.builder()
                .path(u.path)
                .userName(u.name)
                .userId(u.id)
                .arn(u.arn)
                .createDate(date(u.created))
                .permissionsBoundary(full && u.boundary != null ? boundary(u.boundary) : null)
                .tags(full ? tagsIfAny(u.tags) : null)
                .build();
    }

    static AttachedPermissionsBoundary boundary(String arn) {
        return arn == null ? null : AttachedPermissionsBoundary.builder().permissionsBoundaryType("Policy").permissionsBoundaryArn(arn).build();
    }

    static dev.polystack.services.iam.api.Group group(Group g) {
        return dev.polystack.services.iam.api.Group.builder()
                .path(g.path).groupName(g.name).groupId(g.id).arn(g.arn).createDate(date(g.created)).build();
    }

    /** How a role is shown: as CreateRole answers, as GetRole (with MaxSessionDuration and RoleLastUsed), in lists. */
    enum RoleForm { CREATE, GET, LIST }

    static dev.polystack.services.iam.api.Role role(Role r, RoleForm form) {
        var out = dev.polystack.services.iam.api.Role.builder()
                .path(r.path)
                .roleName(r.name)
                .roleId(r.id)
                .arn(r.arn)
                .createDate(date(r.created))
                .assumeRolePolicyDocument(encode(r.trust))
                .description(r.description)
                .maxSessionDuration(form == RoleForm.CREATE ? null : r.maxSession)
                .permissionsBoundary(boundary(r.boundary))
                .tags(form == RoleForm.LIST ? null : tagsIfAny(r.tags));
        if (form == RoleForm.GET) out.roleLastUsed(roleLastUsed(r));
        return out.build();
    }

    static RoleLastUsed roleLastUsed(Role r) {
        return r.lastUsed == 0 ? RoleLastUsed.builder().build()
                : RoleLastUsed.builder().lastUsedDate(date(r.lastUsed)).region(r.lastUsedRegion).build();
    }

    static Policy policy(IamAccount a, ManagedPolicy p, boolean full) {
        return Policy.builder()
                .policyName(p.name)
                .policyId(p.id)
                .arn(p.arn)
                .path(p.path)
                .defaultVersionId(p.defaultVersion)
                .attachmentCount(a.attachments(p.arn))
                .permissionsBoundaryUsageCount(a.boundaryUses(p.arn))
                .isAttachable(true)
                .description(full ? p.description : null)
                .createDate(date(p.created))
                .updateDate(date(p.updated))
                .tags(full ? tagsIfAny(p.tags) : null)
                .build();
    }

    static dev.polystack.services.iam.api.PolicyVersion version(ManagedPolicy p, PolicyVersion v, boolean withDocument) {
        return dev.polystack.services.iam.api.PolicyVersion.builder()
                .document(withDocument ? encode(v.document) : null)
                .versionId(v.id)
                .isDefaultVersion(v.id.equals(p.defaultVersion))
                .createDate(date(v.created))
                .build();
    }

    static AttachedPolicy attached(IamAccount a, String arn) {
        return AttachedPolicy.builder().policyName(a.policyName(arn)).policyArn(arn).build();
    }

    static AccessKeyMetadata accessKey(AccessKey k) {
        return AccessKeyMetadata.builder().userName(k.user).accessKeyId(k.id).status(k.status).createDate(date(k.created)).build();
    }

    static dev.polystack.services.iam.api.InstanceProfile instanceProfile(IamAccount a, InstanceProfile p) {
        List<dev.polystack.services.iam.api.Role> roles = new ArrayList<>();
        for (String name : p.roles) {
            Role r = a.state.roles.get(name);
            if (r != null) roles.add(role(r, RoleForm.LIST));
        }
        return dev.polystack.services.iam.api.InstanceProfile.builder()
                .path(p.path)
                .instanceProfileName(p.name)
                .instanceProfileId(p.id)
                .arn(p.arn)
                .createDate(date(p.created))
                .roles(roles)
                .tags(tagsIfAny(p.tags))
                .build();
    }
}
