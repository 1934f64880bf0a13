package dev.polystack.gateway.dispatch;

import dev.polystack.protocol.ServiceCatalog;
import dev.polystack.protocol.ServiceCodec;
import dev.polystack.protocol.ServiceInfo;

import java.util.Collection;
import java.util.List;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/** Finds the protocol layer's {@link ServiceCatalog}; without one the gateway still serves platform endpoints. */
public final class CatalogLoader {
    private static final Logger LOG = Logger.getLogger(CatalogLoader.class.getName());

    private CatalogLoader() {
    }

    public static ServiceCatalog load() {
        return ServiceLoader.load(ServiceCatalog.class).findFirst().orElseGet(() -> {
            LOG.warning("no ServiceCatalog implementation on the class path: no AWS service can be parsed");
            return EMPTY;
        });
    }

    /** A catalog with no services. */
    public static final ServiceCatalog EMPTY = new ServiceCatalog() {
        @Override
        public Collection<ServiceInfo> all() { return List.of(); }

        @Override
        public ServiceInfo get(String service) { return null; }

        @Override
        public ServiceInfo byTargetPrefix(String targetPrefix) { return null; }

        @Override
        public List<ServiceInfo> bySigningName(String signingName) { return List.of(); }

        @Override
        public List<ServiceInfo> byEndpointPrefix(String endpointPrefix) { return List.of(); }

        @Override
        public ServiceCodec codec(String service) { return null; }
    };
}
