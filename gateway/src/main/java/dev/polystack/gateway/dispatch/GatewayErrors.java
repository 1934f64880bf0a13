package dev.polystack.gateway.dispatch;

import dev.polystack.api.ServiceException;

/** The errors the gateway itself raises, with AWS-style codes and messages that say what to change. */
public final class GatewayErrors {
    private GatewayErrors() {
    }

    /** A service switched off by {@code SERVICES=}. */
    public static ServiceException serviceDisabled(String service) {
        return new ServiceException("InternalFailure", "Service '" + service
                + "' is not enabled. Please check your 'SERVICES' configuration variable.", 501, false);
    }

    /** A service with no provider at all, or an operation the chosen provider lacks. */
    public static ServiceException serviceNotImplemented(String service, String operation) {
        String what = operation == null ? "The API for service '" + service + "'"
                : "The API action '" + operation + "' for service '" + service + "'";
        return new ServiceException("NotImplemented", what + " is not implemented in Polystack yet.", 501, false);
    }

    /**
     * A service without a native provider, in the native-only container image ({@code POLYSTACK_IMAGE_VARIANT=native}),
     * which leaves out the Python tier that serves such services in the full image.
     */
    public static ServiceException notInThisImage(String service) {
        return new ServiceException("NotImplemented", "Service '" + service + "' is not available in this image: "
                + "Polystack's native-only image serves only the natively implemented services and leaves out the "
                + "Python tier (moto under GraalPy) that serves the others. Use the full image for it.", 501, false);
    }

    /** {@code PROVIDER_OVERRIDE_<SERVICE>} names a kind that is not installed for the service. */
    public static ServiceException overrideUnavailable(String service, String setting, String kind) {
        return new ServiceException("InternalFailure", setting + "=" + kind + ": no '" + kind
                + "' provider is installed for service '" + service + "'.", 501, false);
    }

    public static ServiceException providerFailed(String service, String kind, Throwable cause) {
        return new ServiceException("InternalFailure", "The " + kind + " provider for service '" + service
                + "' failed to start: " + cause, 500, false);
    }

    /** A request naming a service that no installed specification has. */
    public static ServiceException unknownService(String name) {
        return new ServiceException("UnknownService", "Polystack does not know the service '" + name + "'.", 400, true);
    }

    /** The service has a provider but no installed specification to parse requests with. */
    public static ServiceException noSpecification(String service) {
        return new ServiceException("InternalFailure", "No specification is installed for service '" + service
                + "' (vendor/python/botocore/data): rebuild with ./mvnw package.", 501, false);
    }

    public static ServiceException internalError() {
        return new ServiceException("InternalError", "We encountered an internal error. Please try again.", 500, false);
    }
}
