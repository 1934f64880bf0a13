package dev.polystack.gateway;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids in AWS's UUID form; random enough to be unique, cheaper than SecureRandom per request. */
public final class RequestIds {
    private RequestIds() {
    }

    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
