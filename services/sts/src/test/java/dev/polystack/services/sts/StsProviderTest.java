package dev.polystack.services.sts;

import dev.polystack.api.AccessKeys;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StsProviderTest {
    private final StsProvider sts = new StsProvider();

    /** A context as the gateway builds it for a request signed with {@code accessKey}. */
    private static RequestContext signedWith(String accessKey) {
        return new RequestContext(AccessKeys.accountFor(accessKey), "us-east-1", "sts", "r", accessKey,
                HttpRequestData.of("POST", "/", Map.of(), new byte[0]));
    }

    private Map<String, Object> call(RequestContext ctx, String op, Object... kv) {
        Map<String, Object> in = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) in.put((String) kv[i], kv[i + 1]);
        return sts.invoke(ctx, op, in);
    }

    @SuppressWarnings("unchecked")
    private static String key(Map<String, Object> out) {
        return (String) ((Map<String, Object>) out.get("Credentials")).get("AccessKeyId");
    }

    @Test
    void callerIdentityOfPlainKeys() {
        Map<String, Object> id = call(signedWith("test"), "GetCallerIdentity");
        assertEquals("000000000000", id.get("Account"));
        assertEquals("arn:aws:iam::000000000000:root", id.get("Arn"));
        assertEquals("111122223333", call(signedWith("111122223333"), "GetCallerIdentity").get("Account"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void assumedRoleKeysLandInTheRolesAccount() {
        Map<String, Object> out = call(signedWith("test"), "AssumeRole", "RoleArn", "arn:aws:iam::222233334444:role/path/reader",
                "RoleSessionName", "s1");
        String key = key(out);
        assertTrue(key.startsWith("ASIA") && key.length() == 20, key);
        Map<String, Object> credentials = (Map<String, Object>) out.get("Credentials");
        assertTrue(((Instant) credentials.get("Expiration")).isAfter(Instant.now().plusSeconds(3000)));
        Map<String, Object> user = (Map<String, Object>) out.get("AssumedRoleUser");
        assertEquals("arn:aws:sts::222233334444:assumed-role/reader/s1", user.get("Arn"));
        assertTrue(((String) user.get("AssumedRoleId")).matches("AROA[A-Z2-7]{17}:s1"));
        assertEquals("222233334444", AccessKeys.accountFor(key));
        Map<String, Object> id = call(signedWith(key), "GetCallerIdentity");
        assertEquals("222233334444", id.get("Account"));
        assertEquals(user.get("Arn"), id.get("Arn"));
        assertEquals(user.get("AssumedRoleId"), id.get("UserId"));
        assertEquals("222233334444", call(signedWith("test"), "GetAccessKeyInfo", "AccessKeyId", key).get("Account"));
        // the same role keeps its id
        Map<String, Object> again = call(signedWith("test"), "AssumeRole", "RoleArn", "arn:aws:iam::222233334444:role/path/reader",
                "RoleSessionName", "s1");
        assertEquals(user.get("AssumedRoleId"), ((Map<String, Object>) again.get("AssumedRoleUser")).get("AssumedRoleId"));
    }

    @Test
    void invalidParameters() {
        for (String arn : List.of("nothing-valid-in-here", "arn::b:::something/test-role", "arn:a::::something/test-role",
                "arn:a:::something/test-role", "arn:a:a::aaaaaaaaaa:")) {
            ServiceException e = assertThrows(ServiceException.class,
                    () -> call(signedWith("test"), "AssumeRole", "RoleArn", arn, "RoleSessionName", "s"));
            assertEquals("ValidationError", e.code());
            assertEquals(arn + " is invalid", e.getMessage());
        }
        ServiceException name = assertThrows(ServiceException.class, () -> call(signedWith("test"), "AssumeRole",
                "RoleArn", "arn:aws:iam::000000000000:role/r", "RoleSessionName", "Session1:2"));
        assertEquals("1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [\\w+=,.@-]*", name.getMessage());
    }

    @Test
    void sessionTagsAndRoleChaining() {
        String role = "arn:aws:iam::000000000000:role/r";
        ServiceException dup = assertThrows(ServiceException.class, () -> call(signedWith("test"), "AssumeRole", "RoleArn", role,
                "RoleSessionName", "sess", "Tags", List.of(Map.of("Key", "a", "Value", "1"), Map.of("Key", "A", "Value", "2"))));
        assertEquals("InvalidParameterValue", dup.code());
        assertEquals("Duplicate tag keys found. Please note that Tag keys are case insensitive.", dup.getMessage());
        ServiceException missing = assertThrows(ServiceException.class, () -> call(signedWith("test"), "AssumeRole", "RoleArn", role,
                "RoleSessionName", "sess", "Tags", List.of(Map.of("Key", "a", "Value", "1")), "TransitiveTagKeys", List.of("b")));
        assertEquals("The specified transitive tag key must be included in the requested tags.", missing.getMessage());
        String first = key(call(signedWith("test"), "AssumeRole", "RoleArn", role, "RoleSessionName", "sess",
                "Tags", List.of(Map.of("Key", "team", "Value", "x")), "TransitiveTagKeys", List.of("team")));
        ServiceException chained = assertThrows(ServiceException.class, () -> call(signedWith(first), "AssumeRole", "RoleArn", role,
                "RoleSessionName", "s2", "Tags", List.of(Map.of("Key", "TEAM", "Value", "y"))));
        assertEquals("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
                chained.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void webIdentitySamlSessionAndFederationTokens() {
        String jwt = "eyJhbGciOiJub25lIn0." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"user-1\",\"aud\":\"app\",\"iss\":\"https://issuer.example\"}".getBytes(StandardCharsets.UTF_8)) + ".";
        Map<String, Object> web = call(signedWith("test"), "AssumeRoleWithWebIdentity", "RoleArn", "arn:aws:iam::333344445555:role/web",
                "RoleSessionName", "web1", "WebIdentityToken", jwt);
        assertEquals("user-1", web.get("SubjectFromWebIdentityToken"));
        assertEquals("app", web.get("Audience"));
        assertEquals("issuer.example", web.get("Provider"));
        assertEquals("333344445555", AccessKeys.accountFor(key(web)));

        String saml = "<samlp:Response><saml:Assertion><saml:Issuer>https://idp.example</saml:Issuer><saml:Subject>"
                + "<saml:NameID Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:transient\">alice</saml:NameID></saml:Subject>"
                + "<saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"><saml:AttributeValue>alice-session</saml:AttributeValue>"
                + "</saml:Attribute></saml:Assertion></samlp:Response>";
        Map<String, Object> samlOut = call(signedWith("test"), "AssumeRoleWithSAML", "RoleArn", "arn:aws:iam::444455556666:role/saml",
                "PrincipalArn", "arn:aws:iam::444455556666:saml-provider/idp",
                "SAMLAssertion", Base64.getEncoder().encodeToString(saml.getBytes(StandardCharsets.UTF_8)));
        assertEquals("alice", samlOut.get("Subject"));
        assertEquals("transient", samlOut.get("SubjectType"));
        assertEquals("https://idp.example", samlOut.get("Issuer"));
        assertEquals("arn:aws:sts::444455556666:assumed-role/saml/alice-session", ((Map<String, Object>) samlOut.get("AssumedRoleUser")).get("Arn"));

        Map<String, Object> session = call(signedWith("555566667777"), "GetSessionToken");
        assertEquals("555566667777", AccessKeys.accountFor(key(session)));
        assertEquals("arn:aws:iam::555566667777:root", call(signedWith(key(session)), "GetCallerIdentity").get("Arn"));

        Map<String, Object> fed = call(signedWith("test"), "GetFederationToken", "Name", "bob");
        assertEquals(Map.of("FederatedUserId", "000000000000:bob", "Arn", "arn:aws:sts::000000000000:federated-user/bob"), fed.get("FederatedUser"));
        assertEquals(0, fed.get("PackedPolicySize"));
    }

    @Test
    void stateRoundTripsAndReRegistersKeys() throws Exception {
        String key = key(call(signedWith("test"), "AssumeRole", "RoleArn", "arn:aws:iam::666677778888:role/p", "RoleSessionName", "pp"));
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        sts.saveState(saved);
        AccessKeys.issued().remove(key);
        StsProvider restored = new StsProvider();
        restored.loadState(new ByteArrayInputStream(saved.toByteArray()), sts.stateVersion());
        assertEquals("666677778888", AccessKeys.accountFor(key));
        assertEquals("arn:aws:sts::666677778888:assumed-role/p/pp",
                restored.invoke(signedWith(key), "GetCallerIdentity", Map.of()).get("Arn"));
    }
}
