package dev.polystack.bridge;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service served by a LocalStack-convention Python provider ({@code PROVIDER_OVERRIDE_<SERVICE>=python}):
 * the gateway parses the request, the provider's method for the operation runs with a LocalStack-like
 * context and the botocore-shaped parameters ({@code polystack_bridge.provider_host}), and the dict it
 * returns goes back through the gateway's serializer. Errors: a {@code ServiceException}-like Python
 * exception becomes {@link ServiceException} with its code, message, status and sender fault; any other
 * exception becomes {@code InternalError}.
 */
class PythonOperationProvider extends PythonHostedProvider {
    /** Largest request body handed to the provider as {@code context.request.data}. */
    private static final long MAX_CONTEXT_BODY = 1 << 20;

    private final String spec;

    /** @param spec {@code module:Class} of the provider, or {@code localstack} for localstack-core's own */
    PythonOperationProvider(String service, PythonInterpreter interpreter, String spec) {
        super(service, interpreter);
        this.spec = spec;
    }

    @Override
    String kind() {
        return "python";
    }

    @Override
    protected Value load() {
        return interpreter.importModule("polystack_bridge.provider_host").invokeMember("load", service, spec);
    }

    @Override
    public Map<String, Object> invoke(RequestContext context, String operation, Map<String, Object> input) {
        Value host = host();
        String answer;
        try {
            answer = host.invokeMember("invoke", operation, TreeCodec.write(contextTree(context)), TreeCodec.write(input)).asString();
        } catch (PolyglotException e) {
            throw internalError(operation, e.getMessage(), describe(e));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> envelope = (Map<String, Object>) TreeCodec.read(answer);
        if (envelope.get("output") instanceof Map<?, ?> output) {
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) output;
            return result;
        }
        if (envelope.get("error") instanceof Map<?, ?> error) throw serviceException(error);
        if (envelope.containsKey("unsupported")) {
            throw new UnsupportedOperationException("The " + operation + " operation of " + service
                    + " is not implemented by its Python provider");
        }
        throw internalError(operation, String.valueOf(envelope.get("crash")), String.valueOf(envelope.get("traceback")));
    }

    private static ServiceException serviceException(Map<?, ?> error) {
        int status = error.get("status") instanceof Number n ? n.intValue() : 400;
        boolean senderFault = Boolean.TRUE.equals(error.get("sender_fault"));
        ServiceException e = new ServiceException(String.valueOf(error.get("code")),
                String.valueOf(error.get("message")), status, senderFault);
        if (error.get("fields") instanceof Map<?, ?> fields) {
            fields.forEach((k, v) -> e.with(String.valueOf(k), v));
        }
        return e;
    }

    private static Map<String, Object> contextTree(RequestContext context) {
        HttpRequestData request = context.request();
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("account_id", context.accountId());
        tree.put("region", context.region());
        tree.put("partition", context.partition());
        tree.put("request_id", context.requestId());
        tree.put("method", request.method());
        tree.put("path", request.path());
        tree.put("query", request.rawQuery());
        if (context.protocol() != null) tree.put("protocol", context.protocol());
        Map<String, Object> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : request.headers().entrySet()) {
            if (!e.getValue().isEmpty()) headers.put(e.getKey(), e.getValue().get(0));
        }
        tree.put("headers", headers);
        long length = request.contentLength();
        byte[] body = new byte[0];
        if (length >= 0 && length <= MAX_CONTEXT_BODY) {
            try {
                body = request.bodyBytes();
            } catch (RuntimeException alreadyConsumed) {
                // streamed to the parser; the provider has the parsed parameters
            }
        }
        tree.put("body", body);
        return tree;
    }
}
