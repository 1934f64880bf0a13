package dev.polystack.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * State kept per account and region, created on first use: the one place every native service keeps
 * its resources, so accounts and regions are isolated by construction. Where AWS is global per account
 * (IAM's users and roles are the same in every region of a partition) a service uses {@link #global}: the
 * same store, under a region key of its own, so listing and persistence need nothing special. (S3 bucket
 * names are global per partition across accounts as well: S3 keeps one bucket namespace per partition.)
 *
 * @param <T> the service's per-region state (queues, topics, keys ...)
 */
public final class AccountRegionStore<T> {
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, T>> byAccount = new ConcurrentHashMap<>();
    private final BiFunction<String, String, T> factory;

    /** @param factory makes the empty state for (accountId, region) */
    public AccountRegionStore(BiFunction<String, String, T> factory) {
        this.factory = factory;
    }

    public T get(String accountId, String region) {
        return byAccount.computeIfAbsent(accountId, a -> new ConcurrentHashMap<>())
                .computeIfAbsent(region, r -> factory.apply(accountId, r));
    }

    public T get(RequestContext context) {
        return get(context.accountId(), context.region());
    }

    /** The region key of an account's global state in a partition: {@code global:aws}, {@code global:aws-cn} ... */
    public static String globalScope(String partition) {
        return "global:" + partition;
    }

    /** The caller account's state for a service AWS keeps global (IAM): one per partition, whatever the region. */
    public T global(RequestContext context) {
        return get(context.accountId(), globalScope(context.partition()));
    }

    /** The state if it exists, else null (no creation). */
    public T peek(String accountId, String region) {
        Map<String, T> regions = byAccount.get(accountId);
        return regions == null ? null : regions.get(region);
    }

    /** account → region → state; live view. */
    public Map<String, ConcurrentHashMap<String, T>> all() {
        return byAccount;
    }

    /** Puts restored state in place (persistence). */
    public void put(String accountId, String region, T state) {
        byAccount.computeIfAbsent(accountId, a -> new ConcurrentHashMap<>()).put(region, state);
    }

    public void clear() {
        byAccount.clear();
    }
}
