package dev.polystack.api;

import java.util.Set;

/**
 * Discovered with {@link java.util.ServiceLoader}: list implementations in
 * {@code META-INF/services/dev.polystack.api.ProviderFactory}. Loading a factory must be cheap:
 * the provider itself is created on first use (or at boot with {@code EAGER_SERVICE_LOADING=1}).
 */
public interface ProviderFactory {

    /** The provider kind, as chosen with {@code PROVIDER_OVERRIDE_<SERVICE>}: {@code native}, {@code python}, {@code moto}. */
    String kind();

    /** The services this factory can serve (botocore names). */
    Set<String> services();

    /** Whether this factory can serve now (for example: moto is installed). Native providers always can. */
    default boolean available() {
        return true;
    }

    /** Creates the provider for one service; called at most once per service. */
    ServiceProvider create(String service, ProviderEnvironment environment);
}
