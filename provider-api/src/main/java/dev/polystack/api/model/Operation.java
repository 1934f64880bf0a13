package dev.polystack.api.model;

import dev.polystack.api.RequestContext;

import java.util.function.Supplier;

/**
 * One operation of a typed service interface: its name in the specification, its input and output shapes (null
 * when the operation has none), and how to call it on an implementation. Generated, one per operation.
 *
 * @param <A> the service interface, for example {@code SqsApi}
 */
public final class Operation<A> {
    /** Calls the operation's method on an implementation; returns the typed result (null for no output). */
    @FunctionalInterface
    public interface Invoker<A> {
        Object invoke(A api, RequestContext context, Object request) throws Exception;
    }

    private final String service;
    private final String name;
    private final Supplier<Shape<?>> input;
    private final Supplier<Shape<?>> output;
    private final Invoker<A> invoker;
    private volatile ServiceApi<A> api;
    /** Per implementation class: does it override this operation's method (see {@link #implementedBy})? */
    private final ClassValue<Boolean> implemented = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return overrides(type);
        }
    };

    /**
     * @param input  the input shape (null: none), read on first use so that only the shapes of operations actually
     *               called are loaded
     * @param output the output shape (null: none), likewise
     */
    public Operation(String service, String name, Supplier<Shape<?>> input, Supplier<Shape<?>> output, Invoker<A> invoker) {
        this.service = service;
        this.name = name;
        this.input = input;
        this.output = output;
        this.invoker = invoker;
    }

    /** The service interface this operation belongs to (set by {@link ServiceApi}). */
    public Class<A> api() {
        return api.type();
    }

    void owner(ServiceApi<A> api) {
        this.api = api;
    }

    /** The service's botocore name ({@code sqs}). */
    public String service() {
        return service;
    }

    public String name() {
        return name;
    }

    /** The input shape, or null when the operation takes none. */
    public Shape<?> input() {
        return input == null ? null : input.get();
    }

    /** The output shape, or null when the operation answers none. */
    public Shape<?> output() {
        return output == null ? null : output.get();
    }

    /**
     * Whether an implementation class overrides this operation's method, rather than inheriting the interface's
     * NotImplemented default. Reflection runs once per class; after that this is a cached lookup.
     */
    public boolean implementedBy(Class<?> type) {
        return implemented.get(type);
    }

    private boolean overrides(Class<?> type) {
        Class<A> iface = api();
        if (!iface.isAssignableFrom(type)) return false;
        for (java.lang.reflect.Method m : iface.getMethods()) {
            // the generated method is the operation's name in lower camel case, taking (RequestContext[, request])
            if (!m.isDefault() || !m.getName().equalsIgnoreCase(name)) continue;
            Class<?>[] params = m.getParameterTypes();
            if (params.length == 0 || params[0] != RequestContext.class) continue;
            try {
                return !type.getMethod(m.getName(), params).getDeclaringClass().equals(iface);
            } catch (NoSuchMethodException e) {
                return true;
            }
        }
        return true; // no default method found: whatever the class has is its own
    }

    /** Calls the implementation with a typed request (checked exceptions are the implementation's bug). */
    public Object invoke(A api, RequestContext context, Object request) {
        try {
            return invoker.invoke(api, context, request);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(service + "." + name + " threw a checked exception", e);
        }
    }
}
