package dev.polystack.gateway.dispatch;

import dev.polystack.api.Config;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceProvider;
import dev.polystack.api.model.Member;
import dev.polystack.api.model.Operation;
import dev.polystack.api.model.ServiceApi;
import dev.polystack.api.model.Shape;
import dev.polystack.api.model.Type;
import dev.polystack.gateway.routing.FakeCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Typed in-process calls ({@code XApi.client(env)}): a provider that implements the typed interface is called with
 * the typed request itself; any other provider gets the parameter tree, as from a client. The interface here is
 * written by hand the way the generator writes one.
 */
class TypedCallTest {
    /** A one-operation service interface, as generated. */
    interface EchoApi {
        default Echo echo(RequestContext context, Echo request) {
            throw new UnsupportedOperationException("Echo");
        }

        ServiceApi<EchoApi> OPERATIONS = new ServiceApi<>("echo", EchoApi.class,
                new Operation<>("echo", "Echo", () -> Echo.SHAPE, () -> Echo.SHAPE,
                        (api, context, request) -> api.echo(context, (Echo) request)));
    }

    /** A generated-style structure with one member. */
    static final class Echo {
        final String text;

        Echo(String text) {
            this.text = text;
        }

        static final class Builder {
            String text;

            Echo build() {
                return new Echo(text);
            }
        }

        static final Shape<Echo> SHAPE = Shape.of("Echo", Builder::new, Builder::build,
                Member.of("Text", Type.STRING, (Echo e) -> e.text, (Builder b, Object v) -> b.text = (String) v));
    }

    static final class TypedProvider implements EchoApi, ServiceProvider {
        final List<Object> requests = new ArrayList<>();

        @Override public String service() { return "echo"; }

        @Override
        public Map<String, Object> invoke(RequestContext context, String operation, Map<String, Object> input) {
            return OPERATIONS.invoke(this, context, operation, input);
        }

        @Override
        public Echo echo(RequestContext context, Echo request) {
            requests.add(request);
            return new Echo(request.text + "!");
        }
    }

    static final class TreeProvider implements ServiceProvider {
        final List<Map<String, Object>> inputs = new ArrayList<>();

        @Override public String service() { return "echo"; }

        @Override
        public Map<String, Object> invoke(RequestContext context, String operation, Map<String, Object> input) {
            inputs.add(input);
            return Map.of("Text", input.get("Text") + "?");
        }
    }

    /** Implements the interface but leaves Echo to its default: it still serves Echo from the tree in invoke. */
    static final class PartlyTypedProvider implements EchoApi, ServiceProvider {
        final List<Map<String, Object>> inputs = new ArrayList<>();

        @Override public String service() { return "echo"; }

        @Override
        public Map<String, Object> invoke(RequestContext context, String operation, Map<String, Object> input) {
            inputs.add(input);
            return Map.of("Text", input.get("Text") + "~");
        }
    }

    private static ServiceDispatcher dispatcher(ServiceProvider provider) {
        ProviderFactory factory = new ProviderFactory() {
            @Override public String kind() { return "native"; }

            @Override public Set<String> services() { return Set.of("echo"); }

            @Override public ServiceProvider create(String service, ProviderEnvironment environment) { return provider; }
        };
        return new ServiceDispatcher(new FakeCatalog(), new ProviderRegistry(new Config(Map.of()), List.of(factory)));
    }

    private static final Operation<EchoApi> ECHO = EchoApi.OPERATIONS.operation("Echo");

    @Test
    void aTypedProviderGetsTheTypedRequestItself() {
        TypedProvider provider = new TypedProvider();
        Echo request = new Echo("hi");
        Echo out = (Echo) dispatcher(provider).call(RequestContext.internal("000000000000", "us-east-1", "echo"), ECHO, request);
        assertEquals("hi!", out.text);
        assertEquals(List.of(request), provider.requests);
    }

    @Test
    void anyOtherProviderGetsTheTreeAndAnswersTyped() {
        TreeProvider provider = new TreeProvider();
        Echo out = (Echo) dispatcher(provider).call(RequestContext.internal("000000000000", "us-east-1", "echo"), ECHO, new Echo("hi"));
        assertEquals("hi?", out.text);
        assertEquals(List.of(Map.of("Text", "hi")), provider.inputs);
    }

    @Test
    void aTypedProviderThatDoesNotOverrideTheOperationIsServedThroughItsTree() {
        PartlyTypedProvider provider = new PartlyTypedProvider();
        Echo out = (Echo) dispatcher(provider).call(RequestContext.internal("000000000000", "us-east-1", "echo"), ECHO, new Echo("hi"));
        assertEquals("hi~", out.text);
        assertEquals(List.of(Map.of("Text", "hi")), provider.inputs);
    }

    @Test
    void implementedByTellsAnOverrideFromTheDefault() {
        assertTrue(ECHO.implementedBy(TypedProvider.class));
        assertFalse(ECHO.implementedBy(PartlyTypedProvider.class));
        assertFalse(ECHO.implementedBy(TreeProvider.class));
    }
}
