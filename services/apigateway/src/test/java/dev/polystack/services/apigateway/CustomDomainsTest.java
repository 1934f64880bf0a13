package dev.polystack.services.apigateway;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CustomDomainsTest {
    /** Host claims as the gateway's router would record them. */
    private final Map<String, String> claims = new HashMap<>();
    private final ProviderEnvironment env = new ProviderEnvironment() {
        public dev.polystack.api.Config config() { throw new UnsupportedOperationException(); }
        public Map<String, Object> call(RequestContext c, String service, String operation, Map<String, Object> input) {
            throw new UnsupportedOperationException();
        }
        public java.util.concurrent.ScheduledExecutorService scheduler() { throw new UnsupportedOperationException(); }
        public java.nio.file.Path dataDirectory(String service) { throw new UnsupportedOperationException(); }
        @Override
        public void claimHost(String host, String service) {
            if (service == null) claims.remove(host);
            else claims.put(host, service);
        }
    };
    private final RequestContext context = new RequestContext("000000000000", "us-east-1", "apigateway", "r", "test", null);

    @Test
    void theLongestMatchingBasePathServesWithTheBasePathStripped() {
        CustomDomains domains = new CustomDomains(env);
        domains.create(context, "Api.Example.com", "REGIONAL", null, null, null, null);
        domains.addMapping(context, "api.example.com", "(none)", "root", "prod", Set.of("prod"), null, null);
        domains.addMapping(context, "api.example.com", "v1", "one", "prod", Set.of("prod"), null, null);
        domains.addMapping(context, "api.example.com", "v1/admin", "admin", "prod", Set.of("prod"), null, null);
        CustomDomains.Domain d = domains.forHost("API.example.com:4566");
        assertEquals("apigateway", claims.get("api.example.com"));
        assertEquals(List.of("admin", "/users"), List.of(CustomDomains.target(d, "/v1/admin/users").mapping().apiId(),
                CustomDomains.target(d, "/v1/admin/users").path()));
        assertEquals("/", CustomDomains.target(d, "/v1").path());
        assertEquals("one", CustomDomains.target(d, "/v1/x").mapping().apiId());
        assertEquals("root", CustomDomains.target(d, "/v10/x").mapping().apiId(), "a base path matches whole segments only");
        assertEquals("/v10/x", CustomDomains.target(d, "/v10/x").path());
    }

    @Test
    void domainsSurviveASnapshotAndClaimTheirHostsAgain() throws Exception {
        CustomDomains domains = new CustomDomains(env);
        domains.create(context, "saved.example.com", "EDGE", "arn:cert", "cert", "TLS_1_0", Map.of("k", "v"));
        domains.addMapping(context, "saved.example.com", "v1", "abc", "prod", Set.of("prod"), null, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ApiGatewaySnapshot.save(new AccountRegionStore<>(ApiGatewayState::new), domains, out);

        domains.clear();
        assertNull(claims.get("saved.example.com"));
        assertNull(domains.forHost("saved.example.com"));
        ApiGatewaySnapshot.load(new AccountRegionStore<>(ApiGatewayState::new), domains, new ByteArrayInputStream(out.toByteArray()));
        CustomDomains.Domain restored = domains.get(context, "saved.example.com");
        assertEquals(List.of("EDGE", "arn:cert", "TLS_1_0", Map.of("k", "v")),
                List.of(restored.endpointType(), restored.certificateArn(), restored.securityPolicy(), restored.tags()));
        assertEquals("abc", CustomDomains.target(domains.forHost("saved.example.com"), "/v1/x").mapping().apiId());
        assertEquals("apigateway", claims.get("saved.example.com"));
    }
}
