package dev.polystack.bridge;

import dev.polystack.api.Config;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kind {@code python}: LocalStack-convention providers. Which services: those named in
 * {@code POLYSTACK_PYTHON_PROVIDERS} ({@code service=module:Class}), plus, when localstack-core is
 * installed in {@code vendor/python}, the services its provider registry
 * ({@code localstack/services/providers.py}) defines, read as text (no Python runs to learn them).
 */
public final class PythonProviderFactory implements ProviderFactory {
    private static final Pattern PROVIDER_FUNCTION = Pattern.compile("(?m)^def ([a-z0-9_]+)\\(");

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
        String spec = runtime.settings().providers().getOrDefault(service, "localstack");
        PythonOperationProvider provider = new PythonOperationProvider(service, runtime.providerInterpreter(), spec);
        if (runtime.settings().startsEagerly(service, kind())) provider.startAsync();
        return provider;
    }

    static Set<String> discover(PythonSettings settings) {
        Set<String> found = new LinkedHashSet<>(settings.providers().keySet());
        Path registry = settings.vendorPython().resolve("localstack/services/providers.py");
        if (Files.isRegularFile(registry)) {
            try {
                Matcher m = PROVIDER_FUNCTION.matcher(Files.readString(registry));
                while (m.find()) {
                    String name = m.group(1);
                    if (!name.contains("_")) found.add(name); // variants like sqs_v2 are alternatives, not services
                }
            } catch (IOException ignored) {
                // no registry: only configured providers
            }
        }
        return Set.copyOf(found);
    }
}
