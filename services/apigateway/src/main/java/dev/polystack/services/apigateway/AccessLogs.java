package dev.polystack.services.apigateway;

import dev.polystack.api.HttpResponseData;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.logs.api.CreateLogStreamRequest;
import dev.polystack.services.logs.api.InputLogEvent;
import dev.polystack.services.logs.api.LogsApi;
import dev.polystack.services.logs.api.PutLogEventsRequest;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stage's access logs ({@code accessLogSettings}): after each request the stage's {@code format} with its
 * {@code $context} variables filled in (a variable without a value is {@code -}, as AWS writes it) is put as one
 * event into the CloudWatch Logs group the {@code destinationArn} names, in a stream per API and stage. A missing
 * group or any failure of the Logs provider never changes the request's answer.
 */
final class AccessLogs {
    private static final Pattern VARIABLE = Pattern.compile("\\$context\\.([A-Za-z0-9_.]+)");
    private static final Pattern LOG_GROUP_ARN = Pattern.compile("arn:[^:]+:logs:([^:]+):(\\d{12}):log-group:([^:]+)(:\\*)?");

    private AccessLogs() {
    }

    static void write(ProviderEnvironment env, Map<String, Object> settings, Map<String, Object> context, HttpResponseData answer,
                      String apiId, String stageName) {
        if (env == null || settings == null) return;
        String format = Docs.str(settings, "format");
        Matcher arn = LOG_GROUP_ARN.matcher(String.valueOf(settings.get("destinationArn")));
        if (format == null || format.isBlank() || !arn.matches()) return;
        context.put("status", answer.status());
        context.put("responseLength", answer.isStreamed() ? answer.bodyLength() : answer.bodyBytes().length);
        String line = render(format, context);
        RequestContext logs = RequestContext.internal(arn.group(2), arn.group(1), "logs");
        String group = arn.group(3), stream = apiId + "_" + stageName;
        LogsApi api = LogsApi.client(env);
        try {
            try {
                api.createLogStream(logs, CreateLogStreamRequest.builder().logGroupName(group).logStreamName(stream).build());
            } catch (ServiceException e) {
                if (!e.code().equals("ResourceAlreadyExistsException")) throw e;
            }
            api.putLogEvents(logs, PutLogEventsRequest.builder().logGroupName(group).logStreamName(stream)
                    .logEvents(List.of(InputLogEvent.builder().timestamp(System.currentTimeMillis()).message(line).build())).build());
        } catch (RuntimeException e) {
            System.getLogger("apigateway").log(System.Logger.Level.DEBUG, "access log to " + group + " not written: " + e.getMessage());
        }
    }

    /** The format with each {@code $context.a.b} replaced by its value, {@code -} where it has none. */
    static String render(String format, Map<String, Object> context) {
        Matcher m = VARIABLE.matcher(format);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            Object value = lookup(context, name);
            // A trailing dot belongs to the text around the variable ("$context.status." ends a sentence).
            String suffix = "";
            while (value == null && name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
                suffix += ".";
                value = lookup(context, name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement((value == null || value.toString().isEmpty() ? "-" : value.toString()) + suffix));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Object lookup(Map<String, Object> context, String dotted) {
        Object at = context;
        for (String part : dotted.split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) return null;
            at = map.get(part);
        }
        return at instanceof Map<?, ?> ? null : at;
    }
}
