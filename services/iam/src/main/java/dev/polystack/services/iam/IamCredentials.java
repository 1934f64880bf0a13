package dev.polystack.services.iam;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.iam.IamState.AccessKey;
import dev.polystack.services.iam.IamState.LoginProfile;
import dev.polystack.services.iam.IamState.ServiceCredential;
import dev.polystack.services.iam.IamState.SigningCertificate;
import dev.polystack.services.iam.IamState.SshKey;
import dev.polystack.services.iam.IamState.User;
import dev.polystack.services.iam.api.*;

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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user's credentials besides access keys: service-specific credentials (CodeCommit, Keyspaces, Bedrock), SSH public
 * keys, X.509 signing certificates, the console password (ChangePassword, checked against the account's password
 * policy) and the account's credential report. Texts are AWS's where recorded (service-specific credentials).
 */
abstract class IamCredentials extends IamBase {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> CREDENTIAL_SERVICES = Set.of("codecommit.amazonaws.com", "cassandra.amazonaws.com",
            "bedrock.amazonaws.com");
    private static final Set<String> STATUSES = Set.of("Active", "Inactive");
    private static final int PER_USER_PER_SERVICE = 2;
    private static final int SSH_KEYS_PER_USER = 5;
    private static final int CERTIFICATES_PER_USER = 2;
    /** A report younger than this is current: GenerateCredentialReport answers COMPLETE without regenerating. */
    private static final long REPORT_FRESH_MILLIS = 4 * 3_600_000L;

    // ---------------------------------------------------------------- service-specific credentials

    @Override
    public CreateServiceSpecificCredentialResponse createServiceSpecificCredential(RequestContext ctx, CreateServiceSpecificCredentialRequest in) {
        return locked(ctx, a -> {
            User u = a.user(in.userName());
            String service = supportedService(in.serviceName());
            long same = u.serviceCredentials.stream().filter(c -> c.serviceName.equals(service)).count();
            if (same >= PER_USER_PER_SERVICE) {
                throw IamErrors.limit("Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: " + PER_USER_PER_SERVICE);
            }
            ServiceCredential c = new ServiceCredential();
            c.id = IamAccount.id("ACCA");
            c.serviceName = service;
            c.password = password();
            c.created = now();
            u.serviceCredentials.add(c);
            return CreateServiceSpecificCredentialResponse.builder().serviceSpecificCredential(serviceCredential(a, u, c)).build();
        });
    }

    @Override
    public ListServiceSpecificCredentialsResponse listServiceSpecificCredentials(RequestContext ctx, ListServiceSpecificCredentialsRequest in) {
        return locked(ctx, a -> {
            String service = in.serviceName() == null ? null : supportedService(in.serviceName());
            List<ServiceSpecificCredentialMetadata> out = new ArrayList<>();
            for (User u : usersOf(a, in.userName(), ctx.accessKeyId())) {
                for (ServiceCredential c : u.serviceCredentials) {
                    if (service == null || service.equals(c.serviceName)) out.add(serviceCredentialMetadata(a, u, c));
                }
            }
            return ListServiceSpecificCredentialsResponse.builder().serviceSpecificCredentials(out).build();
        });
    }

    @Override
    public void updateServiceSpecificCredential(RequestContext ctx, UpdateServiceSpecificCredentialRequest in) {
        run(ctx, a -> {
            String id = credentialId(in.serviceSpecificCredentialId());
            String status = status(in.statusAsString());
            serviceCredential(a, in.userName(), id, ctx.accessKeyId()).item.status = status;
        });
    }

    @Override
    public ResetServiceSpecificCredentialResponse resetServiceSpecificCredential(RequestContext ctx, ResetServiceSpecificCredentialRequest in) {
        return locked(ctx, a -> {
            Owned<ServiceCredential> c = serviceCredential(a, in.userName(), credentialId(in.serviceSpecificCredentialId()), ctx.accessKeyId());
            c.item.password = password();
            return ResetServiceSpecificCredentialResponse.builder().serviceSpecificCredential(serviceCredential(a, c.user, c.item)).build();
        });
    }

    @Override
    public void deleteServiceSpecificCredential(RequestContext ctx, DeleteServiceSpecificCredentialRequest in) {
        run(ctx, a -> {
            Owned<ServiceCredential> c = serviceCredential(a, in.userName(), credentialId(in.serviceSpecificCredentialId()), ctx.accessKeyId());
            c.user.serviceCredentials.remove(c.item);
        });
    }

    // ---------------------------------------------------------------- SSH public keys

    @Override
    public UploadSSHPublicKeyResponse uploadSSHPublicKey(RequestContext ctx, UploadSSHPublicKeyRequest in) {
        return locked(ctx, a -> {
            User u = a.user(in.userName());
            String body = in.sshPublicKeyBody() == null ? "" : in.sshPublicKeyBody().trim();
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
            k.uploaded = now();
            u.sshKeys.add(k);
            return UploadSSHPublicKeyResponse.builder().sshPublicKey(sshKey(u, k, "SSH")).build();
        });
    }

    @Override
    public GetSSHPublicKeyResponse getSSHPublicKey(RequestContext ctx, GetSSHPublicKeyRequest in) {
        return locked(ctx, a -> {
            User u = a.user(in.userName());
            String encoding = in.encodingAsString();
            if (!"SSH".equals(encoding) && !"PEM".equals(encoding)) {
                throw IamErrors.validation("1 validation error detected: Value '" + encoding + "' at 'encoding' failed to satisfy "
                        + "constraint: Member must satisfy enum value set: [SSH, PEM]");
            }
            return GetSSHPublicKeyResponse.builder().sshPublicKey(sshKey(u, sshKey(u, in.sshPublicKeyId()), encoding)).build();
        });
    }

    @Override
    public ListSSHPublicKeysResponse listSSHPublicKeys(RequestContext ctx, ListSSHPublicKeysRequest in) {
        return locked(ctx, a -> {
            List<SSHPublicKeyMetadata> all = new ArrayList<>();
            for (User u : usersOf(a, in.userName(), ctx.accessKeyId())) {
                for (SshKey k : u.sshKeys) {
                    all.add(SSHPublicKeyMetadata.builder().userName(u.name).sshPublicKeyId(k.id).status(k.status)
                            .uploadDate(Instant.ofEpochMilli(k.uploaded)).build());
                }
            }
            Page<SSHPublicKeyMetadata> page = page(in.maxItems(), in.marker(), all, x -> x);
            return ListSSHPublicKeysResponse.builder().sshPublicKeys(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public void updateSSHPublicKey(RequestContext ctx, UpdateSSHPublicKeyRequest in) {
        run(ctx, a -> {
            User u = a.user(in.userName());
            SshKey k = sshKey(u, in.sshPublicKeyId());
            k.status = status(in.statusAsString());
        });
    }

    @Override
    public void deleteSSHPublicKey(RequestContext ctx, DeleteSSHPublicKeyRequest in) {
        run(ctx, a -> {
            User u = a.user(in.userName());
            u.sshKeys.remove(sshKey(u, in.sshPublicKeyId()));
        });
    }

    // ---------------------------------------------------------------- signing certificates

    @Override
    public UploadSigningCertificateResponse uploadSigningCertificate(RequestContext ctx, UploadSigningCertificateRequest in) {
        return locked(ctx, a -> {
            User u = callerOrNamed(a, in.userName(), ctx.accessKeyId());
            String body = in.certificateBody();
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
            c.uploaded = now();
            u.signingCertificates.add(c);
            return UploadSigningCertificateResponse.builder().certificate(signingCertificate(u, c)).build();
        });
    }

    @Override
    public ListSigningCertificatesResponse listSigningCertificates(RequestContext ctx, ListSigningCertificatesRequest in) {
        return locked(ctx, a -> {
            List<dev.polystack.services.iam.api.SigningCertificate> all = new ArrayList<>();
            for (User u : usersOf(a, in.userName(), ctx.accessKeyId())) {
                for (SigningCertificate c : u.signingCertificates) all.add(signingCertificate(u, c));
            }
            Page<dev.polystack.services.iam.api.SigningCertificate> page = page(in.maxItems(), in.marker(), all, x -> x);
            return ListSigningCertificatesResponse.builder().certificates(page.items()).isTruncated(page.truncated()).marker(page.marker()).build();
        });
    }

    @Override
    public void updateSigningCertificate(RequestContext ctx, UpdateSigningCertificateRequest in) {
        run(ctx, a -> {
            User u = callerOrNamed(a, in.userName(), ctx.accessKeyId());
            SigningCertificate c = signingCertificate(u, in.certificateId());
            c.status = status(in.statusAsString());
        });
    }

    @Override
    public void deleteSigningCertificate(RequestContext ctx, DeleteSigningCertificateRequest in) {
        run(ctx, a -> {
            User u = callerOrNamed(a, in.userName(), ctx.accessKeyId());
            u.signingCertificates.remove(signingCertificate(u, in.certificateId()));
        });
    }

    // ---------------------------------------------------------------- password, credential report

    @Override
    public void changePassword(RequestContext ctx, ChangePasswordRequest in) {
        run(ctx, a -> {
            User u = callerUser(a, ctx.accessKeyId());
            if (u == null) throw new ServiceException("InvalidUserTypeException", "Only IAM users can change their own password.", 400);
            if (u.loginProfile == null) throw IamErrors.noSuchEntity("Login Profile for User " + u.name + " cannot be found.");
            if (a.state.passwordPolicy != null && Boolean.FALSE.equals(a.state.passwordPolicy.get("AllowUsersToChangePassword"))) {
                throw new ServiceException("AccessDenied", "User: " + u.arn + " is not authorized to perform: iam:ChangePassword", 403);
            }
            if (!matches(u.loginProfile, in.oldPassword())) {
                throw new ServiceException("AccessDenied", "The old password is incorrect.", 403);
            }
            setPassword(a, u.loginProfile, in.newPassword(), now());
            u.loginProfile.resetRequired = false;
        });
    }

    @Override
    public GenerateCredentialReportResponse generateCredentialReport(RequestContext ctx) {
        return locked(ctx, a -> {
            long now = now();
            boolean fresh = a.state.credentialReport != null && now - a.state.credentialReportGenerated < REPORT_FRESH_MILLIS;
            if (fresh) return GenerateCredentialReportResponse.builder().state("COMPLETE").build();
            boolean first = a.state.credentialReport == null;
            a.state.credentialReport = credentialReport(a, now);
            a.state.credentialReportGenerated = now;
            return GenerateCredentialReportResponse.builder().state("STARTED").description(first
                    ? "No report exists. Starting a new report generation task"
                    : "Report is stale. Starting a new report generation task").build();
        });
    }

    @Override
    public GetCredentialReportResponse getCredentialReport(RequestContext ctx) {
        return locked(ctx, a -> {
            if (a.state.credentialReport == null) {
                throw new ServiceException("CredentialReportNotPresentException",
                        "Unable to find a credential report. Call GenerateCredentialReport first.", 410);
            }
            return GetCredentialReportResponse.builder().content(a.state.credentialReport.getBytes(StandardCharsets.UTF_8))
                    .reportFormat("text/csv").generatedTime(Instant.ofEpochMilli(a.state.credentialReportGenerated)).build();
        });
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

    private static String credentialId(String id) {
        if (id == null || !id.matches("[\\w]+")) {
            throw IamErrors.validation("1 validation error detected: Value at 'serviceSpecificCredentialId' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [\\w]+");
        }
        return id;
    }

    private static String status(String status) {
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

    private static ServiceSpecificCredential serviceCredential(IamAccount a, User u, ServiceCredential c) {
        return ServiceSpecificCredential.builder()
                .createDate(Instant.ofEpochMilli(c.created))
                .serviceName(c.serviceName)
                .serviceUserName(u.name + "-at-" + a.accountId)
                .servicePassword(c.password)
                .serviceSpecificCredentialId(c.id)
                .userName(u.name)
                .status(c.status)
                .build();
    }

    private static ServiceSpecificCredentialMetadata serviceCredentialMetadata(IamAccount a, User u, ServiceCredential c) {
        return ServiceSpecificCredentialMetadata.builder()
                .createDate(Instant.ofEpochMilli(c.created))
                .serviceName(c.serviceName)
                .serviceUserName(u.name + "-at-" + a.accountId)
                .serviceSpecificCredentialId(c.id)
                .userName(u.name)
                .status(c.status)
                .build();
    }

    private static SSHPublicKey sshKey(User u, SshKey k, String encoding) {
        return SSHPublicKey.builder()
                .userName(u.name)
                .sshPublicKeyId(k.id)
                .fingerprint(k.fingerprint)
                .sshPublicKeyBody("PEM".equals(encoding) ? pem(k.body) : k.body)
                .status(k.status)
                .uploadDate(Instant.ofEpochMilli(k.uploaded))
                .build();
    }

    private static dev.polystack.services.iam.api.SigningCertificate signingCertificate(User u, SigningCertificate c) {
        return dev.polystack.services.iam.api.SigningCertificate.builder()
                .userName(u.name)
                .certificateId(c.id)
                .certificateBody(c.body)
                .status(c.status)
                .uploadDate(Instant.ofEpochMilli(c.uploaded))
                .build();
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
