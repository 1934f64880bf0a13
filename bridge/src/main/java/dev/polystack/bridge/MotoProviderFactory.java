package dev.polystack.bridge;

import dev.polystack.api.Config;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Kind {@code moto}: every service moto implements (the list ships with this jar, so nothing runs to
 * learn it). {@link #available()} is a cheap check; locating moto's package and importing it happen
 * when a moto-hosted service first starts.
 */
public final class MotoProviderFactory implements ProviderFactory {
    private static final Set<String> SERVICES = readServices();
    private volatile Boolean available;

    @Override
    public String kind() {
        return "moto";
    }

    @Override
    public Set<String> services() {
        return SERVICES;
    }

    @Override
    public boolean available() {
        Boolean a = available; // asked per service and per health request: check once
        if (a == null) available = a = MotoLocator.plausible(PythonSettings.from(Config.fromEnvironment()));
        return a;
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        PythonRuntime runtime = PythonRuntime.shared(environment.config());
        MotoServiceProvider provider = new MotoServiceProvider(service, runtime.motoInterpreter(), environment.config());
        if (runtime.settings().startsEagerly(service, kind())) provider.startAsync();
        return provider;
    }

    private static Set<String> readServices() {
        Set<String> services = new LinkedHashSet<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                MotoProviderFactory.class.getResourceAsStream("moto-services.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                line = line.trim();
                if (!line.isEmpty() && !line.startsWith("#")) services.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(services);
    }
}
