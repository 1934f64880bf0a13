package dev.polystack.services.sts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.AccessKeys;
import dev.polystack.api.Persistable;
import dev.polystack.api.RequestContext;
import dev.polystack.services.iam.api.GetRoleRequest;
import dev.polystack.services.iam.api.GetRoleResponse;
import dev.polystack.services.iam.api.GetUserRequest;
import dev.polystack.services.iam.api.GetUserResponse;
import dev.polystack.services.iam.api.IamApi;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.services.sts.api.AssumeRoleRequest;
import dev.polystack.services.sts.api.AssumeRoleResponse;
import dev.polystack.services.sts.api.AssumeRoleWithSAMLRequest;
import dev.polystack.services.sts.api.AssumeRoleWithSAMLResponse;
import dev.polystack.services.sts.api.AssumeRoleWithWebIdentityRequest;
import dev.polystack.services.sts.api.AssumeRoleWithWebIdentityResponse;
import dev.polystack.services.sts.api.AssumedRoleUser;
import dev.polystack.services.sts.api.Credentials;
import dev.polystack.services.sts.api.FederatedUser;
import dev.polystack.services.sts.api.GetAccessKeyInfoRequest;
import dev.polystack.services.sts.api.GetAccessKeyInfoResponse;
import dev.polystack.services.sts.api.GetCallerIdentityRequest;
import dev.polystack.services.sts.api.GetCallerIdentityResponse;
import dev.polystack.services.sts.api.GetFederationTokenRequest;
import dev.polystack.services.sts.api.GetFederationTokenResponse;
import dev.polystack.services.sts.api.GetSessionTokenRequest;
import dev.polystack.services.sts.api.GetSessionTokenResponse;
import dev.polystack.services.sts.api.StsApi;
import dev.polystack.services.sts.api.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Native STS. Every temporary credential it issues is registered with {@link AccessKeys}, so later
 * requests signed with it land in the account of the role (or caller) it was issued for, in every
 * service; GetCallerIdentity answers with the identity behind the key.
 */
public final class StsProvider implements StsApi, ServiceProvider, Persistable {
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");
    private static final Pattern FEDERATED_NAME = Pattern.compile("[\\w+=,.@-]+");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    // what AssumeRoleWithSAML reads from the assertion (compiled once, not per request)
    private static final Pattern SAML_NAME_ID = Pattern.compile("<(?:\\w+:)?NameID[^>]*>([^<]+)<");
    private static final Pattern SAML_NAME_ID_FORMAT = Pattern.compile("<(?:\\w+:)?NameID[^>]*Format=\"[^\"]*:([^\":]+)\"");
    private static final Pattern SAML_ISSUER = Pattern.compile("<(?:\\w+:)?Issuer[^>]*>([^<]+)<");
    private static final Pattern SAML_AUDIENCE = Pattern.compile("<(?:\\w+:)?Audience[^>]*>([^<]+)<");
    private static final Pattern SAML_SESSION_NAME = Pattern.compile(
            "Name=\"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"[^>]*>\\s*<(?:\\w+:)?AttributeValue[^>]*>([^<]+)<");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The identity behind one issued access key. */
    public static final class Session {
        public String accessKeyId;
        public String accountId;
        public String arn;
        public String userId;
        /** Epoch seconds. */
        public long expiration;
        /** Transitive session tags (lower-cased key → value), inherited by role chaining. */
        public Map<String, String> transitiveTags = new LinkedHashMap<>();
        /** The inline session policy it was created with (AssumeRole's Policy), or null; persisted with it. */
        public String sessionPolicy;
    }

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    /** For the role lookup in IAM (null in unit tests: roles are then taken on trust, as before IAM was native). */
    private final dev.polystack.api.ProviderEnvironment env;

    public StsProvider() {
        this(null);
    }

    public StsProvider(dev.polystack.api.ProviderEnvironment env) {
        this.env = env;
    }

    @Override
    public String service() {
        return "sts";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    @Override
    public GetAccessKeyInfoResponse getAccessKeyInfo(RequestContext ctx, GetAccessKeyInfoRequest in) {
        return GetAccessKeyInfoResponse.builder().account(AccessKeys.accountFor(in.accessKeyId())).build();
    }

    private static ServiceException validation(String message) {
        return new ServiceException("ValidationError", message, 400).queryCode("ValidationError");
    }

    private static ServiceException invalidValue(String message) {
        return new ServiceException("InvalidParameterValue", message, 400).queryCode("InvalidParameterValue");
    }

    // ---------------------------------------------------------------- identities

    @Override
    public GetCallerIdentityResponse getCallerIdentity(RequestContext ctx, GetCallerIdentityRequest in) {
        Session session = ctx.accessKeyId() == null ? null : sessions.get(ctx.accessKeyId());
        if (session != null) {
            return GetCallerIdentityResponse.builder().userId(session.userId).account(session.accountId).arn(session.arn).build();
        }
        // a key IAM issued to a user: that user, with the id IAM gave it (AWS answers the user, not the account root)
        String principal = AccessKeys.principalFor(ctx.accessKeyId());
        if (principal != null && principal.contains(":user/")) {
            String userId = iamUserId(ctx, principal);
            if (userId != null) {
                return GetCallerIdentityResponse.builder().userId(userId).account(ctx.accountId()).arn(principal).build();
            }
        }
        return GetCallerIdentityResponse.builder().userId("AKIAIOSFODNN7EXAMPLE").account(ctx.accountId())
                .arn("arn:" + ctx.partition() + ":iam::" + ctx.accountId() + ":root").build();
    }

    /** The UserId IAM gave the user an ARN names, or null when IAM does not know it. */
    private String iamUserId(RequestContext ctx, String userArn) {
        if (env == null) return null;
        String[] parts = userArn.split(":", 6);
        String name = parts[5].substring(parts[5].lastIndexOf('/') + 1);
        try {
            GetUserResponse found = IamApi.client(env).getUser(RequestContext.internal(parts[4], ctx.region(), "iam"),
                    GetUserRequest.builder().userName(name).build());
            return found.user() == null ? null : found.user().userId();
        } catch (RuntimeException e) {
            return null; // IAM not served natively, or the user is gone: the account's root answers, as before
        }
    }

    /** Parsed role ARN: account (the caller's when the ARN has none) and role name. */
    private record Role(String arn, String account, String name, String id) {
    }

    private static Role role(RequestContext ctx, String roleArn) {
        String value = roleArn == null ? "" : roleArn;
        String[] parts = value.split(":", 6);
        if (parts.length < 6 || !parts[0].equals("arn") || parts[1].isEmpty() || parts[2].isEmpty() || parts[5].isEmpty()) {
            throw validation(value + " is invalid");
        }
        String account = ACCOUNT_ID.matcher(parts[4]).matches() ? parts[4] : ctx.accountId();
        String resource = parts[5];
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        return new Role(value, account, name, "AROA" + stableId(value, 17));
    }

    /**
     * The role as IAM knows it: its RoleId when IAM has the role. A role IAM does not know is refused with
     * ENFORCE_IAM=1 (as AWS refuses it); otherwise it is taken on trust with a derived id, as LocalStack does.
     */
    private Role iamRole(RequestContext ctx, Role role) {
        if (env == null) return role;
        try {
            GetRoleResponse found = IamApi.client(env).getRole(RequestContext.internal(role.account(), ctx.region(), "iam"),
                    GetRoleRequest.builder().roleName(role.name()).build());
            return new Role(role.arn(), role.account(), role.name(), String.valueOf(found.role().roleId()));
        } catch (ServiceException e) {
            if (env.config().flag("ENFORCE_IAM") && e.code().startsWith("NoSuchEntity")) {
                throw new ServiceException("AccessDenied", "User: " + getCallerIdentity(ctx, GetCallerIdentityRequest.builder().build()).arn() + " is not authorized to perform: "
                        + "sts:AssumeRole on resource: " + role.arn(), 403).queryCode("AccessDenied");
            }
            return role;
        } catch (RuntimeException e) {
            return role; // IAM not served natively: nothing to check against
        }
    }

    private static void checkSessionName(String name, String member) {
        if (name == null) throw validation("1 validation error detected: Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
        if (!SESSION_NAME.matcher(name).matches()) {
            throw validation("1 validation error detected: Value '" + name + "' at '" + member
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
        if (name.length() < 2 || name.length() > 64) {
            throw validation("1 validation error detected: Value '" + name + "' at '" + member
                    + "' failed to satisfy constraint: Member must have length " + (name.length() < 2 ? "greater than or equal to 2" : "less than or equal to 64"));
        }
    }

    private static int duration(Integer requested, int fallback, int max) {
        if (requested == null) return fallback;
        int seconds = requested;
        if (seconds < 900) {
            throw validation("1 validation error detected: Value '" + seconds
                    + "' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
        }
        if (seconds > max) {
            throw validation("1 validation error detected: Value '" + seconds
                    + "' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to " + max);
        }
        return seconds;
    }

    // ---------------------------------------------------------------- operations

    @Override
    public AssumeRoleResponse assumeRole(RequestContext ctx, AssumeRoleRequest in) {
        Role role = iamRole(ctx, role(ctx, in.roleArn()));
        String sessionName = in.roleSessionName();
        checkSessionName(sessionName, "roleSessionName");
        int seconds = duration(in.durationSeconds(), 3600, 43200);
        Map<String, String> tags = new LinkedHashMap<>(); // lower-cased key → value
        Map<String, String> tagCase = new LinkedHashMap<>();
        for (Tag tag : in.tags() == null ? List.<Tag>of() : in.tags()) {
            String key = String.valueOf(tag.key());
            String lower = key.toLowerCase(Locale.ROOT);
            if (tags.containsKey(lower)) throw invalidValue("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            tags.put(lower, String.valueOf(tag.value()));
            tagCase.put(lower, key);
        }
        Map<String, String> transitive = new LinkedHashMap<>();
        for (String o : in.transitiveTagKeys() == null ? List.<String>of() : in.transitiveTagKeys()) {
            String lower = String.valueOf(o).toLowerCase(Locale.ROOT);
            if (!tags.containsKey(lower)) throw invalidValue("The specified transitive tag key must be included in the requested tags.");
            transitive.put(lower, tags.get(lower));
        }
        Session caller = ctx.accessKeyId() == null ? null : sessions.get(ctx.accessKeyId());
        if (caller != null) {
            for (String key : tags.keySet()) {
                if (caller.transitiveTags.containsKey(key)) {
                    throw invalidValue("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.");
                }
            }
            Map<String, String> inherited = new LinkedHashMap<>(caller.transitiveTags);
            inherited.putAll(transitive);
            transitive = inherited;
        }
        Session session = issue(role.account(), "arn:" + ctx.partition() + ":sts::" + role.account() + ":assumed-role/" + role.name() + "/" + sessionName,
                role.id() + ":" + sessionName, seconds, transitive);
        // the session policy limits what the session may do (ENFORCE_IAM=1)
        session.sessionPolicy = in.policy();
        AccessKeys.registerSessionPolicy(session.accessKeyId, in.policy());
        return AssumeRoleResponse.builder().credentials(credentials(session)).assumedRoleUser(assumedRoleUser(session))
                .packedPolicySize(packedPolicySize(in.policy(), tags.size())).sourceIdentity(in.sourceIdentity()).build();
    }

    private static AssumedRoleUser assumedRoleUser(Session session) {
        return AssumedRoleUser.builder().assumedRoleId(session.userId).arn(session.arn).build();
    }

    @Override
    public AssumeRoleWithWebIdentityResponse assumeRoleWithWebIdentity(RequestContext ctx, AssumeRoleWithWebIdentityRequest in) {
        Role role = role(ctx, in.roleArn());
        String sessionName = in.roleSessionName();
        checkSessionName(sessionName, "roleSessionName");
        String token = in.webIdentityToken();
        if (token == null || token.length() < 4) throw new ServiceException("InvalidIdentityTokenException", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)", 400);
        int seconds = duration(in.durationSeconds(), 3600, 43200);
        JsonNode claims = jwtClaims(token);
        String subject = claims.path("sub").asText(stableId(token, 20).toLowerCase(Locale.ROOT));
        String audience = claims.path("aud").isArray() ? claims.path("aud").path(0).asText("sts.amazonaws.com") : claims.path("aud").asText("sts.amazonaws.com");
        String provider = in.providerId() != null ? in.providerId() : claims.path("iss").asText("localhost");
        Session session = issue(role.account(), "arn:" + ctx.partition() + ":sts::" + role.account() + ":assumed-role/" + role.name() + "/" + sessionName,
                role.id() + ":" + sessionName, seconds, Map.of());
        return AssumeRoleWithWebIdentityResponse.builder().credentials(credentials(session))
                .subjectFromWebIdentityToken(subject).assumedRoleUser(assumedRoleUser(session))
                .packedPolicySize(packedPolicySize(in.policy(), 0)).provider(provider.replaceFirst("^https://", ""))
                .audience(audience).build();
    }

    private static JsonNode jwtClaims(String token) {
        String[] parts = token.split("\\.");
        if (parts.length >= 2) {
            try {
                return JSON.readTree(Base64.getUrlDecoder().decode(parts[1].replace('=', ' ').trim()));
            } catch (Exception ignored) {
                // not a JWT: answer with neutral claims
            }
        }
        return JSON.createObjectNode();
    }

    @Override
    public AssumeRoleWithSAMLResponse assumeRoleWithSAML(RequestContext ctx, AssumeRoleWithSAMLRequest in) {
        Role role = role(ctx, in.roleArn());
        String principal = in.principalArn();
        String assertion = in.samlAssertion();
        String xml;
        try {
            xml = new String(Base64.getMimeDecoder().decode(assertion == null ? "" : assertion), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ServiceException("InvalidIdentityTokenException", "Invalid base64 SAML authentication response", 400);
        }
        if (!xml.contains("Assertion")) throw new ServiceException("InvalidIdentityTokenException", "Invalid SAML authentication response", 400);
        String subject = firstMatch(xml, SAML_NAME_ID, "unknown");
        String subjectType = firstMatch(xml, SAML_NAME_ID_FORMAT, "persistent");
        String issuer = firstMatch(xml, SAML_ISSUER, "");
        String audience = firstMatch(xml, SAML_AUDIENCE, "https://signin.aws.amazon.com/saml");
        String sessionName = firstMatch(xml, SAML_SESSION_NAME, subject);
        int seconds = duration(in.durationSeconds(), 3600, 43200);
        Session session = issue(role.account(), "arn:" + ctx.partition() + ":sts::" + role.account() + ":assumed-role/" + role.name() + "/" + sessionName,
                role.id() + ":" + sessionName, seconds, Map.of());
        String providerName = principal == null ? "" : principal.substring(principal.lastIndexOf('/') + 1);
        return AssumeRoleWithSAMLResponse.builder().credentials(credentials(session)).assumedRoleUser(assumedRoleUser(session))
                .packedPolicySize(packedPolicySize(in.policy(), 0)).subject(subject).subjectType(subjectType).issuer(issuer)
                .audience(audience)
                .nameQualifier(Base64.getEncoder().encodeToString(sha1(issuer + role.account() + "/" + providerName))).build();
    }

    private static String firstMatch(String text, Pattern pattern, String fallback) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1).trim() : fallback;
    }

    @Override
    public GetSessionTokenResponse getSessionToken(RequestContext ctx, GetSessionTokenRequest in) {
        int seconds = duration(in.durationSeconds(), 43200, 129600);
        GetCallerIdentityResponse identity = getCallerIdentity(ctx, GetCallerIdentityRequest.builder().build());
        Session caller = ctx.accessKeyId() == null ? null : sessions.get(ctx.accessKeyId());
        Session session = issue(ctx.accountId(), identity.arn(), identity.userId(), seconds,
                caller == null ? Map.of() : caller.transitiveTags);
        return GetSessionTokenResponse.builder().credentials(credentials(session)).build();
    }

    @Override
    public GetFederationTokenResponse getFederationToken(RequestContext ctx, GetFederationTokenRequest in) {
        String name = in.name();
        if (name == null || !FEDERATED_NAME.matcher(name).matches()) {
            throw validation("1 validation error detected: Value '" + name + "' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        }
        if (name.length() < 2 || name.length() > 32) {
            throw validation("1 validation error detected: Value '" + name + "' at 'name' failed to satisfy constraint: Member must have length "
                    + (name.length() < 2 ? "greater than or equal to 2" : "less than or equal to 32"));
        }
        int seconds = duration(in.durationSeconds(), 43200, 129600);
        String arn = "arn:" + ctx.partition() + ":sts::" + ctx.accountId() + ":federated-user/" + name;
        Session session = issue(ctx.accountId(), arn, ctx.accountId() + ":" + name, seconds, Map.of());
        Integer packed = packedPolicySize(in.policy(), 0);
        return GetFederationTokenResponse.builder().credentials(credentials(session))
                .federatedUser(FederatedUser.builder().federatedUserId(session.userId).arn(arn).build())
                .packedPolicySize(packed == null ? 0 : packed).build();
    }

    /** A rough percentage of the packed-policy limit, present only when a session policy or tags were passed. */
    private static Integer packedPolicySize(String policy, int tagCount) {
        if ((policy == null || policy.isEmpty()) && tagCount == 0) return null;
        int bytes = (policy == null ? 0 : policy.replaceAll("\\s+", "").length()) + tagCount * 64;
        return Math.max(1, Math.min(100, bytes * 100 / 2048));
    }

    // ---------------------------------------------------------------- credentials

    private Session issue(String account, String arn, String userId, int seconds, Map<String, String> transitiveTags) {
        Session s = new Session();
        s.accessKeyId = "ASIA" + random(16);
        s.accountId = account;
        s.arn = arn;
        s.userId = userId;
        s.expiration = Instant.now().getEpochSecond() + seconds;
        s.transitiveTags = new LinkedHashMap<>(transitiveTags);
        sessions.put(s.accessKeyId, s);
        AccessKeys.register(s.accessKeyId, account, arn);
        return s;
    }

    private static Credentials credentials(Session s) {
        byte[] secret = new byte[30];
        RANDOM.nextBytes(secret);
        byte[] token = new byte[192];
        RANDOM.nextBytes(token);
        return Credentials.builder().accessKeyId(s.accessKeyId).secretAccessKey(Base64.getEncoder().encodeToString(secret))
                .sessionToken("FQoGZXIvYXdzE" + Base64.getEncoder().encodeToString(token))
                .expiration(Instant.ofEpochSecond(s.expiration)).build();
    }

    private static String random(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return sb.toString();
    }

    /** A stable id of {@code length} characters derived from {@code seed} (role ids stay the same per role). */
    private static String stableId(String seed, int length) {
        byte[] hash = sha1(seed);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(ALPHABET.charAt((hash[i % hash.length] & 0xff) % ALPHABET.length()));
        return sb.toString();
    }

    private static byte[] sha1(String text) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- persistence

    /** Format version 1: {@code {"sessions": [Session...]}}. */
    public static final class Snapshot {
        public List<Session> sessions = new ArrayList<>();
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        Snapshot snapshot = new Snapshot();
        snapshot.sessions.addAll(sessions.values());
        JSON.writeValue(out, snapshot);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        if (version != 1) throw new IOException("unsupported STS state version " + version);
        Snapshot snapshot = JSON.readValue(in, Snapshot.class);
        sessions.clear();
        for (Session s : snapshot.sessions) {
            sessions.put(s.accessKeyId, s);
            AccessKeys.register(s.accessKeyId, s.accountId, s.arn);
            AccessKeys.registerSessionPolicy(s.accessKeyId, s.sessionPolicy);
        }
    }

    @Override
    public void resetState() {
        sessions.clear();
    }
}
