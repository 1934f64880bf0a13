package dev.polystack.services.s3;

import dev.polystack.api.Config;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.ServiceProvider;
import dev.polystack.services.s3.storage.BlobStore;
import dev.polystack.services.s3.storage.DiskBlobStore;
import dev.polystack.services.s3.storage.MemoryBlobStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Creates the native S3 provider. Object bytes go to the on-disk store under the data directory with
 * {@code PERSISTENCE=1} or {@code S3_STORAGE=disk}; otherwise to the in-memory store, which spills
 * objects over {@code S3_MAX_IN_MEMORY_OBJECT_SIZE} bytes (default 1 MiB) or past a quarter of the heap
 * to a temporary directory.
 */
public final class S3ProviderFactory implements ProviderFactory {
    static final int DEFAULT_MAX_IN_MEMORY = 1024 * 1024;

    @Override
    public String kind() {
        return "native";
    }

    @Override
    public Set<String> services() {
        return Set.of("s3");
    }

    @Override
    public ServiceProvider create(String service, ProviderEnvironment environment) {
        return new S3Provider(blobStore(environment.config(), environment), environment);
    }

    static BlobStore blobStore(Config config, ProviderEnvironment environment) {
        String storage = config.get("S3_STORAGE", config.flag("PERSISTENCE") ? "disk" : "memory").toLowerCase(Locale.ROOT);
        if (storage.equals("disk")) return new DiskBlobStore(environment.dataDirectory("s3"));
        try {
            Path spill = Files.createTempDirectory("polystack-s3-");
            spill.toFile().deleteOnExit();
            return new MemoryBlobStore(spill, config.integer("S3_MAX_IN_MEMORY_OBJECT_SIZE", DEFAULT_MAX_IN_MEMORY),
                    Runtime.getRuntime().maxMemory() / 4);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
