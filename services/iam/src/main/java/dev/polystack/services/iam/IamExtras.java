package dev.polystack.services.iam;

import dev.polystack.services.iam.IamState.Group;
import dev.polystack.services.iam.IamState.ManagedPolicy;
import dev.polystack.services.iam.IamState.MfaDevice;
import dev.polystack.services.iam.IamState.OidcProvider;
import dev.polystack.services.iam.IamState.Role;
import dev.polystack.services.iam.IamState.SamlProvider;
import dev.polystack.services.iam.IamState.ServerCertificate;
import dev.polystack.services.iam.IamState.User;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.iam.IamProvider.encode;
import static dev.polystack.services.iam.IamProvider.integer;
import static dev.polystack.services.iam.IamProvider.page;
import static dev.polystack.services.iam.IamProvider.s;
import static dev.polystack.services.iam.IamProvider.strings;
import static dev.polystack.services.iam.IamProvider.tagList;
import static dev.polystack.services.iam.IamProvider.tags;

/**
 * The rest of IAM's surface: login profiles, account aliases and password policy, OIDC and SAML providers, virtual
 * MFA devices, server certificates, GetAccountAuthorizationDetails, and policy simulation.
 */
final class IamExtras {
    private static final SecureRandom RANDOM = new SecureRandom();

    private IamExtras() {
    }

    static Map<String, Object> dispatch(IamAccount a, String op, Map<String, Object> in, long now, IamProvider p) {
        var st = a.state;
        return switch (op) {
            case "CreateLoginProfile" -> {
                User u = a.user(s(in, "UserName"));
                if (u.loginProfile != null) throw IamErrors.exists("Login Profile for user " + u.name + " already exists.");
                IamState.LoginProfile profile = new IamState.LoginProfile();
                profile.created = now;
                profile.resetRequired = Boolean.TRUE.equals(in.get("PasswordResetRequired"));
                IamCredentials.setPassword(a, profile, s(in, "Password"), now);
                u.loginProfile = profile;
                yield Map.of("LoginProfile", loginProfile(u));
            }
            case "GetLoginProfile" -> Map.of("LoginProfile", loginProfile(withLoginProfile(a, s(in, "UserName"))));
            case "UpdateLoginProfile" -> {
                User u = withLoginProfile(a, s(in, "UserName"));
                if (s(in, "Password") != null) IamCredentials.setPassword(a, u.loginProfile, s(in, "Password"), now);
                if (in.get("PasswordResetRequired") != null) u.loginProfile.resetRequired = Boolean.TRUE.equals(in.get("PasswordResetRequired"));
                yield Map.of();
            }
            case "DeleteLoginProfile" -> {
                withLoginProfile(a, s(in, "UserName")).loginProfile = null;
                yield Map.of();
            }
            case "CreateAccountAlias" -> {
                String alias = s(in, "AccountAlias");
                if (alias == null || !alias.matches("^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$")) {
                    throw IamErrors.validation("1 validation error detected: Value '" + alias + "' at 'accountAlias' failed to satisfy constraint: "
                            + "Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$");
                }
                st.aliases.clear();
                st.aliases.add(alias);
                yield Map.of();
            }
            case "ListAccountAliases" -> page(in, "AccountAliases", st.aliases, x -> x);
            case "DeleteAccountAlias" -> {
                if (!st.aliases.remove(s(in, "AccountAlias"))) throw IamErrors.noSuchEntity("The account alias " + s(in, "AccountAlias") + " cannot be found.");
                yield Map.of();
            }
            case "UpdateAccountPasswordPolicy" -> {
                Map<String, Object> policy = new LinkedHashMap<>();
                policy.put("MinimumPasswordLength", in.getOrDefault("MinimumPasswordLength", 6));
                for (String key : List.of("RequireSymbols", "RequireNumbers", "RequireUppercaseCharacters", "RequireLowercaseCharacters")) {
                    policy.put(key, Boolean.TRUE.equals(in.get(key)));
                }
                policy.put("AllowUsersToChangePassword", Boolean.TRUE.equals(in.get("AllowUsersToChangePassword")));
                Object maxAge = in.get("MaxPasswordAge");
                policy.put("ExpirePasswords", maxAge != null && ((Number) maxAge).intValue() > 0);
                if (maxAge != null) policy.put("MaxPasswordAge", maxAge);
                if (in.get("PasswordReusePrevention") != null) policy.put("PasswordReusePrevention", in.get("PasswordReusePrevention"));
                if (in.get("HardExpiry") != null) policy.put("HardExpiry", in.get("HardExpiry"));
                st.passwordPolicy = policy;
                yield Map.of();
            }
            case "GetAccountPasswordPolicy" -> {
                if (st.passwordPolicy == null) {
                    throw IamErrors.noSuchEntity("The Password Policy with domain name " + a.accountId + " cannot be found.");
                }
                yield Map.of("PasswordPolicy", st.passwordPolicy);
            }
            case "DeleteAccountPasswordPolicy" -> {
                if (st.passwordPolicy == null) throw IamErrors.noSuchEntity("The account policy with name PasswordPolicy cannot be found.");
                st.passwordPolicy = null;
                yield Map.of();
            }
            case "CreateOpenIDConnectProvider" -> {
                String url = s(in, "Url");
                String host = url == null ? "" : url.replaceFirst("^https://", "");
                String arn = "arn:" + a.partition + ":iam::" + a.accountId + ":oidc-provider/" + host;
                if (st.oidcProviders.containsKey(arn)) throw IamErrors.exists("Provider with url " + url + " already exists.");
                OidcProvider o = new OidcProvider();
                o.arn = arn;
                o.url = host;
                o.clientIds.addAll(strings(in.get("ClientIDList")));
                o.thumbprints.addAll(strings(in.get("ThumbprintList")));
                o.created = now;
                o.tags.putAll(tags(in));
                st.oidcProviders.put(arn, o);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("OpenIDConnectProviderArn", arn);
                if (!o.tags.isEmpty()) out.put("Tags", tagList(o.tags));
                yield out;
            }
            case "GetOpenIDConnectProvider" -> {
                OidcProvider o = oidc(a, s(in, "OpenIDConnectProviderArn"));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("Url", o.url);
                out.put("ClientIDList", o.clientIds);
                out.put("ThumbprintList", o.thumbprints);
                out.put("CreateDate", Instant.ofEpochMilli(o.created));
                out.put("Tags", tagList(o.tags));
                yield out;
            }
            case "ListOpenIDConnectProviders" -> {
                List<Object> list = new ArrayList<>();
                for (String arn : st.oidcProviders.keySet()) list.add(Map.of("Arn", arn));
                yield Map.of("OpenIDConnectProviderList", list);
            }
            case "AddClientIDToOpenIDConnectProvider" -> {
                OidcProvider o = oidc(a, s(in, "OpenIDConnectProviderArn"));
                if (!o.clientIds.contains(s(in, "ClientID"))) o.clientIds.add(s(in, "ClientID"));
                yield Map.of();
            }
            case "RemoveClientIDFromOpenIDConnectProvider" -> {
                oidc(a, s(in, "OpenIDConnectProviderArn")).clientIds.remove(s(in, "ClientID"));
                yield Map.of();
            }
            case "UpdateOpenIDConnectProviderThumbprint" -> {
                OidcProvider o = oidc(a, s(in, "OpenIDConnectProviderArn"));
                o.thumbprints = new ArrayList<>(strings(in.get("ThumbprintList")));
                yield Map.of();
            }
            case "DeleteOpenIDConnectProvider" -> {
                oidc(a, s(in, "OpenIDConnectProviderArn"));
                st.oidcProviders.remove(s(in, "OpenIDConnectProviderArn"));
                yield Map.of();
            }
            case "CreateSAMLProvider" -> {
                String name = s(in, "Name");
                String arn = "arn:" + a.partition + ":iam::" + a.accountId + ":saml-provider/" + name;
                if (st.samlProviders.containsKey(arn)) throw IamErrors.exists("SAMLProvider " + name + " already exists.");
                SamlProvider sp = new SamlProvider();
                sp.arn = arn;
                sp.metadata = s(in, "SAMLMetadataDocument");
                sp.created = now;
                sp.validUntil = now + 365L * 86_400_000L * 100;
                sp.tags.putAll(tags(in));
                st.samlProviders.put(arn, sp);
                yield Map.of("SAMLProviderArn", arn);
            }
            case "GetSAMLProvider" -> {
                SamlProvider sp = saml(a, s(in, "SAMLProviderArn"));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("SAMLMetadataDocument", sp.metadata);
                out.put("CreateDate", Instant.ofEpochMilli(sp.created));
                out.put("ValidUntil", Instant.ofEpochMilli(sp.validUntil));
                if (!sp.tags.isEmpty()) out.put("Tags", tagList(sp.tags));
                yield out;
            }
            case "UpdateSAMLProvider" -> {
                SamlProvider sp = saml(a, s(in, "SAMLProviderArn"));
                if (s(in, "SAMLMetadataDocument") != null) sp.metadata = s(in, "SAMLMetadataDocument");
                yield Map.of("SAMLProviderArn", sp.arn);
            }
            case "ListSAMLProviders" -> {
                List<Object> list = new ArrayList<>();
                for (SamlProvider sp : st.samlProviders.values()) {
                    list.add(Map.of("Arn", sp.arn, "CreateDate", Instant.ofEpochMilli(sp.created), "ValidUntil", Instant.ofEpochMilli(sp.validUntil)));
                }
                yield Map.of("SAMLProviderList", list);
            }
            case "DeleteSAMLProvider" -> {
                saml(a, s(in, "SAMLProviderArn"));
                st.samlProviders.remove(s(in, "SAMLProviderArn"));
                yield Map.of();
            }
            case "CreateVirtualMFADevice" -> {
                String name = s(in, "VirtualMFADeviceName");
                String path = IamAccount.checkPath(s(in, "Path"));
                String serial = "arn:" + a.partition + ":iam::" + a.accountId + ":mfa" + path + name;
                if (st.mfaDevices.containsKey(serial)) throw IamErrors.exists("MFADevice entity at the same path and name already exists.");
                MfaDevice d = new MfaDevice();
                d.serial = serial;
                byte[] seed = new byte[40];
                RANDOM.nextBytes(seed);
                d.seed = Base64.getEncoder().encodeToString(seed);
                d.tags.putAll(tags(in));
                st.mfaDevices.put(serial, d);
                Map<String, Object> device = new LinkedHashMap<>();
                device.put("SerialNumber", serial);
                device.put("Base32StringSeed", d.seed.getBytes());
                device.put("QRCodePNG", seed);
                yield Map.of("VirtualMFADevice", device);
            }
            case "EnableMFADevice" -> {
                User u = a.user(s(in, "UserName"));
                MfaDevice d = st.mfaDevices.get(s(in, "SerialNumber"));
                if (d == null) throw IamErrors.noSuchEntity("MFA device with serial number " + s(in, "SerialNumber") + " not found.");
                if (d.user != null) throw IamErrors.exists("MFA device is already in use.");
                d.user = u.name;
                d.enabled = now;
                u.mfaSerials.add(d.serial);
                yield Map.of();
            }
            case "DeactivateMFADevice" -> {
                User u = a.user(s(in, "UserName"));
                MfaDevice d = st.mfaDevices.get(s(in, "SerialNumber"));
                if (d == null || !u.name.equals(d.user)) throw IamErrors.noSuchEntity("MFA Device with serial number " + s(in, "SerialNumber") + " does not exist.");
                d.user = null;
                d.enabled = 0;
                u.mfaSerials.remove(d.serial);
                yield Map.of();
            }
            case "ListMFADevices" -> {
                List<Object> list = new ArrayList<>();
                for (MfaDevice d : st.mfaDevices.values()) {
                    if (d.user != null && (s(in, "UserName") == null || d.user.equals(s(in, "UserName")))) {
                        list.add(Map.of("UserName", d.user, "SerialNumber", d.serial, "EnableDate", Instant.ofEpochMilli(d.enabled)));
                    }
                }
                yield page(in, "MFADevices", list, x -> x);
            }
            case "ListVirtualMFADevices" -> {
                String status = s(in, "AssignmentStatus") == null ? "Any" : s(in, "AssignmentStatus");
                List<Object> list = new ArrayList<>();
                for (MfaDevice d : st.mfaDevices.values()) {
                    boolean assigned = d.user != null;
                    if (status.equals("Assigned") && !assigned || status.equals("Unassigned") && assigned) continue;
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("SerialNumber", d.serial);
                    if (assigned) {
                        entry.put("User", p.user(a.user(d.user), false));
                        entry.put("EnableDate", Instant.ofEpochMilli(d.enabled));
                    }
                    list.add(entry);
                }
                yield page(in, "VirtualMFADevices", list, x -> x);
            }
            case "DeleteVirtualMFADevice" -> {
                MfaDevice d = st.mfaDevices.get(s(in, "SerialNumber"));
                if (d == null) throw IamErrors.noSuchEntity("VirtualMFADevice with serial number " + s(in, "SerialNumber") + " doesn't exist.");
                if (d.user != null) throw IamErrors.deleteConflict("VirtualMFADevice is still assigned to a user.");
                st.mfaDevices.remove(d.serial);
                yield Map.of();
            }
            case "UploadServerCertificate" -> {
                String name = s(in, "ServerCertificateName");
                if (st.serverCertificates.containsKey(name)) throw IamErrors.exists("The Server Certificate with name " + name + " already exists.");
                ServerCertificate c = new ServerCertificate();
                c.name = name;
                c.path = IamAccount.checkPath(s(in, "Path"));
                c.id = IamAccount.id("ASCA");
                c.arn = "arn:" + a.partition + ":iam::" + a.accountId + ":server-certificate" + c.path + name;
                c.body = s(in, "CertificateBody");
                c.chain = s(in, "CertificateChain");
                c.uploaded = now;
                c.expiration = now + 365L * 86_400_000L;
                c.tags.putAll(tags(in));
                st.serverCertificates.put(name, c);
                yield Map.of("ServerCertificateMetadata", certMetadata(c));
            }
            case "GetServerCertificate" -> {
                ServerCertificate c = cert(a, s(in, "ServerCertificateName"));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("ServerCertificateMetadata", certMetadata(c));
                out.put("CertificateBody", c.body);
                if (c.chain != null) out.put("CertificateChain", c.chain);
                yield Map.of("ServerCertificate", out);
            }
            case "ListServerCertificates" -> page(in, "ServerCertificateMetadataList", new ArrayList<>(st.serverCertificates.values()), IamExtras::certMetadata);
            case "DeleteServerCertificate" -> {
                cert(a, s(in, "ServerCertificateName"));
                st.serverCertificates.remove(s(in, "ServerCertificateName"));
                yield Map.of();
            }
            case "UpdateServerCertificate" -> {
                ServerCertificate c = cert(a, s(in, "ServerCertificateName"));
                String newName = s(in, "NewServerCertificateName");
                if (newName != null && !newName.equals(c.name)) {
                    if (st.serverCertificates.containsKey(newName)) {
                        throw IamErrors.exists("The Server Certificate with name " + newName + " already exists.");
                    }
                    st.serverCertificates.remove(c.name);
                    c.name = newName;
                    st.serverCertificates.put(newName, c);
                }
                if (s(in, "NewPath") != null) c.path = IamAccount.checkPath(s(in, "NewPath"));
                c.arn = "arn:" + a.partition + ":iam::" + a.accountId + ":server-certificate" + c.path + c.name;
                yield Map.of();
            }
            case "GetMFADevice" -> {
                MfaDevice d = st.mfaDevices.get(s(in, "SerialNumber"));
                if (d == null || d.user == null || (s(in, "UserName") != null && !d.user.equals(s(in, "UserName")))) {
                    throw IamErrors.noSuchEntity("MFA Device with serial number " + s(in, "SerialNumber") + " does not exist.");
                }
                yield Map.of("UserName", d.user, "SerialNumber", d.serial, "EnableDate", Instant.ofEpochMilli(d.enabled));
            }
            // tags of the account's other resources, kept as the principals' are
            case "TagOpenIDConnectProvider" -> IamProvider.tag(oidc(a, s(in, "OpenIDConnectProviderArn")).tags, in);
            case "UntagOpenIDConnectProvider" -> IamProvider.untag(oidc(a, s(in, "OpenIDConnectProviderArn")).tags, in);
            case "ListOpenIDConnectProviderTags" -> page(in, "Tags", tagList(oidc(a, s(in, "OpenIDConnectProviderArn")).tags), t -> t);
            case "TagSAMLProvider" -> IamProvider.tag(saml(a, s(in, "SAMLProviderArn")).tags, in);
            case "UntagSAMLProvider" -> IamProvider.untag(saml(a, s(in, "SAMLProviderArn")).tags, in);
            case "ListSAMLProviderTags" -> page(in, "Tags", tagList(saml(a, s(in, "SAMLProviderArn")).tags), t -> t);
            case "TagServerCertificate" -> IamProvider.tag(cert(a, s(in, "ServerCertificateName")).tags, in);
            case "UntagServerCertificate" -> IamProvider.untag(cert(a, s(in, "ServerCertificateName")).tags, in);
            case "ListServerCertificateTags" -> page(in, "Tags", tagList(cert(a, s(in, "ServerCertificateName")).tags), t -> t);
            case "TagMFADevice" -> IamProvider.tag(mfa(a, s(in, "SerialNumber")).tags, in);
            case "UntagMFADevice" -> IamProvider.untag(mfa(a, s(in, "SerialNumber")).tags, in);
            case "ListMFADeviceTags" -> page(in, "Tags", tagList(mfa(a, s(in, "SerialNumber")).tags), t -> t);
            case "GetAccountAuthorizationDetails" -> authorizationDetails(a, p, in);
            case "SimulatePrincipalPolicy" -> {
                String source = s(in, "PolicySourceArn");
                List<PolicyEvaluator.Source> policies = a.policiesOf(source);
                if (policies == null) throw IamErrors.noSuchEntity("PolicySourceArn " + source + " does not exist.");
                policies = new ArrayList<>(policies);
                int i = 0;
                for (String doc : strings(in.get("PolicyInputList"))) {
                    PolicyEvaluator.parse(doc);
                    policies.add(new PolicyEvaluator.Source("PolicyInputList." + (++i), "IAM Policy", doc));
                }
                yield simulate(policies, in);
            }
            case "SimulateCustomPolicy" -> {
                List<PolicyEvaluator.Source> policies = new ArrayList<>();
                int i = 0;
                for (String doc : strings(in.get("PolicyInputList"))) {
                    PolicyEvaluator.parse(doc);
                    policies.add(new PolicyEvaluator.Source("PolicyInputList." + (++i), "IAM Policy", doc));
                }
                yield simulate(policies, in);
            }
            case "GetAccountSummary" -> {
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("Users", st.users.size());
                summary.put("Groups", st.groups.size());
                summary.put("Roles", st.roles.size());
                summary.put("Policies", st.policies.size());
                summary.put("InstanceProfiles", st.instanceProfiles.size());
                summary.put("ServerCertificates", st.serverCertificates.size());
                summary.put("MFADevices", st.mfaDevices.size());
                summary.put("AccountMFAEnabled", 0);
                summary.put("UsersQuota", 5000);
                summary.put("GroupsQuota", 300);
                summary.put("RolesQuota", 1000);
                summary.put("PoliciesQuota", 1500);
                summary.put("AccessKeysPerUserQuota", 2);
                summary.put("PolicyVersionsInUseQuota", 10000);
                yield Map.of("SummaryMap", summary);
            }
            default -> throw new UnsupportedOperationException(op);
        };
    }

    private static Map<String, Object> loginProfile(User u) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("UserName", u.name);
        out.put("CreateDate", Instant.ofEpochMilli(u.loginProfile.created));
        out.put("PasswordResetRequired", u.loginProfile.resetRequired);
        return out;
    }

    private static User withLoginProfile(IamAccount a, String name) {
        User u = a.user(name);
        if (u.loginProfile == null) throw IamErrors.noSuchEntity("Login Profile for User " + name + " cannot be found.");
        return u;
    }

    private static OidcProvider oidc(IamAccount a, String arn) {
        OidcProvider o = arn == null ? null : a.state.oidcProviders.get(arn);
        if (o == null) throw IamErrors.noSuchEntity("OpenIDConnect Provider not found for arn " + arn);
        return o;
    }

    private static SamlProvider saml(IamAccount a, String arn) {
        SamlProvider sp = arn == null ? null : a.state.samlProviders.get(arn);
        if (sp == null) throw IamErrors.noSuchEntity("SAMLProvider " + arn + " not found");
        return sp;
    }

    private static MfaDevice mfa(IamAccount a, String serial) {
        MfaDevice d = serial == null ? null : a.state.mfaDevices.get(serial);
        if (d == null) throw IamErrors.noSuchEntity("MFA device with serial number " + serial + " not found.");
        return d;
    }

    private static ServerCertificate cert(IamAccount a, String name) {
        ServerCertificate c = name == null ? null : a.state.serverCertificates.get(name);
        if (c == null) throw IamErrors.noSuchEntity("The Server Certificate with name " + name + " cannot be found.");
        return c;
    }

    private static Map<String, Object> certMetadata(ServerCertificate c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Path", c.path);
        out.put("ServerCertificateName", c.name);
        out.put("ServerCertificateId", c.id);
        out.put("Arn", c.arn);
        out.put("UploadDate", Instant.ofEpochMilli(c.uploaded));
        out.put("Expiration", Instant.ofEpochMilli(c.expiration));
        return out;
    }

    private static Map<String, Object> authorizationDetails(IamAccount a, IamProvider p, Map<String, Object> in) {
        List<String> filter = strings(in.get("Filter"));
        boolean all = filter.isEmpty();
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> users = new ArrayList<>();
        if (all || filter.contains("User")) {
            for (User u : a.state.users.values()) {
                Map<String, Object> d = p.user(u, true);
                d.put("UserPolicyList", inlineList(u.inline));
                List<String> groups = new ArrayList<>();
                for (Group g : a.state.groups.values()) if (g.members.contains(u.name)) groups.add(g.name);
                d.put("GroupList", groups);
                d.put("AttachedManagedPolicies", u.attached.stream().map(arn -> IamProvider.attached(a, arn)).toList());
                users.add(d);
            }
        }
        List<Object> groups = new ArrayList<>();
        if (all || filter.contains("Group")) {
            for (Group g : a.state.groups.values()) {
                Map<String, Object> d = p.group(g);
                d.put("GroupPolicyList", inlineList(g.inline));
                d.put("AttachedManagedPolicies", g.attached.stream().map(arn -> IamProvider.attached(a, arn)).toList());
                groups.add(d);
            }
        }
        List<Object> roles = new ArrayList<>();
        if (all || filter.contains("Role")) {
            for (Role r : a.state.roles.values()) {
                Map<String, Object> d = p.role(r, "get");
                d.remove("MaxSessionDuration");
                d.remove("Description");
                d.put("InstanceProfileList", a.state.instanceProfiles.values().stream().filter(ip -> ip.roles.contains(r.name))
                        .map(ip -> p.instanceProfile(a, ip)).toList());
                d.put("RolePolicyList", inlineList(r.inline));
                d.put("AttachedManagedPolicies", r.attached.stream().map(arn -> IamProvider.attached(a, arn)).toList());
                roles.add(d);
            }
        }
        List<Object> policies = new ArrayList<>();
        if (all || filter.contains("LocalManagedPolicy")) {
            for (ManagedPolicy m : a.state.policies.values()) {
                Map<String, Object> d = p.policy(a, m, false);
                d.put("PolicyVersionList", m.versions.stream().map(v -> IamProvider.version(m, v, true)).toList());
                policies.add(d);
            }
        }
        out.put("UserDetailList", users);
        out.put("GroupDetailList", groups);
        out.put("RoleDetailList", roles);
        out.put("Policies", policies);
        out.put("IsTruncated", false);
        return out;
    }

    private static List<Object> inlineList(Map<String, String> inline) {
        List<Object> out = new ArrayList<>();
        inline.forEach((name, doc) -> out.add(Map.of("PolicyName", name, "PolicyDocument", encode(doc))));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> simulate(List<PolicyEvaluator.Source> policies, Map<String, Object> in) {
        Map<String, List<String>> context = new LinkedHashMap<>();
        if (in.get("ContextEntries") instanceof List<?> entries) {
            for (Object o : entries) {
                Map<String, Object> e = (Map<String, Object>) o;
                context.put(String.valueOf(e.get("ContextKeyName")), strings(e.get("ContextKeyValues")));
            }
        }
        List<String> resources = strings(in.get("ResourceArns"));
        if (resources.isEmpty()) resources = List.of("*");
        List<Object> results = new ArrayList<>();
        for (String action : strings(in.get("ActionNames"))) {
            for (String resource : resources) {
                PolicyEvaluator.Result r = PolicyEvaluator.evaluate(policies, action, resource, context);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("EvalActionName", action);
                result.put("EvalResourceName", resource);
                result.put("EvalDecision", r.awsName());
                List<Object> matched = new ArrayList<>();
                for (PolicyEvaluator.Source s : r.matched()) matched.add(Map.of("SourcePolicyId", s.id(), "SourcePolicyType", s.type()));
                result.put("MatchedStatements", matched);
                result.put("MissingContextValues", List.of());
                results.add(result);
            }
        }
        Map<String, Object> out = page(in, "EvaluationResults", results, x -> x);
        Integer max = integer(in, "MaxItems");
        if (max == null) out.put("IsTruncated", false);
        return out;
    }
}
