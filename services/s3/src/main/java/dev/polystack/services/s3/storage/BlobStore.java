package dev.polystack.services.s3.storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where object bytes live. A blob is immutable once written; writes are all-or-nothing: a failed or
 * aborted write leaves nothing behind, and a blob becomes readable only when completely written.
 * Object metadata (which blob belongs to which key) lives elsewhere; publishing the new version after
 * the blob is complete is what makes a PUT atomic.
 */
public interface BlobStore {

    /** Reads {@code in} to its end into a new blob. */
    Blob write(InputStream in) throws IOException;

    /**
     * As {@link #write(InputStream)}, with the body's declared length ({@code -1} when unknown): a store may size
     * its buffers from it. Only a hint: the stream's end decides the blob's size.
     */
    default Blob write(InputStream in, long sizeHint) throws IOException {
        return write(in);
    }

    /**
     * Opens {@code length} bytes from {@code offset}. Throws {@link java.nio.file.NoSuchFileException}
     * when the blob is gone (deleted by a concurrent overwrite: the caller looks the key up again).
     */
    InputStream open(String id, long offset, long length) throws IOException;

    /** Deletes a blob; readers that already opened it finish reading. Unknown ids are ignored. */
    void delete(String id);

    /** Deletes every blob (state reset). */
    void clear();

    /** Whether blobs survive a restart (the on-disk store). */
    boolean durable();

    /** Whether a blob with this id exists (used when restoring state). */
    boolean exists(String id);

    /** A written blob: its id in the store and its size in bytes. */
    record Blob(String id, long size) {
    }
}
