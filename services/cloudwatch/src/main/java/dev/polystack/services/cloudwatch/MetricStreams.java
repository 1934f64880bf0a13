package dev.polystack.services.cloudwatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.firehose.api.FirehoseApi;
import dev.polystack.services.firehose.api.PutRecordBatchInput;
import dev.polystack.services.firehose.api.Record;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Metric streams at work: once a minute has closed, each running stream sends that minute's aggregate of every metric
 * it carries (min, max, sum, sample count, and the additional statistics configured for it) to its Firehose delivery
 * stream, through the typed {@link FirehoseApi}, one Firehose record per metric and minute, in the stream's format:
 * <ul>
 *   <li>{@code json}: a JSON line ({@code metric_stream_name}, {@code account_id}, {@code region}, {@code namespace},
 *   {@code metric_name}, {@code dimensions}, {@code timestamp}, {@code value}, {@code unit}), as AWS writes it;</li>
 *   <li>{@code opentelemetry1.0} and {@code opentelemetry0.7}: an {@code ExportMetricsServiceRequest} preceded by its
 *   length as an unsigned varint, the metric a summary (min and max as the 0 and 1 quantiles) named
 *   {@code amazonaws.com/<namespace>/<name>}; 1.0 puts {@code Namespace}, {@code MetricName} and {@code Dimensions}
 *   (a key-value list) in {@code KeyValue} attributes, 0.7 puts them, each dimension its own, in
 *   {@code StringKeyValue} labels. Encoded with protobuf-java's {@link CodedOutputStream} (the field numbers are
 *   those of opentelemetry-proto v1.0.0 and v0.7.0).</li>
 * </ul>
 * The minute is taken by the data points' timestamps; data put for a minute already streamed is not sent again.
 */
final class MetricStreams {
    private static final System.Logger LOG = System.getLogger(MetricStreams.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long MINUTE = 60_000;
    /** A closed minute is streamed this long after its end, so that data put right at its end is in it. */
    private static final long GRACE = 2_000;
    private static final int FIREHOSE_BATCH = 500;

    private MetricStreams() {
    }

    static long minuteOf(long t) {
        return t - Math.floorMod(t, MINUTE);
    }

    /** One metric's minute. */
    record Update(MetricKey key, long minute, Aggregate aggregate, List<String> additional) {
    }

    /** Every running stream of a region whose next minute has closed: that minute (and any before it) sent. */
    static void tick(ProviderEnvironment env, String account, String region, CloudWatchRegion r, long now) {
        long until = minuteOf(now - GRACE);
        for (MetricStream s : r.metricStreams.values()) {
            long from;
            synchronized (s) {
                if (!"running".equals(s.state) || until <= s.streamedUntil) continue;
                from = s.streamedUntil;
                s.streamedUntil = until;
            }
            List<Update> updates = collect(r, s, from, until);
            if (updates.isEmpty()) continue;
            try {
                deliver(env, account, region, s, updates);
            } catch (ServiceException e) {
                LOG.log(System.Logger.Level.WARNING, "metric stream " + s.name + ": delivery to " + s.firehoseArn + " failed: " + e.getMessage());
            }
        }
    }

    /** The minutes in [from, until) of every metric the stream carries. */
    static List<Update> collect(CloudWatchRegion r, MetricStream s, long from, long until) {
        List<Update> out = new ArrayList<>();
        r.metrics.forEach((key, samples) -> {
            if (!s.carries(key)) return;
            TreeMap<Long, Aggregate> minutes = new TreeMap<>();
            synchronized (samples) {
                for (Sample sample : samples) {
                    if (sample.time() < from || sample.time() >= until) continue;
                    minutes.computeIfAbsent(minuteOf(sample.time()), m -> new Aggregate()).add(sample);
                }
            }
            List<String> additional = s.additionalStatistics(key);
            minutes.forEach((minute, aggregate) -> out.add(new Update(key, minute, aggregate, additional)));
        });
        return out;
    }

    private static void deliver(ProviderEnvironment env, String account, String region, MetricStream s, List<Update> updates) {
        List<Record> records = new ArrayList<>();
        for (Update u : updates) records.add(Record.builder().data(encode(s, account, region, u)).build());
        String[] arn = s.firehoseArn.split(":", 6);
        String name = s.firehoseArn.substring(s.firehoseArn.indexOf(":deliverystream/") + ":deliverystream/".length());
        RequestContext ctx = RequestContext.internal(arn.length > 4 ? arn[4] : account, arn.length > 3 ? arn[3] : region, "firehose");
        for (int i = 0; i < records.size(); i += FIREHOSE_BATCH) {
            FirehoseApi.client(env).putRecordBatch(ctx, PutRecordBatchInput.builder().deliveryStreamName(name)
                    .records(records.subList(i, Math.min(records.size(), i + FIREHOSE_BATCH))).build());
        }
    }

    static byte[] encode(MetricStream s, String account, String region, Update u) {
        return switch (s.outputFormat) {
            case "opentelemetry1.0" -> delimited(openTelemetry(s, account, region, u, true));
            case "opentelemetry0.7" -> delimited(openTelemetry(s, account, region, u, false));
            default -> (json(s, account, region, u) + "\n").getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String json(MetricStream s, String account, String region, Update u) {
        ObjectNode line = JSON.createObjectNode().put("metric_stream_name", s.name).put("account_id", account).put("region", region)
                .put("namespace", u.key().namespace()).put("metric_name", u.key().name());
        ObjectNode dims = line.putObject("dimensions");
        for (MetricKey.Dim d : u.key().dimensions()) dims.put(d.name(), d.value());
        line.put("timestamp", u.minute());
        Aggregate a = u.aggregate();
        ObjectNode value = line.putObject("value").put("max", a.max).put("min", a.min).put("sum", a.sum).put("count", a.count);
        for (String stat : u.additional()) {
            Double v = a.statistic(stat);
            if (v != null) value.put(stat.toLowerCase(Locale.ROOT), v);
        }
        line.put("unit", a.unit == null ? "None" : a.unit);
        return line.toString();
    }

    // ---------------------------------------------------------------- OpenTelemetry

    private static byte[] openTelemetry(MetricStream s, String account, String region, Update u, boolean v1) {
        Aggregate a = u.aggregate();
        Proto point = new Proto()
                .fixed64(2, u.minute() * 1_000_000L)            // start_time_unix_nano
                .fixed64(3, (u.minute() + MINUTE) * 1_000_000L) // time_unix_nano
                .fixed64(4, (long) a.count)                     // count
                .dbl(5, a.sum);                                 // sum
        point.msg(6, new Proto().dbl(1, 0.0).dbl(2, a.min));    // quantile_values: the minimum
        for (String stat : u.additional()) {
            Double v = a.statistic(stat);
            String p = stat.toLowerCase(Locale.ROOT);
            if (v == null || !p.startsWith("p")) continue;
            point.msg(6, new Proto().dbl(1, Double.parseDouble(p.substring(1)) / 100.0).dbl(2, v));
        }
        point.msg(6, new Proto().dbl(1, 1.0).dbl(2, a.max));    // the maximum
        if (v1) {
            point.msg(7, attribute("Namespace", u.key().namespace())).msg(7, attribute("MetricName", u.key().name()));
            Proto dims = new Proto();
            for (MetricKey.Dim d : u.key().dimensions()) dims.msg(1, attribute(d.name(), d.value()));
            point.msg(7, new Proto().str(1, "Dimensions").msg(2, new Proto().msg(6, dims)));   // AnyValue.kvlist_value
        } else {
            point.msg(1, label("Namespace", u.key().namespace())).msg(1, label("MetricName", u.key().name()));
            for (MetricKey.Dim d : u.key().dimensions()) point.msg(1, label(d.name(), d.value()));
        }
        Proto metric = new Proto().str(1, "amazonaws.com/" + u.key().namespace() + "/" + u.key().name())
                .str(3, unit(a.unit))
                .msg(11, new Proto().msg(1, point));          // summary (1.0) / double_summary (0.7): data_points
        Proto resource = new Proto().msg(1, attribute("cloud.provider", "aws")).msg(1, attribute("cloud.account.id", account))
                .msg(1, attribute("cloud.region", region)).msg(1, attribute("aws.exporter.arn", s.arn));
        // resource, then scope_metrics (1.0) / instrumentation_library_metrics (0.7): both field 2 holding metrics at 2
        Proto resourceMetrics = new Proto().msg(1, resource).msg(2, new Proto().msg(2, metric));
        return new Proto().msg(1, resourceMetrics).bytes();
    }

    /** A KeyValue with a string AnyValue. */
    private static Proto attribute(String key, String value) {
        return new Proto().str(1, key).msg(2, new Proto().str(1, value));
    }

    /** 0.7's StringKeyValue. */
    private static Proto label(String key, String value) {
        return new Proto().str(1, key).str(2, value);
    }

    /** CloudWatch's unit as a UCUM unit, as the OpenTelemetry formats carry it. */
    private static String unit(String unit) {
        if (unit == null) return "1";
        return switch (unit) {
            case "None", "Count" -> "1";
            case "Seconds" -> "s";
            case "Milliseconds" -> "ms";
            case "Microseconds" -> "us";
            case "Bytes" -> "By";
            case "Kilobytes" -> "kBy";
            case "Megabytes" -> "MBy";
            case "Gigabytes" -> "GBy";
            case "Bits" -> "bit";
            case "Percent" -> "%";
            case "Count/Second" -> "1/s";
            case "Bytes/Second" -> "By/s";
            default -> unit;
        };
    }

    private static byte[] delimited(byte[] message) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(message.length + 5);
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(buf);
            out.writeUInt32NoTag(message.length);
            out.writeRawBytes(message);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // in memory
        }
        return buf.toByteArray();
    }

    /** A protobuf message being written, field by field. */
    private static final class Proto {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(buf);

        Proto str(int field, String v) {
            return write(() -> out.writeString(field, v));
        }

        Proto dbl(int field, double v) {
            return write(() -> out.writeDouble(field, v));
        }

        Proto fixed64(int field, long v) {
            return write(() -> out.writeFixed64(field, v));
        }

        /** An embedded message (length-delimited, like bytes). */
        Proto msg(int field, Proto m) {
            byte[] b = m.bytes();
            return write(() -> out.writeByteArray(field, b));
        }

        byte[] bytes() {
            write(out::flush);
            return buf.toByteArray();
        }

        private interface Write {
            void run() throws IOException;
        }

        private Proto write(Write w) {
            try {
                w.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);   // in memory
            }
            return this;
        }
    }

}
