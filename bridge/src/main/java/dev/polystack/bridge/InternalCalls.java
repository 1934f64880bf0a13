package dev.polystack.bridge;

import dev.polystack.api.AccessKeys;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Java end of LocalStack's internal clients ({@code connect_to}) under GraalPy: a call that LocalStack's Step
 * Functions or CloudFormation makes to another service (PutEvents for every execution, SendMessage for an SQS task,
 * CreateQueue for a stack's queue) reaches the provider through the gateway's in-process dispatch, as
 * {@link ProviderEnvironment#call} does for native providers: no botocore serialization, no HTTP round trip, no
 * parsing back ({@code polystack_bridge/internal_client.py} is the Python end). The dispatcher hands the parameter
 * tree to whichever provider serves the service; a native provider converts it once to its typed request.
 *
 * <p>Called from a Python thread: GraalPy releases its interpreter lock for the duration of a call into Java, so a
 * slow target (a Lambda invocation) does not stop other Python work, and a target served in Python (Step Functions
 * starting a nested execution) re-enters the interpreter on the same thread.
 */
public final class InternalCalls {
    private static final System.Logger LOG = System.getLogger(InternalCalls.class.getName());
    private static volatile ProviderEnvironment environment;

    private InternalCalls() {
    }

    /** Set by the factories of Python-hosted providers when they create one (the gateway has one environment). */
    static void bind(ProviderEnvironment env) {
        environment = env;
    }

    /** Whether internal calls can be served in process (false before any Python-hosted provider exists). */
    public static boolean available() {
        return environment != null;
    }

    /**
     * Calls {@code service.operation} with the parameter tree {@code params} (treecodec JSON) as the caller whose
     * access key and region a client would sign with. Returns treecodec JSON: {@code {"output": tree}} or
     * {@code {"error": {"code", "message", "status", "sender_fault", "fields"}}}; never throws.
     */
    public static String call(String service, String operation, String accessKeyId, String region, String params) {
        ProviderEnvironment env = environment;
        Map<String, Object> envelope = new LinkedHashMap<>();
        if (env == null) {
            envelope.put("error", error("ServiceUnavailable", "internal calls are not bound to a gateway", 503, false, Map.of()));
            return TreeCodec.write(envelope);
        }
        RequestContext context = RequestContext.internal(AccessKeys.accountFor(accessKeyId), region, service);
        try {
            @SuppressWarnings("unchecked") // TreeCodec reads a JSON object as Map<String, Object>
            Map<String, Object> input = params == null || params.isEmpty() ? Map.of() : (Map<String, Object>) TreeCodec.read(params);
            Map<String, Object> output = env.call(context, service, operation, input);
            envelope.put("output", output);
            envelope.put("request_id", context.requestId());
            if (context.response().status() != 0) envelope.put("status", context.response().status());
        } catch (ServiceException e) {
            // The code a botocore client sees: the query protocol's where it differs (SQS's awsQueryCompatible errors)
            String code = e.queryCode() != null ? e.queryCode() : e.code();
            envelope.put("error", error(code, e.getMessage(), e.status(), e.senderFault(), e.fields()));
        } catch (UnsupportedOperationException e) {
            // as the gateway answers it over HTTP
            envelope.put("error", error("NotImplemented", "The API action '" + operation + "' for service '" + service
                    + "' is not implemented in Polystack yet.", 501, false, Map.of()));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "internal call " + service + "." + operation + " failed", e);
            envelope.put("error", error("InternalError", "exception while calling " + service + "." + operation + ": "
                    + e, 500, false, Map.of()));
        }
        return TreeCodec.write(envelope);
    }

    private static Map<String, Object> error(String code, String message, int status, boolean senderFault,
                                             Map<String, Object> fields) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message == null ? "" : message);
        error.put("status", status);
        error.put("sender_fault", senderFault);
        error.put("fields", fields);
        return error;
    }
}
