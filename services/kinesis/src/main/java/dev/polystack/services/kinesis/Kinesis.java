package dev.polystack.services.kinesis;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.ServiceException;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kinesis Data Streams on plain Java values: streams (provisioned and on-demand), shards with hash-key ranges,
 * records with growing sequence numbers, shard iterators of every type, split, merge and UpdateShardCount
 * (closed parents keep their records), retention, encryption, tags, consumers and resource policies.
 */
final class Kinesis {
    static final BigInteger MAX_HASH = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    static final int MAX_RECORD_BYTES = 1024 * 1024;
    static final long ITERATOR_TTL_MS = 300_000;

    final AccountRegionStore<KinesisRegion> store = new AccountRegionStore<>((a, r) -> new KinesisRegion());
    /** One counter for all sequence numbers: they only need to grow within a shard (and compare as numbers). */
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);

    // ---------------------------------------------------------------- errors and names

    static ServiceException invalid(String message) {
        return new ServiceException("InvalidArgumentException", message);
    }

    static ServiceException validation(String message) {
        return new ServiceException("ValidationException", message);
    }

    static ServiceException streamNotFound(String name, String account) {
        return new ServiceException("ResourceNotFoundException", "Stream " + name + " under account " + account + " not found.");
    }

    static String arn(String account, String region, String resource) {
        String partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        return "arn:" + partition + ":kinesis:" + region + ":" + account + ":" + resource;
    }

    /** The stream a request names (StreamName or StreamARN; an ARN may name another account or region). */
    Stream stream(String account, String region, String name, String streamArn) {
        String acc = account, reg = region, n = name;
        if (n == null && streamArn != null) {
            String[] p = streamArn.split(":", 6);
            if (p.length < 6 || !p[5].startsWith("stream/")) throw invalid("Invalid StreamARN " + streamArn);
            reg = p[3];
            acc = p[4];
            String rest = p[5].substring("stream/".length());
            int slash = rest.indexOf('/');
            n = slash < 0 ? rest : rest.substring(0, slash);
        }
        if (n == null) throw validation("Either StreamName or StreamARN should be provided.");
        KinesisRegion r = store.peek(acc, reg);
        Stream s = r == null ? null : r.streams.get(n);
        if (s == null) throw streamNotFound(n, acc);
        return s;
    }

    private String nextSequence() {
        return "49" + String.format("%054d", sequence.incrementAndGet());
    }

    private static String shardId(int index) {
        return String.format("shardId-%012d", index);
    }

    // ---------------------------------------------------------------- streams

    Stream createStream(String account, String region, String name, Integer shardCount, String mode) {
        if (name == null || name.isEmpty() || name.length() > 128 || !name.matches("[a-zA-Z0-9_.-]+")) {
            throw validation("1 validation error detected: Value '" + name + "' at 'streamName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
        boolean onDemand = "ON_DEMAND".equals(mode);
        int shards = shardCount != null ? shardCount : 4;
        if (shards < 1) {
            throw validation("1 validation error detected: Value '" + shards + "' at 'shardCount' failed to satisfy constraint: "
                    + "Member must have value greater than or equal to 1");
        }
        KinesisRegion r = store.get(account, region);
        synchronized (r) {
            if (r.streams.containsKey(name)) {
                throw new ServiceException("ResourceInUseException", "Stream " + name + " under account " + account + " already exists.");
            }
            Stream s = new Stream();
            s.name = name;
            s.arn = arn(account, region, "stream/" + name);
            s.mode = onDemand ? "ON_DEMAND" : "PROVISIONED";
            s.createdAt = System.currentTimeMillis();
            LinkedHashMap<String, Shard> map = new LinkedHashMap<>();
            for (Shard shard : evenShards(s, shards, null)) map.put(shard.shardId, shard);
            s.shards = map;
            r.streams.put(name, s);
            return s;
        }
    }

    /** {@code count} new shards splitting the whole hash-key space evenly. */
    private List<Shard> evenShards(Stream s, int count, List<Shard> parents) {
        List<Shard> out = new ArrayList<>();
        BigInteger width = MAX_HASH.add(BigInteger.ONE).divide(BigInteger.valueOf(count));
        for (int i = 0; i < count; i++) {
            Shard shard = new Shard();
            shard.shardId = shardId(s.nextShardIndex++);
            shard.startingHashKey = width.multiply(BigInteger.valueOf(i));
            shard.endingHashKey = i == count - 1 ? MAX_HASH : width.multiply(BigInteger.valueOf(i + 1)).subtract(BigInteger.ONE);
            shard.startingSequenceNumber = nextSequence();
            shard.createdAt = System.currentTimeMillis();
            if (parents != null) {
                // the parents whose ranges overlap this shard's (AWS names at most two)
                List<Shard> overlapping = parents.stream().filter(p -> p.startingHashKey.compareTo(shard.endingHashKey) <= 0
                        && p.endingHashKey.compareTo(shard.startingHashKey) >= 0).toList();
                if (!overlapping.isEmpty()) shard.parentShardId = overlapping.get(0).shardId;
                if (overlapping.size() > 1) shard.adjacentParentShardId = overlapping.get(1).shardId;
            }
            out.add(shard);
        }
        return out;
    }

    void deleteStream(String account, String region, String name, String streamArn) {
        Stream s = stream(account, region, name, streamArn);
        KinesisRegion r = store.get(s.arn.split(":")[4], s.arn.split(":")[3]);
        synchronized (r) {
            r.streams.remove(s.name);
        }
    }

    List<Stream> listStreams(String account, String region, String exclusiveStart) {
        return store.get(account, region).streams.values().stream()
                .filter(s -> exclusiveStart == null || s.name.compareTo(exclusiveStart) > 0).toList();
    }

    void setRetention(String account, String region, String name, String arn, int hours, boolean increase) {
        Stream s = stream(account, region, name, arn);
        synchronized (s) {
            if (hours < 24) {
                throw invalid("Minimum allowed retention period is 24 hours. Requested retention period (" + hours + " hours) is too short.");
            }
            if (hours > 8760) {
                throw invalid("Maximum allowed retention period is 8760 hours. Requested retention period (" + hours + " hours) is too long.");
            }
            if (increase && hours < s.retentionHours) {
                throw invalid("Requested retention period (" + hours + " hours) for stream " + s.name
                        + " can not be shorter than existing retention period (" + s.retentionHours + " hours). Use DecreaseRetentionPeriod API.");
            }
            if (!increase && hours > s.retentionHours) {
                throw invalid("Requested retention period (" + hours + " hours) for stream " + s.name
                        + " can not be longer than existing retention period (" + s.retentionHours + " hours). Use IncreaseRetentionPeriod API.");
            }
            s.retentionHours = hours;
        }
    }

    void setEncryption(String account, String region, String name, String arn, String type, String keyId) {
        Stream s = stream(account, region, name, arn);
        synchronized (s) {
            s.encryptionType = type == null ? "NONE" : type;
            s.keyId = "NONE".equals(s.encryptionType) ? null : keyId;
        }
    }

    // ---------------------------------------------------------------- records

    /** Where PutRecord put a record. */
    record Placed(String shardId, String sequenceNumber) {
    }

    Placed put(Stream s, byte[] data, String partitionKey, String explicitHashKey) {
        if (partitionKey == null || partitionKey.isEmpty() || partitionKey.length() > 256) {
            throw validation("1 validation error detected: Value '" + partitionKey + "' at 'partitionKey' failed to satisfy constraint: "
                    + "Member must have length " + (partitionKey == null || partitionKey.isEmpty() ? "greater than or equal to 1" : "less than or equal to 256"));
        }
        if (data == null) data = new byte[0];
        if (data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length > MAX_RECORD_BYTES) {
            throw validation("1 validation error detected: Value at 'data' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 1048576");
        }
        BigInteger hash;
        if (explicitHashKey != null) {
            try {
                hash = new BigInteger(explicitHashKey);
            } catch (NumberFormatException e) {
                throw invalid("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was " + explicitHashKey);
            }
            if (hash.signum() < 0 || hash.compareTo(MAX_HASH) > 0) {
                throw invalid("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was " + explicitHashKey);
            }
        } else {
            hash = md5(partitionKey);
        }
        while (true) {
            Shard target = null;
            for (Shard shard : s.shards.values()) {
                if (shard.open() && shard.covers(hash)) {
                    target = shard;
                    break;
                }
            }
            if (target == null) throw new ServiceException("InternalFailure", "No open shard covers the hash key", 500);
            synchronized (target) {
                if (!target.open()) continue; // closed by a reshard meanwhile: pick its child
                String seq = nextSequence();
                target.records.add(new Shard.Record(seq, System.currentTimeMillis(), data, partitionKey));
                return new Placed(target.shardId, seq);
            }
        }
    }

    static BigInteger md5(String key) {
        try {
            return new BigInteger(1, MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Shard shard(Stream s, String shardId) {
        Shard shard = s.shards.get(shardId == null ? "" : shardId);
        if (shard == null) {
            throw new ServiceException("ResourceNotFoundException", "Shard " + shardId + " in stream " + s.name + " under account "
                    + s.arn.split(":")[4] + " does not exist");
        }
        return shard;
    }

    /** An iterator: stream ARN, shard, position (index into the shard's records) and creation time, opaque to clients. */
    String iterator(Stream s, String shardId, String type, String sequenceNumber, Long timestampMs) {
        Shard shard = shard(s, shardId);
        int position;
        switch (type == null ? "" : type) {
            case "TRIM_HORIZON" -> position = 0;
            case "LATEST" -> position = shard.size();
            case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER" -> {
                if (sequenceNumber == null) throw invalid("The StartingSequenceNumber parameter is required for ShardIteratorType " + type + ".");
                BigInteger seq;
                try {
                    seq = new BigInteger(sequenceNumber);
                } catch (NumberFormatException e) {
                    throw validation("1 validation error detected: Value '" + sequenceNumber + "' at 'startingSequenceNumber' failed to satisfy "
                            + "constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})");
                }
                position = shard.indexAtOrAfter(type.equals("AFTER_SEQUENCE_NUMBER") ? seq.add(BigInteger.ONE) : seq);
            }
            case "AT_TIMESTAMP" -> {
                if (timestampMs == null) throw invalid("The Timestamp parameter is required for ShardIteratorType AT_TIMESTAMP.");
                position = shard.indexAtOrAfterTime(timestampMs);
            }
            default -> throw validation("1 validation error detected: Value '" + type + "' at 'shardIteratorType' failed to satisfy "
                    + "constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, AT_TIMESTAMP, LATEST, TRIM_HORIZON]");
        }
        return encodeIterator(s.arn, shard.shardId, position);
    }

    private static String encodeIterator(String streamArn, String shardId, int position) {
        String raw = streamArn + "|" + shardId + "|" + position + "|" + System.currentTimeMillis();
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** GetRecords' answer. {@code nextIterator} is null once a closed shard has been read to its end. */
    record Batch(List<Shard.Record> records, String nextIterator, long millisBehindLatest, List<Shard> childShards) {
    }

    Batch getRecords(String iterator, Integer limit) {
        if (limit != null && (limit < 1 || limit > 10_000)) {
            throw validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy constraint: "
                    + "Member must have value " + (limit < 1 ? "greater than or equal to 1" : "less than or equal to 10000"));
        }
        String[] parts;
        try {
            parts = new String(Base64.getDecoder().decode(iterator == null ? "" : iterator), StandardCharsets.UTF_8).split("\\|");
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid ShardIterator.");
        }
        if (parts.length != 4) throw invalid("Invalid ShardIterator.");
        long created = Long.parseLong(parts[3]);
        long now = System.currentTimeMillis();
        if (now - created > ITERATOR_TTL_MS) {
            throw new ServiceException("ExpiredIteratorException", "Iterator expired. The iterator was created at time "
                    + java.time.Instant.ofEpochMilli(created) + " while right now it is " + java.time.Instant.ofEpochMilli(now)
                    + " which is further in the future than the tolerated delay of " + ITERATOR_TTL_MS + " milliseconds.");
        }
        Stream s = stream(null, null, null, parts[0]);
        Shard shard = shard(s, parts[1]);
        int position = Integer.parseInt(parts[2]);
        List<Shard.Record> records = shard.read(position, limit == null ? 10_000 : limit);
        int next = position + records.size();
        int size = shard.size();
        long behind = 0;
        if (next < size) {
            List<Shard.Record> following = shard.read(next, 1);
            if (!following.isEmpty()) behind = Math.max(0, now - following.get(0).arrival());
        }
        List<Shard> children = List.of();
        String nextIterator = encodeIterator(s.arn, shard.shardId, next);
        if (!shard.open() && next >= size) {
            nextIterator = null;
            children = s.shards.values().stream().filter(c -> shard.shardId.equals(c.parentShardId)
                    || shard.shardId.equals(c.adjacentParentShardId)).toList();
        }
        return new Batch(records, nextIterator, behind, children);
    }

    // ---------------------------------------------------------------- resharding

    void split(String account, String region, String name, String arn, String shardId, String newStartingHashKey) {
        Stream s = stream(account, region, name, arn);
        synchronized (s) {
            Shard parent = shard(s, shardId);
            if (!parent.open()) throw new ServiceException("ResourceInUseException", "Shard " + shardId + " is already closed.");
            BigInteger at;
            try {
                at = new BigInteger(newStartingHashKey == null ? "" : newStartingHashKey);
            } catch (NumberFormatException e) {
                throw invalid("NewStartingHashKey " + newStartingHashKey + " is not a valid hash key.");
            }
            if (at.compareTo(parent.startingHashKey) <= 0 || at.compareTo(parent.endingHashKey) > 0) {
                throw invalid("NewStartingHashKey " + newStartingHashKey + " used in SplitShard() on shard " + shardId + " in stream "
                        + s.name + " under account " + s.arn.split(":")[4] + " is not both greater than one plus the shard's "
                        + "StartingHashKey " + parent.startingHashKey + " and less than the shard's EndingHashKey " + parent.endingHashKey + ".");
            }
            Shard low = child(s, parent, null, parent.startingHashKey, at.subtract(BigInteger.ONE));
            Shard high = child(s, parent, null, at, parent.endingHashKey);
            close(s, List.of(parent), List.of(low, high));
        }
    }

    void merge(String account, String region, String name, String arn, String shardId, String adjacentId) {
        Stream s = stream(account, region, name, arn);
        synchronized (s) {
            Shard a = shard(s, shardId);
            Shard b = shard(s, adjacentId);
            if (!a.open() || !b.open()) throw new ServiceException("ResourceInUseException", "Shards must be open to merge.");
            Shard first = a.startingHashKey.compareTo(b.startingHashKey) < 0 ? a : b;
            Shard second = first == a ? b : a;
            if (!first.endingHashKey.add(BigInteger.ONE).equals(second.startingHashKey)) {
                throw invalid("Shards " + shardId + " and " + adjacentId + " in stream " + s.name + " under account "
                        + s.arn.split(":")[4] + " are not an adjacent pair of shards eligible for merging");
            }
            Shard merged = child(s, a, b, first.startingHashKey, second.endingHashKey);
            close(s, List.of(a, b), List.of(merged));
        }
    }

    void updateShardCount(String account, String region, String name, String arn, int target) {
        Stream s = stream(account, region, name, arn);
        synchronized (s) {
            if (target < 1) {
                throw validation("1 validation error detected: Value '" + target + "' at 'targetShardCount' failed to satisfy "
                        + "constraint: Member must have value greater than or equal to 1");
            }
            List<Shard> open = s.shards.values().stream().filter(Shard::open).toList();
            if (target > open.size() * 2 || target * 2 < open.size()) {
                throw invalid("UpdateShardCount can only double or halve the number of open shards at a time: " + open.size()
                        + " open shards, target " + target + ".");
            }
            close(s, open, evenShards(s, target, open));
        }
    }

    int openShardCount(Stream s) {
        return (int) s.shards.values().stream().filter(Shard::open).count();
    }

    private Shard child(Stream s, Shard parent, Shard adjacent, BigInteger start, BigInteger end) {
        Shard c = new Shard();
        c.shardId = shardId(s.nextShardIndex++);
        c.parentShardId = parent.shardId;
        c.adjacentParentShardId = adjacent == null ? null : adjacent.shardId;
        c.startingHashKey = start;
        c.endingHashKey = end;
        c.createdAt = System.currentTimeMillis();
        return c;
    }

    /** Closes the parents and opens the children (their sequence numbers start after the parents' last). */
    private void close(Stream s, List<Shard> parents, List<Shard> children) {
        for (Shard p : parents) {
            synchronized (p) {
                p.endingSequenceNumber = nextSequence();
            }
        }
        LinkedHashMap<String, Shard> next = new LinkedHashMap<>(s.shards);
        for (Shard c : children) {
            if (c.startingSequenceNumber == null) c.startingSequenceNumber = nextSequence();
            next.put(c.shardId, c);
        }
        s.shards = next;
    }

    // ---------------------------------------------------------------- consumers and tags

    Stream.Consumer registerConsumer(String streamArn, String name) {
        Stream s = stream(null, null, null, streamArn);
        synchronized (s) {
            if (s.consumers.containsKey(name)) {
                throw new ServiceException("ResourceInUseException", "Consumer " + name + " under stream " + s.name + " under account "
                        + s.arn.split(":")[4] + " already exists.");
            }
            long now = System.currentTimeMillis();
            Stream.Consumer c = new Stream.Consumer(name, s.arn + "/consumer/" + name + ":" + now / 1000, now);
            s.consumers.put(name, c);
            return c;
        }
    }

    /** A consumer by ARN, or by stream ARN and name. */
    Map.Entry<Stream, Stream.Consumer> consumer(String streamArn, String name, String consumerArn) {
        if (consumerArn != null) {
            int at = consumerArn.indexOf("/consumer/");
            if (at < 0) throw invalid("Invalid ConsumerARN " + consumerArn);
            Stream s = stream(null, null, null, consumerArn.substring(0, at));
            for (Stream.Consumer c : s.consumers.values()) if (c.arn().equals(consumerArn)) return Map.entry(s, c);
            throw new ServiceException("ResourceNotFoundException", "Consumer " + consumerArn + " not found.");
        }
        Stream s = stream(null, null, null, streamArn);
        Stream.Consumer c = s.consumers.get(name == null ? "" : name);
        if (c == null) {
            throw new ServiceException("ResourceNotFoundException", "Consumer " + name + " under stream " + s.name + " under account "
                    + s.arn.split(":")[4] + " not found.");
        }
        return Map.entry(s, c);
    }

    void deregisterConsumer(String streamArn, String name, String consumerArn) {
        Map.Entry<Stream, Stream.Consumer> e = consumer(streamArn, name, consumerArn);
        synchronized (e.getKey()) {
            e.getKey().consumers.remove(e.getValue().name());
        }
    }

    void tag(Stream s, Map<String, String> tags) {
        synchronized (s) {
            if (s.tags.size() + tags.keySet().stream().filter(k -> !s.tags.containsKey(k)).count() > 50) {
                throw invalid("Failed to add tags to stream " + s.name + " under account " + s.arn.split(":")[4]
                        + " because a given stream cannot have more than 50 tags associated with it.");
            }
            s.tags.putAll(tags);
        }
    }

    void untag(Stream s, List<String> keys) {
        synchronized (s) {
            keys.forEach(s.tags::remove);
        }
    }
}
