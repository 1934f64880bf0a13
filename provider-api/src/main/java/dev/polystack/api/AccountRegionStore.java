package dev.polystack.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * State kept per account and region, created on first use: the one place every native service keeps
 * its resources, so accounts and regions are isolated by construction.
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
