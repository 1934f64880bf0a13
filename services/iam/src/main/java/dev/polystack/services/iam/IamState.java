package dev.polystack.services.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** IAM's entities (public fields: persisted with Jackson as they are). Guarded by their {@link IamAccount}. */
public final class IamState {
    private IamState() {
    }

    /** What users, groups and roles share: identity, inline and attached policies. */
    public abstract static class Principal {
        public String name;
        public String path = "/";
        public String id;
        public String arn;
        public long created;
        public Map<String, String> inline = new LinkedHashMap<>();
        public Set<String> attached = new LinkedHashSet<>();
        public String boundary;
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class User extends Principal {
        public LoginProfile loginProfile;
        public List<String> mfaSerials = new ArrayList<>();
        public List<ServiceCredential> serviceCredentials = new ArrayList<>();
        public List<SshKey> sshKeys = new ArrayList<>();
        public List<SigningCertificate> signingCertificates = new ArrayList<>();
    }

    public static final class LoginProfile {
        public long created;
        public boolean resetRequired;
        /** Salted SHA-256 of the password (never the password itself), for ChangePassword's check. */
        public String passwordHash;
        public String passwordSalt;
        public long passwordChanged;
    }

    /** A user's password for CodeCommit or Amazon Keyspaces (CreateServiceSpecificCredential). */
    public static final class ServiceCredential {
        public String id;
        public String serviceName;
        public String password;
        public String status = "Active";
        public long created;
    }

    public static final class SshKey {
        public String id;
        public String body;
        public String fingerprint;
        public String status = "Active";
        public long uploaded;
    }

    public static final class SigningCertificate {
        public String id;
        public String body;
        public String status = "Active";
        public long uploaded;
    }

    public static final class Group extends Principal {
        public Set<String> members = new LinkedHashSet<>();
    }

    public static final class Role extends Principal {
        public String trust;
        public String description;
        public int maxSession = 3600;
        public long lastUsed;
        public String lastUsedRegion;
        public boolean serviceLinked;
    }

    public static final class PolicyVersion {
        public String id;
        public String document;
        public long created;
    }

    public static final class ManagedPolicy {
        public String name;
        public String path = "/";
        public String id;
        public String arn;
        public String description;
        public long created;
        public long updated;
        public String defaultVersion = "v1";
        public int nextVersion = 2;
        public List<PolicyVersion> versions = new ArrayList<>();
        public Map<String, String> tags = new LinkedHashMap<>();

        PolicyVersion version(String versionId) {
            for (PolicyVersion v : versions) if (v.id.equals(versionId)) return v;
            return null;
        }

        String document() {
            return version(defaultVersion).document;
        }
    }

    public static final class AccessKey {
        public String id;
        public String secret;
        public String user;
        public String status = "Active";
        public long created;
        public long lastUsed;
        public String lastUsedService;
        public String lastUsedRegion;
    }

    public static final class InstanceProfile {
        public String name;
        public String path = "/";
        public String id;
        public String arn;
        public long created;
        public List<String> roles = new ArrayList<>();
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class OidcProvider {
        public String arn;
        public String url;
        public List<String> clientIds = new ArrayList<>();
        public List<String> thumbprints = new ArrayList<>();
        public long created;
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class SamlProvider {
        public String arn;
        public String metadata;
        public long created;
        public long validUntil;
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class MfaDevice {
        public String serial;
        public String seed;
        public String user;
        public long enabled;
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class ServerCertificate {
        public String name;
        public String path = "/";
        public String id;
        public String arn;
        public String body;
        public String chain;
        public long uploaded;
        public long expiration;
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    /** One account's IAM (global per partition). */
    public static final class Account {
        public Map<String, User> users = new LinkedHashMap<>();
        public Map<String, Group> groups = new LinkedHashMap<>();
        public Map<String, Role> roles = new LinkedHashMap<>();
        public Map<String, ManagedPolicy> policies = new LinkedHashMap<>();
        public Map<String, AccessKey> accessKeys = new LinkedHashMap<>();
        public Map<String, InstanceProfile> instanceProfiles = new LinkedHashMap<>();
        public Map<String, OidcProvider> oidcProviders = new LinkedHashMap<>();
        public Map<String, SamlProvider> samlProviders = new LinkedHashMap<>();
        public Map<String, MfaDevice> mfaDevices = new LinkedHashMap<>();
        public Map<String, ServerCertificate> serverCertificates = new LinkedHashMap<>();
        public List<String> aliases = new ArrayList<>();
        public Map<String, Object> passwordPolicy;
        /** When GenerateCredentialReport last ran (0: never), and the report it made. */
        public long credentialReportGenerated;
        public String credentialReport;
    }
}
