package dev.polystack.services.kinesis;

import java.util.concurrent.ConcurrentSkipListMap;

/** One account's streams in one region. */
public final class KinesisRegion {
    public ConcurrentSkipListMap<String, Stream> streams = new ConcurrentSkipListMap<>();
}
