package dev.polystack.services.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceProvider;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.events.api.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The thin EventBridge provider: each typed operation of {@link EventsApi} reads its request, calls
 * {@link EventBridge}, and builds the typed result. All behaviour lives in the engine.
 */
public final class EventsProvider implements EventsApi, ServiceProvider, Persistable {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final EventBridge engine;
    private final ScheduledFuture<?> scheduleTimer;

    public EventsProvider(ProviderEnvironment env) {
        this.engine = new EventBridge(env);
        // schedule rules: checked every second, so a rule fires within a second of its time
        this.scheduleTimer = env == null ? null : env.scheduler().scheduleAtFixedRate(
                () -> {
                    try {
                        engine.fireSchedules(System.currentTimeMillis());
                    } catch (RuntimeException e) {
                        System.getLogger(EventsProvider.class.getName()).log(System.Logger.Level.WARNING, "schedule rules", e);
                    }
                }, 1, 1, TimeUnit.SECONDS);
    }

    EventBridge engine() {
        return engine;
    }

    @Override
    public String service() {
        return "events";
    }

    /** The gateway hands over a parameter tree; the generated dispatch turns it into the typed calls below. */
    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    // ---------------------------------------------------------------- event buses and permissions

    @Override
    public CreateEventBusResponse createEventBus(RequestContext ctx, CreateEventBusRequest in) {
        EventBus bus = engine.createBus(ctx.accountId(), ctx.region(), in.name(), in.description(), in.kmsKeyIdentifier(),
                deadLetterArn(in.deadLetterConfig()), tags(in.tags()));
        return CreateEventBusResponse.builder().eventBusArn(bus.arn).description(bus.description)
                .kmsKeyIdentifier(bus.kmsKeyIdentifier).deadLetterConfig(deadLetterConfig(bus.deadLetterArn)).build();
    }

    @Override
    public UpdateEventBusResponse updateEventBus(RequestContext ctx, UpdateEventBusRequest in) {
        EventBus bus = engine.updateBus(ctx.accountId(), ctx.region(), in.name(), in.description(), in.kmsKeyIdentifier(),
                deadLetterArn(in.deadLetterConfig()));
        return UpdateEventBusResponse.builder().arn(bus.arn).name(bus.name).description(bus.description)
                .kmsKeyIdentifier(bus.kmsKeyIdentifier).deadLetterConfig(deadLetterConfig(bus.deadLetterArn)).build();
    }

    @Override
    public void deleteEventBus(RequestContext ctx, DeleteEventBusRequest in) {
        engine.deleteBus(ctx.accountId(), ctx.region(), in.name());
    }

    @Override
    public DescribeEventBusResponse describeEventBus(RequestContext ctx, DescribeEventBusRequest in) {
        EventBus b = engine.bus(ctx.accountId(), ctx.region(), in.name());
        return DescribeEventBusResponse.builder().name(b.name).arn(b.arn).description(b.description)
                .kmsKeyIdentifier(b.kmsKeyIdentifier).deadLetterConfig(deadLetterConfig(b.deadLetterArn)).policy(policyJson(b))
                .creationTime(Instant.ofEpochMilli(b.creationTime)).lastModifiedTime(Instant.ofEpochMilli(b.lastModifiedTime))
                .build();
    }

    @Override
    public ListEventBusesResponse listEventBuses(RequestContext ctx, ListEventBusesRequest in) {
        var page = engine.listBuses(ctx.accountId(), ctx.region(), in.namePrefix(), in.limit(), in.nextToken());
        List<dev.polystack.services.events.api.EventBus> buses = new ArrayList<>();
        for (EventBus b : page.items()) {
            buses.add(dev.polystack.services.events.api.EventBus.builder().name(b.name).arn(b.arn).description(b.description)
                    .creationTime(Instant.ofEpochMilli(b.creationTime)).lastModifiedTime(Instant.ofEpochMilli(b.lastModifiedTime))
                    .build());
        }
        return ListEventBusesResponse.builder().eventBuses(buses).nextToken(page.nextToken()).build();
    }

    @Override
    public void putPermission(RequestContext ctx, PutPermissionRequest in) {
        Condition c = in.condition();
        engine.putPermission(ctx.accountId(), ctx.region(), in.eventBusName(), in.action(), in.principal(), in.statementId(),
                c == null ? null : new EventBridge.PolicyCondition(c.key(), c.value()), in.policy());
    }

    @Override
    public void removePermission(RequestContext ctx, RemovePermissionRequest in) {
        engine.removePermission(ctx.accountId(), ctx.region(), in.eventBusName(), in.statementId(),
                Boolean.TRUE.equals(in.removeAllPermissions()));
    }

    // ---------------------------------------------------------------- rules

    @Override
    public PutRuleResponse putRule(RequestContext ctx, PutRuleRequest in) {
        Rule rule = engine.putRule(ctx.accountId(), ctx.region(), in.name(), in.eventBusName(), in.eventPattern(),
                in.scheduleExpression(), in.stateAsString(), in.description(), in.roleArn(), tags(in.tags()), ctx.accountId());
        return PutRuleResponse.builder().ruleArn(rule.arn).build();
    }

    @Override
    public DescribeRuleResponse describeRule(RequestContext ctx, DescribeRuleRequest in) {
        Rule rule = engine.rule(ctx.accountId(), ctx.region(), in.name(), in.eventBusName());
        return DescribeRuleResponse.builder().name(rule.name).arn(rule.arn).eventPattern(rule.eventPattern)
                .scheduleExpression(rule.scheduleExpression).state(rule.state).description(rule.description)
                .roleArn(rule.roleArn).managedBy(rule.managedBy).eventBusName(rule.eventBusName)
                .createdBy(rule.createdBy == null ? ctx.accountId() : rule.createdBy).build();
    }

    @Override
    public void deleteRule(RequestContext ctx, DeleteRuleRequest in) {
        engine.deleteRule(ctx.accountId(), ctx.region(), in.name(), in.eventBusName(), Boolean.TRUE.equals(in.force()));
    }

    @Override
    public void enableRule(RequestContext ctx, EnableRuleRequest in) {
        engine.setRuleState(ctx.accountId(), ctx.region(), in.name(), in.eventBusName(), true);
    }

    @Override
    public void disableRule(RequestContext ctx, DisableRuleRequest in) {
        engine.setRuleState(ctx.accountId(), ctx.region(), in.name(), in.eventBusName(), false);
    }

    @Override
    public ListRulesResponse listRules(RequestContext ctx, ListRulesRequest in) {
        var page = engine.listRules(ctx.accountId(), ctx.region(), in.namePrefix(), in.eventBusName(), in.limit(), in.nextToken());
        return ListRulesResponse.builder().rules(page.items().stream().map(EventsProvider::ruleOut).toList())
                .nextToken(page.nextToken()).build();
    }

    @Override
    public ListRuleNamesByTargetResponse listRuleNamesByTarget(RequestContext ctx, ListRuleNamesByTargetRequest in) {
        var page = engine.listRuleNamesByTarget(ctx.accountId(), ctx.region(), in.targetArn(), in.eventBusName(), in.limit(),
                in.nextToken());
        return ListRuleNamesByTargetResponse.builder().ruleNames(new ArrayList<>(page.items())).nextToken(page.nextToken()).build();
    }

    @Override
    public TestEventPatternResponse testEventPattern(RequestContext ctx, TestEventPatternRequest in) {
        return TestEventPatternResponse.builder().result(engine.testEventPattern(in.eventPattern(), in.event())).build();
    }

    // ---------------------------------------------------------------- targets

    @Override
    public PutTargetsResponse putTargets(RequestContext ctx, PutTargetsRequest in) {
        List<Target> targets = in.targets() == null ? List.of() : in.targets().stream().map(EventsProvider::target).toList();
        List<PutTargetsResultEntry> failed = new ArrayList<>();
        for (EventBridge.FailedEntry f : engine.putTargets(ctx.accountId(), ctx.region(), in.rule(), in.eventBusName(), targets)) {
            failed.add(PutTargetsResultEntry.builder().targetId(f.targetId()).errorCode(f.errorCode()).errorMessage(f.errorMessage()).build());
        }
        return PutTargetsResponse.builder().failedEntryCount(failed.size()).failedEntries(failed).build();
    }

    @Override
    public RemoveTargetsResponse removeTargets(RequestContext ctx, RemoveTargetsRequest in) {
        List<RemoveTargetsResultEntry> failed = new ArrayList<>();
        for (EventBridge.FailedEntry f : engine.removeTargets(ctx.accountId(), ctx.region(), in.rule(), in.eventBusName(),
                in.ids() == null ? List.of() : in.ids())) {
            failed.add(RemoveTargetsResultEntry.builder().targetId(f.targetId()).errorCode(f.errorCode()).errorMessage(f.errorMessage()).build());
        }
        return RemoveTargetsResponse.builder().failedEntryCount(failed.size()).failedEntries(failed).build();
    }

    @Override
    public ListTargetsByRuleResponse listTargetsByRule(RequestContext ctx, ListTargetsByRuleRequest in) {
        var page = engine.listTargets(ctx.accountId(), ctx.region(), in.rule(), in.eventBusName(), in.limit(), in.nextToken());
        return ListTargetsByRuleResponse.builder().targets(page.items().stream().map(EventsProvider::targetOut).toList())
                .nextToken(page.nextToken()).build();
    }

    // ---------------------------------------------------------------- events

    @Override
    public PutEventsResponse putEvents(RequestContext ctx, PutEventsRequest in) {
        List<EventBridge.Entry> entries = new ArrayList<>();
        if (in.entries() != null) {
            for (PutEventsRequestEntry e : in.entries()) {
                entries.add(new EventBridge.Entry(e.time(), e.source(), e.resources(), e.detailType(), e.detail(),
                        e.eventBusName(), e.traceHeader()));
            }
        }
        int failed = 0;
        List<PutEventsResultEntry> results = new ArrayList<>();
        for (EventBridge.EntryResult result : engine.putEvents(ctx.accountId(), ctx.region(), entries)) {
            if (result.eventId() == null) failed++;
            results.add(PutEventsResultEntry.builder().eventId(result.eventId()).errorCode(result.errorCode())
                    .errorMessage(result.errorMessage()).build());
        }
        return PutEventsResponse.builder().failedEntryCount(failed).entries(results).build();
    }

    // ---------------------------------------------------------------- tags

    @Override
    public TagResourceResponse tagResource(RequestContext ctx, TagResourceRequest in) {
        engine.tag(ctx.accountId(), ctx.region(), in.resourceARN(), tags(in.tags()));
        return TagResourceResponse.builder().build();
    }

    @Override
    public UntagResourceResponse untagResource(RequestContext ctx, UntagResourceRequest in) {
        engine.untag(ctx.accountId(), ctx.region(), in.resourceARN(), in.tagKeys() == null ? List.of() : in.tagKeys());
        return UntagResourceResponse.builder().build();
    }

    @Override
    public ListTagsForResourceResponse listTagsForResource(RequestContext ctx, ListTagsForResourceRequest in) {
        List<Tag> tags = new ArrayList<>();
        engine.tagsOf(ctx.accountId(), ctx.region(), in.resourceARN()).forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
        return ListTagsForResourceResponse.builder().tags(tags).build();
    }

    // ---------------------------------------------------------------- archives and replays

    @Override
    public CreateArchiveResponse createArchive(RequestContext ctx, CreateArchiveRequest in) {
        Archive x = engine.createArchive(ctx.accountId(), ctx.region(), in.archiveName(), in.eventSourceArn(), in.description(),
                in.eventPattern(), in.retentionDays());
        return CreateArchiveResponse.builder().archiveArn(x.arn).state(x.state).creationTime(Instant.ofEpochMilli(x.creationTime)).build();
    }

    @Override
    public UpdateArchiveResponse updateArchive(RequestContext ctx, UpdateArchiveRequest in) {
        Archive x = engine.updateArchive(ctx.accountId(), ctx.region(), in.archiveName(), in.description(), in.eventPattern(),
                in.retentionDays());
        return UpdateArchiveResponse.builder().archiveArn(x.arn).state(x.state).creationTime(Instant.ofEpochMilli(x.creationTime)).build();
    }

    @Override
    public DescribeArchiveResponse describeArchive(RequestContext ctx, DescribeArchiveRequest in) {
        Archive x = engine.archive(ctx.accountId(), ctx.region(), in.archiveName());
        return DescribeArchiveResponse.builder().archiveName(x.name).archiveArn(x.arn).eventSourceArn(x.eventSourceArn)
                .description(x.description).eventPattern(x.eventPattern).state(x.state).retentionDays(x.retentionDays)
                .sizeBytes(x.sizeBytes).eventCount((long) x.events.size()).creationTime(Instant.ofEpochMilli(x.creationTime))
                .build();
    }

    @Override
    public DeleteArchiveResponse deleteArchive(RequestContext ctx, DeleteArchiveRequest in) {
        engine.deleteArchive(ctx.accountId(), ctx.region(), in.archiveName());
        return DeleteArchiveResponse.builder().build();
    }

    @Override
    public ListArchivesResponse listArchives(RequestContext ctx, ListArchivesRequest in) {
        var page = engine.listArchives(ctx.accountId(), ctx.region(), in.namePrefix(), in.eventSourceArn(), in.stateAsString(),
                in.limit(), in.nextToken());
        List<dev.polystack.services.events.api.Archive> archives = new ArrayList<>();
        for (Archive x : page.items()) {
            archives.add(dev.polystack.services.events.api.Archive.builder().archiveName(x.name).eventSourceArn(x.eventSourceArn)
                    .state(x.state).retentionDays(x.retentionDays).sizeBytes(x.sizeBytes).eventCount((long) x.events.size())
                    .creationTime(Instant.ofEpochMilli(x.creationTime)).build());
        }
        return ListArchivesResponse.builder().archives(archives).nextToken(page.nextToken()).build();
    }

    @Override
    public StartReplayResponse startReplay(RequestContext ctx, StartReplayRequest in) {
        if (in.eventStartTime() == null) throw EventBridge.validation("Parameter EventStartTime is not valid.");
        if (in.eventEndTime() == null) throw EventBridge.validation("Parameter EventEndTime is not valid.");
        ReplayDestination destination = in.destination();
        Replay x = engine.startReplay(ctx.accountId(), ctx.region(), in.replayName(), in.description(), in.eventSourceArn(),
                in.eventStartTime(), in.eventEndTime(), destination == null ? null : destination.arn(),
                destination == null || destination.filterArns() == null ? List.of() : destination.filterArns());
        return StartReplayResponse.builder().replayArn(x.arn).state("STARTING").replayStartTime(Instant.ofEpochMilli(x.replayStartTime)).build();
    }

    @Override
    public DescribeReplayResponse describeReplay(RequestContext ctx, DescribeReplayRequest in) {
        Replay x = engine.replay(ctx.accountId(), ctx.region(), in.replayName());
        return DescribeReplayResponse.builder().replayName(x.name).replayArn(x.arn).description(x.description).state(x.state)
                .stateReason(x.stateReason).eventSourceArn(x.eventSourceArn)
                .destination(ReplayDestination.builder().arn(x.destinationArn)
                        .filterArns(x.filterArns == null || x.filterArns.isEmpty() ? null : x.filterArns).build())
                .eventStartTime(Instant.ofEpochMilli(x.eventStartTime)).eventEndTime(Instant.ofEpochMilli(x.eventEndTime))
                .eventLastReplayedTime(instant(x.eventLastReplayedTime)).replayStartTime(Instant.ofEpochMilli(x.replayStartTime))
                .replayEndTime(instant(x.replayEndTime)).build();
    }

    @Override
    public CancelReplayResponse cancelReplay(RequestContext ctx, CancelReplayRequest in) {
        Replay x = engine.cancelReplay(ctx.accountId(), ctx.region(), in.replayName());
        return CancelReplayResponse.builder().replayArn(x.arn).state("CANCELLING").build();
    }

    @Override
    public ListReplaysResponse listReplays(RequestContext ctx, ListReplaysRequest in) {
        var page = engine.listReplays(ctx.accountId(), ctx.region(), in.namePrefix(), in.eventSourceArn(), in.stateAsString(),
                in.limit(), in.nextToken());
        List<dev.polystack.services.events.api.Replay> replays = new ArrayList<>();
        for (Replay x : page.items()) {
            replays.add(dev.polystack.services.events.api.Replay.builder().replayName(x.name).state(x.state).stateReason(x.stateReason)
                    .eventSourceArn(x.eventSourceArn).eventStartTime(Instant.ofEpochMilli(x.eventStartTime))
                    .eventEndTime(Instant.ofEpochMilli(x.eventEndTime)).eventLastReplayedTime(instant(x.eventLastReplayedTime))
                    .replayStartTime(Instant.ofEpochMilli(x.replayStartTime)).replayEndTime(instant(x.replayEndTime)).build());
        }
        return ListReplaysResponse.builder().replays(replays).nextToken(page.nextToken()).build();
    }

    // ---------------------------------------------------------------- connections and API destinations

    @Override
    public CreateConnectionResponse createConnection(RequestContext ctx, CreateConnectionRequest in) {
        CreateConnectionAuthRequestParameters auth = in.authParameters();
        Connection c = new Connection();
        if (auth != null) {
            if (auth.basicAuthParameters() != null) {
                c.username = auth.basicAuthParameters().username();
                c.password = auth.basicAuthParameters().password();
            }
            if (auth.apiKeyAuthParameters() != null) {
                c.apiKeyName = auth.apiKeyAuthParameters().apiKeyName();
                c.apiKeyValue = auth.apiKeyAuthParameters().apiKeyValue();
            }
            CreateConnectionOAuthRequestParameters oauth = auth.oAuthParameters();
            if (oauth != null) {
                c.oauthEndpoint = oauth.authorizationEndpoint();
                c.oauthHttpMethod = oauth.httpMethodAsString();
                if (oauth.clientParameters() != null) {
                    c.clientId = oauth.clientParameters().clientID();
                    c.clientSecret = oauth.clientParameters().clientSecret();
                }
                c.oauthParameters = parameters(oauth.oAuthHttpParameters());
            }
            c.invocationParameters = parameters(auth.invocationHttpParameters());
        }
        Connection made = engine.apiDestinations().createConnection(ctx.accountId(), ctx.region(), in.name(), in.description(),
                in.authorizationTypeAsString(), c);
        return CreateConnectionResponse.builder().connectionArn(made.arn).connectionState(made.state)
                .creationTime(Instant.ofEpochMilli(made.creationTime)).lastModifiedTime(Instant.ofEpochMilli(made.lastModifiedTime)).build();
    }

    @Override
    public UpdateConnectionResponse updateConnection(RequestContext ctx, UpdateConnectionRequest in) {
        UpdateConnectionAuthRequestParameters auth = in.authParameters();
        Connection changes = new Connection();
        if (auth != null) {
            if (auth.basicAuthParameters() != null) {
                changes.username = auth.basicAuthParameters().username();
                changes.password = auth.basicAuthParameters().password();
            }
            if (auth.apiKeyAuthParameters() != null) {
                changes.apiKeyName = auth.apiKeyAuthParameters().apiKeyName();
                changes.apiKeyValue = auth.apiKeyAuthParameters().apiKeyValue();
            }
            UpdateConnectionOAuthRequestParameters oauth = auth.oAuthParameters();
            if (oauth != null) {
                changes.oauthEndpoint = oauth.authorizationEndpoint();
                changes.oauthHttpMethod = oauth.httpMethodAsString();
                if (oauth.clientParameters() != null) {
                    changes.clientId = oauth.clientParameters().clientID();
                    changes.clientSecret = oauth.clientParameters().clientSecret();
                }
                changes.oauthParameters = parameters(oauth.oAuthHttpParameters());
            }
            changes.invocationParameters = parameters(auth.invocationHttpParameters());
        }
        Connection c = engine.apiDestinations().updateConnection(ctx.accountId(), ctx.region(), in.name(), in.description(),
                in.authorizationTypeAsString(), changes);
        return UpdateConnectionResponse.builder().connectionArn(c.arn).connectionState(c.state)
                .creationTime(Instant.ofEpochMilli(c.creationTime)).lastModifiedTime(Instant.ofEpochMilli(c.lastModifiedTime))
                .lastAuthorizedTime(Instant.ofEpochMilli(c.lastAuthorizedTime)).build();
    }

    @Override
    public DescribeConnectionResponse describeConnection(RequestContext ctx, DescribeConnectionRequest in) {
        Connection c = engine.apiDestinations().connection(ctx.accountId(), ctx.region(), in.name());
        ConnectionAuthResponseParameters.Builder auth = ConnectionAuthResponseParameters.builder()
                .invocationHttpParameters(parametersOut(c.invocationParameters));
        switch (c.authorizationType) {
            case "BASIC" -> auth.basicAuthParameters(ConnectionBasicAuthResponseParameters.builder().username(c.username).build());
            case "API_KEY" -> auth.apiKeyAuthParameters(ConnectionApiKeyAuthResponseParameters.builder().apiKeyName(c.apiKeyName).build());
            default -> auth.oAuthParameters(ConnectionOAuthResponseParameters.builder().authorizationEndpoint(c.oauthEndpoint)
                    .httpMethod(c.oauthHttpMethod).clientParameters(ConnectionOAuthClientResponseParameters.builder().clientID(c.clientId).build())
                    .oAuthHttpParameters(parametersOut(c.oauthParameters)).build());
        }
        return DescribeConnectionResponse.builder().connectionArn(c.arn).name(c.name).description(c.description)
                .connectionState(c.state).authorizationType(c.authorizationType).secretArn(c.secretArn).authParameters(auth.build())
                .creationTime(Instant.ofEpochMilli(c.creationTime)).lastModifiedTime(Instant.ofEpochMilli(c.lastModifiedTime))
                .lastAuthorizedTime(Instant.ofEpochMilli(c.lastAuthorizedTime)).build();
    }

    @Override
    public ListConnectionsResponse listConnections(RequestContext ctx, ListConnectionsRequest in) {
        var page = engine.apiDestinations().listConnections(ctx.accountId(), ctx.region(), in.namePrefix(), in.connectionStateAsString(),
                in.limit(), in.nextToken());
        List<dev.polystack.services.events.api.Connection> out = new ArrayList<>();
        for (Connection c : page.items()) {
            out.add(dev.polystack.services.events.api.Connection.builder().connectionArn(c.arn).name(c.name).connectionState(c.state)
                    .authorizationType(c.authorizationType).creationTime(Instant.ofEpochMilli(c.creationTime))
                    .lastModifiedTime(Instant.ofEpochMilli(c.lastModifiedTime)).lastAuthorizedTime(Instant.ofEpochMilli(c.lastAuthorizedTime))
                    .build());
        }
        return ListConnectionsResponse.builder().connections(out).nextToken(page.nextToken()).build();
    }

    @Override
    public DeauthorizeConnectionResponse deauthorizeConnection(RequestContext ctx, DeauthorizeConnectionRequest in) {
        Connection c = engine.apiDestinations().deauthorizeConnection(ctx.accountId(), ctx.region(), in.name());
        return DeauthorizeConnectionResponse.builder().connectionArn(c.arn).connectionState(c.state)
                .creationTime(Instant.ofEpochMilli(c.creationTime)).lastModifiedTime(Instant.ofEpochMilli(c.lastModifiedTime))
                .lastAuthorizedTime(Instant.ofEpochMilli(c.lastAuthorizedTime)).build();
    }

    @Override
    public DeleteConnectionResponse deleteConnection(RequestContext ctx, DeleteConnectionRequest in) {
        Connection c = engine.apiDestinations().deleteConnection(ctx.accountId(), ctx.region(), in.name());
        return DeleteConnectionResponse.builder().connectionArn(c.arn).connectionState(c.state)
                .creationTime(Instant.ofEpochMilli(c.creationTime)).lastModifiedTime(Instant.ofEpochMilli(c.lastModifiedTime))
                .lastAuthorizedTime(Instant.ofEpochMilli(c.lastAuthorizedTime)).build();
    }

    @Override
    public CreateApiDestinationResponse createApiDestination(RequestContext ctx, CreateApiDestinationRequest in) {
        ApiDestination d = engine.apiDestinations().createApiDestination(ctx.accountId(), ctx.region(), in.name(), in.description(),
                in.connectionArn(), in.invocationEndpoint(), in.httpMethodAsString(), in.invocationRateLimitPerSecond());
        return CreateApiDestinationResponse.builder().apiDestinationArn(d.arn).apiDestinationState(d.state)
                .creationTime(Instant.ofEpochMilli(d.creationTime)).lastModifiedTime(Instant.ofEpochMilli(d.lastModifiedTime)).build();
    }

    @Override
    public UpdateApiDestinationResponse updateApiDestination(RequestContext ctx, UpdateApiDestinationRequest in) {
        ApiDestination d = engine.apiDestinations().updateApiDestination(ctx.accountId(), ctx.region(), in.name(), in.description(),
                in.connectionArn(), in.invocationEndpoint(), in.httpMethodAsString(), in.invocationRateLimitPerSecond());
        return UpdateApiDestinationResponse.builder().apiDestinationArn(d.arn).apiDestinationState(d.state)
                .creationTime(Instant.ofEpochMilli(d.creationTime)).lastModifiedTime(Instant.ofEpochMilli(d.lastModifiedTime)).build();
    }

    @Override
    public DescribeApiDestinationResponse describeApiDestination(RequestContext ctx, DescribeApiDestinationRequest in) {
        ApiDestination d = engine.apiDestinations().apiDestination(ctx.accountId(), ctx.region(), in.name());
        return DescribeApiDestinationResponse.builder().apiDestinationArn(d.arn).name(d.name).description(d.description)
                .apiDestinationState(d.state).connectionArn(d.connectionArn).invocationEndpoint(d.invocationEndpoint)
                .httpMethod(d.httpMethod).invocationRateLimitPerSecond(d.invocationRateLimitPerSecond)
                .creationTime(Instant.ofEpochMilli(d.creationTime)).lastModifiedTime(Instant.ofEpochMilli(d.lastModifiedTime)).build();
    }

    @Override
    public ListApiDestinationsResponse listApiDestinations(RequestContext ctx, ListApiDestinationsRequest in) {
        var page = engine.apiDestinations().listApiDestinations(ctx.accountId(), ctx.region(), in.namePrefix(), in.connectionArn(),
                in.limit(), in.nextToken());
        List<dev.polystack.services.events.api.ApiDestination> out = new ArrayList<>();
        for (ApiDestination d : page.items()) {
            out.add(dev.polystack.services.events.api.ApiDestination.builder().apiDestinationArn(d.arn).name(d.name)
                    .apiDestinationState(d.state).connectionArn(d.connectionArn).invocationEndpoint(d.invocationEndpoint)
                    .httpMethod(d.httpMethod).invocationRateLimitPerSecond(d.invocationRateLimitPerSecond)
                    .creationTime(Instant.ofEpochMilli(d.creationTime)).lastModifiedTime(Instant.ofEpochMilli(d.lastModifiedTime)).build());
        }
        return ListApiDestinationsResponse.builder().apiDestinations(out).nextToken(page.nextToken()).build();
    }

    @Override
    public DeleteApiDestinationResponse deleteApiDestination(RequestContext ctx, DeleteApiDestinationRequest in) {
        engine.apiDestinations().deleteApiDestination(ctx.accountId(), ctx.region(), in.name());
        return DeleteApiDestinationResponse.builder().build();
    }

    /** A connection's HTTP parameters as stored (null when the request had none). */
    private static Connection.Parameters parameters(ConnectionHttpParameters in) {
        if (in == null) return null;
        Connection.Parameters p = new Connection.Parameters();
        if (in.headerParameters() != null) {
            in.headerParameters().forEach(h -> p.headers.add(new Connection.Parameter(h.key(), h.value(), Boolean.TRUE.equals(h.isValueSecret()))));
        }
        if (in.queryStringParameters() != null) {
            in.queryStringParameters().forEach(q -> p.queryString.add(new Connection.Parameter(q.key(), q.value(), Boolean.TRUE.equals(q.isValueSecret()))));
        }
        if (in.bodyParameters() != null) {
            in.bodyParameters().forEach(b -> p.body.add(new Connection.Parameter(b.key(), b.value(), Boolean.TRUE.equals(b.isValueSecret()))));
        }
        return p;
    }

    /** Stored parameters as Describe shows them: secret values left out, as AWS does. */
    private static ConnectionHttpParameters parametersOut(Connection.Parameters p) {
        if (p == null) return null;
        return ConnectionHttpParameters.builder()
                .headerParameters(p.headers.isEmpty() ? null : p.headers.stream().map(h -> ConnectionHeaderParameter.builder().key(h.key())
                        .value(h.secret() ? null : h.value()).isValueSecret(h.secret()).build()).toList())
                .queryStringParameters(p.queryString.isEmpty() ? null : p.queryString.stream().map(q -> ConnectionQueryStringParameter.builder()
                        .key(q.key()).value(q.secret() ? null : q.value()).isValueSecret(q.secret()).build()).toList())
                .bodyParameters(p.body.isEmpty() ? null : p.body.stream().map(b -> ConnectionBodyParameter.builder().key(b.key())
                        .value(b.secret() ? null : b.value()).isValueSecret(b.secret()).build()).toList())
                .build();
    }

    // ---------------------------------------------------------------- between the typed shapes and the engine's

    private static dev.polystack.services.events.api.Rule ruleOut(Rule rule) {
        return dev.polystack.services.events.api.Rule.builder().name(rule.name).arn(rule.arn).eventPattern(rule.eventPattern)
                .scheduleExpression(rule.scheduleExpression).state(rule.state).description(rule.description)
                .roleArn(rule.roleArn).managedBy(rule.managedBy).eventBusName(rule.eventBusName).build();
    }

    /**
     * The engine's target from PutTargets' typed one. Members delivery does not use (EcsParameters,
     * HttpParameters ...) are kept as their tree in {@code other}, so ListTargetsByRule returns them unchanged.
     */
    private static Target target(dev.polystack.services.events.api.Target t) {
        Map<String, Object> other = new LinkedHashMap<>(TreeConverter.toTree(dev.polystack.services.events.api.Target.SHAPE, t));
        other.keySet().removeAll(Target.TYPED_MEMBERS);
        InputTransformer transformer = t.inputTransformer();
        RetryPolicy retry = t.retryPolicy();
        return new Target(t.id(), t.arn(), t.roleArn(), t.input(), t.inputPath(),
                transformer == null ? null : new Target.InputTransformer(
                        transformer.inputPathsMap() == null ? Map.of() : new LinkedHashMap<>(transformer.inputPathsMap()),
                        transformer.inputTemplate()),
                t.sqsParameters() == null ? null : t.sqsParameters().messageGroupId(),
                t.kinesisParameters() == null ? null : t.kinesisParameters().partitionKeyPath(),
                retry == null ? null : retry.maximumRetryAttempts(), retry == null ? null : retry.maximumEventAgeInSeconds(),
                t.deadLetterConfig() == null ? null : t.deadLetterConfig().arn(),
                t.httpParameters() == null ? null : new Target.Http(t.httpParameters().pathParameterValues(),
                        t.httpParameters().headerParameters(), t.httpParameters().queryStringParameters()), other);
    }

    private static dev.polystack.services.events.api.Target targetOut(Target t) {
        var typed = dev.polystack.services.events.api.Target.builder().id(t.id()).arn(t.arn()).roleArn(t.roleArn())
                .input(t.input()).inputPath(t.inputPath());
        if (t.inputTransformer() != null) {
            typed.inputTransformer(InputTransformer.builder()
                    .inputPathsMap(t.inputTransformer().inputPathsMap().isEmpty() ? null : t.inputTransformer().inputPathsMap())
                    .inputTemplate(t.inputTransformer().inputTemplate()).build());
        }
        if (t.messageGroupId() != null) typed.sqsParameters(SqsParameters.builder().messageGroupId(t.messageGroupId()).build());
        if (t.partitionKeyPath() != null) {
            typed.kinesisParameters(KinesisParameters.builder().partitionKeyPath(t.partitionKeyPath()).build());
        }
        if (t.maximumRetryAttempts() != null || t.maximumEventAgeInSeconds() != null) {
            typed.retryPolicy(RetryPolicy.builder().maximumRetryAttempts(t.maximumRetryAttempts())
                    .maximumEventAgeInSeconds(t.maximumEventAgeInSeconds()).build());
        }
        if (t.deadLetterArn() != null) typed.deadLetterConfig(DeadLetterConfig.builder().arn(t.deadLetterArn()).build());
        if (t.http() != null) {
            typed.httpParameters(HttpParameters.builder().pathParameterValues(t.http().pathParameterValues())
                    .headerParameters(t.http().headerParameters()).queryStringParameters(t.http().queryStringParameters()).build());
        }
        if (t.other() == null || t.other().isEmpty()) return typed.build();
        // the members kept verbatim join the typed ones
        Map<String, Object> tree = new LinkedHashMap<>(TreeConverter.toTree(dev.polystack.services.events.api.Target.SHAPE, typed.build()));
        t.other().forEach(tree::putIfAbsent);
        return TreeConverter.fromTree(dev.polystack.services.events.api.Target.SHAPE, tree);
    }

    private static String deadLetterArn(DeadLetterConfig config) {
        return config == null ? null : config.arn();
    }

    private static DeadLetterConfig deadLetterConfig(String arn) {
        return arn == null ? null : DeadLetterConfig.builder().arn(arn).build();
    }

    private static String policyJson(EventBus b) {
        if (b.policy == null) return null;
        try {
            return JSON.writeValueAsString(b.policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> tags(List<Tag> tags) {
        if (tags == null) return null;
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : tags) out.put(t.key(), t.value());
        return out;
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    // ---------------------------------------------------------------- persistence

    /** The saved form: account → region → resources, and the deliveries waiting for a retry. */
    public static final class Snapshot {
        public Map<String, Map<String, EventsRegion>> regions = new LinkedHashMap<>();
        public List<EventDelivery.PendingRetry> retries = new ArrayList<>();
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode regions = root.putObject("regions");
        engine.store.all().forEach((account, byRegion) -> byRegion.forEach((region, state) -> {
            synchronized (state) {
                regions.withObjectProperty(account).set(region, JSON.valueToTree(state));
            }
        }));
        root.set("retries", JSON.valueToTree(engine.delivery().pendingRetries()));
        JSON.writeValue(out, root);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        Persistable.requireVersion("EventBridge", version, 1);
        Snapshot snapshot = JSON.readValue(in, Snapshot.class);
        engine.store.clear();
        snapshot.regions.forEach((account, regions) -> regions.forEach((region, state) -> engine.store.put(account, region, state)));
        engine.rescheduleAll();
        engine.delivery().restoreRetries(snapshot.retries);
    }

    @Override
    public void resetState() {
        engine.store.clear();
        engine.delivery().restoreRetries(List.of());
    }

    /** Waits for accepted events to reach their targets (tests, shutdown). */
    boolean awaitDeliveries(Duration timeout) throws InterruptedException {
        return engine.delivery().awaitIdle(timeout);
    }

    @Override
    public void close() {
        if (scheduleTimer != null) scheduleTimer.cancel(false);
        try {
            engine.delivery().awaitRunning(Duration.ofSeconds(5)); // let accepted events reach their targets
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.delivery().close();
    }

}
