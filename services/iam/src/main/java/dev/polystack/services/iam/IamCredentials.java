package dev.polystack.services.iam;

import dev.polystack.api.ServiceException;
import dev.polystack.services.iam.IamState.AccessKey;
import dev.polystack.services.iam.IamState.LoginProfile;
import dev.polystack.services.iam.IamState.ServiceCredential;
import dev.polystack.services.iam.IamState.SigningCertificate;
import dev.polystack.services.iam.IamState.SshKey;
import dev.polystack.services.iam.IamState.User;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.polystack.services.iam.IamProvider.page;
import static dev.polystack.services.iam.IamProvider.s;

/**
 * A user's credentials besides access keys: service-specific credentials (CodeCommit, Keyspaces, Bedrock), SSH public
 * keys, X.509 signing certificates, the console password (ChangePassword, checked against the account's password
 * policy) and the account's credential report. Texts are AWS's where recorded (service-specific credentials).
 */
final class IamCredentials {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> CREDENTIAL_SERVICES = Set.of("codecommit.amazonaws.com", "cassandra.amazonaws.com",
            "bedrock.amazonaws.com");
    private static final Set<String> STATUSES = Set.of("Active", "Inactive");
    private static final int PER_USER_PER_SERVICE = 2;
    private static final int SSH_KEYS_PER_USER = 5;
    private static final int CERTIFICATES_PER_USER = 2;
    /** A report younger than this is current: GenerateCredentialReport answers COMPLETE without regenerating. */
    private static final long REPORT_FRESH_MILLIS = 4 * 3_600_000L;

    private IamCredentials() {
    }

    /** Null when the operation is not one of these. {@code callerKey}: the request's access key id. */
    static Map<String, Object> dispatch(IamAccount a, String op, Map<String, Object> in, long now, String callerKey) {
        return switch (op) {
            case "CreateServiceSpecificCredential" -> {
                User u = a.user(s(in, "UserName"));
                String service = supportedService(s(in, "ServiceName"));
                long same = u.serviceCredentials.stream().filter(c -> c.serviceName.equals(service)).count();
                if (same >= PER_USER_PER_SERVICE) {
                    throw IamErrors.limit("Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: " + PER_USER_PER_SERVICE);
                }
                ServiceCredential c = new ServiceCredential();
                c.id = IamAccount.id("ACCA");
                c.serviceName = service;
                c.password = password();
                c.created = now;
                u.serviceCredentials.add(c);
                yield Map.of("ServiceSpecificCredential", serviceCredential(a, u, c, true));
            }
            case "ListServiceSpecificCredentials" -> {
                String service = s(in, "ServiceName") == null ? null : supportedService(s(in, "ServiceName"));
                List<Object> out = new ArrayList<>();
                for (User u : usersOf(a, s(in, "UserName"), callerKey)) {
                    for (ServiceCredential c : u.serviceCredentials) {
                        if (service == null || service.equals(c.serviceName)) out.add(serviceCredential(a, u, c, false));
                    }
                }
                yield Map.of("ServiceSpecificCredentials", out);
            }
            case "UpdateServiceSpecificCredential" -> {
                String id = credentialId(in);
                String status = status(in);
                Owned<ServiceCredential> c = serviceCredential(a, s(in, "UserName"), id, callerKey);
                c.item.status = status;
                yield Map.of();
            }
            case "ResetServiceSpecificCredential" -> {
                Owned<ServiceCredential> c = serviceCredential(a, s(in, "UserName"), credentialId(in), callerKey);
                c.item.password = password();
                yield Map.of("ServiceSpecificCredential", serviceCredential(a, c.user, c.item, true));
            }
            case "DeleteServiceSpecificCredential" -> {
                Owned<ServiceCredential> c = serviceCredential(a, s(in, "UserName"), credentialId(in), callerKey);
                c.user.serviceCredentials.remove(c.item);
                yield Map.of();
            }
            case "UploadSSHPublicKey" -> {
                User u = a.user(s(in, "UserName"));
                String body = s(in, "SSHPublicKeyBody") == null ? "" : s(in, "SSHPublicKeyBody").trim();
                byte[] blob = sshBlob(body);
                String fingerprint = fingerprint(blob);
                for (User other : a.state.users.values()) {
                    for (SshKey k : other.sshKeys) {
                        if (k.fingerprint.equals(fingerprint)) {
                            throw new ServiceException("DuplicateSSHPublicKeyException",
                                    "The public key is already associated with a user.", 400);
                        }
                    }
                }
                if (u.sshKeys.size() >= SSH_KEYS_PER_USER) {
                    throw IamErrors.limit("Cannot exceed quota for PublicKeysPerUser: " + SSH_KEYS_PER_USER);
                }
                SshKey k = new SshKey();
                k.id = IamAccount.id("APKA");
                k.body = body;
                k.fingerprint = fingerprint;
                k.uploaded = now;
                u.sshKeys.add(k);
                yield Map.of("SSHPublicKey", sshKey(u, k, true, "SSH"));
            }
            case "GetSSHPublicKey" -> {
                User u = a.user(s(in, "UserName"));
                String encoding = s(in, "Encoding");
                if (!"SSH".equals(encoding) && !"PEM".equals(encoding)) {
                    throw IamErrors.validation("1 validation error detected: Value '" + encoding + "' at 'encoding' failed to satisfy "
                            + "constraint: Member must satisfy enum value set: [SSH, PEM]");
                }
                yield Map.of("SSHPublicKey", sshKey(u, sshKey(u, s(in, "SSHPublicKeyId")), true, encoding));
            }
            case "ListSSHPublicKeys" -> {
                List<Map<String, Object>> all = new ArrayList<>();
                for (User u : usersOf(a, s(in, "UserName"), callerKey)) for (SshKey k : u.sshKeys) all.add(sshKey(u, k, false, null));
                yield page(in, "SSHPublicKeys", all, x -> x);
            }
            case "UpdateSSHPublicKey" -> {
                User u = a.user(s(in, "UserName"));
                SshKey k = sshKey(u, s(in, "SSHPublicKeyId"));
                k.status = status(in);
                yield Map.of();
            }
            case "DeleteSSHPublicKey" -> {
                User u = a.user(s(in, "UserName"));
                u.sshKeys.remove(sshKey(u, s(in, "SSHPublicKeyId")));
                yield Map.of();
            }
            case "UploadSigningCertificate" -> {
                User u = callerOrNamed(a, s(in, "UserName"), callerKey);
                String body = s(in, "CertificateBody");
                parseCertificate(body);
                for (User other : a.state.users.values()) {
                    for (SigningCertificate c : other.signingCertificates) {
                        if (c.body.trim().equals(body.trim())) {
                            throw new ServiceException("DuplicateCertificateException", "The same certificate already exists.", 409);
                        }
                    }
                }
                if (u.signingCertificates.size() >= CERTIFICATES_PER_USER) {
                    throw IamErrors.limit("Cannot exceed quota for SigningCertificatesPerUser: " + CERTIFICATES_PER_USER);
                }
                SigningCertificate c = new SigningCertificate();
                c.id = certificateId();
                c.body = body;
                c.uploaded = now;
                u.signingCertificates.add(c);
                yield Map.of("Certificate", signingCertificate(u, c));
            }
            case "ListSigningCertificates" -> {
                List<Map<String, Object>> all = new ArrayList<>();
                for (User u : usersOf(a, s(in, "UserName"), callerKey)) {
                    for (SigningCertificate c : u.signingCertificates) all.add(signingCertificate(u, c));
                }
                yield page(in, "Certificates", all, x -> x);
            }
            case "UpdateSigningCertificate" -> {
                User u = callerOrNamed(a, s(in, "UserName"), callerKey);
                SigningCertificate c = signingCertificate(u, s(in, "CertificateId"));
                c.status = status(in);
                yield Map.of();
            }
            case "DeleteSigningCertificate" -> {
                User u = callerOrNamed(a, s(in, "UserName"), callerKey);
                u.signingCertificates.remove(signingCertificate(u, s(in, "CertificateId")));
                yield Map.of();
            }
            case "ChangePassword" -> {
                User u = callerUser(a, callerKey);
                if (u == null) throw new ServiceException("InvalidUserTypeException", "Only IAM users can change their own password.", 400);
                if (u.loginProfile == null) throw IamErrors.noSuchEntity("Login Profile for User " + u.name + " cannot be found.");
                if (a.state.passwordPolicy != null && Boolean.FALSE.equals(a.state.passwordPolicy.get("AllowUsersToChangePassword"))) {
                    throw new ServiceException("AccessDenied", "User: " + u.arn + " is not authorized to perform: iam:ChangePassword", 403);
                }
                if (!matches(u.loginProfile, s(in, "OldPassword"))) {
                    throw new ServiceException("AccessDenied", "The old password is incorrect.", 403);
                }
                setPassword(a, u.loginProfile, s(in, "NewPassword"), now);
                u.loginProfile.resetRequired = false;
                yield Map.of();
            }
            case "GenerateCredentialReport" -> {
                boolean fresh = a.state.credentialReport != null && now - a.state.credentialReportGenerated < REPORT_FRESH_MILLIS;
                if (fresh) yield Map.of("State", "COMPLETE");
                boolean first = a.state.credentialReport == null;
                a.state.credentialReport = credentialReport(a, now);
                a.state.credentialReportGenerated = now;
                yield Map.of("State", "STARTED", "Description", first
                        ? "No report exists. Starting a new report generation task"
                        : "Report is stale. Starting a new report generation task");
            }
            case "GetCredentialReport" -> {
                if (a.state.credentialReport == null) {
                    throw new ServiceException("CredentialReportNotPresentException",
                            "Unable to find a credential report. Call GenerateCredentialReport first.", 410);
                }
                yield Map.of("Content", a.state.credentialReport.getBytes(StandardCharsets.UTF_8), "ReportFormat", "text/csv",
                        "GeneratedTime", Instant.ofEpochMilli(a.state.credentialReportGenerated));
            }
            default -> null;
        };
    }

    // ---------------------------------------------------------------- passwords

    /** Stores a login profile's password (salted hash) after checking it against the account's password policy. */
    static void setPassword(IamAccount a, LoginProfile profile, String password, long now) {
        if (password != null) {
            checkPolicy(a.state.passwordPolicy, password);
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            profile.passwordSalt = Base64.getEncoder().encodeToString(salt);
            profile.passwordHash = hash(profile.passwordSalt, password);
        }
        profile.passwordChanged = now;
    }

    private static boolean matches(LoginProfile profile, String password) {
        if (profile.passwordHash == null) return true; // a profile loaded from before passwords were kept
        return password != null && MessageDigest.isEqual(profile.passwordHash.getBytes(StandardCharsets.US_ASCII),
                hash(profile.passwordSalt, password).getBytes(StandardCharsets.US_ASCII));
    }

    private static String hash(String salt, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Base64.getDecoder().decode(salt));
            return HexFormat.of().formatHex(sha.digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkPolicy(Map<String, Object> policy, String password) {
        if (policy == null) return;
        boolean ok = password.length() >= ((Number) policy.getOrDefault("MinimumPasswordLength", 6)).intValue()
                && (!Boolean.TRUE.equals(policy.get("RequireSymbols")) || password.chars().anyMatch(ch -> !Character.isLetterOrDigit(ch)))
                && (!Boolean.TRUE.equals(policy.get("RequireNumbers")) || password.chars().anyMatch(Character::isDigit))
                && (!Boolean.TRUE.equals(policy.get("RequireUppercaseCharacters")) || password.chars().anyMatch(Character::isUpperCase))
                && (!Boolean.TRUE.equals(policy.get("RequireLowercaseCharacters")) || password.chars().anyMatch(Character::isLowerCase));
        if (!ok) {
            throw new ServiceException("PasswordPolicyViolationException", "Password does not conform to the account password policy.", 400);
        }
    }

    // ---------------------------------------------------------------- lookups

    /** The IAM user a request was signed as, or null (the account's root or an unknown key). */
    private static User callerUser(IamAccount a, String callerKey) {
        AccessKey k = callerKey == null ? null : a.state.accessKeys.get(callerKey);
        return k == null ? null : a.state.users.get(k.user);
    }

    /** The named user, or without a name the caller's own user (AWS's default), or every user for the root. */
    private static List<User> usersOf(IamAccount a, String name, String callerKey) {
        if (name != null) return List.of(a.user(name));
        User caller = callerUser(a, callerKey);
        return caller != null ? List.of(caller) : new ArrayList<>(a.state.users.values());
    }

    private static User callerOrNamed(IamAccount a, String name, String callerKey) {
        if (name != null) return a.user(name);
        User caller = callerUser(a, callerKey);
        if (caller == null) throw IamErrors.validation("1 validation error detected: Value null at 'userName' failed to satisfy constraint: "
                + "Member must not be null");
        return caller;
    }

    private record Owned<T>(User user, T item) {
    }

    private static Owned<ServiceCredential> serviceCredential(IamAccount a, String userName, String id, String callerKey) {
        for (User u : usersOf(a, userName, callerKey)) {
            for (ServiceCredential c : u.serviceCredentials) if (c.id.equals(id)) return new Owned<>(u, c);
        }
        throw IamErrors.noSuchEntity("No such credential " + id + " exists");
    }

    private static SshKey sshKey(User u, String id) {
        for (SshKey k : u.sshKeys) if (k.id.equals(id)) return k;
        throw IamErrors.noSuchEntity("The Public Key with id " + id + " cannot be found.");
    }

    private static SigningCertificate signingCertificate(User u, String id) {
        for (SigningCertificate c : u.signingCertificates) if (c.id.equals(id)) return c;
        throw IamErrors.noSuchEntity("The Certificate with id " + id + " cannot be found.");
    }

    // ---------------------------------------------------------------- validation (AWS's recorded texts)

    private static String supportedService(String service) {
        if (service == null || !CREDENTIAL_SERVICES.contains(service)) {
            throw IamErrors.noSuchEntity("No such service " + service + " is supported for Service Specific Credentials");
        }
        return service;
    }

    private static String credentialId(Map<String, Object> in) {
        String id = s(in, "ServiceSpecificCredentialId");
        if (id == null || !id.matches("[\\w]+")) {
            throw IamErrors.validation("1 validation error detected: Value at 'serviceSpecificCredentialId' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [\\w]+");
        }
        return id;
    }

    private static String status(Map<String, Object> in) {
        String status = s(in, "Status");
        if (!STATUSES.contains(status)) {
            throw IamErrors.validation("1 validation error detected: Value at 'status' failed to satisfy constraint: "
                    + "Member must satisfy enum value set");
        }
        return status;
    }

    /** The key blob of an OpenSSH public key line ({@code type base64 [comment]}); its embedded type must agree. */
    private static byte[] sshBlob(String body) {
        String[] parts = body.split("\\s+");
        if (parts.length < 2 || !parts[0].matches("ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)")) {
            throw new ServiceException("UnrecognizedPublicKeyEncodingException",
                    "Unrecognized public key encoding: the key must be in ssh-rsa (OpenSSH) format.", 400);
        }
        try {
            byte[] blob = Base64.getDecoder().decode(parts[1]);
            ByteBuffer b = ByteBuffer.wrap(blob);
            byte[] type = new byte[b.getInt()];
            b.get(type);
            if (!new String(type, StandardCharsets.US_ASCII).equals(parts[0])) throw new IllegalArgumentException();
            return blob;
        } catch (RuntimeException e) {
            throw new ServiceException("InvalidPublicKeyException", "The public key is malformed or otherwise invalid.", 400);
        }
    }

    /** MD5 of the key blob as colon-separated hex, the fingerprint IAM shows. */
    private static String fingerprint(byte[] blob) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(blob);
            StringBuilder sb = new StringBuilder();
            for (byte x : md5) {
                if (!sb.isEmpty()) sb.append(':');
                sb.append(String.format("%02x", x));
            }
            return sb.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An ssh-rsa key as a PEM public key (GetSSHPublicKey with Encoding PEM); other key types keep their SSH form. */
    private static String pem(String body) {
        byte[] blob = Base64.getDecoder().decode(body.split("\\s+")[1]);
        ByteBuffer b = ByteBuffer.wrap(blob);
        byte[] type = new byte[b.getInt()];
        b.get(type);
        if (!"ssh-rsa".equals(new String(type, StandardCharsets.US_ASCII))) return body;
        byte[] e = new byte[b.getInt()];
        b.get(e);
        byte[] n = new byte[b.getInt()];
        b.get(n);
        try {
            byte[] der = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(new BigInteger(1, n), new BigInteger(1, e))).getEncoded();
            return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END PUBLIC KEY-----\n";
        } catch (GeneralSecurityException ex) {
            return body;
        }
    }

    private static void parseCertificate(String body) {
        try {
            if (body == null) throw new IllegalArgumentException();
            CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new ServiceException("MalformedCertificateException",
                    "Unable to parse certificate. Please ensure the certificate is in PEM format.", 400);
        }
    }

    // ---------------------------------------------------------------- answers

    private static Map<String, Object> serviceCredential(IamAccount a, User u, ServiceCredential c, boolean withPassword) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CreateDate", Instant.ofEpochMilli(c.created));
        out.put("ServiceName", c.serviceName);
        out.put("ServiceUserName", u.name + "-at-" + a.accountId);
        if (withPassword) out.put("ServicePassword", c.password);
        out.put("ServiceSpecificCredentialId", c.id);
        out.put("UserName", u.name);
        out.put("Status", c.status);
        return out;
    }

    private static Map<String, Object> sshKey(User u, SshKey k, boolean full, String encoding) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("UserName", u.name);
        out.put("SSHPublicKeyId", k.id);
        if (full) {
            out.put("Fingerprint", k.fingerprint);
            out.put("SSHPublicKeyBody", "PEM".equals(encoding) ? pem(k.body) : k.body);
        }
        out.put("Status", k.status);
        out.put("UploadDate", Instant.ofEpochMilli(k.uploaded));
        return out;
    }

    private static Map<String, Object> signingCertificate(User u, SigningCertificate c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("UserName", u.name);
        out.put("CertificateId", c.id);
        out.put("CertificateBody", c.body);
        out.put("Status", c.status);
        out.put("UploadDate", Instant.ofEpochMilli(c.uploaded));
        return out;
    }

    /** A password as AWS issues them for service-specific credentials: 44 characters of base64. */
    private static String password() {
        byte[] b = new byte[33];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    private static String certificateId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        return sb.toString();
    }

    // ---------------------------------------------------------------- credential report

    private static final DateTimeFormatter REPORT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);
    private static final String REPORT_HEADER = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
            + "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,"
            + "access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"
            + "access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
            + "cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    /** AWS's CSV: the root account first, then each user; N/A where a column does not apply. */
    private static String credentialReport(IamAccount a, long now) {
        StringBuilder csv = new StringBuilder(REPORT_HEADER).append('\n');
        csv.append(String.join(",", "<root_account>", "arn:" + a.partition + ":iam::" + a.accountId + ":root", time(now),
                "not_supported", "N/A", "not_supported", "not_supported", "false",
                "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A")).append('\n');
        for (User u : a.state.users.values()) {
            List<String> row = new ArrayList<>(List.of(u.name, u.arn, time(u.created)));
            LoginProfile p = u.loginProfile;
            row.add(p != null ? "true" : "false");
            row.add(p != null ? "no_information" : "N/A");
            row.add(p != null ? time(p.passwordChanged > 0 ? p.passwordChanged : p.created) : "N/A");
            row.add("N/A");
            row.add(u.mfaSerials.isEmpty() ? "false" : "true");
            List<AccessKey> keys = a.state.accessKeys.values().stream().filter(k -> k.user.equals(u.name)).toList();
            for (int i = 0; i < 2; i++) {
                AccessKey k = i < keys.size() ? keys.get(i) : null;
                row.add(k != null && "Active".equals(k.status) ? "true" : "false");
                row.add(k != null ? time(k.created) : "N/A");
                row.add(k != null && k.lastUsed > 0 ? time(k.lastUsed) : "N/A");
                row.add(k != null && k.lastUsedRegion != null ? k.lastUsedRegion : "N/A");
                row.add(k != null && k.lastUsedService != null ? k.lastUsedService : "N/A");
            }
            for (int i = 0; i < 2; i++) {
                SigningCertificate c = i < u.signingCertificates.size() ? u.signingCertificates.get(i) : null;
                row.add(c != null && "Active".equals(c.status) ? "true" : "false");
                row.add(c != null ? time(c.uploaded) : "N/A");
            }
            csv.append(String.join(",", row)).append('\n');
        }
        return csv.toString();
    }

    private static String time(long millis) {
        return REPORT_TIME.format(Instant.ofEpochMilli(millis));
    }
}
