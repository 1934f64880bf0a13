package dev.polystack.services.iam;

import dev.polystack.api.RequestContext;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.iam.IamState.Group;
import dev.polystack.services.iam.IamState.ManagedPolicy;
import dev.polystack.services.iam.IamState.MfaDevice;
import dev.polystack.services.iam.IamState.OidcProvider;
import dev.polystack.services.iam.IamState.Role;
import dev.polystack.services.iam.IamState.SamlProvider;
import dev.polystack.services.iam.IamState.ServerCertificate;
import dev.polystack.services.iam.IamState.User;
import dev.polystack.services.iam.api.*;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rest of IAM's surface: login profiles, account aliases and password policy, OIDC and SAML providers, virtual
 * MFA devices, server certificates, GetAccountAuthorizationDetails, GetAccountSummary and policy simulation.
 */
abstract class IamExtras extends IamCredentials {
    private static final SecureRandom RANDOM = new SecureRandom();

    // ---------------------------------------------------------------- login profiles

    @Override
    public CreateLoginProfileResponse createLoginProfile(RequestContext ctx, CreateLoginProfileRequest in) {
        return locked(ctx, a -> {
            User u = a.user(in.userName());
            if (u.loginProfile != null) throw IamErrors.exists("Login Profile for user " + u.name + " already exists.");
            IamState.LoginProfile profile = new IamState.LoginProfile();
            long now = now();
            profile.created = now;
            profile.resetRequired = Boolean.TRUE.equals(in.passwordResetRequired());
            IamCredentials.setPassword(a, profile, in.password(), now);
            u.loginProfile = profile;
            return CreateLoginProfileResponse.builder().loginProfile(loginProfile(u)).build();
        });
    }

    @Override
    public GetLoginProfileResponse getLoginProfile(RequestContext ctx, GetLoginProfileRequest in) {
        return locked(ctx, a -> GetLoginProfileResponse.builder().loginProfile(loginProfile(withLoginProfile(a, in.userName()))).build());
    }

    @Override
    public void updateLoginProfile(RequestContext ctx, UpdateLoginProfileRequest in) {
        run(ctx, a -> {
            User u = withLoginProfile(a, in.userName());
            if (in.password() != null) IamCredentials.setPassword(a, u.loginProfile, in.password(), now());
            if (in.passwordResetRequired() != null) u.loginProfile.resetRequired = in.passwordResetRequired();
        });
    }

    @Override
    public void deleteLoginProfile(RequestContext ctx, DeleteLoginProfileRequest in) {
        run(ctx, a -> withLoginProfile(a, in.userName()).loginProfile = null);
    }

    private static LoginProfile loginProfile(User u) {
        return LoginProfile.builder().userName(u.name).createDate(Instant.ofEpochMilli(u.loginProfile.created))
                .passwordResetRequired(u.loginProfile.resetRequired).build();
    }

    private static User withLoginProfile(IamAccount a, String name) {
        User u = a.user(name);
        if (u.loginProfile == null) throw IamErrors.noSuchEntity("Login Profile for User " + name + " cannot be found.");
        return u;
    }

    // ---------------------------------------------------------------- account alias, password policy, summary

    @Override
    public void createAccountAlias(RequestContext ctx, CreateAccountAliasRequest in) {
        run(ctx, a -> {
            String alias = in.accountAlias();
            if (alias == null || !alias.matches("^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$")) {
                throw IamErrors.validation("1 validation error detected: Value '" + alias + "' at 'accountAlias' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$");
            }
            a.state.aliases.clear();
            a.state.aliases.add(alias);
        });
    }

    @Override
    public ListAccountAliasesResponse listAccountAliases(RequestContext ctx, ListAccountAliasesRequest in) {
        return locked(ctx, a -> {
            Page<String> page = page(in.maxItems(), in.marker(), a.state.aliases, x -> x);
            return ListAccountAliasesResponse.builder().accountAliases(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public void deleteAccountAlias(RequestContext ctx, DeleteAccountAliasRequest in) {
        run(ctx, a -> {
            if (!a.state.aliases.remove(in.accountAlias())) {
                throw IamErrors.noSuchEntity("The account alias " + in.accountAlias() + " cannot be found.");
            }
        });
    }

    @Override
    public void updateAccountPasswordPolicy(RequestContext ctx, UpdateAccountPasswordPolicyRequest in) {
        run(ctx, a -> {
            // kept under AWS's member names: GetAccountPasswordPolicy answers it as it is
            Map<String, Object> policy = new LinkedHashMap<>();
            policy.put("MinimumPasswordLength", in.minimumPasswordLength() == null ? 6 : in.minimumPasswordLength());
            policy.put("RequireSymbols", Boolean.TRUE.equals(in.requireSymbols()));
            policy.put("RequireNumbers", Boolean.TRUE.equals(in.requireNumbers()));
            policy.put("RequireUppercaseCharacters", Boolean.TRUE.equals(in.requireUppercaseCharacters()));
            policy.put("RequireLowercaseCharacters", Boolean.TRUE.equals(in.requireLowercaseCharacters()));
            policy.put("AllowUsersToChangePassword", Boolean.TRUE.equals(in.allowUsersToChangePassword()));
            Integer maxAge = in.maxPasswordAge();
            policy.put("ExpirePasswords", maxAge != null && maxAge > 0);
            if (maxAge != null) policy.put("MaxPasswordAge", maxAge);
            if (in.passwordReusePrevention() != null) policy.put("PasswordReusePrevention", in.passwordReusePrevention());
            if (in.hardExpiry() != null) policy.put("HardExpiry", in.hardExpiry());
            a.state.passwordPolicy = policy;
        });
    }

    @Override
    public GetAccountPasswordPolicyResponse getAccountPasswordPolicy(RequestContext ctx) {
        return locked(ctx, a -> {
            if (a.state.passwordPolicy == null) {
                throw IamErrors.noSuchEntity("The Password Policy with domain name " + a.accountId + " cannot be found.");
            }
            return GetAccountPasswordPolicyResponse.builder()
                    .passwordPolicy(TreeConverter.fromTree(PasswordPolicy.SHAPE, a.state.passwordPolicy)).build();
        });
    }

    @Override
    public void deleteAccountPasswordPolicy(RequestContext ctx) {
        run(ctx, a -> {
            if (a.state.passwordPolicy == null) throw IamErrors.noSuchEntity("The account policy with name PasswordPolicy cannot be found.");
            a.state.passwordPolicy = null;
        });
    }

    @Override
    public GetAccountSummaryResponse getAccountSummary(RequestContext ctx) {
        return locked(ctx, a -> {
            var st = a.state;
            Map<String, Integer> summary = new LinkedHashMap<>();
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
            return GetAccountSummaryResponse.builder().summaryMap(summary).build();
        });
    }

    // ---------------------------------------------------------------- OIDC providers

    @Override
    public CreateOpenIDConnectProviderResponse createOpenIDConnectProvider(RequestContext ctx, CreateOpenIDConnectProviderRequest in) {
        return locked(ctx, a -> {
            String url = in.url();
            String host = url == null ? "" : url.replaceFirst("^https://", "");
            String arn = "arn:" + a.partition + ":iam::" + a.accountId + ":oidc-provider/" + host;
            if (a.state.oidcProviders.containsKey(arn)) throw IamErrors.exists("Provider with url " + url + " already exists.");
            OidcProvider o = new OidcProvider();
            o.arn = arn;
            o.url = host;
            o.clientIds.addAll(orEmpty(in.clientIDList()));
            o.thumbprints.addAll(orEmpty(in.thumbprintList()));
            o.created = now();
            o.tags.putAll(tags(in.tags()));
            a.state.oidcProviders.put(arn, o);
            return CreateOpenIDConnectProviderResponse.builder().openIDConnectProviderArn(arn).tags(tagsIfAny(o.tags)).build();
        });
    }

    @Override
    public GetOpenIDConnectProviderResponse getOpenIDConnectProvider(RequestContext ctx, GetOpenIDConnectProviderRequest in) {
        return locked(ctx, a -> {
            OidcProvider o = oidc(a, in.openIDConnectProviderArn());
            return GetOpenIDConnectProviderResponse.builder().url(o.url).clientIDList(List.copyOf(o.clientIds))
                    .thumbprintList(List.copyOf(o.thumbprints)).createDate(Instant.ofEpochMilli(o.created)).tags(tagList(o.tags)).build();
        });
    }

    @Override
    public ListOpenIDConnectProvidersResponse listOpenIDConnectProviders(RequestContext ctx, ListOpenIDConnectProvidersRequest in) {
        return locked(ctx, a -> ListOpenIDConnectProvidersResponse.builder().openIDConnectProviderList(a.state.oidcProviders.keySet().stream()
                .map(arn -> OpenIDConnectProviderListEntry.builder().arn(arn).build()).toList()).build());
    }

    @Override
    public void addClientIDToOpenIDConnectProvider(RequestContext ctx, AddClientIDToOpenIDConnectProviderRequest in) {
        run(ctx, a -> {
            OidcProvider o = oidc(a, in.openIDConnectProviderArn());
            if (!o.clientIds.contains(in.clientID())) o.clientIds.add(in.clientID());
        });
    }

    @Override
    public void removeClientIDFromOpenIDConnectProvider(RequestContext ctx, RemoveClientIDFromOpenIDConnectProviderRequest in) {
        run(ctx, a -> oidc(a, in.openIDConnectProviderArn()).clientIds.remove(in.clientID()));
    }

    @Override
    public void updateOpenIDConnectProviderThumbprint(RequestContext ctx, UpdateOpenIDConnectProviderThumbprintRequest in) {
        run(ctx, a -> oidc(a, in.openIDConnectProviderArn()).thumbprints = new ArrayList<>(orEmpty(in.thumbprintList())));
    }

    @Override
    public void deleteOpenIDConnectProvider(RequestContext ctx, DeleteOpenIDConnectProviderRequest in) {
        run(ctx, a -> {
            oidc(a, in.openIDConnectProviderArn());
            a.state.oidcProviders.remove(in.openIDConnectProviderArn());
        });
    }

    @Override
    public void tagOpenIDConnectProvider(RequestContext ctx, TagOpenIDConnectProviderRequest in) {
        run(ctx, a -> tag(oidc(a, in.openIDConnectProviderArn()).tags, in.tags()));
    }

    @Override
    public void untagOpenIDConnectProvider(RequestContext ctx, UntagOpenIDConnectProviderRequest in) {
        run(ctx, a -> untag(oidc(a, in.openIDConnectProviderArn()).tags, in.tagKeys()));
    }

    @Override
    public ListOpenIDConnectProviderTagsResponse listOpenIDConnectProviderTags(RequestContext ctx, ListOpenIDConnectProviderTagsRequest in) {
        return locked(ctx, a -> {
            Page<Tag> page = page(in.maxItems(), in.marker(), tagList(oidc(a, in.openIDConnectProviderArn()).tags), t -> t);
            return ListOpenIDConnectProviderTagsResponse.builder().tags(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    private static OidcProvider oidc(IamAccount a, String arn) {
        OidcProvider o = arn == null ? null : a.state.oidcProviders.get(arn);
        if (o == null) throw IamErrors.noSuchEntity("OpenIDConnect Provider not found for arn " + arn);
        return o;
    }

    // ---------------------------------------------------------------- SAML providers

    @Override
    public CreateSAMLProviderResponse createSAMLProvider(RequestContext ctx, CreateSAMLProviderRequest in) {
        return locked(ctx, a -> {
            String name = in.name();
            String arn = "arn:" + a.partition + ":iam::" + a.accountId + ":saml-provider/" + name;
            if (a.state.samlProviders.containsKey(arn)) throw IamErrors.exists("SAMLProvider " + name + " already exists.");
            SamlProvider sp = new SamlProvider();
            long now = now();
            sp.arn = arn;
            sp.metadata = in.samlMetadataDocument();
            sp.created = now;
            sp.validUntil = now + 365L * 86_400_000L * 100;
            sp.tags.putAll(tags(in.tags()));
            a.state.samlProviders.put(arn, sp);
            return CreateSAMLProviderResponse.builder().samlProviderArn(arn).build();
        });
    }

    @Override
    public GetSAMLProviderResponse getSAMLProvider(RequestContext ctx, GetSAMLProviderRequest in) {
        return locked(ctx, a -> {
            SamlProvider sp = saml(a, in.samlProviderArn());
            return GetSAMLProviderResponse.builder().samlMetadataDocument(sp.metadata).createDate(Instant.ofEpochMilli(sp.created))
                    .validUntil(Instant.ofEpochMilli(sp.validUntil)).tags(tagsIfAny(sp.tags)).build();
        });
    }

    @Override
    public UpdateSAMLProviderResponse updateSAMLProvider(RequestContext ctx, UpdateSAMLProviderRequest in) {
        return locked(ctx, a -> {
            SamlProvider sp = saml(a, in.samlProviderArn());
            if (in.samlMetadataDocument() != null) sp.metadata = in.samlMetadataDocument();
            return UpdateSAMLProviderResponse.builder().samlProviderArn(sp.arn).build();
        });
    }

    @Override
    public ListSAMLProvidersResponse listSAMLProviders(RequestContext ctx, ListSAMLProvidersRequest in) {
        return locked(ctx, a -> ListSAMLProvidersResponse.builder().samlProviderList(a.state.samlProviders.values().stream()
                .map(sp -> SAMLProviderListEntry.builder().arn(sp.arn).createDate(Instant.ofEpochMilli(sp.created))
                        .validUntil(Instant.ofEpochMilli(sp.validUntil)).build()).toList()).build());
    }

    @Override
    public void deleteSAMLProvider(RequestContext ctx, DeleteSAMLProviderRequest in) {
        run(ctx, a -> {
            saml(a, in.samlProviderArn());
            a.state.samlProviders.remove(in.samlProviderArn());
        });
    }

    @Override
    public void tagSAMLProvider(RequestContext ctx, TagSAMLProviderRequest in) {
        run(ctx, a -> tag(saml(a, in.samlProviderArn()).tags, in.tags()));
    }

    @Override
    public void untagSAMLProvider(RequestContext ctx, UntagSAMLProviderRequest in) {
        run(ctx, a -> untag(saml(a, in.samlProviderArn()).tags, in.tagKeys()));
    }

    @Override
    public ListSAMLProviderTagsResponse listSAMLProviderTags(RequestContext ctx, ListSAMLProviderTagsRequest in) {
        return locked(ctx, a -> {
            Page<Tag> page = page(in.maxItems(), in.marker(), tagList(saml(a, in.samlProviderArn()).tags), t -> t);
            return ListSAMLProviderTagsResponse.builder().tags(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    private static SamlProvider saml(IamAccount a, String arn) {
        SamlProvider sp = arn == null ? null : a.state.samlProviders.get(arn);
        if (sp == null) throw IamErrors.noSuchEntity("SAMLProvider " + arn + " not found");
        return sp;
    }

    // ---------------------------------------------------------------- MFA devices

    @Override
    public CreateVirtualMFADeviceResponse createVirtualMFADevice(RequestContext ctx, CreateVirtualMFADeviceRequest in) {
        return locked(ctx, a -> {
            String name = in.virtualMFADeviceName();
            String path = IamAccount.checkPath(in.path());
            String serial = "arn:" + a.partition + ":iam::" + a.accountId + ":mfa" + path + name;
            if (a.state.mfaDevices.containsKey(serial)) throw IamErrors.exists("MFADevice entity at the same path and name already exists.");
            MfaDevice d = new MfaDevice();
            d.serial = serial;
            byte[] seed = new byte[40];
            RANDOM.nextBytes(seed);
            d.seed = Base64.getEncoder().encodeToString(seed);
            d.tags.putAll(tags(in.tags()));
            a.state.mfaDevices.put(serial, d);
            return CreateVirtualMFADeviceResponse.builder().virtualMFADevice(VirtualMFADevice.builder()
                    .serialNumber(serial).base32StringSeed(d.seed.getBytes()).qrCodePNG(seed).build()).build();
        });
    }

    @Override
    public void enableMFADevice(RequestContext ctx, EnableMFADeviceRequest in) {
        run(ctx, a -> {
            User u = a.user(in.userName());
            MfaDevice d = a.state.mfaDevices.get(in.serialNumber());
            if (d == null) throw IamErrors.noSuchEntity("MFA device with serial number " + in.serialNumber() + " not found.");
            if (d.user != null) throw IamErrors.exists("MFA device is already in use.");
            d.user = u.name;
            d.enabled = now();
            u.mfaSerials.add(d.serial);
        });
    }

    @Override
    public void deactivateMFADevice(RequestContext ctx, DeactivateMFADeviceRequest in) {
        run(ctx, a -> {
            User u = a.user(in.userName());
            MfaDevice d = a.state.mfaDevices.get(in.serialNumber());
            if (d == null || !u.name.equals(d.user)) {
                throw IamErrors.noSuchEntity("MFA Device with serial number " + in.serialNumber() + " does not exist.");
            }
            d.user = null;
            d.enabled = 0;
            u.mfaSerials.remove(d.serial);
        });
    }

    @Override
    public ListMFADevicesResponse listMFADevices(RequestContext ctx, ListMFADevicesRequest in) {
        return locked(ctx, a -> {
            List<MFADevice> list = new ArrayList<>();
            for (MfaDevice d : a.state.mfaDevices.values()) {
                if (d.user != null && (in.userName() == null || d.user.equals(in.userName()))) {
                    list.add(MFADevice.builder().userName(d.user).serialNumber(d.serial).enableDate(Instant.ofEpochMilli(d.enabled)).build());
                }
            }
            Page<MFADevice> page = page(in.maxItems(), in.marker(), list, x -> x);
            return ListMFADevicesResponse.builder().mfaDevices(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public ListVirtualMFADevicesResponse listVirtualMFADevices(RequestContext ctx, ListVirtualMFADevicesRequest in) {
        return locked(ctx, a -> {
            String status = in.assignmentStatusAsString() == null ? "Any" : in.assignmentStatusAsString();
            List<VirtualMFADevice> list = new ArrayList<>();
            for (MfaDevice d : a.state.mfaDevices.values()) {
                boolean assigned = d.user != null;
                if (status.equals("Assigned") && !assigned || status.equals("Unassigned") && assigned) continue;
                var entry = VirtualMFADevice.builder().serialNumber(d.serial);
                if (assigned) entry.user(user(a.user(d.user), false)).enableDate(Instant.ofEpochMilli(d.enabled));
                list.add(entry.build());
            }
            Page<VirtualMFADevice> page = page(in.maxItems(), in.marker(), list, x -> x);
            return ListVirtualMFADevicesResponse.builder().virtualMFADevices(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public void deleteVirtualMFADevice(RequestContext ctx, DeleteVirtualMFADeviceRequest in) {
        run(ctx, a -> {
            MfaDevice d = a.state.mfaDevices.get(in.serialNumber());
            if (d == null) throw IamErrors.noSuchEntity("VirtualMFADevice with serial number " + in.serialNumber() + " doesn't exist.");
            if (d.user != null) throw IamErrors.deleteConflict("VirtualMFADevice is still assigned to a user.");
            a.state.mfaDevices.remove(d.serial);
        });
    }

    @Override
    public GetMFADeviceResponse getMFADevice(RequestContext ctx, GetMFADeviceRequest in) {
        return locked(ctx, a -> {
            MfaDevice d = a.state.mfaDevices.get(in.serialNumber());
            if (d == null || d.user == null || (in.userName() != null && !d.user.equals(in.userName()))) {
                throw IamErrors.noSuchEntity("MFA Device with serial number " + in.serialNumber() + " does not exist.");
            }
            return GetMFADeviceResponse.builder().userName(d.user).serialNumber(d.serial).enableDate(Instant.ofEpochMilli(d.enabled)).build();
        });
    }

    @Override
    public void tagMFADevice(RequestContext ctx, TagMFADeviceRequest in) {
        run(ctx, a -> tag(mfa(a, in.serialNumber()).tags, in.tags()));
    }

    @Override
    public void untagMFADevice(RequestContext ctx, UntagMFADeviceRequest in) {
        run(ctx, a -> untag(mfa(a, in.serialNumber()).tags, in.tagKeys()));
    }

    @Override
    public ListMFADeviceTagsResponse listMFADeviceTags(RequestContext ctx, ListMFADeviceTagsRequest in) {
        return locked(ctx, a -> {
            Page<Tag> page = page(in.maxItems(), in.marker(), tagList(mfa(a, in.serialNumber()).tags), t -> t);
            return ListMFADeviceTagsResponse.builder().tags(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    private static MfaDevice mfa(IamAccount a, String serial) {
        MfaDevice d = serial == null ? null : a.state.mfaDevices.get(serial);
        if (d == null) throw IamErrors.noSuchEntity("MFA device with serial number " + serial + " not found.");
        return d;
    }

    // ---------------------------------------------------------------- server certificates

    @Override
    public UploadServerCertificateResponse uploadServerCertificate(RequestContext ctx, UploadServerCertificateRequest in) {
        return locked(ctx, a -> {
            String name = in.serverCertificateName();
            if (a.state.serverCertificates.containsKey(name)) throw IamErrors.exists("The Server Certificate with name " + name + " already exists.");
            ServerCertificate c = new ServerCertificate();
            long now = now();
            c.name = name;
            c.path = IamAccount.checkPath(in.path());
            c.id = IamAccount.id("ASCA");
            c.arn = "arn:" + a.partition + ":iam::" + a.accountId + ":server-certificate" + c.path + name;
            c.body = in.certificateBody();
            c.chain = in.certificateChain();
            c.uploaded = now;
            c.expiration = now + 365L * 86_400_000L;
            c.tags.putAll(tags(in.tags()));
            a.state.serverCertificates.put(name, c);
            return UploadServerCertificateResponse.builder().serverCertificateMetadata(certMetadata(c)).build();
        });
    }

    @Override
    public GetServerCertificateResponse getServerCertificate(RequestContext ctx, GetServerCertificateRequest in) {
        return locked(ctx, a -> {
            ServerCertificate c = cert(a, in.serverCertificateName());
            return GetServerCertificateResponse.builder().serverCertificate(dev.polystack.services.iam.api.ServerCertificate.builder()
                    .serverCertificateMetadata(certMetadata(c)).certificateBody(c.body).certificateChain(c.chain).build()).build();
        });
    }

    @Override
    public ListServerCertificatesResponse listServerCertificates(RequestContext ctx, ListServerCertificatesRequest in) {
        return locked(ctx, a -> {
            Page<ServerCertificateMetadata> page = page(in.maxItems(), in.marker(), new ArrayList<>(a.state.serverCertificates.values()),
                    IamExtras::certMetadata);
            return ListServerCertificatesResponse.builder().serverCertificateMetadataList(page.items()).isTruncated(page.truncated())
                    .marker(page.marker()).build();
        });
    }

    @Override
    public void deleteServerCertificate(RequestContext ctx, DeleteServerCertificateRequest in) {
        run(ctx, a -> {
            cert(a, in.serverCertificateName());
            a.state.serverCertificates.remove(in.serverCertificateName());
        });
    }

    @Override
    public void updateServerCertificate(RequestContext ctx, UpdateServerCertificateRequest in) {
        run(ctx, a -> {
            ServerCertificate c = cert(a, in.serverCertificateName());
            String newName = in.newServerCertificateName();
            if (newName != null && !newName.equals(c.name)) {
                if (a.state.serverCertificates.containsKey(newName)) {
                    throw IamErrors.exists("The Server Certificate with name " + newName + " already exists.");
                }
                a.state.serverCertificates.remove(c.name);
                c.name = newName;
                a.state.serverCertificates.put(newName, c);
            }
            if (in.newPath() != null) c.path = IamAccount.checkPath(in.newPath());
            c.arn = "arn:" + a.partition + ":iam::" + a.accountId + ":server-certificate" + c.path + c.name;
        });
    }

    @Override
    public void tagServerCertificate(RequestContext ctx, TagServerCertificateRequest in) {
        run(ctx, a -> tag(cert(a, in.serverCertificateName()).tags, in.tags()));
    }

    @Override
    public void untagServerCertificate(RequestContext ctx, UntagServerCertificateRequest in) {
        run(ctx, a -> untag(cert(a, in.serverCertificateName()).tags, in.tagKeys()));
    }

    @Override
    public ListServerCertificateTagsResponse listServerCertificateTags(RequestContext ctx, ListServerCertificateTagsRequest in) {
        return locked(ctx, a -> {
            Page<Tag> page = page(in.maxItems(), in.marker(), tagList(cert(a, in.serverCertificateName()).tags), t -> t);
            return ListServerCertificateTagsResponse.builder().tags(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    private static ServerCertificate cert(IamAccount a, String name) {
        ServerCertificate c = name == null ? null : a.state.serverCertificates.get(name);
        if (c == null) throw IamErrors.noSuchEntity("The Server Certificate with name " + name + " cannot be found.");
        return c;
    }

    private static ServerCertificateMetadata certMetadata(ServerCertificate c) {
        return ServerCertificateMetadata.builder().path(c.path).serverCertificateName(c.name).serverCertificateId(c.id).arn(c.arn)
                .uploadDate(Instant.ofEpochMilli(c.uploaded)).expiration(Instant.ofEpochMilli(c.expiration)).build();
    }

    // ---------------------------------------------------------------- GetAccountAuthorizationDetails

    @Override
    public GetAccountAuthorizationDetailsResponse getAccountAuthorizationDetails(RequestContext ctx, GetAccountAuthorizationDetailsRequest in) {
        return locked(ctx, a -> {
            List<String> filter = in.filter() == null ? List.of() : in.filterAsStrings();
            boolean all = filter.isEmpty();
            List<UserDetail> users = new ArrayList<>();
            if (all || filter.contains("User")) {
                for (User u : a.state.users.values()) {
                    List<String> groups = new ArrayList<>();
                    for (Group g : a.state.groups.values()) if (g.members.contains(u.name)) groups.add(g.name);
                    users.add(UserDetail.builder().path(u.path).userName(u.name).userId(u.id).arn(u.arn).createDate(date(u.created))
                            .permissionsBoundary(boundary(u.boundary)).tags(tagsIfAny(u.tags))
                            .userPolicyList(inlineList(u.inline)).groupList(groups)
                            .attachedManagedPolicies(u.attached.stream().map(arn -> attached(a, arn)).toList()).build());
                }
            }
            List<GroupDetail> groups = new ArrayList<>();
            if (all || filter.contains("Group")) {
                for (Group g : a.state.groups.values()) {
                    groups.add(GroupDetail.builder().path(g.path).groupName(g.name).groupId(g.id).arn(g.arn).createDate(date(g.created))
                            .groupPolicyList(inlineList(g.inline))
                            .attachedManagedPolicies(g.attached.stream().map(arn -> attached(a, arn)).toList()).build());
                }
            }
            List<RoleDetail> roles = new ArrayList<>();
            if (all || filter.contains("Role")) {
                for (Role r : a.state.roles.values()) {
                    roles.add(RoleDetail.builder().path(r.path).roleName(r.name).roleId(r.id).arn(r.arn).createDate(date(r.created))
                            .assumeRolePolicyDocument(encode(r.trust)).permissionsBoundary(boundary(r.boundary)).tags(tagsIfAny(r.tags))
                            .roleLastUsed(roleLastUsed(r))
                            .instanceProfileList(a.state.instanceProfiles.values().stream().filter(ip -> ip.roles.contains(r.name))
                                    .map(ip -> instanceProfile(a, ip)).toList())
                            .rolePolicyList(inlineList(r.inline))
                            .attachedManagedPolicies(r.attached.stream().map(arn -> attached(a, arn)).toList()).build());
                }
            }
            List<ManagedPolicyDetail> policies = new ArrayList<>();
            if (all || filter.contains("LocalManagedPolicy")) {
                for (ManagedPolicy m : a.state.policies.values()) {
                    policies.add(ManagedPolicyDetail.builder().policyName(m.name).policyId(m.id).arn(m.arn).path(m.path)
                            .defaultVersionId(m.defaultVersion).attachmentCount(a.attachments(m.arn))
                            .permissionsBoundaryUsageCount(a.boundaryUses(m.arn)).isAttachable(true)
                            .createDate(date(m.created)).updateDate(date(m.updated))
                            .policyVersionList(m.versions.stream().map(v -> version(m, v, true)).toList()).build());
                }
            }
            return GetAccountAuthorizationDetailsResponse.builder().userDetailList(users).groupDetailList(groups).roleDetailList(roles)
                    .policies(policies).isTruncated(false).build();
        });
    }

    private static List<PolicyDetail> inlineList(Map<String, String> inline) {
        List<PolicyDetail> out = new ArrayList<>();
        inline.forEach((name, doc) -> out.add(PolicyDetail.builder().policyName(name).policyDocument(encode(doc)).build()));
        return out;
    }

    // ---------------------------------------------------------------- policy simulation

    @Override
    public SimulatePolicyResponse simulatePrincipalPolicy(RequestContext ctx, SimulatePrincipalPolicyRequest in) {
        return locked(ctx, a -> {
            String source = in.policySourceArn();
            List<PolicyEvaluator.Source> policies = a.policiesOf(source);
            if (policies == null) throw IamErrors.noSuchEntity("PolicySourceArn " + source + " does not exist.");
            policies = new ArrayList<>(policies);
            policies.addAll(inputPolicies(in.policyInputList()));
            return simulate(policies, in.contextEntries(), in.resourceArns(), in.actionNames(), in.maxItems(), in.marker(), true);
        });
    }

    @Override
    public SimulatePolicyResponse simulateCustomPolicy(RequestContext ctx, SimulateCustomPolicyRequest in) {
        return simulate(inputPolicies(in.policyInputList()), in.contextEntries(), in.resourceArns(), in.actionNames(), in.maxItems(),
                in.marker(), false);
    }

    private static List<PolicyEvaluator.Source> inputPolicies(List<String> documents) {
        List<PolicyEvaluator.Source> out = new ArrayList<>();
        int i = 0;
        for (String doc : orEmpty(documents)) {
            PolicyEvaluator.parse(doc);
            out.add(new PolicyEvaluator.Source("PolicyInputList." + (++i), "IAM Policy", doc));
        }
        return out;
    }

    /**
     * The policy simulator's answer, as AWS shapes it: per action and resource the decision, the statements behind it
     * with their positions, the condition keys the policies named but the request did not supply, an empty
     * EvalDecisionDetails; a principal's simulation adds Organizations' verdict (no SCPs here: allowed); given
     * ResourceArns, each result repeats itself per resource in ResourceSpecificResults.
     */
    private static SimulatePolicyResponse simulate(List<PolicyEvaluator.Source> policies, List<ContextEntry> entries,
                                                   List<String> resourceArns, List<String> actions, Integer maxItems, String marker,
                                                   boolean principal) {
        Map<String, List<String>> context = new LinkedHashMap<>();
        for (ContextEntry e : orEmpty(entries)) context.put(String.valueOf(e.contextKeyName()), orEmpty(e.contextKeyValues()));
        boolean named = !orEmpty(resourceArns).isEmpty();
        List<String> resources = named ? resourceArns : List.of("*");
        List<EvaluationResult> results = new ArrayList<>();
        for (String action : orEmpty(actions)) {
            for (String resource : resources) {
                PolicyEvaluator.Result r = PolicyEvaluator.evaluate(policies, action, resource, context);
                List<Statement> matched = r.statements().stream().map(IamExtras::statement).toList();
                EvaluationResult.Builder result = EvaluationResult.builder().evalActionName(action).evalResourceName(resource)
                        .evalDecision(r.awsName()).matchedStatements(matched).missingContextValues(r.missingContextKeys())
                        .evalDecisionDetails(Map.of());
                if (principal) result.organizationsDecisionDetail(OrganizationsDecisionDetail.builder().allowedByOrganizations(true).build());
                if (named) {
                    result.resourceSpecificResults(List.of(ResourceSpecificResult.builder().evalResourceName(resource)
                            .evalResourceDecision(r.awsName()).matchedStatements(matched).missingContextValues(r.missingContextKeys()).build()));
                }
                results.add(result.build());
            }
        }
        Page<EvaluationResult> page = page(maxItems, marker, results, x -> x);
        return SimulatePolicyResponse.builder().evaluationResults(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
    }

    private static Statement statement(PolicyEvaluator.Matched m) {
        int[] at = m.position();
        return Statement.builder().sourcePolicyId(m.source().id()).sourcePolicyType(m.source().type())
                .startPosition(Position.builder().line(at[0]).column(at[1]).build())
                .endPosition(Position.builder().line(at[2]).column(at[3]).build()).build();
    }
}
