package dev.polystack.api.model;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations of one typed service interface (generated as its {@code OPERATIONS} constant), and the generic
 * dispatch over them: parameter tree → typed request → the implementation's method → typed result → tree, with
 * no per-operation code.
 *
 * @param <A> the service interface, for example {@code SqsApi}
 */
public final class ServiceApi<A> {
    private final String service;
    private final Class<A> type;
    private final List<Operation<A>> operations;
    private final Map<String, Operation<A>> byName;

    @SafeVarargs
    public ServiceApi(String service, Class<A> type, Operation<A>... operations) {
        this.service = service;
        this.type = type;
        this.operations = List.of(operations);
        Map<String, Operation<A>> index = new HashMap<>(operations.length * 2);
        for (Operation<A> op : operations) {
            op.owner(this);
            index.put(op.name(), op);
        }
        this.byName = index;
    }

    /** The service's botocore name ({@code sqs}). */
    public String service() {
        return service;
    }

    /** The service interface ({@code SqsApi.class}). */
    public Class<A> type() {
        return type;
    }

    public List<Operation<A>> operations() {
        return operations;
    }

    /** The operation of that name, or null. */
    public Operation<A> operation(String name) {
        return byName.get(name);
    }

    /**
     * Serves one operation from a parameter tree ({@link dev.polystack.api.ServiceProvider#invoke}): converts the
     * input once, calls the implementation, converts its result once.
     *
     * @throws UnsupportedOperationException for an operation the interface does not have (→ NotImplemented)
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> invoke(A implementation, RequestContext context, String operation, Map<String, Object> input) {
        Operation<A> op = byName.get(operation);
        if (op == null) throw new UnsupportedOperationException(service + "." + operation);
        Object request = op.input() == null ? null : TreeConverter.fromTree(op.input(), input);
        Object result = op.invoke(implementation, context, request);
        if (result == null || op.output() == null) return Map.of();
        return TreeConverter.toTree((Shape<Object>) op.output(), result);
    }

    /**
     * Calls an operation of this service in process through the environment, whichever provider serves it (typed,
     * map-based, moto or Python): what the generated {@code client(env)} of each interface does per method.
     */
    public Object call(ProviderEnvironment environment, RequestContext context, String operation, Object request) {
        return environment.call(context, byName.get(operation), request);
    }
}
