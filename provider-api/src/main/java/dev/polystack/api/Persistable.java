package dev.polystack.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A provider whose state survives restarts with {@code PERSISTENCE=1}. The gateway's snapshot manager
 * decides when to save, writes atomically, and versions the files; the provider only turns its state
 * into bytes and back. Saving must be safe while requests run (take a consistent copy under the
 * provider's own locks).
 */
public interface Persistable {

    /** Format version of what {@link #saveState} writes; bump it when the format changes. */
    default int stateVersion() {
        return 1;
    }

    /** Writes the whole state to {@code out}; the provider may close it (Jackson does by default). */
    void saveState(OutputStream out) throws IOException;

    /**
     * Called once the bytes of the last {@link #saveState} are safely on disk (renamed into place). A provider
     * that keeps data outside the snapshot (S3's object files) releases here what only older snapshots needed;
     * until then it keeps whatever the snapshot on disk refers to, so that a crash can restore it.
     */
    default void stateSaved() {
    }

    /**
     * Replaces the current state with a saved one written by format {@code version}; the provider may
     * close {@code in}. On failure the manager calls {@link #resetState()}, so a half-read state never serves.
     */
    void loadState(InputStream in, int version) throws IOException;

    /** Drops all state (POST /_localstack/state/reset). */
    void resetState();

    /**
     * Copies of live state objects for a snapshot, each copied under its own monitor (the lock requests hold while
     * they change it), so that a snapshot written while requests run holds every object whole.
     */
    static <T> List<T> copiesUnderLock(Collection<? extends T> live, UnaryOperator<T> copy) {
        List<T> out = new ArrayList<>(live.size());
        for (T item : live) {
            synchronized (item) {
                out.add(copy.apply(item));
            }
        }
        return out;
    }

    /** Refuses a state written in a format version other than the one this provider reads. */
    static void requireVersion(String service, int version, int readable) throws IOException {
        if (version != readable) throw new IOException("unsupported " + service + " state version " + version);
    }
}
