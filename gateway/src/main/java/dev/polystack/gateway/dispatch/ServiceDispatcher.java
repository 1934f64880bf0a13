package dev.polystack.gateway.dispatch;

import dev.polystack.api.HttpResponseData;
import dev.polystack.api.MalformedBodyException;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.api.model.Operation;
import dev.polystack.api.model.Shape;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.ServiceCatalog;
import dev.polystack.protocol.ServiceCodec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One service request: provider → {@code handleHttp} → else parse → {@code invoke} → serialize. Every failure
 * becomes an AWS error in the service's protocol: {@link ServiceException} as thrown,
 * {@link UnsupportedOperationException} as 501 NotImplemented, a {@link MalformedBodyException} anywhere in the
 * cause chain as its 400, running out of memory as 503 ServiceUnavailable ({@link MemoryGuard}), anything else as a
 * logged 500 InternalError.
 */
public final class ServiceDispatcher {
    private static final Logger LOG = Logger.getLogger(ServiceDispatcher.class.getName());

    private final ServiceCatalog catalog;
    private final ProviderRegistry registry;
    private final MemoryGuard memory = MemoryGuard.get();

    /** Set with ENFORCE_IAM=1: identity policies checked before a provider sees a request. */
    private volatile IamEnforcement iamEnforcement;

    /** Observers of successful in-process calls (service, operation). */
    private final List<BiConsumer<String, String>> callListeners = new CopyOnWriteArrayList<>();

    public ServiceDispatcher(ServiceCatalog catalog, ProviderRegistry registry) {
        this.catalog = catalog;
        this.registry = registry;
    }

    /**
     * Observes each successful in-process call ({@link #call}): a change one service makes in another (SNS
     * delivering to SQS) comes with no HTTP request, and the snapshot manager must still hear of it.
     */
    public void afterCall(BiConsumer<String, String> listener) {
        callListeners.add(listener);
    }

    /** Turns on ENFORCE_IAM's check of every signed request (see {@link IamEnforcement}). */
    public void enforceIam(IamEnforcement enforcement) {
        this.iamEnforcement = enforcement;
    }

    public HttpResponseData dispatch(RequestContext context) {
        String service = context.service();
        ServiceCodec codec = null;
        try {
            codec = catalog.codec(service);
            ServiceProvider provider = providerOrNull(service);
            if (provider != null) {
                memory.checkAdmits(null, context.request().method());
                HttpResponseData raw = provider.handleHttp(context);
                if (raw != null) return raw;
            }
            if (codec == null) {
                if (provider == null) throw noProvider(service, null);
                throw GatewayErrors.noSpecification(service);
            }
            // The protocol is chosen once: parsing, the provider and the answer (or error) all use it.
            codec = codec.select(context.request());
            context.protocol(codec.protocol());
            ParsedRequest parsed = codec.parse(context.request());
            context.operation(parsed.operation());
            if (provider == null) throw noProvider(service, parsed.operation());
            memory.checkAdmits(parsed.operation(), null);
            IamEnforcement enforcement = iamEnforcement;
            if (enforcement != null) enforcement.check(context, codec, parsed.operation(), parsed.params());
            Map<String, Object> output = provider.invoke(context, parsed.operation(), parsed.params());
            return codec.serialize(context, parsed.operation(), output == null ? Map.of() : output);
        } catch (ServiceException e) {
            return error(codec, context, e);
        } catch (UnsupportedOperationException e) {
            return error(codec, context, GatewayErrors.serviceNotImplemented(service, context.operation()));
        } catch (RuntimeException e) {
            MalformedBodyException malformed = MalformedBodyException.in(e);
            if (malformed != null) return error(codec, context, malformed.toServiceException());
            LOG.log(Level.SEVERE, "request " + context.requestId() + " to " + service + "." + context.operation() + " failed", e);
            return error(codec, context, GatewayErrors.internalError());
        } catch (LinkageError | StackOverflowError e) {
            LOG.log(Level.SEVERE, "request " + context.requestId() + " to " + service + "." + context.operation() + " failed", e);
            return error(codec, context, GatewayErrors.internalError());
        } catch (OutOfMemoryError e) {
            memory.outOfMemory(service + "." + context.operation(), e);
            return error(codec, context, memory.refusal());
        }
    }

    /** Only the provider's own {@code handleHttp} answer (S3 CORS preflights), or null; never an error. */
    public HttpResponseData rawAnswer(RequestContext context) {
        try {
            ServiceProvider provider = providerOrNull(context.service());
            return provider == null ? null : provider.handleHttp(context);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "handleHttp of " + context.service() + " failed", e);
            return null;
        }
    }

    /** A WebSocket upgrade routed to a service: its provider's answer, or null when it serves no WebSocket there. */
    public dev.polystack.api.WebSocketUpgrade acceptWebSocket(RequestContext context) {
        ServiceProvider provider = providerOrNull(context.service());
        return provider == null ? null : provider.acceptWebSocket(context);
    }

    /** Calls a provider in process (ProviderEnvironment.call): no HTTP, same provider selection. */
    public Map<String, Object> call(RequestContext context, String service, String operation, Map<String, Object> input) {
        context.operation(operation);
        memory.checkAdmits(operation, null);
        IamEnforcement enforcement = iamEnforcement;
        if (enforcement != null && context.delivery() != null) enforcement.checkDelivery(context, service, operation, input);
        Map<String, Object> output = registry.obtain(service).invoke(context, operation, input);
        for (BiConsumer<String, String> listener : callListeners) listener.accept(service, operation);
        return output == null ? Map.of() : output;
    }

    /**
     * A typed call in process (the generated {@code client(env)} of a service interface): when the provider serving
     * the service implements that interface and overrides the operation's method, it is called directly with the
     * typed request, with no conversion. Any other provider (moto, Python, a map-based one), and a typed provider
     * that leaves this operation to the interface's NotImplemented default, gets the parameter tree through
     * {@code invoke}, as from a client: so a provider that serves some operations from its tree still serves them
     * to typed callers.
     */
    @SuppressWarnings("unchecked")
    public Object call(RequestContext context, Operation<?> operation, Object request) {
        ServiceProvider provider = registry.obtain(operation.service());
        if (!operation.implementedBy(provider.getClass())) {
            Map<String, Object> input = operation.input() == null ? Map.of()
                    : TreeConverter.toTree((Shape<Object>) operation.input(), request);
            Map<String, Object> output = call(context, operation.service(), operation.name(), input);
            return operation.output() == null ? null : TreeConverter.fromTree(operation.output(), output);
        }
        context.operation(operation.name());
        IamEnforcement enforcement = iamEnforcement;
        if (enforcement != null && context.delivery() != null) {
            enforcement.checkDelivery(context, operation.service(), operation.name(), operation.input() == null ? Map.of()
                    : TreeConverter.toTree((Shape<Object>) operation.input(), request));
        }
        Object result = ((Operation<Object>) operation).invoke(provider, context, request);
        for (BiConsumer<String, String> listener : callListeners) listener.accept(operation.service(), operation.name());
        return result;
    }

    /**
     * The provider, or null when the service has none yet (no provider / disabled): the request is parsed
     * first so that the error can name the operation, and unknown operations still get the protocol's error.
     */
    private ServiceProvider providerOrNull(String service) {
        ServiceProvider existing = registry.existing(service);
        if (existing != null) return existing;
        if (registry.availability(service) != ProviderRegistry.Availability.OFFERED) return null;
        return registry.obtain(service);
    }

    /** Why a service has no provider: disabled, not implemented (naming the operation), misconfigured override. */
    private ServiceException noProvider(String service, String operation) {
        if (registry.availability(service) == ProviderRegistry.Availability.NOT_IMPLEMENTED) {
            return registry.notImplemented(service, operation);
        }
        try {
            registry.obtain(service);
        } catch (ServiceException e) {
            return e;
        }
        return GatewayErrors.serviceNotImplemented(service, operation);
    }

    private HttpResponseData error(ServiceCodec codec, RequestContext context, ServiceException error) {
        if (codec != null) {
            try {
                return codec.serializeError(context, context.operation(), error);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "serializing error " + error.code() + " for " + context.service() + " failed", e);
            }
        }
        return FallbackErrors.render(context.request(), context.service(), error, context.requestId());
    }
}
