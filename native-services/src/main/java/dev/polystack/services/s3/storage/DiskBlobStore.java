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
import java.util.UUID;

/**
 * Blobs as files: {@code <root>/blobs/<2 chars>/<id>}. A write goes to {@code <root>/tmp/} first and is
 * renamed into place when complete (atomic on one file system), so a crash or a broken upload never
 * leaves a partial blob under {@code blobs/}. Leftover temporary files are removed at start.
 */
public final class DiskBlobStore implements BlobStore {
    /** Large runs: fewer system calls, and the digesting stream above computes its checksums in large runs. */
    private static final int BUFFER = 512 * 1024;
    private final Path blobs;
    private final Path tmp;

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
        try {
            Files.deleteIfExists(path(id));
        } catch (IOException ignored) {
            // a leftover file costs disk space only; metadata no longer points at it
        }
    }

    @Override
    public void clear() {
        try {
            deleteTree(blobs, false);
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
    public int deleteUnreferenced(java.util.Set<String> referenced) throws IOException {
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
