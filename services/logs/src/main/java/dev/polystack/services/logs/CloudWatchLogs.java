package dev.polystack.services.logs;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.ServiceException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * CloudWatch Logs' semantics on plain Java values: groups, streams, PutLogEvents (ordering and batch rules,
 * rejected events), GetLogEvents and FilterLogEvents with {@link FilterPattern}, metric and subscription
 * filters (handed to {@link LogForwarder}). Errors carry AWS's codes and messages as recorded.
 */
final class CloudWatchLogs {
    static final int MAX_BATCH_EVENTS = 10_000;
    static final int MAX_BATCH_BYTES = 1_048_576;
    static final int EVENT_OVERHEAD = 26;
    static final long DAY_MS = 86_400_000L;
    static final long TOO_OLD_MS = 14 * DAY_MS;
    static final long TOO_NEW_MS = 2 * 3_600_000L;
    private static final Pattern NAME = Pattern.compile("[.\\-_/#A-Za-z0-9]+");
    private static final Pattern STREAM_NAME = Pattern.compile("[^:*]*");
    private static final List<Integer> RETENTION_DAYS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
            731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    final AccountRegionStore<LogsRegion> store = new AccountRegionStore<>((a, r) -> new LogsRegion());
    private final LogForwarder forwarder;
    private final AtomicLong eventIds = new AtomicLong(System.currentTimeMillis() * 1000);

    CloudWatchLogs(LogForwarder forwarder) {
        this.forwarder = forwarder;
    }

    // ---------------------------------------------------------------- errors

    static ServiceException invalid(String message) {
        return new ServiceException("InvalidParameterException", message);
    }

    static ServiceException groupNotFound() {
        return new ServiceException("ResourceNotFoundException", "The specified log group does not exist.");
    }

    static ServiceException streamNotFound() {
        return new ServiceException("ResourceNotFoundException", "The specified log stream does not exist.");
    }

    static String arn(String account, String region, String resource) {
        String partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        return "arn:" + partition + ":logs:" + region + ":" + account + ":" + resource;
    }

    // ---------------------------------------------------------------- groups

    /** A group by name, or by its ARN (logGroupIdentifier; with or without the trailing {@code :*}). */
    LogGroup group(String account, String region, String nameOrArn) {
        String name = groupName(nameOrArn);
        LogGroup g = store.get(account, region).groups.get(name == null ? "" : name);
        if (g == null) throw groupNotFound();
        return g;
    }

    static String groupName(String nameOrArn) {
        if (nameOrArn == null || !nameOrArn.startsWith("arn:")) return nameOrArn;
        int at = nameOrArn.indexOf(":log-group:");
        if (at < 0) return nameOrArn;
        String name = nameOrArn.substring(at + ":log-group:".length());
        return name.endsWith(":*") ? name.substring(0, name.length() - 2) : name;
    }

    static void checkGroupName(String name) {
        if (name == null || name.isEmpty()) throw invalid("1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null");
        if (name.length() > 512) throw invalid("Invalid LogGroup or LogStream, both must have length less than or equal to 512.");
        if (!NAME.matcher(name).matches()) {
            throw invalid("1 validation error detected: Value '" + name + "' at 'logGroupName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
        }
    }

    LogGroup createGroup(String account, String region, String name, String kmsKeyId, Map<String, String> tags, String groupClass) {
        checkGroupName(name);
        LogsRegion r = store.get(account, region);
        synchronized (r) {
            if (r.groups.containsKey(name)) {
                throw new ServiceException("ResourceAlreadyExistsException", "The specified log group already exists");
            }
            LogGroup g = new LogGroup();
            g.name = name;
            g.arn = arn(account, region, "log-group:" + name);
            g.creationTime = System.currentTimeMillis();
            g.kmsKeyId = kmsKeyId;
            if (groupClass != null) g.logGroupClass = groupClass;
            if (tags != null) g.tags.putAll(tags);
            r.groups.put(name, g);
            return g;
        }
    }

    void deleteGroup(String account, String region, String name) {
        LogsRegion r = store.get(account, region);
        synchronized (r) {
            if (r.groups.remove(groupName(name) == null ? "" : groupName(name)) == null) throw groupNotFound();
        }
    }

    record Page<T>(List<T> items, String nextToken) {
    }

    static <T> Page<T> page(List<T> all, Integer limit, String token, int maxLimit) {
        int start = 0;
        if (token != null) {
            try {
                start = Integer.parseInt(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw invalid("The specified nextToken is invalid.");
            }
        }
        if (limit != null && limit > maxLimit) {
            throw invalid("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy constraint: "
                    + "Member must have value less than or equal to " + maxLimit);
        }
        int size = limit == null || limit <= 0 ? maxLimit : limit;
        int end = Math.min(all.size(), start + size);
        if (start >= end) return new Page<>(List.of(), null);
        String next = end < all.size() ? Base64.getEncoder().encodeToString(String.valueOf(end).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(all.subList(start, end), next);
    }

    Page<LogGroup> describeGroups(String account, String region, String prefix, String pattern, Integer limit, String token) {
        if (prefix != null && pattern != null) {
            throw invalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }
        String lowerPattern = pattern == null ? null : pattern.toLowerCase();
        List<LogGroup> all = store.get(account, region).groups.values().stream()
                .filter(g -> prefix == null || g.name.startsWith(prefix))
                .filter(g -> lowerPattern == null || g.name.toLowerCase().contains(lowerPattern)).toList();
        return page(all, limit, token, 50);
    }

    void setRetention(String account, String region, String name, Integer days) {
        if (days != null && !RETENTION_DAYS.contains(days)) {
            throw invalid("1 validation error detected: Value '" + days + "' at 'retentionInDays' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: " + RETENTION_DAYS);
        }
        LogsRegion r = store.get(account, region);
        synchronized (r) {
            group(account, region, name).retentionInDays = days;
        }
    }

    void setKmsKey(String account, String region, String name, String kmsKeyId) {
        LogsRegion r = store.get(account, region);
        synchronized (r) {
            group(account, region, name).kmsKeyId = kmsKeyId;
        }
    }

    /** The tags of a group named by name or ARN. */
    Map<String, String> tags(String account, String region, String nameOrArn) {
        return group(account, region, nameOrArn).tags;
    }

    void tag(String account, String region, String nameOrArn, Map<String, String> tags) {
        LogsRegion r = store.get(account, region);
        synchronized (r) {
            group(account, region, nameOrArn).tags.putAll(tags);
        }
    }

    void untag(String account, String region, String nameOrArn, List<String> keys) {
        LogsRegion r = store.get(account, region);
        synchronized (r) {
            group(account, region, nameOrArn).tags.keySet().removeAll(keys);
        }
    }

    // ---------------------------------------------------------------- streams

    LogStream createStream(String account, String region, String groupNameOrArn, String name) {
        if (name == null || name.isEmpty() || name.length() > 512 || !STREAM_NAME.matcher(name).matches()) {
            if (name != null && name.length() > 512) {
                throw invalid("Invalid LogGroup or LogStream, both must have length less than or equal to 512.");
            }
            throw invalid("1 validation error detected: Value '" + name + "' at 'logStreamName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [^:*]*");
        }
        LogsRegion r = store.get(account, region);
        synchronized (r) {
            LogGroup g = group(account, region, groupNameOrArn);
            if (g.streams.containsKey(name)) {
                throw new ServiceException("ResourceAlreadyExistsException", "The specified log stream already exists");
            }
            LogStream s = new LogStream();
            s.name = name;
            s.arn = arn(account, region, "log-group:" + g.name + ":log-stream:" + name);
            s.creationTime = System.currentTimeMillis();
            g.streams.put(name, s);
            return s;
        }
    }

    LogStream stream(String account, String region, String groupNameOrArn, String name) {
        LogStream s = group(account, region, groupNameOrArn).streams.get(name == null ? "" : name);
        if (s == null) throw streamNotFound();
        return s;
    }

    void deleteStream(String account, String region, String groupNameOrArn, String name) {
        LogsRegion r = store.get(account, region);
        synchronized (r) {
            LogGroup g = group(account, region, groupNameOrArn);
            if (g.streams.remove(name == null ? "" : name) == null) throw streamNotFound();
        }
    }

    Page<LogStream> describeStreams(String account, String region, String groupNameOrArn, String prefix, String orderBy,
                                    boolean descending, Integer limit, String token) {
        LogGroup g = group(account, region, groupNameOrArn);
        boolean byTime = "LastEventTime".equals(orderBy);
        if (byTime && prefix != null) {
            throw invalid("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        List<LogStream> all = new ArrayList<>(g.streams.values().stream()
                .filter(s -> prefix == null || s.name.startsWith(prefix)).toList());
        if (byTime) all.sort(Comparator.comparingLong(s -> s.lastEventTimestamp == null ? 0 : s.lastEventTimestamp));
        if (descending) java.util.Collections.reverse(all);
        return page(all, limit, token, 50);
    }

    // ---------------------------------------------------------------- events

    /** An event as PutLogEvents sends it. */
    record InputEvent(long timestamp, String message) {
    }

    /** PutLogEvents' answer: the sequence token and which events were rejected (indexes, null when none). */
    record PutResult(String nextSequenceToken, Integer tooNewStartIndex, Integer tooOldEndIndex, Integer expiredEndIndex) {
    }

    PutResult putEvents(String account, String region, String groupNameOrArn, String streamName, List<InputEvent> events) {
        if (events.isEmpty()) {
            throw invalid("1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        if (events.size() > MAX_BATCH_EVENTS) {
            throw invalid("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000");
        }
        long bytes = 0;
        for (int i = 0; i < events.size(); i++) {
            InputEvent e = events.get(i);
            bytes += e.message().getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD;
            if (i > 0 && e.timestamp() < events.get(i - 1).timestamp()) {
                throw invalid("Log events in a single PutLogEvents request must be in chronological order.");
            }
        }
        if (bytes > MAX_BATCH_BYTES) throw invalid("Upload too large: " + bytes + " bytes exceeds limit of " + MAX_BATCH_BYTES);
        if (events.get(events.size() - 1).timestamp() - events.get(0).timestamp() > DAY_MS) {
            throw invalid("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        }
        LogGroup group = group(account, region, groupNameOrArn);
        LogStream stream = group.streams.get(streamName == null ? "" : streamName);
        if (stream == null) throw streamNotFound();
        long now = System.currentTimeMillis();
        Integer tooNew = null, tooOld = null, expired = null;
        long retentionMs = group.retentionInDays == null ? Long.MAX_VALUE : group.retentionInDays * DAY_MS;
        List<LogEvent> accepted = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            InputEvent e = events.get(i);
            if (e.timestamp() > now + TOO_NEW_MS) {
                if (tooNew == null) tooNew = i;
                continue;
            }
            if (e.timestamp() < now - TOO_OLD_MS) {
                tooOld = i;
                continue;
            }
            if (now - e.timestamp() > retentionMs) {
                expired = i;
                continue;
            }
            accepted.add(new LogEvent(e.timestamp(), e.message(), now, String.format("%056d", eventIds.incrementAndGet())));
        }
        stream.append(accepted);
        if (!accepted.isEmpty() && forwarder != null) forwarder.ingested(account, region, group, stream, accepted);
        return new PutResult(String.format("%056d", stream.sequence), tooNew, tooOld, expired);
    }

    /** GetLogEvents' answer: the events, and the tokens to page forward and backward. */
    record EventsPage(List<LogEvent> events, String forwardToken, String backwardToken) {
    }

    EventsPage getEvents(String account, String region, String groupNameOrArn, String streamName, Long start, Long end,
                         String token, Integer limit, boolean startFromHead) {
        if (limit != null && limit > 10_000) {
            throw invalid("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy constraint: "
                    + "Member must have value less than or equal to 10000");
        }
        LogStream stream = stream(account, region, groupNameOrArn, streamName);
        List<LogEvent> inRange = stream.snapshot().stream()
                .filter(e -> (start == null || e.timestamp() >= start) && (end == null || e.timestamp() < end)).toList();
        int size = limit == null || limit <= 0 ? 10_000 : limit;
        int from, to;
        if (token != null) {
            int position = tokenPosition(token);
            if (token.startsWith("f/")) {
                from = Math.min(position, inRange.size());
                to = Math.min(inRange.size(), from + size);
            } else {
                to = Math.min(position, inRange.size());
                from = Math.max(0, to - size);
            }
        } else if (startFromHead) {
            from = 0;
            to = Math.min(inRange.size(), size);
        } else {
            to = inRange.size();
            from = Math.max(0, to - size);
        }
        return new EventsPage(inRange.subList(from, to), String.format("f/%056d", to), String.format("b/%056d", from));
    }

    private static int tokenPosition(String token) {
        if (token.length() > 2 && (token.startsWith("f/") || token.startsWith("b/"))) {
            try {
                long n = Long.parseLong(token.substring(2));
                if (n >= 0 && n <= Integer.MAX_VALUE) return (int) n;
            } catch (NumberFormatException ignored) {
                // falls through to the error
            }
        }
        throw invalid("The specified nextToken is invalid.");
    }

    /** One FilterLogEvents hit. */
    record FilteredEvent(String streamName, LogEvent event) {
    }

    Page<FilteredEvent> filterEvents(String account, String region, String groupNameOrArn, List<String> streamNames,
                                     String streamPrefix, Long start, Long end, String pattern, Integer limit, String token) {
        if (streamNames != null && !streamNames.isEmpty() && streamPrefix != null) {
            throw invalid("Cannot specify both logStreamNames and logStreamNamePrefix.");
        }
        FilterPattern filter = FilterPattern.compile(pattern);
        LogGroup g = group(account, region, groupNameOrArn);
        List<FilteredEvent> hits = new ArrayList<>();
        for (LogStream s : g.streams.values()) {
            if (streamNames != null && !streamNames.isEmpty() && !streamNames.contains(s.name)) continue;
            if (streamPrefix != null && !s.name.startsWith(streamPrefix)) continue;
            for (LogEvent e : s.snapshot()) {
                if ((start != null && e.timestamp() < start) || (end != null && e.timestamp() > end)) continue;
                if (filter.matches(e.message())) hits.add(new FilteredEvent(s.name, e));
            }
        }
        hits.sort(Comparator.comparingLong((FilteredEvent f) -> f.event().timestamp()).thenComparing(f -> f.event().id()));
        return page(hits, limit, token, 10_000);
    }

    /** TestMetricFilter: which of the messages the pattern matches, with the fields it extracted. */
    List<Map.Entry<Integer, String>> testPattern(String pattern, List<String> messages) {
        FilterPattern filter = FilterPattern.compile(pattern);
        List<Map.Entry<Integer, String>> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (filter.matches(messages.get(i))) out.add(Map.entry(i + 1, messages.get(i)));
        }
        return out;
    }

    // ---------------------------------------------------------------- metric and subscription filters

    void putMetricFilter(String account, String region, String groupName, String name, String pattern,
                         List<LogGroup.Transformation> transformations) {
        if (name == null || name.length() > 512) {
            throw invalid("1 validation error detected: Value '" + name + "' at 'filterName' failed to satisfy constraint: Member must have length less than or equal to 512");
        }
        if (pattern != null && pattern.length() > 1024) {
            throw invalid("1 validation error detected: Value '" + pattern + "' at 'filterPattern' failed to satisfy constraint: Member must have length less than or equal to 1024");
        }
        if (transformations.size() != 1) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < transformations.size(); i++) {
                LogGroup.Transformation t = transformations.get(i);
                if (i > 0) b.append(", ");
                b.append("MetricTransformation(metricName=").append(t.metricName()).append(", metricNamespace=")
                        .append(t.metricNamespace()).append(", metricValue=").append(t.metricValue()).append(", defaultValue=")
                        .append(t.defaultValue()).append(", unit=").append(t.unit()).append(", dimensions=")
                        .append(t.dimensions() == null || t.dimensions().isEmpty() ? null : t.dimensions()).append(")");
            }
            throw invalid("1 validation error detected: Value '" + b + "]' at 'metricTransformations' failed to satisfy constraint: "
                    + "Member must have length " + (transformations.isEmpty() ? "greater than or equal to 1" : "less than or equal to 1"));
        }
        for (LogGroup.Transformation t : transformations) {
            if (t.metricName() != null && t.metricName().length() > 255) {
                throw invalid("1 validation error detected: Value '" + t.metricName() + "' at 'metricName' failed to satisfy constraint: Member must have length less than or equal to 255");
            }
        }
        FilterPattern.compile(pattern);
        LogsRegion r = store.get(account, region);
        synchronized (r) {
            LogGroup g = group(account, region, groupName);
            g.metricFilters.put(name, new LogGroup.MetricFilter(name, pattern == null ? "" : pattern, List.copyOf(transformations),
                    System.currentTimeMillis()));
        }
    }

    void deleteMetricFilter(String account, String region, String groupName, String name) {
        LogsRegion r = store.get(account, region);
        synchronized (r) {
            if (group(account, region, groupName).metricFilters.remove(name == null ? "" : name) == null) {
                throw new ServiceException("ResourceNotFoundException", "The specified metric filter does not exist.");
            }
        }
    }

    /** DescribeMetricFilters: every group's filters, or one group's, narrowed by name prefix or metric. */
    List<Map.Entry<LogGroup, LogGroup.MetricFilter>> metricFilters(String account, String region, String groupName,
                                                                   String prefix, String metricName, String namespace) {
        if (prefix != null && prefix.length() > 512) {
            throw invalid("1 validation error detected: Value '" + prefix + "' at 'filterNamePrefix' failed to satisfy constraint: Member must have length less than or equal to 512");
        }
        List<LogGroup> groups = groupName != null ? List.of(group(account, region, groupName))
                : List.copyOf(store.get(account, region).groups.values());
        List<Map.Entry<LogGroup, LogGroup.MetricFilter>> out = new ArrayList<>();
        for (LogGroup g : groups) {
            for (LogGroup.MetricFilter f : g.metricFilters.values()) {
                if (prefix != null && !f.name().startsWith(prefix)) continue;
                if (metricName != null && f.transformations().stream().noneMatch(t -> t.metricName().equals(metricName)
                        && (namespace == null || t.metricNamespace().equals(namespace)))) continue;
                out.add(Map.entry(g, f));
            }
        }
        return out;
    }

    void putSubscriptionFilter(String account, String region, String groupName, String name, String pattern, String destinationArn,
                               String roleArn, String distribution) {
        if (destinationArn == null) throw invalid("1 validation error detected: Value null at 'destinationArn' failed to satisfy constraint: Member must not be null");
        String[] arn = destinationArn.split(":", 6);
        String service = arn.length > 2 ? arn[2] : "";
        if ((service.equals("kinesis") || service.equals("firehose")) && roleArn == null) {
            throw invalid("destinationArn for vendor " + service + " cannot be used without roleArn");
        }
        if (service.equals("lambda") && arn.length > 4 && !arn[4].equals(account)) {
            throw new ServiceException("AccessDeniedException", "Cross-account lambda invocation passing is not allowed. "
                    + "You must use DestinationPolicies to create cross account lambda triggers.");
        }
        FilterPattern.compile(pattern);
        LogsRegion r = store.get(account, region);
        synchronized (r) {
            LogGroup g = group(account, region, groupName);
            if (!g.subscriptionFilters.containsKey(name) && g.subscriptionFilters.size() >= 2) {
                throw new ServiceException("LimitExceededException", "Resource limit exceeded.");
            }
            g.subscriptionFilters.put(name, new LogGroup.SubscriptionFilter(name, pattern == null ? "" : pattern, destinationArn,
                    roleArn, distribution == null ? "ByLogStream" : distribution, System.currentTimeMillis()));
        }
    }

    void deleteSubscriptionFilter(String account, String region, String groupName, String name) {
        LogsRegion r = store.get(account, region);
        synchronized (r) {
            if (group(account, region, groupName).subscriptionFilters.remove(name == null ? "" : name) == null) {
                throw new ServiceException("ResourceNotFoundException", "The specified subscription filter does not exist.");
            }
        }
    }
}
