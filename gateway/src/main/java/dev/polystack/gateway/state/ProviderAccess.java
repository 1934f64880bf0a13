package dev.polystack.gateway.state;

import dev.polystack.api.ServiceProvider;

import java.util.Collection;

/** How the snapshot manager reaches the gateway's providers without owning them. */
public interface ProviderAccess {

    /** The services this server offers. */
    Collection<String> services();

    /** The provider if it was already created, else null (never creates). */
    ServiceProvider existing(String service);

    /** The provider, created now if needed (creation loads its snapshot through the manager). */
    ServiceProvider obtain(String service);
}
