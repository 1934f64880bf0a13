package dev.polystack.services.iam;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.AccessKeys;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.IdentityAuthorizer;
import dev.polystack.api.Persistable;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceProvider;
import dev.polystack.services.iam.IamState.AccessKey;
import dev.polystack.services.iam.IamState.Group;
import dev.polystack.services.iam.IamState.InstanceProfile;
import dev.polystack.services.iam.IamState.ManagedPolicy;
import dev.polystack.services.iam.IamState.PolicyVersion;
import dev.polystack.services.iam.IamState.Principal;
import dev.polystack.services.iam.IamState.Role;
import dev.polystack.services.iam.IamState.User;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * IAM over the query protocol, global per account ({@link AccountRegionStore#global}). A thin layer over
 * {@link IamAccount}: each request runs under its account's monitor. Also the {@link IdentityAuthorizer} the
 * gateway asks with {@code ENFORCE_IAM=1}, and the home of access keys: each key created here is registered
 * with {@link AccessKeys}, so requests signed with it land in this account and are checked as this user.
 */
public final class IamProvider implements ServiceProvider, Persistable, IdentityAuthorizer {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final AccountRegionStore<IamAccount> accounts = new AccountRegionStore<>((account, scope) ->
            new IamAccount(scope.substring(scope.indexOf(':') + 1), account, new IamState.Account()));

    @Override
    public String service() {
        return "iam";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String op, Map<String, Object> in) {
        IamAccount account = accounts.global(ctx);
        synchronized (account) {
            long now = System.currentTimeMillis();
            Map<String, Object> credentials = IamCredentials.dispatch(account, op, in, now, ctx.accessKeyId());
            return credentials != null ? credentials : dispatch(account, op, in, now);
        }
    }

    private Map<String, Object> dispatch(IamAccount a, String op, Map<String, Object> in, long now) {
        return switch (op) {
            // users
            case "CreateUser" -> Map.of("User", user(a.createUser(s(in, "UserName"), s(in, "Path"), s(in, "PermissionsBoundary"), tags(in), now), true));
            case "GetUser" -> Map.of("User", user(a.user(s(in, "UserName")), true));
            case "ListUsers" -> page(in, "Users", filterPath(a.state.users.values(), s(in, "PathPrefix")), u -> user(u, false));
            case "UpdateUser" -> {
                a.updateUser(s(in, "UserName"), s(in, "NewUserName"), s(in, "NewPath"));
                yield Map.of();
            }
            case "DeleteUser" -> {
                a.deleteUser(s(in, "UserName"));
                yield Map.of();
            }
            case "TagUser" -> tag(a.user(s(in, "UserName")).tags, in);
            case "UntagUser" -> untag(a.user(s(in, "UserName")).tags, in);
            case "ListUserTags" -> page(in, "Tags", tagList(a.user(s(in, "UserName")).tags), t -> t);
            // groups
            case "CreateGroup" -> Map.of("Group", group(a.createGroup(s(in, "GroupName"), s(in, "Path"), now)));
            case "GetGroup" -> {
                Group g = a.group(s(in, "GroupName"));
                Map<String, Object> out = page(in, "Users", g.members.stream().map(a::user).toList(), u -> user(u, false));
                out.put("Group", group(g));
                yield out;
            }
            case "UpdateGroup" -> {
                a.updateGroup(s(in, "GroupName"), s(in, "NewGroupName"), s(in, "NewPath"));
                yield Map.of();
            }
            case "ListGroups" -> page(in, "Groups", filterPath(a.state.groups.values(), s(in, "PathPrefix")), this::group);
            case "DeleteGroup" -> {
                a.deleteGroup(s(in, "GroupName"));
                yield Map.of();
            }
            case "AddUserToGroup" -> {
                a.addUserToGroup(s(in, "GroupName"), s(in, "UserName"));
                yield Map.of();
            }
            case "RemoveUserFromGroup" -> {
                a.removeUserFromGroup(s(in, "GroupName"), s(in, "UserName"));
                yield Map.of();
            }
            case "ListGroupsForUser" -> page(in, "Groups", a.groupsOf(s(in, "UserName")), this::group);
            // roles
            case "CreateRole" -> Map.of("Role", role(a.createRole(s(in, "RoleName"), s(in, "Path"), s(in, "AssumeRolePolicyDocument"),
                    s(in, "Description"), integer(in, "MaxSessionDuration"), s(in, "PermissionsBoundary"), tags(in), now), "create"));
            case "GetRole" -> Map.of("Role", role(a.role(s(in, "RoleName")), "get"));
            case "ListRoles" -> page(in, "Roles", filterPath(a.state.roles.values(), s(in, "PathPrefix")), r -> role(r, "list"));
            case "UpdateRole" -> {
                a.updateRole(s(in, "RoleName"), s(in, "Description"), integer(in, "MaxSessionDuration"));
                yield Map.of();
            }
            case "UpdateRoleDescription" -> {
                a.updateRole(s(in, "RoleName"), s(in, "Description"), null);
                yield Map.of("Role", role(a.role(s(in, "RoleName")), "get"));
            }
            case "UpdateAssumeRolePolicy" -> {
                a.updateTrust(s(in, "RoleName"), s(in, "PolicyDocument"));
                yield Map.of();
            }
            case "DeleteRole" -> {
                a.deleteRole(s(in, "RoleName"));
                yield Map.of();
            }
            case "TagRole" -> tag(a.role(s(in, "RoleName")).tags, in);
            case "UntagRole" -> untag(a.role(s(in, "RoleName")).tags, in);
            case "ListRoleTags" -> page(in, "Tags", tagList(a.role(s(in, "RoleName")).tags), t -> t);
            case "PutRolePermissionsBoundary" -> {
                a.role(s(in, "RoleName")).boundary = a.attachable(s(in, "PermissionsBoundary"));
                yield Map.of();
            }
            case "DeleteRolePermissionsBoundary" -> {
                a.role(s(in, "RoleName")).boundary = null;
                yield Map.of();
            }
            case "PutUserPermissionsBoundary" -> {
                a.user(s(in, "UserName")).boundary = a.attachable(s(in, "PermissionsBoundary"));
                yield Map.of();
            }
            case "DeleteUserPermissionsBoundary" -> {
                a.user(s(in, "UserName")).boundary = null;
                yield Map.of();
            }
            case "CreateServiceLinkedRole" -> Map.of("Role", role(a.createServiceLinkedRole(s(in, "AWSServiceName"), s(in, "Description"),
                    s(in, "CustomSuffix"), now), "create"));
            case "DeleteServiceLinkedRole" -> {
                Role r = a.role(s(in, "RoleName"));
                r.attached.clear();
                r.inline.clear();
                a.deleteRole(r.name);
                yield Map.of("DeletionTaskId", "task/aws-service-role/" + r.path.split("/")[2] + "/" + r.name + "/" + java.util.UUID.randomUUID());
            }
            case "GetServiceLinkedRoleDeletionStatus" -> Map.of("Status", "SUCCEEDED");
            // managed policies
            case "CreatePolicy" -> Map.of("Policy", policy(a, a.createPolicy(s(in, "PolicyName"), s(in, "Path"), s(in, "PolicyDocument"),
                    s(in, "Description"), tags(in), now), true));
            case "GetPolicy" -> Map.of("Policy", policy(a, a.policy(s(in, "PolicyArn")), true));
            case "ListPolicies" -> {
                List<ManagedPolicy> all = new ArrayList<>();
                String scope = s(in, "Scope") == null ? "All" : s(in, "Scope");
                if (!scope.equals("Local")) for (String arn : AwsManagedPolicies.DOCUMENTS.keySet()) all.add(a.policy(arn));
                if (!scope.equals("AWS")) all.addAll(a.state.policies.values());
                boolean onlyAttached = Boolean.TRUE.equals(in.get("OnlyAttached"));
                all.removeIf(p -> onlyAttached && a.attachments(p.arn) == 0);
                yield page(in, "Policies", filterPolicyPath(all, s(in, "PathPrefix")), p -> policy(a, p, false));
            }
            case "DeletePolicy" -> {
                a.deletePolicy(s(in, "PolicyArn"));
                yield Map.of();
            }
            case "CreatePolicyVersion" -> Map.of("PolicyVersion", version(a.customerPolicy(s(in, "PolicyArn")),
                    a.createPolicyVersion(s(in, "PolicyArn"), s(in, "PolicyDocument"), Boolean.TRUE.equals(in.get("SetAsDefault")), now), true));
            case "GetPolicyVersion" -> Map.of("PolicyVersion", version(a.policy(s(in, "PolicyArn")),
                    a.policyVersion(s(in, "PolicyArn"), s(in, "VersionId")), true));
            case "ListPolicyVersions" -> {
                ManagedPolicy p = a.policy(s(in, "PolicyArn"));
                yield page(in, "Versions", p.versions, v -> version(p, v, false));
            }
            case "DeletePolicyVersion" -> {
                a.deletePolicyVersion(s(in, "PolicyArn"), s(in, "VersionId"));
                yield Map.of();
            }
            case "SetDefaultPolicyVersion" -> {
                a.setDefaultVersion(s(in, "PolicyArn"), s(in, "VersionId"), now);
                yield Map.of();
            }
            case "TagPolicy" -> tag(a.customerPolicy(s(in, "PolicyArn")).tags, in);
            case "UntagPolicy" -> untag(a.customerPolicy(s(in, "PolicyArn")).tags, in);
            case "ListPolicyTags" -> page(in, "Tags", tagList(a.customerPolicy(s(in, "PolicyArn")).tags), t -> t);
            case "ListEntitiesForPolicy" -> entitiesForPolicy(a, s(in, "PolicyArn"));
            // attachments and inline policies, one shape for users, groups and roles
            case "AttachUserPolicy", "AttachGroupPolicy", "AttachRolePolicy" -> {
                a.attach(principal(a, op, in), s(in, "PolicyArn"));
                yield Map.of();
            }
            case "DetachUserPolicy", "DetachGroupPolicy", "DetachRolePolicy" -> {
                a.detach(principal(a, op, in), s(in, "PolicyArn"));
                yield Map.of();
            }
            case "ListAttachedUserPolicies", "ListAttachedGroupPolicies", "ListAttachedRolePolicies" -> page(in, "AttachedPolicies",
                    new ArrayList<>(principal(a, op, in).attached), arn -> attached(a, arn));
            case "PutUserPolicy", "PutGroupPolicy", "PutRolePolicy" -> {
                a.putInline(principal(a, op, in), s(in, "PolicyName"), s(in, "PolicyDocument"));
                yield Map.of();
            }
            case "GetUserPolicy", "GetGroupPolicy", "GetRolePolicy" -> {
                Principal p = principal(a, op, in);
                String kind = kind(op);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put(capitalized(kind) + "Name", p.name);
                out.put("PolicyName", s(in, "PolicyName"));
                out.put("PolicyDocument", encode(a.inline(p, kind, s(in, "PolicyName"))));
                yield out;
            }
            case "DeleteUserPolicy", "DeleteGroupPolicy", "DeleteRolePolicy" -> {
                a.deleteInline(principal(a, op, in), kind(op), s(in, "PolicyName"));
                yield Map.of();
            }
            case "ListUserPolicies", "ListGroupPolicies", "ListRolePolicies" -> page(in, "PolicyNames",
                    new ArrayList<>(principal(a, op, in).inline.keySet()), n -> n);
            // access keys
            case "CreateAccessKey" -> {
                String userName = s(in, "UserName");
                AccessKey k = a.createAccessKey(userName, now);
                AccessKeys.register(k.id, a.accountId, a.user(userName).arn);
                Map<String, Object> key = accessKey(k);
                key.put("SecretAccessKey", k.secret);
                yield Map.of("AccessKey", key);
            }
            case "ListAccessKeys" -> {
                String userName = s(in, "UserName");
                List<AccessKey> keys = new ArrayList<>();
                if (userName != null) a.user(userName);
                for (AccessKey k : a.state.accessKeys.values()) if (userName == null || k.user.equals(userName)) keys.add(k);
                Map<String, Object> out = page(in, "AccessKeyMetadata", keys, this::accessKey);
                yield out;
            }
            case "UpdateAccessKey" -> {
                AccessKey k = a.accessKey(s(in, "UserName"), s(in, "AccessKeyId"));
                k.status = s(in, "Status");
                yield Map.of();
            }
            case "DeleteAccessKey" -> {
                AccessKey k = a.accessKey(s(in, "UserName"), s(in, "AccessKeyId"));
                a.state.accessKeys.remove(k.id);
                AccessKeys.unregister(k.id);
                yield Map.of();
            }
            case "GetAccessKeyLastUsed" -> {
                AccessKey k = a.accessKey(null, s(in, "AccessKeyId"));
                Map<String, Object> used = new LinkedHashMap<>();
                if (k.lastUsed != 0) used.put("LastUsedDate", Instant.ofEpochMilli(k.lastUsed));
                used.put("ServiceName", k.lastUsedService == null ? "N/A" : k.lastUsedService);
                used.put("Region", k.lastUsedRegion == null ? "N/A" : k.lastUsedRegion);
                yield Map.of("UserName", k.user, "AccessKeyLastUsed", used);
            }
            // instance profiles
            case "CreateInstanceProfile" -> Map.of("InstanceProfile", instanceProfile(a, a.createInstanceProfile(s(in, "InstanceProfileName"),
                    s(in, "Path"), tags(in), now)));
            case "GetInstanceProfile" -> Map.of("InstanceProfile", instanceProfile(a, a.instanceProfile(s(in, "InstanceProfileName"))));
            case "ListInstanceProfiles" -> page(in, "InstanceProfiles", filterProfiles(a.state.instanceProfiles.values(), s(in, "PathPrefix")),
                    p -> instanceProfile(a, p));
            case "ListInstanceProfilesForRole" -> {
                a.role(s(in, "RoleName"));
                List<InstanceProfile> profiles = a.state.instanceProfiles.values().stream().filter(p -> p.roles.contains(s(in, "RoleName"))).toList();
                yield page(in, "InstanceProfiles", profiles, p -> instanceProfile(a, p));
            }
            case "AddRoleToInstanceProfile" -> {
                a.addRoleToInstanceProfile(s(in, "InstanceProfileName"), s(in, "RoleName"));
                yield Map.of();
            }
            case "RemoveRoleFromInstanceProfile" -> {
                a.removeRoleFromInstanceProfile(s(in, "InstanceProfileName"), s(in, "RoleName"));
                yield Map.of();
            }
            case "DeleteInstanceProfile" -> {
                a.deleteInstanceProfile(s(in, "InstanceProfileName"));
                yield Map.of();
            }
            case "TagInstanceProfile" -> tag(a.instanceProfile(s(in, "InstanceProfileName")).tags, in);
            case "UntagInstanceProfile" -> untag(a.instanceProfile(s(in, "InstanceProfileName")).tags, in);
            case "ListInstanceProfileTags" -> page(in, "Tags", tagList(a.instanceProfile(s(in, "InstanceProfileName")).tags), t -> t);
            default -> IamExtras.dispatch(a, op, in, now, this);
        };
    }

    // ---------------------------------------------------------------- answers

    static String encode(String document) {
        return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Instant date(long millis) {
        return Instant.ofEpochMilli(millis);
    }

    Map<String, Object> user(User u, boolean full) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Path", u.path);
        out.put("UserName", u.name);
        out.put("UserId", u.id);
        out.put("Arn", u.arn);
        out.put("CreateDate", date(u.created));
        if (full && u.boundary != null) out.put("PermissionsBoundary", boundary(u.boundary));
        if (full && !u.tags.isEmpty()) out.put("Tags", tagList(u.tags));
        return out;
    }

    private static Map<String, Object> boundary(String arn) {
        return Map.of("PermissionsBoundaryType", "Policy", "PermissionsBoundaryArn", arn);
    }

    Map<String, Object> group(Group g) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Path", g.path);
        out.put("GroupName", g.name);
        out.put("GroupId", g.id);
        out.put("Arn", g.arn);
        out.put("CreateDate", date(g.created));
        return out;
    }

    /** {@code form}: create (as CreateRole answers), get (with MaxSessionDuration and RoleLastUsed), list. */
    Map<String, Object> role(Role r, String form) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Path", r.path);
        out.put("RoleName", r.name);
        out.put("RoleId", r.id);
        out.put("Arn", r.arn);
        out.put("CreateDate", date(r.created));
        out.put("AssumeRolePolicyDocument", encode(r.trust));
        if (r.description != null) out.put("Description", r.description);
        if (!form.equals("create")) out.put("MaxSessionDuration", r.maxSession);
        if (r.boundary != null) out.put("PermissionsBoundary", boundary(r.boundary));
        if (!r.tags.isEmpty() && !form.equals("list")) out.put("Tags", tagList(r.tags));
        if (form.equals("get")) {
            Map<String, Object> used = new LinkedHashMap<>();
            if (r.lastUsed != 0) {
                used.put("LastUsedDate", date(r.lastUsed));
                used.put("Region", r.lastUsedRegion);
            }
            out.put("RoleLastUsed", used);
        }
        return out;
    }

    Map<String, Object> policy(IamAccount a, ManagedPolicy p, boolean full) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("PolicyName", p.name);
        out.put("PolicyId", p.id);
        out.put("Arn", p.arn);
        out.put("Path", p.path);
        out.put("DefaultVersionId", p.defaultVersion);
        out.put("AttachmentCount", a.attachments(p.arn));
        out.put("PermissionsBoundaryUsageCount", a.boundaryUses(p.arn));
        out.put("IsAttachable", true);
        if (full && p.description != null) out.put("Description", p.description);
        out.put("CreateDate", date(p.created));
        out.put("UpdateDate", date(p.updated));
        if (full && !p.tags.isEmpty()) out.put("Tags", tagList(p.tags));
        return out;
    }

    static Map<String, Object> version(ManagedPolicy p, PolicyVersion v, boolean withDocument) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (withDocument) out.put("Document", encode(v.document));
        out.put("VersionId", v.id);
        out.put("IsDefaultVersion", v.id.equals(p.defaultVersion));
        out.put("CreateDate", date(v.created));
        return out;
    }

    static Map<String, Object> attached(IamAccount a, String arn) {
        return Map.of("PolicyName", a.policyName(arn), "PolicyArn", arn);
    }

    Map<String, Object> accessKey(AccessKey k) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("UserName", k.user);
        out.put("AccessKeyId", k.id);
        out.put("Status", k.status);
        out.put("CreateDate", date(k.created));
        return out;
    }

    Map<String, Object> instanceProfile(IamAccount a, InstanceProfile p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Path", p.path);
        out.put("InstanceProfileName", p.name);
        out.put("InstanceProfileId", p.id);
        out.put("Arn", p.arn);
        out.put("CreateDate", date(p.created));
        List<Object> roles = new ArrayList<>();
        for (String name : p.roles) {
            Role r = a.state.roles.get(name);
            if (r != null) roles.add(role(r, "list"));
        }
        out.put("Roles", roles);
        if (!p.tags.isEmpty()) out.put("Tags", tagList(p.tags));
        return out;
    }

    private Map<String, Object> entitiesForPolicy(IamAccount a, String policyArn) {
        a.policy(policyArn);
        List<Object> users = new ArrayList<>();
        List<Object> groups = new ArrayList<>();
        List<Object> roles = new ArrayList<>();
        for (User u : a.state.users.values()) if (u.attached.contains(policyArn)) users.add(Map.of("UserName", u.name, "UserId", u.id));
        for (Group g : a.state.groups.values()) if (g.attached.contains(policyArn)) groups.add(Map.of("GroupName", g.name, "GroupId", g.id));
        for (Role r : a.state.roles.values()) if (r.attached.contains(policyArn)) roles.add(Map.of("RoleName", r.name, "RoleId", r.id));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("PolicyGroups", groups);
        out.put("PolicyUsers", users);
        out.put("PolicyRoles", roles);
        out.put("IsTruncated", false);
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private static String kind(String op) {
        if (op.contains("User")) return "user";
        if (op.contains("Group")) return "group";
        return "role";
    }

    private static String capitalized(String kind) {
        return Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    }

    private static Principal principal(IamAccount a, String op, Map<String, Object> in) {
        String kind = kind(op);
        return a.principal(kind, s(in, capitalized(kind) + "Name"));
    }

    static String s(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v == null ? null : v.toString();
    }

    static Integer integer(Map<String, Object> in, String key) {
        return in.get(key) instanceof Number n ? n.intValue() : null;
    }

    static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) for (Object o : list) out.add(String.valueOf(o));
        return out;
    }

    static Map<String, String> tags(Map<String, Object> in) {
        Map<String, String> out = new LinkedHashMap<>();
        if (in.get("Tags") instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> t = (Map<?, ?>) o;
                out.put(String.valueOf(t.get("Key")), String.valueOf(t.get("Value")));
            }
        }
        return out;
    }

    static List<Object> tagList(Map<String, String> tags) {
        List<Object> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(Map.of("Key", k, "Value", v)));
        return out;
    }

    static Map<String, Object> tag(Map<String, String> target, Map<String, Object> in) {
        Map<String, String> merged = new LinkedHashMap<>(target);
        merged.putAll(tags(in));
        if (merged.size() > 50) throw IamErrors.limit("The number of tags has reached the maximum limit.");
        target.clear();
        target.putAll(merged);
        return Map.of();
    }

    static Map<String, Object> untag(Map<String, String> target, Map<String, Object> in) {
        target.keySet().removeAll(strings(in.get("TagKeys")));
        return Map.of();
    }

    private static <T extends Principal> List<T> filterPath(java.util.Collection<T> all, String prefix) {
        return all.stream().filter(p -> prefix == null || p.path.startsWith(prefix)).toList();
    }

    private static List<ManagedPolicy> filterPolicyPath(List<ManagedPolicy> all, String prefix) {
        return all.stream().filter(p -> prefix == null || p.path.startsWith(prefix)).toList();
    }

    private static List<InstanceProfile> filterProfiles(java.util.Collection<InstanceProfile> all, String prefix) {
        return all.stream().filter(p -> prefix == null || p.path.startsWith(prefix)).toList();
    }

    /** IAM's Marker/MaxItems/IsTruncated pagination over an ordered list. */
    static <T> Map<String, Object> page(Map<String, Object> in, String member, List<T> all, Function<T, Object> format) {
        int max = in.get("MaxItems") instanceof Number n ? n.intValue() : 100;
        int start = 0;
        String marker = s(in, "Marker");
        if (marker != null) {
            try {
                start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw IamErrors.validation("Invalid Marker.");
            }
        }
        int end = Math.min(all.size(), start + max);
        List<Object> items = new ArrayList<>();
        for (T t : all.subList(Math.min(start, end), end)) items.add(format.apply(t));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(member, items);
        out.put("IsTruncated", end < all.size());
        if (end < all.size()) out.put("Marker", Base64.getUrlEncoder().withoutPadding().encodeToString(String.valueOf(end).getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    // ---------------------------------------------------------------- ENFORCE_IAM

    @Override
    public Decision decide(String accountId, String principalArn, String action, String resource, Map<String, List<String>> context,
                           String sessionPolicy) {
        IamAccount a = account(accountId, principalArn);
        List<PolicyEvaluator.Source> policies;
        String boundary;
        synchronized (a) {
            policies = a.policiesOf(principalArn);
            boundary = a.boundaryOf(principalArn);
        }
        if (policies == null) return Decision.IMPLICIT_DENY;
        Map<String, List<String>> full = principalContext(a, accountId, principalArn, context);
        PolicyEvaluator.Decision identity = PolicyEvaluator.evaluate(policies, action, resource, full).decision();
        if (identity == PolicyEvaluator.Decision.EXPLICIT_DENY) return Decision.EXPLICIT_DENY;
        // the permissions boundary and the session policy limit what identity policies grant: each must allow too
        List<PolicyEvaluator.Source> limits = new ArrayList<>();
        if (boundary != null) limits.add(new PolicyEvaluator.Source("boundary", "PermissionsBoundary", boundary));
        if (sessionPolicy != null && !sessionPolicy.isBlank()) limits.add(new PolicyEvaluator.Source("session", "SessionPolicy", sessionPolicy));
        for (PolicyEvaluator.Source limit : limits) {
            PolicyEvaluator.Decision d = PolicyEvaluator.evaluate(List.of(limit), action, resource, full).decision();
            if (d == PolicyEvaluator.Decision.EXPLICIT_DENY) return Decision.EXPLICIT_DENY;
            if (d != PolicyEvaluator.Decision.ALLOWED) return Decision.IMPLICIT_DENY;
        }
        return identity == PolicyEvaluator.Decision.ALLOWED ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    @Override
    public ResourceDecision resourcePolicy(String policy, String accountId, String principalArn, String action, String resource,
                                           Map<String, List<String>> context) {
        IamAccount a = account(accountId, principalArn);
        Map<String, List<String>> full = principalContext(a, accountId, principalArn, context);
        // an assumed-role session is named by its session ARN or by its role's ARN
        List<String> names = List.of(principalArn, full.get("aws:PrincipalArn").get(0));
        return ResourcePolicyEvaluator.evaluate(policy, accountId, names, action, resource, full);
    }

    private IamAccount account(String accountId, String principalArn) {
        String partition = principalArn.startsWith("arn:aws-cn:") ? "aws-cn" : principalArn.startsWith("arn:aws-us-gov:") ? "aws-us-gov" : "aws";
        return accounts.get(accountId, AccountRegionStore.globalScope(partition));
    }

    /** The request's condition keys with the principal's own (tags, user name and id, ARN, account, type, time). */
    private static Map<String, List<String>> principalContext(IamAccount a, String accountId, String principalArn, Map<String, List<String>> context) {
        Map<String, List<String>> full = new LinkedHashMap<>(context);
        synchronized (a) {
            Principal p = a.principalByArn(principalArn);
            if (p != null) {
                p.tags.forEach((k, v) -> full.put("aws:PrincipalTag/" + k, List.of(v)));
                if (p instanceof User u) full.put("aws:username", List.of(u.name));
                full.put("aws:userid", List.of(p.id));
            }
        }
        full.put("aws:PrincipalArn", List.of(principalArn.contains(":assumed-role/") ? roleArnOf(a, principalArn) : principalArn));
        full.put("aws:PrincipalAccount", List.of(accountId));
        full.put("aws:PrincipalType", List.of(principalArn.contains(":assumed-role/") ? "AssumedRole" : "User"));
        long now = System.currentTimeMillis();
        full.putIfAbsent("aws:CurrentTime", List.of(Instant.ofEpochMilli(now).toString()));
        full.putIfAbsent("aws:EpochTime", List.of(String.valueOf(now / 1000)));
        return full;
    }

    private static String roleArnOf(IamAccount a, String sessionArn) {
        synchronized (a) {
            Principal p = a.principalByArn(sessionArn);
            return p == null ? sessionArn : p.arn;
        }
    }

    // ---------------------------------------------------------------- persistence

    @Override
    public void saveState(OutputStream out) throws IOException {
        Map<String, Map<String, IamState.Account>> snapshot = new LinkedHashMap<>();
        accounts.all().forEach((account, scopes) -> scopes.forEach((scope, a) -> {
            synchronized (a) {
                try {
                    // a deep copy through JSON, taken under the account's monitor
                    snapshot.computeIfAbsent(account, x -> new LinkedHashMap<>()).put(scope,
                            JSON.readValue(JSON.writeValueAsBytes(a.state), IamState.Account.class));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }));
        JSON.writeValue(out, snapshot);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        if (version != 1) throw new IOException("unsupported IAM state version " + version);
        Map<String, Map<String, IamState.Account>> snapshot = JSON.readValue(in, new TypeReference<>() {
        });
        accounts.clear();
        snapshot.forEach((account, scopes) -> scopes.forEach((scope, state) -> {
            IamAccount a = new IamAccount(scope.substring(scope.indexOf(':') + 1), account, state);
            accounts.put(account, scope, a);
            for (AccessKey k : state.accessKeys.values()) {
                User u = state.users.get(k.user);
                AccessKeys.register(k.id, account, u == null ? null : u.arn);
            }
        }));
    }

    @Override
    public void resetState() {
        accounts.all().forEach((account, scopes) -> scopes.forEach((scope, a) -> a.state.accessKeys.keySet().forEach(AccessKeys::unregister)));
        accounts.clear();
    }
}
