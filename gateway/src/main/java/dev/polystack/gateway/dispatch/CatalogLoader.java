package dev.polystack.gateway.dispatch;

import dev.polystack.protocol.BotocoreCatalog;
import dev.polystack.protocol.ServiceCatalog;
import dev.polystack.protocol.ServiceCodec;
import dev.polystack.protocol.ServiceInfo;

import java.util.Collection;
import java.util.List;
import java.util.logging.Logger;

/** Loads the protocol layer's {@link ServiceCatalog}; without specifications the gateway still serves platform endpoints. */
public final class CatalogLoader {
    private static final Logger LOG = Logger.getLogger(CatalogLoader.class.getName());

    private CatalogLoader() {
    }

    /** botocore's catalog under {@code polystack.home} (the launcher sets it), else an empty one with a warning. */
    public static ServiceCatalog load() {
        try {
            return BotocoreCatalog.fromEnvironment();
        } catch (RuntimeException e) {
            LOG.warning("no AWS service specifications: " + e.getMessage());
            return EMPTY;
        }
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
