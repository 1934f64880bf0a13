package dev.polystack.protocol;

import java.util.Collection;
import java.util.List;

/**
 * The index of all services whose specifications are installed: small, loaded at start without
 * parsing whole specifications, used by the gateway's router.
 */
public interface ServiceCatalog {

    Collection<ServiceInfo> all();

    /** By botocore name, or null. */
    ServiceInfo get(String service);

    /** The service whose JSON target prefix is {@code targetPrefix} (text before the dot of X-Amz-Target), or null. */
    ServiceInfo byTargetPrefix(String targetPrefix);

    /** Services signed with this SigV4 signing name (several may share one, e.g. ses and sesv2). */
    List<ServiceInfo> bySigningName(String signingName);

    /** Services with this endpoint prefix (the first label of their AWS host name). */
    List<ServiceInfo> byEndpointPrefix(String endpointPrefix);

    /** The codec for a service, compiled lazily on first use and cached. Null if the service is unknown. */
    ServiceCodec codec(String service);
}
