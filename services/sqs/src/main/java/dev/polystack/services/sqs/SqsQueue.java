package dev.polystack.services.sqs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The queue engine: one queue's messages and their delivery state, guarded by one lock.
 *
 * <p>Timed transitions (delays, visibility timeouts, retention) are applied lazily: every operation
 * first calls {@link #refresh} which moves due messages from the timer heap back to visible. Nothing
 * runs in the background, so an idle queue costs nothing. Long polls wait on a {@link Condition}
 * with a timeout no later than the next timer; callers run on virtual threads, which unmount while
 * waiting (no platform thread is held).
 *
 * <p>Standard queues serve visible messages from a deque. FIFO queues keep each message group's
 * messages in send order and serve a group from its head up to the first message that is not visible:
 * while the head is in flight nothing of the group is served (no two consumers get one group at once,
 * order within the group holds); once it is visible again (its timeout lapsed) it is served again even
 * if later messages are still in flight, as AWS does.
 */
final class SqsQueue {
    /** What one receive hands out: an immutable view of the message at receive time. */
    record Delivery(SqsMessage message, String receiptHandle, int receiveCount, long firstReceiveTimestamp,
                    String sequenceNumber) {
    }

    /** What SendMessage answers; for a FIFO duplicate, the original's id and sequence number. */
    record SendResult(String messageId, String sequenceNumber) {
    }

    /** Approximate counts, for queue attributes. */
    record Counts(int visible, int inflight, int delayed) {
    }

    private record Timer(long at, SqsMessage message, long stamp) {
    }

    /** A visible message of a standard queue; {@code order} is its arrival in this queue. */
    private record ReadyEntry(SqsMessage message, long stamp, long order) {
    }

    private record DedupEntry(long expiresAt, String messageId, String sequenceNumber) {
    }

    private record ReceiveAttempt(long expiresAt, List<Delivery> deliveries) {
    }

    /** One FIFO message group: its undeleted messages in send order. */
    private static final class MessageGroup {
        final ArrayDeque<SqsMessage> messages = new ArrayDeque<>();
    }

    final String name;
    final String accountId;
    final String region;
    final String arn;
    final boolean fifo;
    final long createdTimestamp;

    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private int waiters;
    private boolean deleted;
    /** A copy of the RedriveAllowPolicy attribute, read lock-free by queues that name this one as their DLQ. */
    volatile String redriveAllowPolicy;

    private final QueueAttributes attributes;
    private long lastModifiedTimestamp;
    private final TreeMap<String, String> tags = new TreeMap<>();

    /** Every live message by id, in arrival order (retention expiry scans from the front). */
    private final LinkedHashMap<String, SqsMessage> messages = new LinkedHashMap<>();
    /**
     * Visible messages of a standard queue, oldest arrival first: a message whose visibility timeout ran out
     * is served before messages sent after it, as AWS serves them.
     */
    private final PriorityQueue<ReadyEntry> ready = new PriorityQueue<>((a, b) -> Long.compare(a.order, b.order));
    private long arrivals;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    private final LinkedHashMap<String, MessageGroup> groups = new LinkedHashMap<>();
    private final LinkedHashMap<String, DedupEntry> deduplication = new LinkedHashMap<>();
    private final Map<String, ReceiveAttempt> receiveAttempts = new LinkedHashMap<>();
    private long sequence;
    private int visibleCount;
    private int inflightCount;
    private int delayedCount;
    private long lastPurge;

    SqsQueue(String name, String accountId, String region, String partition, boolean fifo, LongSupplier clock) {
        this(name, accountId, region, partition, fifo, clock, clock.getAsLong() / 1000);
    }

    /** @param createdTimestamp epoch seconds (restoring a saved queue) */
    SqsQueue(String name, String accountId, String region, String partition, boolean fifo, LongSupplier clock,
             long createdTimestamp) {
        this.name = name;
        this.accountId = accountId;
        this.region = region;
        this.arn = "arn:" + partition + ":sqs:" + region + ":" + accountId + ":" + name;
        this.fifo = fifo;
        this.clock = clock;
        long now = clock.getAsLong();
        this.createdTimestamp = createdTimestamp;
        this.lastModifiedTimestamp = createdTimestamp;
        this.attributes = new QueueAttributes(fifo);
        this.sequence = now * 1_000_000L;
    }

    long now() {
        return clock.getAsLong();
    }

    // ---------------------------------------------------------------- attributes and tags

    void setAttributes(Map<String, String> changes, boolean creating, Function<String, SqsQueue> queueByArn) {
        lock.lock();
        try {
            attributes.apply(changes, creating, queueByArn, arn);
            redriveAllowPolicy = attributes.get("RedriveAllowPolicy");
            if (!creating) lastModifiedTimestamp = now() / 1000;
        } finally {
            lock.unlock();
        }
    }

    String firstDifference(Map<String, String> requested) {
        lock.lock();
        try {
            return attributes.firstDifference(requested);
        } finally {
            lock.unlock();
        }
    }

    String attribute(String name) {
        lock.lock();
        try {
            return attributes.get(name);
        } finally {
            lock.unlock();
        }
    }

    QueueAttributes.Redrive redrive() {
        lock.lock();
        try {
            return attributes.redrive;
        } finally {
            lock.unlock();
        }
    }

    /** Stored and computed attributes, name-ordered. */
    Map<String, String> allAttributes() {
        lock.lock();
        try {
            refresh(now());
            Map<String, String> out = new TreeMap<>(attributes.all());
            out.put("ApproximateNumberOfMessages", String.valueOf(visibleCount));
            out.put("ApproximateNumberOfMessagesNotVisible", String.valueOf(inflightCount));
            out.put("ApproximateNumberOfMessagesDelayed", String.valueOf(delayedCount));
            out.put("CreatedTimestamp", String.valueOf(createdTimestamp));
            out.put("LastModifiedTimestamp", String.valueOf(lastModifiedTimestamp));
            out.put("QueueArn", arn);
            return out;
        } finally {
            lock.unlock();
        }
    }

    Counts counts() {
        lock.lock();
        try {
            refresh(now());
            return new Counts(visibleCount, inflightCount, delayedCount);
        } finally {
            lock.unlock();
        }
    }

    Map<String, String> tags() {
        lock.lock();
        try {
            return new TreeMap<>(tags);
        } finally {
            lock.unlock();
        }
    }

    void tag(Map<String, String> add) {
        lock.lock();
        try {
            tags.putAll(add);
        } finally {
            lock.unlock();
        }
    }

    void untag(List<String> keys) {
        lock.lock();
        try {
            keys.forEach(tags::remove);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- sending

    /**
     * Enqueues a message validated by the caller. {@code delaySeconds} null: the queue's delay.
     * FIFO: {@code groupId} required (checked by the caller), {@code deduplicationId} already resolved.
     */
    SendResult send(SqsMessage draft, Integer delaySeconds) {
        lock.lock();
        try {
            long now = now();
            refresh(now);
            if (fifo) {
                String key = attributes.deduplicationPerGroup ? draft.groupId + '\u0000' + draft.deduplicationId
                        : draft.deduplicationId;
                DedupEntry seen = deduplication.get(key);
                if (seen != null && seen.expiresAt > now) return new SendResult(seen.messageId, seen.sequenceNumber);
                draft.sequenceNumber = nextSequenceNumber();
                deduplication.remove(key);
                deduplication.put(key, new DedupEntry(now + SqsLimits.DEDUPLICATION_INTERVAL_MILLIS,
                        draft.messageId, draft.sequenceNumber));
            }
            int delay = delaySeconds != null ? delaySeconds : attributes.delaySeconds;
            insert(draft, delay, now);
            return new SendResult(draft.messageId, draft.sequenceNumber);
        } finally {
            lock.unlock();
        }
    }

    /** Takes in a message from another queue (dead-letter redrive, move task), visible at once, no deduplication. */
    void enqueueMoved(SqsMessage message) {
        lock.lock();
        try {
            long now = now();
            refresh(now);
            if (fifo) message.sequenceNumber = nextSequenceNumber();
            insert(message, 0, now);
        } finally {
            lock.unlock();
        }
    }

    private void insert(SqsMessage m, int delaySeconds, long now) {
        messages.put(m.messageId, m);
        m.arrival = ++arrivals;
        if (fifo) groups.computeIfAbsent(groupOf(m), g -> new MessageGroup()).messages.addLast(m);
        if (delaySeconds > 0) {
            m.state = SqsMessage.State.DELAYED;
            m.visibleAt = now + delaySeconds * 1000L;
            m.stamp++;
            delayedCount++;
            schedule(m, m.visibleAt);
        } else {
            m.state = SqsMessage.State.DELAYED; // transient: makeVisible counts it from delayed
            delayedCount++;
            makeVisible(m);
        }
    }

    private String nextSequenceNumber() {
        return String.format("%020d", ++sequence);
    }

    private static String groupOf(SqsMessage m) {
        return m.groupId != null ? m.groupId : m.messageId;
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Receives up to {@code max} messages, waiting up to {@code waitSeconds} for the first one.
     *
     * @param visibilityTimeout null: the queue's
     * @param attemptId         FIFO ReceiveRequestAttemptId, or null
     * @param queueByArn        finds the dead-letter queue
     */
    List<Delivery> receive(int max, Integer visibilityTimeout, int waitSeconds, String attemptId,
                           Function<String, SqsQueue> queueByArn) {
        return receive(max, visibilityTimeout, waitSeconds, attemptId, queueByArn, false);
    }

    /**
     * @param waitForMax keep long-polling until {@code max} messages are taken or the wait ends (LocalStack's
     *                   {@code x-localstack-sqs-override-wait-time-seconds}); otherwise the first message ends the wait
     */
    List<Delivery> receive(int max, Integer visibilityTimeout, int waitSeconds, String attemptId,
                           Function<String, SqsQueue> queueByArn, boolean waitForMax) {
        long deadline = now() + waitSeconds * 1000L;
        List<Delivery> out = new ArrayList<>(Math.min(max, 10));
        while (true) {
            List<SqsMessage> deadLetters = null;
            SqsQueue dlq = null;
            lock.lock();
            try {
                long now = now();
                refresh(now);
                if (attemptId != null && fifo) {
                    List<Delivery> again = repeatAttempt(attemptId, now);
                    if (again != null) return again;
                }
                int timeout = visibilityTimeout != null ? visibilityTimeout : attributes.visibilityTimeout;
                QueueAttributes.Redrive redrive = attributes.redrive;
                if (redrive != null) {
                    dlq = queueByArn.apply(redrive.deadLetterTargetArn());
                    if (dlq == this) dlq = null;
                }
                deadLetters = fifo ? takeFifo(max, timeout, now, redrive, dlq, out)
                        : takeStandard(max, timeout, now, redrive, dlq, out);
                if (attemptId != null && fifo && !out.isEmpty()) {
                    receiveAttempts.put(attemptId, new ReceiveAttempt(now + SqsLimits.DEDUPLICATION_INTERVAL_MILLIS,
                            List.copyOf(out)));
                }
                if ((out.isEmpty() || (waitForMax && out.size() < max)) && deadLetters == null && !deleted && now < deadline) {
                    long waitMillis = deadline - now;
                    Timer next = timers.peek();
                    if (next != null) waitMillis = Math.min(waitMillis, Math.max(1, next.at - now));
                    waiters++;
                    try {
                        available.await(waitMillis, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return out;
                    } finally {
                        waiters--;
                    }
                    continue;
                }
            } finally {
                lock.unlock();
            }
            if (deadLetters != null) {
                for (SqsMessage m : deadLetters) dlq.enqueueMoved(m.copyFor(arn));
                if ((out.isEmpty() || (waitForMax && out.size() < max)) && now() < deadline) continue;
            }
            return out;
        }
    }

    private List<SqsMessage> takeStandard(int max, int timeout, long now, QueueAttributes.Redrive redrive,
                                          SqsQueue dlq, List<Delivery> out) {
        List<SqsMessage> deadLetters = null;
        while (out.size() < max && !ready.isEmpty()) {
            ReadyEntry e = ready.poll();
            SqsMessage m = e.message;
            if (m.stamp != e.stamp || m.state != SqsMessage.State.VISIBLE) continue;
            if (dlq != null && m.receiveCount >= redrive.maxReceiveCount()) {
                remove(m);
                if (deadLetters == null) deadLetters = new ArrayList<>();
                deadLetters.add(m);
                continue;
            }
            out.add(deliver(m, timeout, now));
        }
        return deadLetters;
    }

    private List<SqsMessage> takeFifo(int max, int timeout, long now, QueueAttributes.Redrive redrive,
                                      SqsQueue dlq, List<Delivery> out) {
        List<SqsMessage> deadLetters = null;
        List<String> served = null;
        for (Iterator<Map.Entry<String, MessageGroup>> it = groups.entrySet().iterator();
             it.hasNext() && out.size() < max; ) {
            Map.Entry<String, MessageGroup> g = it.next();
            MessageGroup group = g.getValue();
            boolean took = false;
            for (Iterator<SqsMessage> ms = group.messages.iterator(); ms.hasNext() && out.size() < max; ) {
                SqsMessage m = ms.next();
                if (m.state != SqsMessage.State.VISIBLE) break; // in flight or delayed: the rest of the group waits
                if (dlq != null && m.receiveCount >= redrive.maxReceiveCount()) {
                    ms.remove();
                    removeFromState(m);
                    if (deadLetters == null) deadLetters = new ArrayList<>();
                    deadLetters.add(m);
                    continue;
                }
                out.add(deliver(m, timeout, now));
                took = true;
            }
            if (group.messages.isEmpty()) it.remove();
            else if (took) {
                if (served == null) served = new ArrayList<>();
                served.add(g.getKey());
            }
        }
        // Groups just served go to the back, so other groups get their turn next time.
        if (served != null) {
            for (String id : served) {
                MessageGroup group = groups.remove(id);
                if (group != null) groups.put(id, group);
            }
        }
        return deadLetters;
    }

    private Delivery deliver(SqsMessage m, int timeout, long now) {
        m.receiveCount++;
        if (m.firstReceiveTimestamp == 0) m.firstReceiveTimestamp = now;
        m.receiptHandle = newReceiptHandle(m);
        m.lastReceivedAt = now;
        visibleCount--;
        inflightCount++;
        m.state = SqsMessage.State.INFLIGHT;
        m.visibleAt = now + timeout * 1000L;
        m.stamp++;
        schedule(m, m.visibleAt);
        return new Delivery(m, m.receiptHandle, m.receiveCount, m.firstReceiveTimestamp, m.sequenceNumber);
    }

    private List<Delivery> repeatAttempt(String attemptId, long now) {
        receiveAttempts.values().removeIf(a -> a.expiresAt <= now);
        ReceiveAttempt attempt = receiveAttempts.get(attemptId);
        if (attempt == null) return null;
        for (Delivery d : attempt.deliveries) {
            SqsMessage m = d.message();
            if (m.state != SqsMessage.State.INFLIGHT || !d.receiptHandle().equals(m.receiptHandle)) {
                receiveAttempts.remove(attemptId);
                return null;
            }
        }
        return attempt.deliveries;
    }

    // ---------------------------------------------------------------- receipt handles

    private String newReceiptHandle(SqsMessage m) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String raw = Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()) + ' ' + m.messageId + ' ' + arn;
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The message id a receipt handle of this queue refers to; throws ReceiptHandleIsInvalid otherwise. */
    private String messageIdOf(String handle) {
        String raw;
        try {
            raw = new String(Base64.getDecoder().decode(handle), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SqsErrors.receiptHandleIsInvalid(handle);
        }
        int first = raw.indexOf(' ');
        int second = first < 0 ? -1 : raw.indexOf(' ', first + 1);
        if (second < 0 || !raw.substring(second + 1).equals(arn)) throw SqsErrors.receiptHandleIsInvalid(handle);
        return raw.substring(first + 1, second);
    }

    /** Throws when {@code handle} is malformed or belongs to another queue. */
    void checkReceiptHandle(String handle) {
        messageIdOf(handle);
    }

    // ---------------------------------------------------------------- deleting and visibility

    void delete(String handle) {
        String id = messageIdOf(handle);
        lock.lock();
        try {
            refresh(now());
            SqsMessage m = messages.get(id);
            if (m == null) return; // already deleted: SQS answers success
            if (fifo && (m.state != SqsMessage.State.INFLIGHT || !handle.equals(m.receiptHandle))) {
                throw SqsErrors.receiptHandleExpired(handle);
            }
            remove(m);
        } finally {
            lock.unlock();
        }
    }

    void changeVisibility(String handle, int timeoutSeconds) {
        String id = messageIdOf(handle);
        lock.lock();
        try {
            long now = now();
            refresh(now);
            SqsMessage m = messages.get(id);
            if (m == null) {
                throw SqsErrors.invalidParameter("ReceiptHandle", handle,
                        "Message does not exist or is not available for visibility timeout change.");
            }
            boolean current = handle.equals(m.receiptHandle);
            if (fifo && (m.state != SqsMessage.State.INFLIGHT || !current)) throw SqsErrors.receiptHandleExpired(handle);
            // Standard queues: any receipt handle of the message changes its current visibility (an earlier
            // one too, as on AWS); a message that is not in flight is left as it is and the call succeeds.
            if (m.state != SqsMessage.State.INFLIGHT) return;
            long visibleAt = now + timeoutSeconds * 1000L;
            if (visibleAt - m.lastReceivedAt > SqsLimits.MAX_VISIBILITY_TIMEOUT * 1000L) {
                throw SqsErrors.invalidParameter("VisibilityTimeout", timeoutSeconds,
                        "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]");
            }
            if (timeoutSeconds == 0) {
                makeVisible(m);
            } else {
                m.visibleAt = visibleAt;
                m.stamp++;
                schedule(m, visibleAt);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops every message; PurgeQueueInProgress within 60 s of the previous purge. */
    void purge() {
        lock.lock();
        try {
            long now = now();
            if (lastPurge != 0 && now - lastPurge < SqsLimits.PURGE_INTERVAL_MILLIS) throw SqsErrors.purgeInProgress(name);
            lastPurge = now;
            for (SqsMessage m : messages.values()) {
                m.state = SqsMessage.State.DELETED;
                m.stamp++;
            }
            messages.clear();
            ready.clear();
            timers.clear();
            groups.clear();
            receiveAttempts.clear();
            deduplication.clear(); // AWS forgets deduplication ids on purge: the same id may be sent again at once
            visibleCount = inflightCount = delayedCount = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the queue gone and wakes its long polls (they return empty). */
    void markDeleted() {
        lock.lock();
        try {
            deleted = true;
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to {@code max} visible messages out of the queue (move tasks), in order. */
    List<SqsMessage> takeForMove(int max) {
        lock.lock();
        try {
            refresh(now());
            List<SqsMessage> out = new ArrayList<>();
            for (Iterator<SqsMessage> it = messages.values().iterator(); it.hasNext() && out.size() < max; ) {
                SqsMessage m = it.next();
                if (m.state != SqsMessage.State.VISIBLE) continue;
                it.remove();
                removeFromState(m);
                if (fifo) {
                    MessageGroup g = groups.get(groupOf(m));
                    if (g != null) {
                        g.messages.remove(m);
                        if (g.messages.isEmpty()) groups.remove(groupOf(m));
                    }
                }
                out.add(m);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** All live messages with their state, without changing anything (the internal peek endpoint). */
    List<SqsMessage> peek() {
        lock.lock();
        try {
            refresh(now());
            return new ArrayList<>(messages.values());
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- state transitions (lock held)

    /**
     * Arms a timer for the message's current state. Timers are never removed when a message is deleted or
     * re-timed (they are skipped by stamp when due), so once stale ones outnumber the live ones they are dropped:
     * otherwise a busy queue keeps every deleted message reachable until its old visibility timeout ends
     * (tens of thousands of them at a few thousand round trips/s), which the young GC copies again and again.
     */
    private void schedule(SqsMessage m, long at) {
        timers.add(new Timer(at, m, m.stamp));
        if (timers.size() > 2 * (inflightCount + delayedCount) + 64) timers.removeIf(t -> !isLive(t));
    }

    /** Timers held, live or stale (tests check that deleted messages do not pile up in them). */
    int heldTimers() {
        lock.lock();
        try {
            return timers.size();
        } finally {
            lock.unlock();
        }
    }

    private static boolean isLive(Timer t) {
        SqsMessage m = t.message;
        return m.stamp == t.stamp && (m.state == SqsMessage.State.DELAYED || m.state == SqsMessage.State.INFLIGHT);
    }

    /** Applies due timers, retention expiry and deduplication expiry. */
    private void refresh(long now) {
        Timer t;
        while ((t = timers.peek()) != null && t.at <= now) {
            timers.poll();
            if (isLive(t)) makeVisible(t.message);
        }
        long retentionMillis = attributes.retentionPeriod * 1000L;
        while (!messages.isEmpty()) {
            SqsMessage oldest = messages.values().iterator().next();
            if (oldest.sentTimestamp + retentionMillis > now) break;
            remove(oldest);
        }
        while (!deduplication.isEmpty()) {
            Map.Entry<String, DedupEntry> first = deduplication.entrySet().iterator().next();
            if (first.getValue().expiresAt > now) break;
            deduplication.remove(first.getKey());
        }
    }

    private void makeVisible(SqsMessage m) {
        if (m.state == SqsMessage.State.DELAYED) delayedCount--;
        else if (m.state == SqsMessage.State.INFLIGHT) {
            inflightCount--;
        }
        visibleCount++;
        m.state = SqsMessage.State.VISIBLE;
        m.visibleAt = 0;
        m.stamp++;
        if (!fifo) ready.add(new ReadyEntry(m, m.stamp, m.arrival));
        if (waiters > 0) available.signalAll();
    }

    private void remove(SqsMessage m) {
        messages.remove(m.messageId);
        if (fifo) {
            String id = groupOf(m);
            MessageGroup g = groups.get(id);
            if (g != null) {
                g.messages.remove(m);
                if (g.messages.isEmpty()) groups.remove(id);
            }
            // Deleting the in-flight message may free its group for waiting consumers.
            if (m.state == SqsMessage.State.INFLIGHT && waiters > 0) available.signalAll();
        }
        removeFromState(m);
    }

    /** Counts and state only; the caller has taken the message out of any group deque. */
    private void removeFromState(SqsMessage m) {
        switch (m.state) {
            case VISIBLE -> visibleCount--;
            case INFLIGHT -> inflightCount--;
            case DELAYED -> delayedCount--;
            default -> {
            }
        }
        messages.remove(m.messageId);
        m.state = SqsMessage.State.DELETED;
        m.stamp++;
    }

    // ---------------------------------------------------------------- persistence

    /** A consistent copy of this queue's state. */
    SqsState.QueueState save() {
        lock.lock();
        try {
            List<SqsState.MessageState> ms = new ArrayList<>(messages.size());
            for (SqsMessage m : messages.values()) ms.add(SqsState.MessageState.of(m));
            Map<String, SqsState.DedupState> dedup = new LinkedHashMap<>();
            deduplication.forEach((k, v) -> dedup.put(k, new SqsState.DedupState(v.expiresAt, v.messageId, v.sequenceNumber)));
            return new SqsState.QueueState(name, fifo, createdTimestamp, lastModifiedTimestamp, attributes.all(),
                    new TreeMap<>(tags), ms, dedup, sequence, lastPurge);
        } finally {
            lock.unlock();
        }
    }

    void restore(SqsState.QueueState s) {
        lock.lock();
        try {
            attributes.restore(s.attributes());
            redriveAllowPolicy = attributes.get("RedriveAllowPolicy");
            lastModifiedTimestamp = s.lastModifiedTimestamp();
            tags.putAll(s.tags());
            sequence = s.sequence();
            lastPurge = s.lastPurge();
            s.deduplication().forEach((k, v) -> deduplication.put(k, new DedupEntry(v.expiresAt(), v.messageId(), v.sequenceNumber())));
            for (SqsState.MessageState ms : s.messages()) {
                SqsMessage m = ms.toMessage();
                messages.put(m.messageId, m);
                m.arrival = ++arrivals;
                if (fifo) groups.computeIfAbsent(groupOf(m), g -> new MessageGroup()).messages.addLast(m);
                SqsMessage.State state = SqsMessage.State.valueOf(ms.state());
                if (state == SqsMessage.State.VISIBLE) {
                    m.state = SqsMessage.State.DELAYED;
                    delayedCount++;
                    makeVisible(m);
                } else {
                    m.state = state;
                    m.visibleAt = ms.visibleAt();
                    m.stamp++;
                    if (state == SqsMessage.State.INFLIGHT) {
                        inflightCount++;
                    } else {
                        delayedCount++;
                    }
                    schedule(m, m.visibleAt);
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
