package dev.polystack.services.ssm;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.services.events.api.EventsApi;
import dev.polystack.services.events.api.PutEventsRequest;
import dev.polystack.services.events.api.PutEventsRequestEntry;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter Store's change events to EventBridge's default bus, as AWS sends them: source {@code aws.ssm},
 * detail-type {@code Parameter Store Change}, the parameter's ARN as resource, detail {@code operation}
 * (Create, Update, Delete, LabelParameterVersion), {@code name}, {@code type}, {@code description}. Delivered through
 * the EventBridge provider in process, off the request path (a parameter write never waits for rules or targets,
 * and a missing or failing EventBridge never fails it).
 */
final class ParameterEvents {
    private static final System.Logger LOG = System.getLogger("ssm");
    private final ProviderEnvironment env;

    ParameterEvents(ProviderEnvironment env) {
        this.env = env;
    }

    void changed(RequestContext ctx, String arn, String operation, ParameterVersion v) {
        if (env == null) return;
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("operation", operation);
        detail.put("name", v.name);
        detail.put("type", v.type);
        if (v.description != null) detail.put("description", v.description);
        PutEventsRequestEntry entry;
        try {
            entry = PutEventsRequestEntry.builder().source("aws.ssm").detailType("Parameter Store Change")
                    .resources(List.of(arn)).detail(Json.MAPPER.writeValueAsString(detail)).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String account = ctx.accountId();
        String region = ctx.region();
        Thread.ofVirtual().name("ssm-events").start(() -> {
            try {
                EventsApi.client(env).putEvents(RequestContext.internal(account, region, "events"),
                        PutEventsRequest.builder().entries(List.of(entry)).build());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "parameter change event not delivered: " + e.getMessage());
            }
        });
    }
}
