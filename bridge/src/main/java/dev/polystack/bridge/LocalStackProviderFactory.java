package dev.polystack.bridge;

import dev.polystack.api.Config;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Kind {@code localstack}: LocalStack's own providers under GraalPy, available when localstack-core is installed
 * in {@code vendor/localstack} ({@code ./polystack vendor localstack}). By default it serves the services whose
 * LocalStack provider is tested here through the bridge ({@link #DEFAULT_SERVICES}); any other service of
 * LocalStack's registry is served when chosen with {@code PROVIDER_OVERRIDE_<SERVICE>=localstack} (its
 * {@code default} provider).
 */
public final class LocalStackProviderFactory implements ProviderFactory {
    /** Services with no native provider whose LocalStack provider runs (and is tested) through the bridge. */
    static final Set<String> DEFAULT_SERVICES = Set.of("stepfunctions", "cloudformation");

    private volatile Set<String> services;
    private volatile Boolean available;

    @Override
    public String kind() {
        return "localstack";
    }

    @Override
    public Set<String> services() {
        Set<String> s = services;
        if (s == null) services = s = chosen(Config.fromEnvironment());
        return s;
    }

    @Override
    public boolean available() {
        Boolean a = available; // asked per service and per health request: check once
        if (a == null) available = a = PythonSettings.from(Config.fromEnvironment()).localstackInstalled();
        return a;
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        Config config = environment.config();
        PythonRuntime runtime = PythonRuntime.shared(config);
        InternalCalls.bind(environment); // LocalStack's connect_to clients call the providers in process
        String listen = config.get("GATEWAY_LISTEN", "127.0.0.1:" + config.gatewayPort()).split(",")[0].trim();
        // One interpreter for every Python-hosted service (as LocalStack runs): a second one cannot load native modules.
        LocalStackServiceProvider provider = new LocalStackServiceProvider(service, runtime.motoInterpreter(), "default", listen);
        if (runtime.settings().startsEagerly(service, kind())) provider.startAsync();
        return provider;
    }

    /** The default services plus those explicitly given to LocalStack with {@code PROVIDER_OVERRIDE_<SERVICE>}. */
    static Set<String> chosen(Config config) {
        Set<String> chosen = new LinkedHashSet<>(DEFAULT_SERVICES);
        config.all().forEach((name, value) -> {
            if (name.startsWith("PROVIDER_OVERRIDE_") && value != null
                    && value.trim().equalsIgnoreCase("localstack")) {
                chosen.add(name.substring("PROVIDER_OVERRIDE_".length()).toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        });
        return Set.copyOf(chosen);
    }
}
