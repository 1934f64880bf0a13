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
import dev.polystack.services.iam.IamState.Principal;
import dev.polystack.services.iam.IamState.Role;
import dev.polystack.services.iam.IamState.User;
import dev.polystack.services.iam.api.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IAM over the query protocol, on its typed interface {@link IamApi}, global per account. This class holds the
 * principals (users, groups, roles, service-linked roles), managed and inline policies, access keys and instance
 * profiles; {@link IamCredentials} and {@link IamExtras} the rest; {@link IamAccount} the state's rules. Also the
 * {@link IdentityAuthorizer} the gateway asks with {@code ENFORCE_IAM=1}, and the home of access keys: each key
 * created here is registered with {@link AccessKeys}, so requests signed with it land in this account and are
 * checked as this user.
 */
public final class IamProvider extends IamExtras implements ServiceProvider, Persistable, IdentityAuthorizer {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Override
    public String service() {
        return "iam";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    // ---------------------------------------------------------------- users

    @Override
    public CreateUserResponse createUser(RequestContext ctx, CreateUserRequest in) {
        return locked(ctx, a -> CreateUserResponse.builder().user(user(a.createUser(in.userName(), in.path(), in.permissionsBoundary(),
                tags(in.tags()), now()), true)).build());
    }

    @Override
    public GetUserResponse getUser(RequestContext ctx, GetUserRequest in) {
        return locked(ctx, a -> GetUserResponse.builder().user(user(a.user(in.userName()), true)).build());
    }

    @Override
    public ListUsersResponse listUsers(RequestContext ctx, ListUsersRequest in) {
        return locked(ctx, a -> {
            Page<dev.polystack.services.iam.api.User> page = page(in.maxItems(), in.marker(),
                    filterPath(a.state.users.values(), in.pathPrefix()), u -> user(u, false));
            return ListUsersResponse.builder().users(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public void updateUser(RequestContext ctx, UpdateUserRequest in) {
        run(ctx, a -> a.updateUser(in.userName(), in.newUserName(), in.newPath()));
    }

    @Override
    public void deleteUser(RequestContext ctx, DeleteUserRequest in) {
        run(ctx, a -> a.deleteUser(in.userName()));
    }

    @Override
    public void tagUser(RequestContext ctx, TagUserRequest in) {
        run(ctx, a -> tag(a.user(in.userName()).tags, in.tags()));
    }

    @Override
    public void untagUser(RequestContext ctx, UntagUserRequest in) {
        run(ctx, a -> untag(a.user(in.userName()).tags, in.tagKeys()));
    }

    @Override
    public ListUserTagsResponse listUserTags(RequestContext ctx, ListUserTagsRequest in) {
        return locked(ctx, a -> {
            Page<Tag> page = page(in.maxItems(), in.marker(), tagList(a.user(in.userName()).tags), t -> t);
            return ListUserTagsResponse.builder().tags(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public void putUserPermissionsBoundary(RequestContext ctx, PutUserPermissionsBoundaryRequest in) {
        run(ctx, a -> a.user(in.userName()).boundary = a.attachable(in.permissionsBoundary()));
    }

    @Override
    public void deleteUserPermissionsBoundary(RequestContext ctx, DeleteUserPermissionsBoundaryRequest in) {
        run(ctx, a -> a.user(in.userName()).boundary = null);
    }

    // ---------------------------------------------------------------- groups

    @Override
    public CreateGroupResponse createGroup(RequestContext ctx, CreateGroupRequest in) {
        return locked(ctx, a -> CreateGroupResponse.builder().group(group(a.createGroup(in.groupName(), in.path(), now()))).build());
    }

    @Override
    public GetGroupResponse getGroup(RequestContext ctx, GetGroupRequest in) {
        return locked(ctx, a -> {
            Group g = a.group(in.groupName());
            Page<dev.polystack.services.iam.api.User> page = page(in.maxItems(), in.marker(),
                    g.members.stream().map(a::user).toList(), u -> user(u, false));
            return GetGroupResponse.builder().group(group(g)).users(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public void updateGroup(RequestContext ctx, UpdateGroupRequest in) {
        run(ctx, a -> a.updateGroup(in.groupName(), in.newGroupName(), in.newPath()));
    }

    @Override
    public ListGroupsResponse listGroups(RequestContext ctx, ListGroupsRequest in) {
        return locked(ctx, a -> {
            Page<dev.polystack.services.iam.api.Group> page = page(in.maxItems(), in.marker(),
                    filterPath(a.state.groups.values(), in.pathPrefix()), IamBase::group);
            return ListGroupsResponse.builder().groups(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public void deleteGroup(RequestContext ctx, DeleteGroupRequest in) {
        run(ctx, a -> a.deleteGroup(in.groupName()));
    }

    @Override
    public void addUserToGroup(RequestContext ctx, AddUserToGroupRequest in) {
        run(ctx, a -> a.addUserToGroup(in.groupName(), in.userName()));
    }

    @Override
    public void removeUserFromGroup(RequestContext ctx, RemoveUserFromGroupRequest in) {
        run(ctx, a -> a.removeUserFromGroup(in.groupName(), in.userName()));
    }

    @Override
    public ListGroupsForUserResponse listGroupsForUser(RequestContext ctx, ListGroupsForUserRequest in) {
        return locked(ctx, a -> {
            Page<dev.polystack.services.iam.api.Group> page = page(in.maxItems(), in.marker(), a.groupsOf(in.userName()), IamBase::group);
            return ListGroupsForUserResponse.builder().groups(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    // ---------------------------------------------------------------- roles

    @Override
    public CreateRoleResponse createRole(RequestContext ctx, CreateRoleRequest in) {
        return locked(ctx, a -> CreateRoleResponse.builder().role(role(a.createRole(in.roleName(), in.path(), in.assumeRolePolicyDocument(),
                in.description(), in.maxSessionDuration(), in.permissionsBoundary(), tags(in.tags()), now()), RoleForm.CREATE)).build());
    }

    @Override
    public GetRoleResponse getRole(RequestContext ctx, GetRoleRequest in) {
        return locked(ctx, a -> GetRoleResponse.builder().role(role(a.role(in.roleName()), RoleForm.GET)).build());
    }

    @Override
    public ListRolesResponse listRoles(RequestContext ctx, ListRolesRequest in) {
        return locked(ctx, a -> {
            Page<dev.polystack.services.iam.api.Role> page = page(in.maxItems(), in.marker(),
                    filterPath(a.state.roles.values(), in.pathPrefix()), r -> role(r, RoleForm.LIST));
            return ListRolesResponse.builder().roles(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public UpdateRoleResponse updateRole(RequestContext ctx, UpdateRoleRequest in) {
        run(ctx, a -> a.updateRole(in.roleName(), in.description(), in.maxSessionDuration()));
        return UpdateRoleResponse.builder().build();
    }

    @Override
    public UpdateRoleDescriptionResponse updateRoleDescription(RequestContext ctx, UpdateRoleDescriptionRequest in) {
        return locked(ctx, a -> {
            a.updateRole(in.roleName(), in.description(), null);
            return UpdateRoleDescriptionResponse.builder().role(role(a.role(in.roleName()), RoleForm.GET)).build();
        });
    }

    @Override
    public void updateAssumeRolePolicy(RequestContext ctx, UpdateAssumeRolePolicyRequest in) {
        run(ctx, a -> a.updateTrust(in.roleName(), in.policyDocument()));
    }

    @Override
    public void deleteRole(RequestContext ctx, DeleteRoleRequest in) {
        run(ctx, a -> a.deleteRole(in.roleName()));
    }

    @Override
    public void tagRole(RequestContext ctx, TagRoleRequest in) {
        run(ctx, a -> tag(a.role(in.roleName()).tags, in.tags()));
    }

    @Override
    public void untagRole(RequestContext ctx, UntagRoleRequest in) {
        run(ctx, a -> untag(a.role(in.roleName()).tags, in.tagKeys()));
    }

    @Override
    public ListRoleTagsResponse listRoleTags(RequestContext ctx, ListRoleTagsRequest in) {
        return locked(ctx, a -> {
            Page<Tag> page = page(in.maxItems(), in.marker(), tagList(a.role(in.roleName()).tags), t -> t);
            return ListRoleTagsResponse.builder().tags(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public void putRolePermissionsBoundary(RequestContext ctx, PutRolePermissionsBoundaryRequest in) {
        run(ctx, a -> a.role(in.roleName()).boundary = a.attachable(in.permissionsBoundary()));
    }

    @Override
    public void deleteRolePermissionsBoundary(RequestContext ctx, DeleteRolePermissionsBoundaryRequest in) {
        run(ctx, a -> a.role(in.roleName()).boundary = null);
    }

    @Override
    public CreateServiceLinkedRoleResponse createServiceLinkedRole(RequestContext ctx, CreateServiceLinkedRoleRequest in) {
        return locked(ctx, a -> CreateServiceLinkedRoleResponse.builder().role(role(a.createServiceLinkedRole(in.awsServiceName(),
                in.description(), in.customSuffix(), ctx.partition(), now()), RoleForm.CREATE)).build());
    }

    @Override
    public DeleteServiceLinkedRoleResponse deleteServiceLinkedRole(RequestContext ctx, DeleteServiceLinkedRoleRequest in) {
        return locked(ctx, a -> {
            Role r = a.role(in.roleName());
            r.attached.clear();
            r.inline.clear();
            a.deleteRole(r.name);
            return DeleteServiceLinkedRoleResponse.builder().deletionTaskId("task/aws-service-role/" + r.path.split("/")[2] + "/" + r.name
                    + "/" + java.util.UUID.randomUUID()).build();
        });
    }

    @Override
    public GetServiceLinkedRoleDeletionStatusResponse getServiceLinkedRoleDeletionStatus(RequestContext ctx,
                                                                                           GetServiceLinkedRoleDeletionStatusRequest in) {
        return GetServiceLinkedRoleDeletionStatusResponse.builder().status("SUCCEEDED").build();
    }

    // ---------------------------------------------------------------- managed policies

    @Override
    public CreatePolicyResponse createPolicy(RequestContext ctx, CreatePolicyRequest in) {
        return locked(ctx, a -> CreatePolicyResponse.builder().policy(policy(a, a.createPolicy(in.policyName(), in.path(),
                in.policyDocument(), in.description(), tags(in.tags()), now()), true)).build());
    }

    @Override
    public GetPolicyResponse getPolicy(RequestContext ctx, GetPolicyRequest in) {
        return locked(ctx, a -> GetPolicyResponse.builder().policy(policy(a, a.policy(in.policyArn()), true)).build());
    }

    @Override
    public ListPoliciesResponse listPolicies(RequestContext ctx, ListPoliciesRequest in) {
        return locked(ctx, a -> {
            List<ManagedPolicy> all = new ArrayList<>();
            String scope = in.scopeAsString() == null ? "All" : in.scopeAsString();
            if (!scope.equals("Local")) for (String arn : AwsManagedPolicies.DOCUMENTS.keySet()) all.add(a.policy(arn));
            if (!scope.equals("AWS")) all.addAll(a.state.policies.values());
            if (Boolean.TRUE.equals(in.onlyAttached())) all.removeIf(p -> a.attachments(p.arn) == 0);
            String prefix = in.pathPrefix();
            all.removeIf(p -> prefix != null && !p.path.startsWith(prefix));
            Page<Policy> page = page(in.maxItems(), in.marker(), all, p -> policy(a, p, false));
            return ListPoliciesResponse.builder().policies(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public void deletePolicy(RequestContext ctx, DeletePolicyRequest in) {
        run(ctx, a -> a.deletePolicy(in.policyArn()));
    }

    @Override
    public CreatePolicyVersionResponse createPolicyVersion(RequestContext ctx, CreatePolicyVersionRequest in) {
        return locked(ctx, a -> CreatePolicyVersionResponse.builder().policyVersion(version(a.customerPolicy(in.policyArn()),
                a.createPolicyVersion(in.policyArn(), in.policyDocument(), Boolean.TRUE.equals(in.setAsDefault()), now()), true)).build());
    }

    @Override
    public GetPolicyVersionResponse getPolicyVersion(RequestContext ctx, GetPolicyVersionRequest in) {
        return locked(ctx, a -> GetPolicyVersionResponse.builder().policyVersion(version(a.policy(in.policyArn()),
                a.policyVersion(in.policyArn(), in.versionId()), true)).build());
    }

    @Override
    public ListPolicyVersionsResponse listPolicyVersions(RequestContext ctx, ListPolicyVersionsRequest in) {
        return locked(ctx, a -> {
            ManagedPolicy p = a.policy(in.policyArn());
            Page<dev.polystack.services.iam.api.PolicyVersion> page = page(in.maxItems(), in.marker(), p.versions, v -> version(p, v, false));
            return ListPolicyVersionsResponse.builder().versions(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public void deletePolicyVersion(RequestContext ctx, DeletePolicyVersionRequest in) {
        run(ctx, a -> a.deletePolicyVersion(in.policyArn(), in.versionId()));
    }

    @Override
    public void setDefaultPolicyVersion(RequestContext ctx, SetDefaultPolicyVersionRequest in) {
        run(ctx, a -> a.setDefaultVersion(in.policyArn(), in.versionId(), now()));
    }

    @Override
    public void tagPolicy(RequestContext ctx, TagPolicyRequest in) {
        run(ctx, a -> tag(a.customerPolicy(in.policyArn()).tags, in.tags()));
    }

    @Override
    public void untagPolicy(RequestContext ctx, UntagPolicyRequest in) {
        run(ctx, a -> untag(a.customerPolicy(in.policyArn()).tags, in.tagKeys()));
    }

    @Override
    public ListPolicyTagsResponse listPolicyTags(RequestContext ctx, ListPolicyTagsRequest in) {
        return locked(ctx, a -> {
            Page<Tag> page = page(in.maxItems(), in.marker(), tagList(a.customerPolicy(in.policyArn()).tags), t -> t);
            return ListPolicyTagsResponse.builder().tags(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public ListEntitiesForPolicyResponse listEntitiesForPolicy(RequestContext ctx, ListEntitiesForPolicyRequest in) {
        return locked(ctx, a -> {
            String policyArn = in.policyArn();
            a.policy(policyArn);
            List<PolicyUser> users = new ArrayList<>();
            List<PolicyGroup> groups = new ArrayList<>();
            List<PolicyRole> roles = new ArrayList<>();
            for (User u : a.state.users.values()) {
                if (u.attached.contains(policyArn)) users.add(PolicyUser.builder().userName(u.name).userId(u.id).build());
            }
            for (Group g : a.state.groups.values()) {
                if (g.attached.contains(policyArn)) groups.add(PolicyGroup.builder().groupName(g.name).groupId(g.id).build());
            }
            for (Role r : a.state.roles.values()) {
                if (r.attached.contains(policyArn)) roles.add(PolicyRole.builder().roleName(r.name).roleId(r.id).build());
            }
            return ListEntitiesForPolicyResponse.builder().policyGroups(groups).policyUsers(users).policyRoles(roles).isTruncated(false).build();
        });
    }

    // ---------------------------------------------------------------- attached and inline policies of users, groups, roles

    @Override
    public void attachUserPolicy(RequestContext ctx, AttachUserPolicyRequest in) {
        run(ctx, a -> a.attach(a.principal("user", in.userName()), in.policyArn()));
    }

    @Override
    public void attachGroupPolicy(RequestContext ctx, AttachGroupPolicyRequest in) {
        run(ctx, a -> a.attach(a.principal("group", in.groupName()), in.policyArn()));
    }

    @Override
    public void attachRolePolicy(RequestContext ctx, AttachRolePolicyRequest in) {
        run(ctx, a -> a.attach(a.principal("role", in.roleName()), in.policyArn()));
    }

    @Override
    public void detachUserPolicy(RequestContext ctx, DetachUserPolicyRequest in) {
        run(ctx, a -> a.detach(a.principal("user", in.userName()), in.policyArn()));
    }

    @Override
    public void detachGroupPolicy(RequestContext ctx, DetachGroupPolicyRequest in) {
        run(ctx, a -> a.detach(a.principal("group", in.groupName()), in.policyArn()));
    }

    @Override
    public void detachRolePolicy(RequestContext ctx, DetachRolePolicyRequest in) {
        run(ctx, a -> a.detach(a.principal("role", in.roleName()), in.policyArn()));
    }

    /** The attached policies of a principal, one page. */
    private Page<AttachedPolicy> attachedPage(RequestContext ctx, String kind, String name, Integer maxItems, String marker) {
        return locked(ctx, a -> page(maxItems, marker, new ArrayList<>(a.principal(kind, name).attached), arn -> attached(a, arn)));
    }

    @Override
    public ListAttachedUserPoliciesResponse listAttachedUserPolicies(RequestContext ctx, ListAttachedUserPoliciesRequest in) {
        Page<AttachedPolicy> page = attachedPage(ctx, "user", in.userName(), in.maxItems(), in.marker());
        return ListAttachedUserPoliciesResponse.builder().attachedPolicies(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
    }

    @Override
    public ListAttachedGroupPoliciesResponse listAttachedGroupPolicies(RequestContext ctx, ListAttachedGroupPoliciesRequest in) {
        Page<AttachedPolicy> page = attachedPage(ctx, "group", in.groupName(), in.maxItems(), in.marker());
        return ListAttachedGroupPoliciesResponse.builder().attachedPolicies(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
    }

    @Override
    public ListAttachedRolePoliciesResponse listAttachedRolePolicies(RequestContext ctx, ListAttachedRolePoliciesRequest in) {
        Page<AttachedPolicy> page = attachedPage(ctx, "role", in.roleName(), in.maxItems(), in.marker());
        return ListAttachedRolePoliciesResponse.builder().attachedPolicies(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
    }

    @Override
    public void putUserPolicy(RequestContext ctx, PutUserPolicyRequest in) {
        run(ctx, a -> a.putInline(a.principal("user", in.userName()), in.policyName(), in.policyDocument()));
    }

    @Override
    public void putGroupPolicy(RequestContext ctx, PutGroupPolicyRequest in) {
        run(ctx, a -> a.putInline(a.principal("group", in.groupName()), in.policyName(), in.policyDocument()));
    }

    @Override
    public void putRolePolicy(RequestContext ctx, PutRolePolicyRequest in) {
        run(ctx, a -> a.putInline(a.principal("role", in.roleName()), in.policyName(), in.policyDocument()));
    }

    /** An inline policy's document, URL-encoded as AWS answers it. */
    private String inlineDocument(RequestContext ctx, String kind, String name, String policyName) {
        return locked(ctx, a -> encode(a.inline(a.principal(kind, name), kind, policyName)));
    }

    @Override
    public GetUserPolicyResponse getUserPolicy(RequestContext ctx, GetUserPolicyRequest in) {
        String document = inlineDocument(ctx, "user", in.userName(), in.policyName());
        return GetUserPolicyResponse.builder().userName(in.userName()).policyName(in.policyName()).policyDocument(document).build();
    }

    @Override
    public GetGroupPolicyResponse getGroupPolicy(RequestContext ctx, GetGroupPolicyRequest in) {
        String document = inlineDocument(ctx, "group", in.groupName(), in.policyName());
        return GetGroupPolicyResponse.builder().groupName(in.groupName()).policyName(in.policyName()).policyDocument(document).build();
    }

    @Override
    public GetRolePolicyResponse getRolePolicy(RequestContext ctx, GetRolePolicyRequest in) {
        String document = inlineDocument(ctx, "role", in.roleName(), in.policyName());
        return GetRolePolicyResponse.builder().roleName(in.roleName()).policyName(in.policyName()).policyDocument(document).build();
    }

    @Override
    public void deleteUserPolicy(RequestContext ctx, DeleteUserPolicyRequest in) {
        run(ctx, a -> a.deleteInline(a.principal("user", in.userName()), "user", in.policyName()));
    }

    @Override
    public void deleteGroupPolicy(RequestContext ctx, DeleteGroupPolicyRequest in) {
        run(ctx, a -> a.deleteInline(a.principal("group", in.groupName()), "group", in.policyName()));
    }

    @Override
    public void deleteRolePolicy(RequestContext ctx, DeleteRolePolicyRequest in) {
        run(ctx, a -> a.deleteInline(a.principal("role", in.roleName()), "role", in.policyName()));
    }

    /** The inline policy names of a principal, one page. */
    private Page<String> inlinePage(RequestContext ctx, String kind, String name, Integer maxItems, String marker) {
        return locked(ctx, a -> page(maxItems, marker, new ArrayList<>(a.principal(kind, name).inline.keySet()), n -> n));
    }

    @Override
    public ListUserPoliciesResponse listUserPolicies(RequestContext ctx, ListUserPoliciesRequest in) {
        Page<String> page = inlinePage(ctx, "user", in.userName(), in.maxItems(), in.marker());
        return ListUserPoliciesResponse.builder().policyNames(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
    }

    @Override
    public ListGroupPoliciesResponse listGroupPolicies(RequestContext ctx, ListGroupPoliciesRequest in) {
        Page<String> page = inlinePage(ctx, "group", in.groupName(), in.maxItems(), in.marker());
        return ListGroupPoliciesResponse.builder().policyNames(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
    }

    @Override
    public ListRolePoliciesResponse listRolePolicies(RequestContext ctx, ListRolePoliciesRequest in) {
        Page<String> page = inlinePage(ctx, "role", in.roleName(), in.maxItems(), in.marker());
        return ListRolePoliciesResponse.builder().policyNames(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
    }

    // ---------------------------------------------------------------- access keys

    @Override
    public CreateAccessKeyResponse createAccessKey(RequestContext ctx, CreateAccessKeyRequest in) {
        return locked(ctx, a -> {
            String userName = in.userName();
            AccessKey k = a.createAccessKey(userName, now());
            AccessKeys.register(k.id, a.accountId, a.user(userName).arn);
            return CreateAccessKeyResponse.builder().accessKey(dev.polystack.services.iam.api.AccessKey.builder()
                    .userName(k.user).accessKeyId(k.id).status(k.status).secretAccessKey(k.secret).createDate(date(k.created)).build()).build();
        });
    }

    @Override
    public ListAccessKeysResponse listAccessKeys(RequestContext ctx, ListAccessKeysRequest in) {
        return locked(ctx, a -> {
            String userName = in.userName();
            List<AccessKey> keys = new ArrayList<>();
            if (userName != null) a.user(userName);
            for (AccessKey k : a.state.accessKeys.values()) if (userName == null || k.user.equals(userName)) keys.add(k);
            Page<AccessKeyMetadata> page = page(in.maxItems(), in.marker(), keys, IamBase::accessKey);
            return ListAccessKeysResponse.builder().accessKeyMetadata(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public void updateAccessKey(RequestContext ctx, UpdateAccessKeyRequest in) {
        run(ctx, a -> a.accessKey(in.userName(), in.accessKeyId()).status = in.statusAsString());
    }

    @Override
    public void deleteAccessKey(RequestContext ctx, DeleteAccessKeyRequest in) {
        run(ctx, a -> {
            AccessKey k = a.accessKey(in.userName(), in.accessKeyId());
            a.state.accessKeys.remove(k.id);
            AccessKeys.unregister(k.id);
        });
    }

    @Override
    public GetAccessKeyLastUsedResponse getAccessKeyLastUsed(RequestContext ctx, GetAccessKeyLastUsedRequest in) {
        return locked(ctx, a -> {
            AccessKey k = a.accessKey(null, in.accessKeyId());
            return GetAccessKeyLastUsedResponse.builder().userName(k.user).accessKeyLastUsed(AccessKeyLastUsed.builder()
                    .lastUsedDate(k.lastUsed != 0 ? date(k.lastUsed) : null)
                    .serviceName(k.lastUsedService == null ? "N/A" : k.lastUsedService)
                    .region(k.lastUsedRegion == null ? "N/A" : k.lastUsedRegion)
                    .build()).build();
        });
    }

    // ---------------------------------------------------------------- instance profiles

    @Override
    public CreateInstanceProfileResponse createInstanceProfile(RequestContext ctx, CreateInstanceProfileRequest in) {
        return locked(ctx, a -> CreateInstanceProfileResponse.builder().instanceProfile(instanceProfile(a,
                a.createInstanceProfile(in.instanceProfileName(), in.path(), tags(in.tags()), now()))).build());
    }

    @Override
    public GetInstanceProfileResponse getInstanceProfile(RequestContext ctx, GetInstanceProfileRequest in) {
        return locked(ctx, a -> GetInstanceProfileResponse.builder().instanceProfile(instanceProfile(a,
                a.instanceProfile(in.instanceProfileName()))).build());
    }

    @Override
    public ListInstanceProfilesResponse listInstanceProfiles(RequestContext ctx, ListInstanceProfilesRequest in) {
        return locked(ctx, a -> {
            String prefix = in.pathPrefix();
            List<InstanceProfile> profiles = a.state.instanceProfiles.values().stream()
                    .filter(p -> prefix == null || p.path.startsWith(prefix)).toList();
            Page<dev.polystack.services.iam.api.InstanceProfile> page = page(in.maxItems(), in.marker(), profiles, p -> instanceProfile(a, p));
            return ListInstanceProfilesResponse.builder().instanceProfiles(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public ListInstanceProfilesForRoleResponse listInstanceProfilesForRole(RequestContext ctx, ListInstanceProfilesForRoleRequest in) {
        return locked(ctx, a -> {
            a.role(in.roleName());
            List<InstanceProfile> profiles = a.state.instanceProfiles.values().stream().filter(p -> p.roles.contains(in.roleName())).toList();
            Page<dev.polystack.services.iam.api.InstanceProfile> page = page(in.maxItems(), in.marker(), profiles, p -> instanceProfile(a, p));
            return ListInstanceProfilesForRoleResponse.builder().instanceProfiles(page.items()).isTruncated(page.truncated())
                    .marker(page.marker()).build();
        });
    }

    @Override
    public void addRoleToInstanceProfile(RequestContext ctx, AddRoleToInstanceProfileRequest in) {
        run(ctx, a -> a.addRoleToInstanceProfile(in.instanceProfileName(), in.roleName()));
    }

    @Override
    public void removeRoleFromInstanceProfile(RequestContext ctx, RemoveRoleFromInstanceProfileRequest in) {
        run(ctx, a -> a.removeRoleFromInstanceProfile(in.instanceProfileName(), in.roleName()));
    }

    @Override
    public void deleteInstanceProfile(RequestContext ctx, DeleteInstanceProfileRequest in) {
        run(ctx, a -> a.deleteInstanceProfile(in.instanceProfileName()));
    }

    @Override
    public void tagInstanceProfile(RequestContext ctx, TagInstanceProfileRequest in) {
        run(ctx, a -> tag(a.instanceProfile(in.instanceProfileName()).tags, in.tags()));
    }

    @Override
    public void untagInstanceProfile(RequestContext ctx, UntagInstanceProfileRequest in) {
        run(ctx, a -> untag(a.instanceProfile(in.instanceProfileName()).tags, in.tagKeys()));
    }

    @Override
    public ListInstanceProfileTagsResponse listInstanceProfileTags(RequestContext ctx, ListInstanceProfileTagsRequest in) {
        return locked(ctx, a -> {
            Page<Tag> page = page(in.maxItems(), in.marker(), tagList(a.instanceProfile(in.instanceProfileName()).tags), t -> t);
            return ListInstanceProfileTagsResponse.builder().tags(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
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

    @Override
    public ResourceDecision servicePolicy(String policy, String servicePrincipal, String action, String resource,
                                          Map<String, List<String>> context) {
        Map<String, List<String>> full = new LinkedHashMap<>(context);
        full.putIfAbsent("aws:PrincipalServiceName", List.of(servicePrincipal));
        long now = System.currentTimeMillis();
        full.putIfAbsent("aws:CurrentTime", List.of(Instant.ofEpochMilli(now).toString()));
        full.putIfAbsent("aws:EpochTime", List.of(String.valueOf(now / 1000)));
        return ResourcePolicyEvaluator.evaluateForService(policy, servicePrincipal, action, resource, full);
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
