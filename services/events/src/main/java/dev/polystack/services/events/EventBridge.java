package dev.polystack.services.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.ServiceException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * EventBridge's semantics on plain Java values: buses and their policies, rules and targets, PutEvents
 * (validation, the event envelope, matching with {@link EventPatterns}, hand-off to {@link EventDelivery}),
 * archives and replays, tags. The provider only unpacks parameters and packs results. Errors carry AWS's
 * codes and messages as recorded.
 */
final class EventBridge {
    static final String DEFAULT_BUS = "default";
    static final int MAX_TARGETS_PER_RULE = 5;
    static final int MAX_ENTRIES = 10;
    static final int MAX_REQUEST_BYTES = 256 * 1024;
    private static final Pattern NAME = Pattern.compile("[.\\-_A-Za-z0-9]+");
    private static final Pattern BUS_NAME = Pattern.compile("[/.\\-_A-Za-z0-9]+");
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper();

    final AccountRegionStore<EventsRegion> store = new AccountRegionStore<>(EventBridge::newRegion);
    private final EventDelivery delivery;
    private final ApiDestinations apiDestinations = new ApiDestinations(store);

    /** @param env null: nothing is delivered (unit tests of the engine alone) */
    EventBridge(dev.polystack.api.ProviderEnvironment env) {
        this.delivery = new EventDelivery(env, this::forwardToBus, apiDestinations);
    }

    ApiDestinations apiDestinations() {
        return apiDestinations;
    }

    EventDelivery delivery() {
        return delivery;
    }

    static EventsRegion newRegion(String account, String region) {
        EventsRegion r = new EventsRegion();
        r.buses.put(DEFAULT_BUS, newBus(account, region, DEFAULT_BUS, null));
        return r;
    }

    private static EventBus newBus(String account, String region, String name, String description) {
        EventBus bus = new EventBus();
        bus.name = name;
        bus.arn = arn(account, region, "event-bus/" + name);
        bus.description = description;
        bus.creationTime = bus.lastModifiedTime = System.currentTimeMillis();
        return bus;
    }

    static String arn(String account, String region, String resource) {
        return "arn:" + partition(region) + ":events:" + region + ":" + account + ":" + resource;
    }

    private static String partition(String region) {
        if (region.startsWith("cn-")) return "aws-cn";
        if (region.startsWith("us-gov-")) return "aws-us-gov";
        return "aws";
    }

    // ---------------------------------------------------------------- errors

    static ServiceException validation(String message) {
        return new ServiceException("ValidationException", message);
    }

    static ServiceException notFound(String message) {
        return new ServiceException("ResourceNotFoundException", message);
    }

    static ServiceException busNotFound(String name) {
        return notFound("Event bus " + name + " does not exist.");
    }

    static ServiceException ruleNotFound(String rule, String bus) {
        return notFound("Rule " + rule + " does not exist on EventBus " + bus + ".");
    }

    // ---------------------------------------------------------------- buses

    /** A bus by name or ARN (null or empty: the default bus). */
    EventBus bus(String account, String region, String nameOrArn) {
        String name = busName(nameOrArn);
        EventsRegion r = store.get(account, region);
        EventBus bus = r.buses.get(name);
        if (bus == null) throw busNotFound(name);
        return bus;
    }

    static String busName(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) return DEFAULT_BUS;
        int slash = nameOrArn.startsWith("arn:") ? nameOrArn.indexOf(":event-bus/") : -1;
        return slash >= 0 ? nameOrArn.substring(slash + ":event-bus/".length()) : nameOrArn;
    }

    EventBus createBus(String account, String region, String name, String description, String kmsKey,
                       String deadLetterArn, Map<String, String> tags) {
        if (name == null || name.isEmpty() || name.length() > 256 || !BUS_NAME.matcher(name).matches()) {
            throw validation("1 validation error detected: Value '" + name
                    + "' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+");
        }
        if (name.equals(DEFAULT_BUS)) throw new ServiceException("ResourceAlreadyExistsException", "Event bus default already exists.");
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            if (r.buses.containsKey(name)) {
                throw new ServiceException("ResourceAlreadyExistsException", "Event bus " + name + " already exists.");
            }
            EventBus bus = newBus(account, region, name, description);
            bus.kmsKeyIdentifier = kmsKey;
            bus.deadLetterArn = deadLetterArn;
            if (tags != null) bus.tags.putAll(tags);
            r.buses.put(name, bus);
            return bus;
        }
    }

    EventBus updateBus(String account, String region, String name, String description, String kmsKey,
                       String deadLetterArn) {
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            EventBus bus = bus(account, region, name);
            if (description != null) bus.description = description;
            if (kmsKey != null) bus.kmsKeyIdentifier = kmsKey;
            if (deadLetterArn != null) bus.deadLetterArn = deadLetterArn;
            bus.lastModifiedTime = System.currentTimeMillis();
            return bus;
        }
    }

    void deleteBus(String account, String region, String name) {
        String busName = busName(name);
        if (busName.equals(DEFAULT_BUS)) throw validation("Cannot delete event bus default.");
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            if (r.buses.remove(busName) == null) throw busNotFound(busName);
        }
    }

    record Page<T>(List<T> items, String nextToken) {
    }

    static <T> Page<T> page(List<T> all, Integer limit, String token) {
        int start = 0;
        if (token != null && !token.isEmpty()) {
            try {
                start = Integer.parseInt(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw validation("The NextToken provided is invalid.");
            }
        }
        int size = limit == null || limit <= 0 ? 100 : Math.min(limit, 100);
        int end = Math.min(all.size(), start + size);
        if (start >= end) return new Page<>(List.of(), null);
        String next = end < all.size() ? Base64.getEncoder().encodeToString(String.valueOf(end).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(all.subList(start, end), next);
    }

    Page<EventBus> listBuses(String account, String region, String prefix, Integer limit, String token) {
        List<EventBus> all = store.get(account, region).buses.values().stream()
                .filter(b -> prefix == null || b.name.startsWith(prefix)).toList();
        return page(all, limit, token);
    }

    // ---------------------------------------------------------------- permissions

    /** PutPermission's Condition: the statement applies to callers whose {@code key} equals {@code value}. */
    record PolicyCondition(String key, String value) {
    }

    void putPermission(String account, String region, String busName, String action, String principal, String statementId,
                       PolicyCondition condition, String policyJson) {
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            EventBus bus = bus(account, region, busName);
            if (policyJson != null) {
                try {
                    if (!(JSON.readTree(policyJson) instanceof ObjectNode policy)) throw new IllegalArgumentException();
                    bus.policy = policy;
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    throw validation("Parameter Policy is not valid.");
                }
            } else {
                if (statementId == null || statementId.isEmpty()) throw validation("Parameter StatementId is not valid.");
                if (principal == null || principal.isEmpty()) throw validation("Parameter Principal is not valid.");
                if (action != null && !action.equals("events:PutEvents")) {
                    throw validation("Provided value in parameter 'action' is not supported.");
                }
                ObjectNode statement = JSON.createObjectNode().put("Sid", statementId).put("Effect", "Allow");
                if (principal.equals("*")) statement.put("Principal", "*");
                else statement.putObject("Principal").put("AWS", principal.matches("\\d{12}")
                        ? "arn:" + partition(region) + ":iam::" + principal + ":root" : principal);
                statement.put("Action", "events:PutEvents").put("Resource", bus.arn);
                if (condition != null) {
                    statement.putObject("Condition").putObject("StringEquals").put(String.valueOf(condition.key()), String.valueOf(condition.value()));
                }
                ArrayNode statements = statements(bus);
                removeStatement(statements, statementId);
                statements.add(statement);
                ObjectNode policy = JSON.createObjectNode().put("Version", "2012-10-17");
                policy.set("Statement", statements);
                bus.policy = policy;
            }
            bus.lastModifiedTime = System.currentTimeMillis();
        }
    }

    /** A copy of the bus policy's statements (none when it has no policy). */
    private static ArrayNode statements(EventBus bus) {
        ArrayNode out = JSON.createArrayNode();
        JsonNode s = bus.policy == null ? null : bus.policy.get("Statement");
        if (s != null && s.isArray()) s.forEach(out::add);
        return out;
    }

    /** Removes the statements with this Sid; whether there was one. */
    private static boolean removeStatement(ArrayNode statements, String sid) {
        boolean removed = false;
        for (int i = statements.size() - 1; i >= 0; i--) {
            if (Objects.equals(sid, statements.get(i).path("Sid").asText(null))) {
                statements.remove(i);
                removed = true;
            }
        }
        return removed;
    }

    void removePermission(String account, String region, String busName, String statementId, boolean removeAll) {
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            EventBus bus = bus(account, region, busName);
            if (removeAll) {
                bus.policy = null;
            } else {
                ArrayNode statements = statements(bus);
                if (!removeStatement(statements, statementId)) throw notFound("Statement with the provided id does not exist.");
                if (statements.isEmpty()) bus.policy = null;
                else {
                    ObjectNode policy = bus.policy.deepCopy();
                    policy.set("Statement", statements);
                    bus.policy = policy;
                }
            }
            bus.lastModifiedTime = System.currentTimeMillis();
        }
    }

    // ---------------------------------------------------------------- rules

    static void checkName(String name, String member) {
        if (name == null || name.isEmpty() || name.length() > 64 || !NAME.matcher(name).matches()) {
            String constraint = name != null && name.length() > 64 ? "Member must have length less than or equal to 64"
                    : "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+";
            throw validation("1 validation error detected: Value '" + name + "' at '" + member + "' failed to satisfy constraint: " + constraint);
        }
    }

    Rule putRule(String account, String region, String name, String busNameOrArn, String eventPattern,
                 String scheduleExpression, String state, String description, String roleArn, Map<String, String> tags,
                 String caller) {
        checkName(name, "name");
        if (eventPattern == null && scheduleExpression == null) {
            throw validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }
        String busName = busName(busNameOrArn);
        if (scheduleExpression != null && !busName.equals(DEFAULT_BUS)) {
            throw validation("ScheduleExpression is supported only on the default event bus.");
        }
        if (scheduleExpression != null) RuleSchedule.parse(scheduleExpression);   // AWS's validation error before anything changes
        if (eventPattern != null) EventPatterns.validate(eventPattern);
        if (state != null && !state.equals("ENABLED") && !state.equals("DISABLED")
                && !state.equals("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")) {
            throw validation("1 validation error detected: Value '" + state
                    + "' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]");
        }
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            EventBus bus = bus(account, region, busName);
            Rule rule = bus.rules.get(name);
            if (rule == null) {
                rule = new Rule();
                rule.name = name;
                rule.eventBusName = bus.name;
                rule.arn = arn(account, region, "rule/" + (bus.name.equals(DEFAULT_BUS) ? "" : bus.name + "/") + name);
                rule.createdBy = caller;
            }
            rule.eventPattern = eventPattern;
            rule.scheduleExpression = scheduleExpression;
            if (state != null) rule.state = state;
            rule.description = description;
            rule.roleArn = roleArn;
            if (tags != null) rule.tags.putAll(tags);
            rule.nextFire = scheduleExpression == null ? 0 : RuleSchedule.nextFire(scheduleExpression, Instant.now());
            bus.rules.put(name, rule);
            bus.rebuildMatcher();
            return rule;
        }
    }

    Rule rule(String account, String region, String name, String busNameOrArn) {
        EventBus bus = bus(account, region, busNameOrArn);
        Rule rule = bus.rules.get(name == null ? "" : name);
        if (rule == null) throw ruleNotFound(name, bus.name);
        return rule;
    }

    void deleteRule(String account, String region, String name, String busNameOrArn, boolean force) {
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            EventBus bus = bus(account, region, busNameOrArn);
            Rule rule = bus.rules.get(name == null ? "" : name);
            if (rule == null) return; // AWS: deleting a missing rule succeeds
            if (!rule.targets.isEmpty()) throw validation("Rule can't be deleted since it has targets.");
            bus.rules.remove(name);
            bus.rebuildMatcher();
        }
    }

    void setRuleState(String account, String region, String name, String busNameOrArn, boolean enabled) {
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            EventBus bus = bus(account, region, busNameOrArn);
            Rule rule = rule(account, region, name, busNameOrArn);
            rule.state = enabled ? "ENABLED" : "DISABLED";
            if (enabled && rule.scheduleExpression != null) {
                rule.nextFire = RuleSchedule.nextFire(rule.scheduleExpression, Instant.now());
            }
            bus.rebuildMatcher();
        }
    }

    Page<Rule> listRules(String account, String region, String prefix, String busNameOrArn, Integer limit, String token) {
        EventBus bus = bus(account, region, busNameOrArn);
        List<Rule> all = bus.rules.values().stream().filter(rule -> prefix == null || rule.name.startsWith(prefix)).toList();
        return page(all, limit, token);
    }

    Page<String> listRuleNamesByTarget(String account, String region, String targetArn, String busNameOrArn, Integer limit,
                                       String token) {
        EventBus bus = bus(account, region, busNameOrArn);
        List<String> all = bus.rules.values().stream()
                .filter(rule -> rule.targets.values().stream().anyMatch(t -> t.arn().equals(targetArn)))
                .map(rule -> rule.name).toList();
        return page(all, limit, token);
    }

    // ---------------------------------------------------------------- targets

    /** A target PutTargets could not store: its id and AWS's reason. */
    record FailedEntry(String targetId, String errorCode, String errorMessage) {
    }

    List<FailedEntry> putTargets(String account, String region, String ruleName, String busNameOrArn, List<Target> targets) {
        int index = 1;
        for (Target t : targets) {
            String id = t.id();
            if (id == null || id.isEmpty() || id.length() > 64 || !NAME.matcher(id).matches()) {
                String constraint = id != null && id.length() > 64 ? "Member must have length less than or equal to 64"
                        : "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+";
                throw validation("1 validation error detected: Value '" + id + "' at 'targets." + index
                        + ".member.id' failed to satisfy constraint: " + constraint);
            }
            TargetInput.validate(t);
            if (t.service().equals("sqs") && t.arn().endsWith(".fifo") && t.messageGroupId() == null) {
                throw validation("Parameter(s) SqsParameters must be specified for target: " + id + ".");
            }
            index++;
        }
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            Rule rule = rule(account, region, ruleName, busNameOrArn);
            LinkedHashMap<String, Target> next = new LinkedHashMap<>(rule.targets);
            for (Target t : targets) next.put(t.id(), t);
            if (next.size() > MAX_TARGETS_PER_RULE) {
                throw new ServiceException("LimitExceededException", "The requested resource exceeds the maximum number allowed.");
            }
            rule.targets = next;
        }
        return List.of();
    }

    List<FailedEntry> removeTargets(String account, String region, String ruleName, String busNameOrArn, List<String> ids) {
        EventsRegion r = store.get(account, region);
        List<FailedEntry> failed = new ArrayList<>();
        synchronized (r) {
            Rule rule = rule(account, region, ruleName, busNameOrArn);
            LinkedHashMap<String, Target> next = new LinkedHashMap<>(rule.targets);
            for (String id : ids) {
                if (next.remove(id) == null) {
                    failed.add(new FailedEntry(id, "ResourceNotFoundException",
                            "Rule " + ruleName + " does not have a target with the Id " + id + "."));
                }
            }
            rule.targets = next;
        }
        return failed;
    }

    Page<Target> listTargets(String account, String region, String ruleName, String busNameOrArn, Integer limit, String token) {
        Rule rule = rule(account, region, ruleName, busNameOrArn);
        return page(new ArrayList<>(rule.targets.values()), limit, token);
    }

    // ---------------------------------------------------------------- events

    /** One PutEvents entry as sent. */
    record Entry(Instant time, String source, List<String> resources, String detailType, String detail, String eventBusName,
                 String traceHeader) {
    }

    /** One PutEvents result: an event id, or an error code and message. */
    record EntryResult(String eventId, String errorCode, String errorMessage) {
    }

    List<EntryResult> putEvents(String account, String region, List<Entry> entries) {
        if (entries.size() > MAX_ENTRIES) {
            StringBuilder list = new StringBuilder("[");
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (i > 0) list.append(", ");
                list.append("PutEventsRequestEntry(time=").append(e.time()).append(", source=").append(e.source())
                        .append(", resources=").append(e.resources()).append(", detailType=").append(e.detailType())
                        .append(", detail=").append(e.detail()).append(", eventBusName=").append(e.eventBusName())
                        .append(", traceHeader=").append(e.traceHeader()).append(", kmsKeyIdentifier=null, internalMetadata=null)");
            }
            throw validation("1 validation error detected: Value '" + list + "]' at 'entries' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 10");
        }
        long size = 0;
        for (Entry e : entries) size += entrySize(e);
        if (size > MAX_REQUEST_BYTES) throw validation("Total size of the entries in the request is over the limit.");
        List<EntryResult> results = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            EntryResult invalid = checkEntry(e);
            if (invalid != null) {
                results.add(invalid);
                continue;
            }
            EventBus bus = bus(account, region, e.eventBusName());
            String id = EventDelivery.newEventId();
            ObjectNode event = envelope(id, e.detailType(), e.source(), account, e.time() == null ? Instant.now() : e.time(),
                    region, e.resources(), e.detail());
            dispatch(account, region, bus, event, null, null);
            results.add(new EntryResult(id, null, null));
        }
        return results;
    }

    private static long entrySize(Entry e) {
        long size = 14; // the time
        if (e.source() != null) size += e.source().getBytes(StandardCharsets.UTF_8).length;
        if (e.detailType() != null) size += e.detailType().getBytes(StandardCharsets.UTF_8).length;
        if (e.detail() != null) size += e.detail().getBytes(StandardCharsets.UTF_8).length;
        if (e.resources() != null) for (String r : e.resources()) size += r.getBytes(StandardCharsets.UTF_8).length;
        return size;
    }

    private static EntryResult checkEntry(Entry e) {
        if (e.source() == null || e.source().isEmpty()) {
            return new EntryResult(null, "InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.");
        }
        if (e.detailType() == null || e.detailType().isEmpty()) {
            return new EntryResult(null, "InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
        }
        if (e.detail() == null || e.detail().isEmpty()) {
            return new EntryResult(null, "InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.");
        }
        try {
            if (!JSON.readTree(e.detail()).isObject()) return malformed();
        } catch (JsonProcessingException ex) {
            return malformed();
        }
        return null;
    }

    private static EntryResult malformed() {
        return new EntryResult(null, "MalformedDetail", "Detail is malformed.");
    }

    static ObjectNode envelope(String id, String detailType, String source, String account, Instant time, String region,
                               List<String> resources, String detail) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", id);
        event.put("detail-type", detailType);
        event.put("source", source);
        event.put("account", account);
        event.put("time", EVENT_TIME.format(time.truncatedTo(ChronoUnit.SECONDS)));
        event.put("region", region);
        ArrayNode res = event.putArray("resources");
        if (resources != null) resources.forEach(res::add);
        try {
            event.set("detail", detail == null ? JSON.createObjectNode() : JSON.readTree(detail));
        } catch (JsonProcessingException e) {
            event.putObject("detail");
        }
        return event;
    }

    /**
     * Hands an accepted event to the targets of every enabled rule it matches (and to matching archives).
     * {@code onlyRules}: a replay's rule filter (null: all rules); {@code replayName} marks replayed events.
     */
    void dispatch(String account, String region, EventBus bus, ObjectNode event, Predicate<Rule> onlyRules, String replayName) {
        if (replayName != null) event.put("replay-name", replayName);
        String json = event.toString();
        List<String> matched = bus.matcher.matching(json);
        if (replayName == null) archive(account, region, bus, json);
        if (matched.isEmpty()) return;
        String ingestion = EVENT_TIME.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        String id = event.get("id").asText();
        for (String ruleName : matched) {
            Rule rule = bus.rules.get(ruleName);
            if (rule == null || !rule.enabled() || (onlyRules != null && !onlyRules.test(rule))) continue;
            deliver(account, region, rule, event, json, id, ingestion);
        }
    }

    private void deliver(String account, String region, Rule rule, JsonNode event, String json, String eventId, String ingestion) {
        long now = System.currentTimeMillis();
        for (Target t : rule.targets.values()) {
            String payload = TargetInput.render(t, event, json, rule, ingestion);
            delivery.submit(new EventDelivery.Job(account, region, rule.arn, t, payload, eventId, now, 0));
        }
    }

    /** A bus-to-bus target: the event enters the other bus as it is (same id), as AWS forwards it. */
    private void forwardToBus(String busArn, String eventJson) {
        String[] parts = busArn.split(":", 6);
        if (parts.length < 6) throw validation("Parameter Arn is not valid.");
        EventBus bus = bus(parts[4], parts[3], busArn);
        try {
            JsonNode event = JSON.readTree(eventJson);
            if (!event.isObject()) return;
            dispatch(parts[4], parts[3], bus, (ObjectNode) event, null, null);
        } catch (JsonProcessingException e) {
            throw validation("Event is not valid JSON.");
        }
    }

    /** Fires the schedule rules that are due (called by the provider's timer). */
    void fireSchedules(long now) {
        store.all().forEach((account, regions) -> regions.forEach((region, r) -> {
            EventBus bus = r.buses.get(DEFAULT_BUS);
            if (bus == null) return;
            for (Rule rule : bus.rules.values()) {
                if (rule.scheduleExpression == null || !rule.enabled() || rule.nextFire == 0 || rule.nextFire > now) continue;
                Instant fired = Instant.ofEpochMilli(rule.nextFire);
                try {
                    rule.nextFire = RuleSchedule.nextFire(rule.scheduleExpression, Instant.ofEpochMilli(now));
                } catch (ServiceException e) {
                    rule.nextFire = 0;
                }
                ObjectNode event = envelope(EventDelivery.newEventId(), "Scheduled Event", "aws.events", account, fired, region,
                        List.of(rule.arn), "{}");
                deliver(account, region, rule, event, event.toString(), event.get("id").asText(),
                        EVENT_TIME.format(Instant.ofEpochMilli(now).truncatedTo(ChronoUnit.SECONDS)));
            }
        }));
    }

    /** Recomputes every schedule's next firing (after a restore). */
    void rescheduleAll() {
        Instant now = Instant.now();
        store.all().values().forEach(regions -> regions.values().forEach(r -> r.buses.values().forEach(bus -> {
            for (Rule rule : bus.rules.values()) {
                if (rule.scheduleExpression == null) continue;
                try {
                    rule.nextFire = RuleSchedule.nextFire(rule.scheduleExpression, now);
                } catch (ServiceException e) {
                    rule.nextFire = 0;
                }
            }
            bus.rebuildMatcher();
        })));
    }

    // ---------------------------------------------------------------- TestEventPattern

    boolean testEventPattern(String pattern, String event) {
        EventPatterns.validate(pattern);
        JsonNode node;
        try {
            node = JSON.readTree(event == null ? "" : event);
        } catch (JsonProcessingException e) {
            throw validation("Parameter Event is not valid.");
        }
        if (node == null || !node.isObject()) throw validation("Parameter Event is not valid.");
        for (String required : List.of("id", "account", "source", "time", "region", "detail-type")) {
            if (!node.has(required)) throw validation("Parameter Event is not valid.");
        }
        return EventPatterns.matches(node.toString(), pattern);
    }

    // ---------------------------------------------------------------- archives and replays

    private void archive(String account, String region, EventBus bus, String json) {
        EventsRegion r = store.peek(account, region);
        if (r == null || r.archives.isEmpty()) return;
        for (Archive a : r.archives.values()) {
            if (!a.eventSourceArn.equals(bus.arn) || !"ENABLED".equals(a.state)) continue;
            if (a.eventPattern != null && !EventPatterns.matches(json, a.eventPattern)) continue;
            synchronized (a) {
                a.events.add(new Archive.Entry(System.currentTimeMillis(), json));
                a.sizeBytes += json.length();
            }
        }
    }

    Archive createArchive(String account, String region, String name, String sourceArn, String description, String pattern,
                          Integer retentionDays) {
        if (name == null || name.isEmpty() || name.length() > 48 || !NAME.matcher(name).matches()) {
            throw validation("1 validation error detected: Value '" + name
                    + "' at 'archiveName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
        }
        if (pattern != null) EventPatterns.validate(pattern);
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            String busName = busName(sourceArn);
            if (!r.buses.containsKey(busName)) throw busNotFound(busName);
            if (r.archives.containsKey(name)) throw new ServiceException("ResourceAlreadyExistsException", "Archive " + name + " already exists.");
            Archive a = new Archive();
            a.name = name;
            a.arn = arn(account, region, "archive/" + name);
            a.eventSourceArn = r.buses.get(busName).arn;
            a.description = description;
            a.eventPattern = pattern;
            a.retentionDays = retentionDays;
            a.creationTime = System.currentTimeMillis();
            r.archives.put(name, a);
            return a;
        }
    }

    Archive archive(String account, String region, String name) {
        Archive a = store.get(account, region).archives.get(name == null ? "" : name);
        if (a == null) throw notFound("Archive " + name + " does not exist.");
        return a;
    }

    Archive updateArchive(String account, String region, String name, String description, String pattern, Integer retentionDays) {
        if (description == null && pattern == null && retentionDays == null) {
            throw validation("At least one of EventPattern, RetentionDays or Description must be provided.");
        }
        if (pattern != null) EventPatterns.validate(pattern);
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            Archive a = archive(account, region, name);
            if (description != null) a.description = description;
            if (pattern != null) a.eventPattern = pattern;
            if (retentionDays != null) a.retentionDays = retentionDays;
            return a;
        }
    }

    void deleteArchive(String account, String region, String name) {
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            archive(account, region, name);
            r.archives.remove(name);
        }
    }

    Page<Archive> listArchives(String account, String region, String prefix, String sourceArn, String state, Integer limit,
                               String token) {
        List<Archive> all = store.get(account, region).archives.values().stream()
                .filter(a -> prefix == null || a.name.startsWith(prefix))
                .filter(a -> sourceArn == null || a.eventSourceArn.equals(sourceArn))
                .filter(a -> state == null || a.state.equals(state)).toList();
        return page(all, limit, token);
    }

    Replay startReplay(String account, String region, String name, String description, String sourceArn, Instant start,
                       Instant end, String destinationArn, List<String> filterArns) {
        if (!start.isBefore(end)) throw validation("Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.");
        EventsRegion r = store.get(account, region);
        Archive archive;
        Replay replay;
        EventBus bus;
        synchronized (r) {
            if (r.replays.containsKey(name)) throw new ServiceException("ResourceAlreadyExistsException", "Replay " + name + " already exists.");
            String archiveName = sourceArn == null ? "" : sourceArn.substring(sourceArn.lastIndexOf('/') + 1);
            archive = r.archives.get(archiveName);
            if (archive == null) throw validation("Parameter EventSourceArn is not valid. Reason: Archive " + archiveName + " does not exist.");
            if (!archive.eventSourceArn.equals(destinationArn)) {
                throw validation("Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.");
            }
            bus = bus(account, region, destinationArn);
            replay = new Replay();
            replay.name = name;
            replay.arn = arn(account, region, "replay/" + name);
            replay.description = description;
            replay.eventSourceArn = archive.arn;
            replay.destinationArn = destinationArn;
            replay.filterArns = filterArns;
            replay.eventStartTime = start.toEpochMilli();
            replay.eventEndTime = end.toEpochMilli();
            replay.replayStartTime = System.currentTimeMillis();
            r.replays.put(name, replay);
        }
        List<Archive.Entry> events;
        synchronized (archive) {
            events = new ArrayList<>(archive.events);
        }
        replay.state = "RUNNING";
        Predicate<Rule> only = filterArns == null || filterArns.isEmpty() ? null : rule -> filterArns.contains(rule.arn);
        for (Archive.Entry e : events) {
            if (e.time() < replay.eventStartTime || e.time() >= replay.eventEndTime) continue;
            try {
                ObjectNode event = (ObjectNode) JSON.readTree(e.event());
                dispatch(account, region, bus, event, only, name);
                replay.eventLastReplayedTime = e.time();
            } catch (JsonProcessingException ex) {
                // an archived event is always valid JSON
            }
        }
        replay.state = "COMPLETED";
        replay.replayEndTime = System.currentTimeMillis();
        return replay;
    }

    Replay replay(String account, String region, String name) {
        Replay replay = store.get(account, region).replays.get(name == null ? "" : name);
        if (replay == null) throw notFound("Replay " + name + " does not exist.");
        return replay;
    }

    Replay cancelReplay(String account, String region, String name) {
        Replay replay = replay(account, region, name);
        if (replay.state.equals("COMPLETED") || replay.state.equals("CANCELLED") || replay.state.equals("FAILED")) {
            throw new ServiceException("IllegalStatusException", "Replay " + name + " is not in a valid state for this operation.");
        }
        replay.state = "CANCELLED";
        return replay;
    }

    Page<Replay> listReplays(String account, String region, String prefix, String sourceArn, String state, Integer limit,
                             String token) {
        List<Replay> all = store.get(account, region).replays.values().stream()
                .filter(x -> prefix == null || x.name.startsWith(prefix))
                .filter(x -> sourceArn == null || x.eventSourceArn.equals(sourceArn))
                .filter(x -> state == null || x.state.equals(state)).toList();
        return page(all, limit, token);
    }

    // ---------------------------------------------------------------- tags

    /** The tag map of a bus or rule ARN. */
    Map<String, String> tagsOf(String account, String region, String resourceArn) {
        String arn = resourceArn == null ? "" : resourceArn;
        int at = arn.indexOf(":event-bus/");
        if (at >= 0) return bus(account, region, arn).tags;
        at = arn.indexOf(":rule/");
        if (at >= 0) {
            String path = arn.substring(at + ":rule/".length());
            int slash = path.lastIndexOf('/');
            String busName = slash < 0 ? DEFAULT_BUS : path.substring(0, slash);
            String ruleName = slash < 0 ? path : path.substring(slash + 1);
            return rule(account, region, ruleName, busName).tags;
        }
        throw validation("Parameter ResourceARN is not valid.");
    }

    void tag(String account, String region, String arn, Map<String, String> tags) {
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            tagsOf(account, region, arn).putAll(tags);
        }
    }

    void untag(String account, String region, String arn, List<String> keys) {
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            tagsOf(account, region, arn).keySet().removeAll(keys);
        }
    }
}
