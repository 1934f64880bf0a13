package dev.polystack.services.iam;

import dev.polystack.services.iam.IamState.AccessKey;
import dev.polystack.services.iam.IamState.Group;
import dev.polystack.services.iam.IamState.InstanceProfile;
import dev.polystack.services.iam.IamState.ManagedPolicy;
import dev.polystack.services.iam.IamState.PolicyVersion;
import dev.polystack.services.iam.IamState.Principal;
import dev.polystack.services.iam.IamState.Role;
import dev.polystack.services.iam.IamState.User;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One account's IAM: every rule about users, groups, roles, managed and inline policies, attachments, access keys
 * and instance profiles, over plain values. Not thread-safe by itself: the provider runs each request under the
 * account's monitor (IAM is not a hot path; consistency across entities matters more).
 */
public final class IamAccount {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]+");
    private static final Pattern PATH = Pattern.compile("(/[\\u0021-\\u007E]*/)|/");
    static final Pattern POLICY_ARN = Pattern.compile("arn:[^:]+:iam::(aws|\\d{12}):policy(/.*)?/([^/]+)");

    /** The role names AWS gives service-linked roles, per service principal (others: AWSServiceRoleFor + the name). */
    private static final java.util.Properties SERVICE_LINKED_ROLES = new java.util.Properties();

    static {
        try (var in = IamAccount.class.getResourceAsStream("/service-linked-roles.properties")) {
            if (in != null) SERVICE_LINKED_ROLES.load(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    final String partition;
    final String accountId;
    final IamState.Account state;

    public IamAccount(String partition, String accountId, IamState.Account state) {
        this.partition = partition;
        this.accountId = accountId;
        this.state = state;
    }

    static String id(String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < 17; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return sb.toString();
    }

    String arn(String type, String path, String name) {
        return "arn:" + partition + ":iam::" + accountId + ":" + type + (path == null ? "/" : path) + name;
    }

    static void checkName(String name, String member, int max) {
        if (name == null || !NAME.matcher(name).matches() || name.length() > max) {
            throw IamErrors.validation("1 validation error detected: Value '" + name + "' at '" + member
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        }
    }

    static String checkPath(String path) {
        if (path == null) return "/";
        if (!PATH.matcher(path).matches() || path.length() > 512) {
            throw IamErrors.validation("1 validation error detected: Value '" + path + "' at 'path' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
        }
        return path;
    }

    // ---------------------------------------------------------------- users

    public User createUser(String name, String path, String boundary, Map<String, String> tags, long now) {
        checkName(name, "userName", 64);
        if (findUser(name) != null) throw IamErrors.exists("User with name " + name + " already exists.");
        User u = new User();
        u.name = name;
        u.path = checkPath(path);
        u.id = id("AIDA");
        u.arn = arn("user", u.path, name);
        u.created = now;
        if (boundary != null) u.boundary = attachable(boundary);
        if (tags != null) u.tags.putAll(tags);
        state.users.put(name, u);
        return u;
    }

    User findUser(String name) {
        for (User u : state.users.values()) if (u.name.equalsIgnoreCase(name)) return u;
        return null;
    }

    public User user(String name) {
        User u = name == null ? null : state.users.get(name);
        if (u == null) throw IamErrors.noSuchEntity("The user with name " + name + " cannot be found.");
        return u;
    }

    public void deleteUser(String name) {
        User u = user(name);
        if (!u.attached.isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must detach all policies first.");
        if (!u.inline.isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must delete policies first.");
        if (u.loginProfile != null) throw IamErrors.deleteConflict("Cannot delete entity, must delete login profile first.");
        if (!u.mfaSerials.isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must delete MFA device first.");
        for (AccessKey k : state.accessKeys.values()) {
            if (k.user.equals(name)) throw IamErrors.deleteConflict("Cannot delete entity, must delete access keys first.");
        }
        if (!u.serviceCredentials.isEmpty() || !u.sshKeys.isEmpty() || !u.signingCertificates.isEmpty()) {
            throw IamErrors.deleteConflict("Cannot delete entity, must remove referenced objects first."); // recorded
        }
        for (Group g : state.groups.values()) {
            if (g.members.contains(name)) throw IamErrors.deleteConflict("Cannot delete entity, must remove users from group first.");
        }
        state.users.remove(name);
    }

    public void updateUser(String name, String newName, String newPath) {
        User u = user(name);
        if (newName != null && !newName.equals(name)) {
            checkName(newName, "newUserName", 64);
            if (findUser(newName) != null) throw IamErrors.exists("User with name " + newName + " already exists.");
            state.users.remove(name);
            u.name = newName;
            state.users.put(newName, u);
            for (Group g : state.groups.values()) if (g.members.remove(name)) g.members.add(newName);
            for (AccessKey k : state.accessKeys.values()) if (k.user.equals(name)) k.user = newName;
        }
        if (newPath != null) u.path = checkPath(newPath);
        u.arn = arn("user", u.path, u.name);
    }

    // ---------------------------------------------------------------- groups

    public Group createGroup(String name, String path, long now) {
        checkName(name, "groupName", 128);
        for (Group g : state.groups.values()) {
            if (g.name.equalsIgnoreCase(name)) throw IamErrors.exists("Group with name " + name + " already exists.");
        }
        Group g = new Group();
        g.name = name;
        g.path = checkPath(path);
        g.id = id("AGPA");
        g.arn = arn("group", g.path, name);
        g.created = now;
        state.groups.put(name, g);
        return g;
    }

    public Group group(String name) {
        Group g = name == null ? null : state.groups.get(name);
        if (g == null) throw IamErrors.noSuchEntity("The group with name " + name + " cannot be found.");
        return g;
    }

    /** Renames or moves a group; its members, policies and id stay (AWS keeps the GroupId). */
    public void updateGroup(String name, String newName, String newPath) {
        Group g = group(name);
        if (newName != null && !newName.equals(name)) {
            checkName(newName, "newGroupName", 128);
            for (Group other : state.groups.values()) {
                if (other != g && other.name.equalsIgnoreCase(newName)) {
                    throw IamErrors.exists("Group with name " + newName + " already exists.");
                }
            }
            state.groups.remove(name);
            g.name = newName;
            state.groups.put(newName, g);
        }
        if (newPath != null) g.path = checkPath(newPath);
        g.arn = arn("group", g.path, g.name);
    }

    public void deleteGroup(String name) {
        Group g = group(name);
        if (!g.members.isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must remove users from group first.");
        if (!g.attached.isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must detach all policies first.");
        if (!g.inline.isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must delete policies first.");
        state.groups.remove(name);
    }

    public void addUserToGroup(String groupName, String userName) {
        Group g = group(groupName);
        user(userName);
        g.members.add(userName);
    }

    public void removeUserFromGroup(String groupName, String userName) {
        Group g = group(groupName);
        user(userName);
        g.members.remove(userName);
    }

    public List<Group> groupsOf(String userName) {
        user(userName);
        List<Group> out = new ArrayList<>();
        for (Group g : state.groups.values()) if (g.members.contains(userName)) out.add(g);
        return out;
    }

    // ---------------------------------------------------------------- roles

    public Role createRole(String name, String path, String trust, String description, Integer maxSession, String boundary,
                           Map<String, String> tags, long now) {
        checkName(name, "roleName", 64);
        if (trust == null) throw IamErrors.validation("1 validation error detected: Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null");
        PolicyEvaluator.parse(trust);
        for (Role r : state.roles.values()) {
            if (r.name.equalsIgnoreCase(name)) throw IamErrors.exists("Role with name " + name + " already exists.");
        }
        Role r = new Role();
        r.name = name;
        r.path = checkPath(path);
        r.id = id("AROA");
        r.arn = arn("role", r.path, name);
        r.created = now;
        r.trust = trust;
        r.description = description;
        if (maxSession != null) r.maxSession = checkMaxSession(maxSession);
        if (boundary != null) r.boundary = attachable(boundary);
        if (tags != null) r.tags.putAll(tags);
        state.roles.put(name, r);
        return r;
    }

    private static int checkMaxSession(int seconds) {
        if (seconds < 3600 || seconds > 43200) {
            throw IamErrors.validation("1 validation error detected: Value '" + seconds + "' at 'maxSessionDuration' failed to satisfy "
                    + "constraint: Member must have value " + (seconds < 3600 ? "greater than or equal to 3600" : "less than or equal to 43200"));
        }
        return seconds;
    }

    public Role role(String name) {
        Role r = name == null ? null : state.roles.get(name);
        if (r == null) throw IamErrors.noSuchEntity("The role with name " + name + " cannot be found.");
        return r;
    }

    /** The role an ARN names (path ignored, as IAM does for role ARNs), or null. */
    public Role roleByArn(String roleArn) {
        String name = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        Role r = state.roles.get(name);
        return r;
    }

    public void deleteRole(String name) {
        Role r = role(name);
        if (!r.attached.isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must detach all policies first.");
        if (!r.inline.isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must delete policies first.");
        for (InstanceProfile p : state.instanceProfiles.values()) {
            if (p.roles.contains(name)) throw IamErrors.deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
        }
        state.roles.remove(name);
    }

    public void updateRole(String name, String description, Integer maxSession) {
        Role r = role(name);
        if (description != null) r.description = description;
        if (maxSession != null) r.maxSession = checkMaxSession(maxSession);
    }

    public void updateTrust(String name, String trust) {
        Role r = role(name);
        PolicyEvaluator.parse(trust);
        r.trust = trust;
    }

    /**
     * CreateServiceLinkedRole as AWS answers it: for a service in {@code service-linked-roles.properties} (the names,
     * attached policies and suffix rules AWS answered), AWS's role name and its AWS managed policy; for another
     * service, {@code AWSServiceRoleFor} and the service's name in camel case, with no policy. The trust policy names
     * the service; the path is {@code /aws-service-role/<service>/}.
     */
    public Role createServiceLinkedRole(String service, String description, String suffix, String partition, long now) {
        if (service == null || !service.endsWith(".amazonaws.com")) {
            throw IamErrors.invalidInput("Invalid Service Name: " + service);
        }
        String[] known = SERVICE_LINKED_ROLES.getProperty(service, "").split(",");
        boolean listed = !known[0].isEmpty();
        if (suffix != null && listed && !(known.length > 2 && known[2].equals("custom-suffix"))) {
            throw IamErrors.invalidInput("Custom suffix is not allowed for " + service);
        }
        String name = (listed ? known[0] : "AWSServiceRoleFor" + camelCase(service)) + (suffix == null ? "" : "_" + suffix);
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"" + service + "\"}}]}";
        if (state.roles.containsKey(name)) {
            throw IamErrors.invalidInput("Service role name " + name + " has been taken in this account, please try a different suffix.");
        }
        Role r = createRole(name, "/aws-service-role/" + service + "/", trust, description, null, null, null, now);
        r.serviceLinked = true;
        if (listed && known.length > 1) r.attached.add("arn:" + partition + ":iam::aws:policy/aws-service-role/" + known[1]);
        return r;
    }

    /** {@code ops.apigateway.amazonaws.com} → {@code OpsApigateway}. */
    private static String camelCase(String service) {
        StringBuilder camel = new StringBuilder();
        for (String part : service.substring(0, service.length() - ".amazonaws.com".length()).split("[.-]")) {
            if (!part.isEmpty()) camel.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return camel.toString();
    }

    // ---------------------------------------------------------------- managed policies

    public ManagedPolicy createPolicy(String name, String path, String document, String description, Map<String, String> tags, long now) {
        checkName(name, "policyName", 128);
        PolicyEvaluator.parse(document);
        String policyArn = arn("policy", checkPath(path), name);
        if (state.policies.containsKey(policyArn)) throw IamErrors.exists("A policy called " + name + " already exists. Duplicate names are not allowed.");
        ManagedPolicy p = new ManagedPolicy();
        p.name = name;
        p.path = checkPath(path);
        p.id = id("ANPA");
        p.arn = policyArn;
        p.description = description;
        p.created = now;
        p.updated = now;
        PolicyVersion v = new PolicyVersion();
        v.id = "v1";
        v.document = document;
        v.created = now;
        p.versions.add(v);
        if (tags != null) p.tags.putAll(tags);
        state.policies.put(policyArn, p);
        return p;
    }

    /** A customer managed policy, or an AWS managed one materialised for reading. */
    public ManagedPolicy policy(String policyArn) {
        checkPolicyArn(policyArn);
        ManagedPolicy p = state.policies.get(policyArn);
        if (p != null) return p;
        String aws = awsManaged(policyArn);
        if (aws != null) {
            ManagedPolicy m = new ManagedPolicy();
            m.name = AwsManagedPolicies.name(policyArn);
            m.path = AwsManagedPolicies.path(policyArn);
            m.arn = policyArn;
            m.id = "ANPA" + Base64.getEncoder().encodeToString(m.name.getBytes()).replaceAll("[^A-Z2-7]", "A").substring(0, Math.min(17, m.name.length()));
            PolicyVersion v = new PolicyVersion();
            v.id = "v1";
            v.document = aws;
            m.versions.add(v);
            return m;
        }
        throw IamErrors.noSuchEntity("Policy " + policyArn + " was not found.");
    }

    static String awsManaged(String policyArn) {
        if (!policyArn.contains(":iam::aws:policy")) return null;
        return AwsManagedPolicies.DOCUMENTS.get(policyArn.replaceFirst("^arn:[^:]+:", "arn:aws:"));
    }

    static void checkPolicyArn(String policyArn) {
        if (policyArn == null || !POLICY_ARN.matcher(policyArn).matches()) throw IamErrors.validation("Invalid ARN:  Could not be parsed!");
    }

    /** Checks an ARN to attach: it must name an existing (or AWS managed) policy. */
    String attachable(String policyArn) {
        checkPolicyArn(policyArn);
        if (!state.policies.containsKey(policyArn) && awsManaged(policyArn) == null) {
            throw IamErrors.noSuchEntity("Policy " + policyArn + " does not exist or is not attachable.");
        }
        return policyArn;
    }

    public void deletePolicy(String policyArn) {
        ManagedPolicy p = customerPolicy(policyArn);
        if (attachments(policyArn) > 0) throw IamErrors.deleteConflict("Cannot delete a policy attached to entities.");
        if (p.versions.size() > 1) throw IamErrors.deleteConflict("Cannot delete a policy with more than one version. Delete all non-default versions first.");
        state.policies.remove(policyArn);
    }

    ManagedPolicy customerPolicy(String policyArn) {
        checkPolicyArn(policyArn);
        ManagedPolicy p = state.policies.get(policyArn);
        if (p == null) throw IamErrors.noSuchEntity("Policy " + policyArn + " was not found.");
        return p;
    }

    public int attachments(String policyArn) {
        int n = 0;
        for (Principal p : principals()) if (p.attached.contains(policyArn)) n++;
        return n;
    }

    public int boundaryUses(String policyArn) {
        int n = 0;
        for (Principal p : principals()) if (policyArn.equals(p.boundary)) n++;
        return n;
    }

    List<Principal> principals() {
        List<Principal> all = new ArrayList<>();
        all.addAll(state.users.values());
        all.addAll(state.groups.values());
        all.addAll(state.roles.values());
        return all;
    }

    public PolicyVersion createPolicyVersion(String policyArn, String document, boolean setDefault, long now) {
        ManagedPolicy p = customerPolicy(policyArn);
        PolicyEvaluator.parse(document);
        if (p.versions.size() >= 5) {
            throw IamErrors.limit("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.");
        }
        PolicyVersion v = new PolicyVersion();
        v.id = "v" + p.nextVersion++;
        v.document = document;
        v.created = now;
        p.versions.add(v);
        if (setDefault) p.defaultVersion = v.id;
        p.updated = now;
        return v;
    }

    public PolicyVersion policyVersion(String policyArn, String versionId) {
        ManagedPolicy p = policy(policyArn);
        PolicyVersion v = p.version(versionId);
        if (v == null) throw IamErrors.noSuchEntity("Policy " + policyArn + " version " + versionId + " does not exist or is not attachable.");
        return v;
    }

    public void deletePolicyVersion(String policyArn, String versionId) {
        ManagedPolicy p = customerPolicy(policyArn);
        PolicyVersion v = policyVersion(policyArn, versionId);
        if (p.defaultVersion.equals(versionId)) throw IamErrors.deleteConflict("Cannot delete the default version of a policy.");
        p.versions.remove(v);
    }

    public void setDefaultVersion(String policyArn, String versionId, long now) {
        ManagedPolicy p = customerPolicy(policyArn);
        policyVersion(policyArn, versionId);
        p.defaultVersion = versionId;
        p.updated = now;
    }

    // ---------------------------------------------------------------- attachments and inline policies

    /** The user, group or role a request names ({@code kind} is user, group or role). */
    public Principal principal(String kind, String name) {
        return switch (kind) {
            case "user" -> user(name);
            case "group" -> group(name);
            default -> role(name);
        };
    }

    public void attach(Principal p, String policyArn) {
        p.attached.add(attachable(policyArn));
    }

    public void detach(Principal p, String policyArn) {
        checkPolicyArn(policyArn);
        if (!p.attached.remove(policyArn)) throw IamErrors.noSuchEntity("Policy " + policyArn + " was not found.");
    }

    public void putInline(Principal p, String policyName, String document) {
        checkName(policyName, "policyName", 128);
        PolicyEvaluator.parse(document);
        p.inline.put(policyName, document);
    }

    public String inline(Principal p, String kind, String policyName) {
        String doc = p.inline.get(policyName);
        if (doc == null) {
            throw IamErrors.noSuchEntity("The " + kind + " policy with name " + policyName + " cannot be found.");
        }
        return doc;
    }

    public void deleteInline(Principal p, String kind, String policyName) {
        inline(p, kind, policyName);
        p.inline.remove(policyName);
    }

    public String policyName(String policyArn) {
        if (state.policies.containsKey(policyArn)) return state.policies.get(policyArn).name;
        return policyArn.substring(policyArn.lastIndexOf('/') + 1);
    }

    // ---------------------------------------------------------------- access keys

    public AccessKey createAccessKey(String userName, long now) {
        user(userName);
        long count = state.accessKeys.values().stream().filter(k -> k.user.equals(userName)).count();
        if (count >= 2) throw IamErrors.limit("Cannot exceed quota for AccessKeysPerUser: 2");
        AccessKey k = new AccessKey();
        k.id = "AKIA" + id("").substring(0, 16);
        byte[] secret = new byte[30];
        RANDOM.nextBytes(secret);
        k.secret = Base64.getEncoder().encodeToString(secret).substring(0, 40);
        k.user = userName;
        k.created = now;
        state.accessKeys.put(k.id, k);
        return k;
    }

    public AccessKey accessKey(String userName, String keyId) {
        AccessKey k = keyId == null ? null : state.accessKeys.get(keyId);
        if (k == null || (userName != null && !k.user.equals(userName))) {
            throw IamErrors.noSuchEntity("The Access Key with id " + keyId + " cannot be found");
        }
        return k;
    }

    // ---------------------------------------------------------------- instance profiles

    public InstanceProfile createInstanceProfile(String name, String path, Map<String, String> tags, long now) {
        checkName(name, "instanceProfileName", 128);
        if (state.instanceProfiles.containsKey(name)) throw IamErrors.exists("Instance Profile " + name + " already exists.");
        InstanceProfile p = new InstanceProfile();
        p.name = name;
        p.path = checkPath(path);
        p.id = id("AIPA");
        p.arn = arn("instance-profile", p.path, name);
        p.created = now;
        if (tags != null) p.tags.putAll(tags);
        state.instanceProfiles.put(name, p);
        return p;
    }

    public InstanceProfile instanceProfile(String name) {
        InstanceProfile p = name == null ? null : state.instanceProfiles.get(name);
        if (p == null) throw IamErrors.noSuchEntity("Instance Profile " + name + " cannot be found.");
        return p;
    }

    public void addRoleToInstanceProfile(String profileName, String roleName) {
        InstanceProfile p = instanceProfile(profileName);
        role(roleName);
        if (!p.roles.isEmpty()) throw IamErrors.limit("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
        p.roles.add(roleName);
    }

    public void removeRoleFromInstanceProfile(String profileName, String roleName) {
        InstanceProfile p = instanceProfile(profileName);
        role(roleName);
        if (!p.roles.remove(roleName)) throw IamErrors.noSuchEntity("The role with name " + roleName + " cannot be found.");
    }

    public void deleteInstanceProfile(String name) {
        InstanceProfile p = instanceProfile(name);
        if (!p.roles.isEmpty()) throw IamErrors.deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
        state.instanceProfiles.remove(name);
    }

    // ---------------------------------------------------------------- policy evaluation

    /**
     * The identity policies that apply to a principal ARN (user, role, or STS assumed-role session): inline,
     * attached, and for users their groups'. Null when the principal does not exist in this account.
     */
    public List<PolicyEvaluator.Source> policiesOf(String principalArn) {
        Principal p = principalByArn(principalArn);
        if (p == null) return null;
        List<PolicyEvaluator.Source> out = new ArrayList<>();
        collect(p, out);
        if (p instanceof User u) {
            for (Group g : state.groups.values()) if (g.members.contains(u.name)) collect(g, out);
        }
        return out;
    }

    Principal principalByArn(String principalArn) {
        String[] parts = principalArn.split(":", 6);
        if (parts.length < 6) return null;
        String resource = parts[5];
        if (resource.startsWith("assumed-role/")) {
            String[] segments = resource.split("/");
            return segments.length > 1 ? state.roles.get(segments[1]) : null;
        }
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        if (resource.startsWith("user/")) return state.users.get(name);
        if (resource.startsWith("role/")) return state.roles.get(name);
        if (resource.startsWith("group/")) return state.groups.get(name);
        return null;
    }

    private void collect(Principal p, List<PolicyEvaluator.Source> out) {
        p.inline.forEach((name, doc) -> out.add(new PolicyEvaluator.Source(name, "IAM Policy", doc)));
        for (String policyArn : p.attached) {
            ManagedPolicy m = state.policies.get(policyArn);
            String doc = m != null ? m.document() : awsManaged(policyArn);
            // the simulator names a policy by its name (AWS's examples), for managed policies as for inline ones
            if (doc != null) out.add(new PolicyEvaluator.Source(policyName(policyArn), "IAM Policy", doc));
        }
    }

    /** The permissions boundary document of a principal, or null. */
    public String boundaryOf(String principalArn) {
        Principal p = principalByArn(principalArn);
        if (p == null || p.boundary == null) return null;
        ManagedPolicy m = state.policies.get(p.boundary);
        return m != null ? m.document() : awsManaged(p.boundary);
    }
}
