package dev.polystack.services.s3.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Blobs as files: {@code <root>/blobs/<2 chars>/<id>}. A write goes to {@code <root>/tmp/} first and is
 * renamed into place when complete (atomic on one file system), so a crash or a broken upload never
 * leaves a partial blob under {@code blobs/}. Leftover temporary files are removed at start.
 *
 * <p>Snapshot safety (PERSISTENCE): object metadata lives in the last saved snapshot, bytes live here. A blob
 * that snapshot refers to must survive its object's overwrite or deletion until a newer snapshot no longer
 * refers to it, or a kill -9 before the next save would restore metadata whose bytes are gone. So
 * {@link #delete} holds such blobs back, and so it does while a save is being written (the save may
 * have listed the blob just before its object changed); {@link #snapshotSaved} releases what the new
 * snapshot no longer needs.
 */
public final class DiskBlobStore implements BlobStore {
    /** Large runs: fewer system calls, and the digesting stream above computes its checksums in large runs. */
    private static final int BUFFER = 512 * 1024;
    private final Path blobs;
    private final Path tmp;
    private final Object retention = new Object();
    /** Blobs the snapshot on disk refers to (guarded by {@link #retention}). */
    private Set<String> inSnapshot = Set.of();
    /** Blobs deleted by S3 but kept for the snapshot on disk or the one being written. */
    private final Set<String> held = new HashSet<>();
    private boolean saving;
    /** What the snapshot being written refers to, until it is safely on disk. */
    private Set<String> beingSaved;

    public DiskBlobStore(Path root) {
        this.blobs = root.resolve("blobs");
        this.tmp = root.resolve("tmp");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(tmp);
            deleteTree(tmp, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare S3 data directory " + root, e);
        }
    }

    @Override
    public Blob write(InputStream in) throws IOException {
        String id = UUID.randomUUID().toString().replace("-", "");
        Path temp = tmp.resolve(id);
        long size = 0;
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    size += n;
                }
            }
            Path target = path(id);
            Files.createDirectories(target.getParent());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return new Blob(id, size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    @Override
    public InputStream open(String id, long offset, long length) throws IOException {
        FileChannel ch = FileChannel.open(path(id), StandardOpenOption.READ);
        try {
            ch.position(offset);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new BoundedInputStream(Channels.newInputStream(ch), length);
    }

    @Override
    public void delete(String id) {
        synchronized (retention) {
            if (saving || inSnapshot.contains(id)) {
                held.add(id);
                return;
            }
        }
        deleteFile(id);
    }

    /** A snapshot starts listing the state: from now on deleted blobs are held until it is on disk. */
    public void snapshotStarting() {
        synchronized (retention) {
            saving = true;
        }
    }

    /** The snapshot being written refers to these blobs (it is not on disk yet). */
    public void snapshotListed(Set<String> referenced) {
        synchronized (retention) {
            beingSaved = referenced;
        }
    }

    /**
     * The snapshot listed last is safely on disk: held blobs it does not refer to are deleted. Until this
     * is called (a save that failed) deletions stay held, which costs disk space only.
     */
    public void snapshotSaved() {
        List<String> release = new ArrayList<>();
        synchronized (retention) {
            if (beingSaved == null) return;
            inSnapshot = beingSaved;
            beingSaved = null;
            saving = false;
            for (Iterator<String> it = held.iterator(); it.hasNext(); ) {
                String id = it.next();
                if (!inSnapshot.contains(id)) {
                    release.add(id);
                    it.remove();
                }
            }
        }
        release.forEach(this::deleteFile);
    }

    /**
     * State was restored from a snapshot referring to {@code referenced}: other blobs (written after that
     * save, before a crash) are deleted, and these are kept for as long as that snapshot is the one on disk.
     */
    public int restored(Set<String> referenced) throws IOException {
        synchronized (retention) {
            inSnapshot = Set.copyOf(referenced);
            held.clear();
        }
        return deleteUnreferenced(referenced);
    }

    private void deleteFile(String id) {
        try {
            Files.deleteIfExists(path(id));
        } catch (IOException ignored) {
            // a leftover file costs disk space only; metadata no longer points at it
        }
    }

    /** Deletes every blob, except those the snapshot on disk (or one being written) still refers to: held. */
    @Override
    public void clear() {
        try {
            Files.walkFileTree(blobs, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    delete(file.getFileName().toString());
                    return FileVisitResult.CONTINUE;
                }
            });
            deleteTree(tmp, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public boolean exists(String id) {
        return Files.exists(path(id));
    }

    /** Deletes blob files no metadata refers to (after a crash between blob write and state save). */
    private int deleteUnreferenced(Set<String> referenced) throws IOException {
        int[] removed = {0};
        Files.walkFileTree(blobs, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!referenced.contains(file.getFileName().toString())) {
                    Files.deleteIfExists(file);
                    removed[0]++;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return removed[0];
    }

    private Path path(String id) {
        if (id.length() < 3 || id.contains("/") || id.contains("..")) throw new IllegalArgumentException("bad blob id");
        return blobs.resolve(id.substring(0, 2)).resolve(id);
    }

    private static void deleteTree(Path dir, boolean self) throws IOException {
        if (!Files.exists(dir)) return;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isDirectory(p)) deleteTree(p, true);
                else {
                    try {
                        Files.deleteIfExists(p);
                    } catch (NoSuchFileException ignored) {
                    }
                }
            }
        }
        if (self) Files.deleteIfExists(dir);
    }
}
