package dev.polystack.bridge;

import dev.polystack.api.Config;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A service served by moto ({@code PROVIDER_OVERRIDE_<SERVICE>=moto}): the raw HTTP request goes to
 * moto's response handlers in process ({@code polystack_bridge.moto_host}) and moto's answer goes back
 * as is. The gateway's parser and serializer are not involved, so moto's own protocol handling applies.
 */
final class MotoServiceProvider extends PythonHostedProvider {
    private final Config config;

    MotoServiceProvider(String service, PythonInterpreter interpreter, Config config) {
        super(service, interpreter);
        this.config = config;
    }

    @Override
    String kind() {
        return "moto";
    }

    @Override
    protected Value load() {
        String problem = interpreter.runtime().motoProblem();
        if (problem != null) throw new IllegalStateException(problem);
        return interpreter.importModule("polystack_bridge.moto_host").invokeMember("load", service);
    }

    /**
     * In-process calls from other providers (SNS delivering to SES, Lambda, Firehose): the Python side turns the
     * parameters into the request a client would send, with botocore's serializer, and parses the answer.
     * Requests from clients still go through {@link #handleHttp}.
     */
    @Override
    public Map<String, Object> invoke(RequestContext context, String operation, Map<String, Object> input) {
        Value host = host();
        String answer;
        try {
            answer = host.invokeMember("invoke", operation, context.accountId(), context.region(), TreeCodec.write(input)).asString();
        } catch (PolyglotException e) {
            if (String.valueOf(e.getMessage()).startsWith("NotImplementedError")) {
                throw new UnsupportedOperationException(e.getMessage());
            }
            throw internalError(operation, e.getMessage(), describe(e));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> envelope = (Map<String, Object>) TreeCodec.read(answer);
        if (envelope.get("error") instanceof Map<?, ?> error) {
            int status = error.get("status") instanceof Number n ? n.intValue() : 400;
            throw new ServiceException(String.valueOf(error.get("code")), String.valueOf(error.get("message")), status,
                    Boolean.TRUE.equals(error.get("sender_fault")));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> output = envelope.get("output") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return output;
    }

    @Override
    public HttpResponseData handleHttp(RequestContext context) {
        HttpRequestData request = context.request();
        if (request.method().equals("OPTIONS")) return null; // CORS preflight: the gateway's answer, as LocalStack's
        Value host = host();
        String[] headers = flatHeaders(request);
        String body = new String(request.bodyBytes(), StandardCharsets.ISO_8859_1);
        Value answer;
        try {
            answer = host.invokeMember("handle", request.method(), request.path(), request.rawQuery(), urlHost(context),
                    headers, body, context.accountId(), context.region());
        } catch (PolyglotException e) {
            // moto marks what it lacks with NotImplementedError: the gateway's 501 NotImplemented, not a 500.
            if (String.valueOf(e.getMessage()).startsWith("NotImplementedError")) {
                throw new UnsupportedOperationException(e.getMessage());
            }
            throw internalError(operationHint(request), e.getMessage(), describe(e));
        }
        return toResponse(answer);
    }

    static HttpResponseData toResponse(Value answer) {
        HttpResponseData response = new HttpResponseData(answer.getArrayElement(0).asInt());
        Value headers = answer.getArrayElement(1);
        for (long i = 0, n = headers.getArraySize(); i < n; i++) {
            Value pair = headers.getArrayElement(i);
            String name = pair.getArrayElement(0).asString();
            // The gateway frames the body itself.
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                    || name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("server")) continue;
            response.addHeader(name, pair.getArrayElement(1).asString());
        }
        String body = answer.getArrayElement(2).asString();
        boolean binary = answer.getArrayElement(3).asBoolean();
        return response.body(body.getBytes(binary ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
    }

    static String[] flatHeaders(HttpRequestData request) {
        int n = 0;
        for (List<String> values : request.headers().values()) n += values.size();
        String[] flat = new String[2 * n];
        int i = 0;
        for (Map.Entry<String, List<String>> e : request.headers().entrySet()) {
            for (String v : e.getValue()) {
                flat[i++] = e.getKey();
                flat[i++] = v;
            }
        }
        return flat;
    }

    /**
     * The host moto sees: it builds resource URLs from it (SQS queue URLs). SQS follows LocalStack's
     * {@code SQS_ENDPOINT_STRATEGY} like the native provider; other services see the request's Host.
     */
    private String urlHost(RequestContext context) {
        String external = config.externalHost();
        if (service.equals("sqs")) {
            switch (config.get("SQS_ENDPOINT_STRATEGY", "standard")) {
                case "standard" -> {
                    return "sqs." + context.region() + "." + external;
                }
                case "domain" -> {
                    return context.region() + ".queue." + external;
                }
                default -> {
                    // "off" and "path": the host the client used
                }
            }
        }
        String host = context.request().header("Host");
        return host == null || host.isBlank() ? external : host;
    }

    private static String operationHint(HttpRequestData request) {
        String target = request.header("X-Amz-Target");
        if (target != null) return target.substring(target.indexOf('.') + 1);
        String action = request.queryParameter("Action");
        return action != null ? action : request.method() + " " + request.path();
    }
}
