package dev.polystack.gateway.dispatch;

import dev.polystack.api.Config;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.gateway.routing.FakeCatalog;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.ServiceCodec;
import dev.polystack.protocol.ServiceInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request flow and its error mapping, with a codec that writes "op:output" or "code:status:message". */
class ServiceDispatcherTest {

    static final class TextCodec implements ServiceCodec {
        @Override public ServiceInfo info() { return null; }

        @Override
        public ParsedRequest parse(HttpRequestData request) {
            String op = request.header("X-Op");
            if (op == null) throw new ServiceException("InvalidAction", "no such operation");
            return new ParsedRequest(op, Map.of());
        }

        @Override
        public HttpResponseData serialize(RequestContext context, String operation, Map<String, Object> output) {
            return new HttpResponseData(200).body(operation + ":" + output);
        }

        @Override
        public HttpResponseData serializeError(RequestContext context, String operation, ServiceException error) {
            return new HttpResponseData(error.status()).body(error.code() + ":" + error.status() + ":" + error.getMessage());
        }
    }

    static final class Provider implements ServiceProvider {
        @Override public String service() { return "sqs"; }

        @Override
        public Map<String, Object> invoke(RequestContext context, String operation, Map<String, Object> input) {
            return switch (operation) {
                case "Ok" -> Map.of("a", 1);
                case "Missing" -> throw new UnsupportedOperationException();
                case "Fails" -> throw new ServiceException("QueueDoesNotExist", "gone");
                default -> throw new IllegalStateException("secret internals");
            };
        }

        @Override
        public HttpResponseData handleHttp(RequestContext context) {
            return "raw".equals(context.request().header("X-Raw")) ? new HttpResponseData(204) : null;
        }
    }

    private static ServiceDispatcher dispatcher(Map<String, String> env) {
        FakeCatalog catalog = new FakeCatalog() {
            @Override public ServiceCodec codec(String service) { return new TextCodec(); }
        };
        ProviderFactory factory = new ProviderFactory() {
            @Override public String kind() { return "native"; }

            @Override public Set<String> services() { return Set.of("sqs", "sns"); }

            @Override public ServiceProvider create(String service, ProviderEnvironment environment) { return new Provider(); }
        };
        return new ServiceDispatcher(catalog, new ProviderRegistry(new Config(env), List.of(factory)));
    }

    private static String run(ServiceDispatcher d, String service, String... headers) {
        Map<String, String> h = new java.util.HashMap<>();
        for (int i = 0; i < headers.length; i += 2) h.put(headers[i], headers[i + 1]);
        RequestContext ctx = new RequestContext("000000000000", "us-east-1", service, "rid", null,
                HttpRequestData.of("POST", "/", h, new byte[0]));
        HttpResponseData r = d.dispatch(ctx);
        return r.status() + " " + new String(r.bodyBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void parsesInvokesSerializes() {
        assertEquals("200 Ok:{a=1}", run(dispatcher(Map.of()), "sqs", "X-Op", "Ok"));
    }

    @Test
    void handleHttpAnswersFirst() {
        assertEquals("204 ", run(dispatcher(Map.of()), "sqs", "X-Raw", "raw", "X-Op", "Ok"));
    }

    @Test
    void errorsAreMappedToTheProtocolShape() {
        ServiceDispatcher d = dispatcher(Map.of());
        assertEquals("400 InvalidAction:400:no such operation", run(d, "sqs"));
        assertEquals("400 QueueDoesNotExist:400:gone", run(d, "sqs", "X-Op", "Fails"));
        String missing = run(d, "sqs", "X-Op", "Missing");
        assertTrue(missing.startsWith("501 NotImplemented:501:") && missing.contains("'Missing'") && missing.contains("'sqs'"), missing);
        String internal = run(d, "sqs", "X-Op", "Boom");
        assertTrue(internal.startsWith("500 InternalError:500:"), internal);
        assertFalse(internal.contains("secret internals"));
    }

    @Test
    void servicesWithoutProviderOrDisabledNameTheReason() {
        ServiceDispatcher d = dispatcher(Map.of("SERVICES", "sqs"));
        String disabled = run(d, "sns", "X-Op", "Publish");
        assertTrue(disabled.startsWith("501 ") && disabled.contains("SERVICES"), disabled);
        String none = run(dispatcher(Map.of()), "kms", "X-Op", "Encrypt");
        assertTrue(none.startsWith("501 NotImplemented") && none.contains("'Encrypt'") && none.contains("'kms'"), none);
    }
}
