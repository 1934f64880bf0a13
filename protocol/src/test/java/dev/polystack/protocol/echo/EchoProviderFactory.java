package dev.polystack.protocol.echo;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;
import dev.polystack.protocol.BotocoreCatalog;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Test-only provider kind {@code echo}: answers every operation of a service with an output built from the
 * input (see {@link EchoProvider}), so real clients can check that the gateway parses and serializes each
 * protocol faithfully. It is on the class path only when tests add {@code protocol/target/test-classes}
 * ({@code POLYSTACK_EXTRA_CLASSPATH}) and serves exactly the services set to it with
 * {@code PROVIDER_OVERRIDE_<SERVICE>=echo} (never a default choice).
 */
public final class EchoProviderFactory implements ProviderFactory {
    private static final String PREFIX = "PROVIDER_OVERRIDE_";

    @Override
    public String kind() {
        return "echo";
    }

    @Override
    public Set<String> services() {
        Set<String> services = new TreeSet<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            if (e.getKey().startsWith(PREFIX) && e.getValue().equalsIgnoreCase("echo")) {
                services.add(e.getKey().substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
        return services;
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new EchoProvider(service, CatalogHolder.CATALOG.model(service));
    }

    /** One catalog for all echo providers, read on first use. */
    private static final class CatalogHolder {
        static final BotocoreCatalog CATALOG = BotocoreCatalog.fromEnvironment();
    }
}
