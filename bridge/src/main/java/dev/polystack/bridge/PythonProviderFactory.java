package dev.polystack.bridge;

import dev.polystack.api.Config;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.util.Set;

/**
 * Kind {@code python}: providers written to LocalStack's convention, named in {@code POLYSTACK_PYTHON_PROVIDERS}
 * ({@code service=module:Class}). LocalStack's own providers are kind {@code localstack}
 * ({@link LocalStackProviderFactory}).
 */
public final class PythonProviderFactory implements ProviderFactory {
    private volatile Set<String> services;

    @Override
    public String kind() {
        return "python";
    }

    @Override
    public Set<String> services() {
        Set<String> s = services;
        if (s == null) services = s = discover(PythonSettings.from(Config.fromEnvironment()));
        return s;
    }

    @Override
    public boolean available() {
        return !services().isEmpty();
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        PythonRuntime runtime = PythonRuntime.shared(environment.config());
        String spec = runtime.settings().providers().get(service);
        PythonOperationProvider provider = new PythonOperationProvider(service, runtime.providerInterpreter(), spec);
        if (runtime.settings().startsEagerly(service, kind())) provider.startAsync();
        return provider;
    }

    static Set<String> discover(PythonSettings settings) {
        return Set.copyOf(settings.providers().keySet());
    }
}
