package dev.polystack.gateway.state;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One service's snapshot on disk. Format (version 1), documented in the README:
 * <pre>
 * polystack-snapshot 1\n
 * {"service":"sqs","stateVersion":1,"savedAt":"2026-11-24T03:00:00Z","length":1234,"sha256":"…"}\n
 * &lt;length bytes written by the provider's Persistable.saveState&gt;
 * </pre>
 * The checksum catches a damaged file; the write is atomic (temporary file, fsync, rename, fsync of
 * the folder), so a crash at any moment leaves either the previous snapshot or the new one.
 */
public final class SnapshotFile {
    static final String MAGIC = "polystack-snapshot";
    static final int FORMAT_VERSION = 1;
    /** {@code <service>.snapshot}; a save in progress writes {@code <service>.snapshot<random>.tmp} beside it. */
    static final String SUFFIX = ".snapshot";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a snapshot holds once read and verified. */
    public record Contents(String service, int stateVersion, Instant savedAt, byte[] payload) {
    }

    private SnapshotFile() {
    }

    public static void write(Path file, String service, int stateVersion, byte[] payload) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("service", service);
        header.put("stateVersion", stateVersion);
        header.put("savedAt", Instant.now().toString());
        header.put("length", payload.length);
        header.put("sha256", sha256(payload));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write((MAGIC + " " + FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
        head.write(JSON.writeValueAsBytes(header));
        head.write('\n');

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, head.toByteArray());
                writeFully(ch, payload);
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Deletes the temporary files of saves that never finished (a kill -9 between creating and renaming
     * one). Called at start, before any save runs; the snapshots themselves are untouched.
     */
    static void deleteLeftovers(Path dir) {
        if (!Files.isDirectory(dir)) return;
        try (var leftovers = Files.newDirectoryStream(dir, "*" + SUFFIX + "*" + TEMP_SUFFIX)) {
            for (Path p : leftovers) Files.deleteIfExists(p);
        } catch (IOException e) {
            System.getLogger(SnapshotFile.class.getName()).log(System.Logger.Level.WARNING,
                    "Could not delete unfinished snapshot files in " + dir, e);
        }
    }

    /** Reads and verifies a snapshot; throws {@link IOException} when it is damaged in any way. */
    public static Contents read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            String magic = readLine(in);
            if (!magic.equals(MAGIC + " " + FORMAT_VERSION)) {
                throw new IOException("not a polystack snapshot of format " + FORMAT_VERSION + ": " + abbreviate(magic));
            }
            Map<?, ?> header = JSON.readValue(readLine(in), Map.class);
            int length = ((Number) header.get("length")).intValue();
            byte[] payload = in.readNBytes(length);
            if (payload.length != length) throw new IOException("snapshot truncated: " + payload.length + " of " + length + " bytes");
            if (in.read() != -1) throw new IOException("snapshot has trailing bytes");
            if (!sha256(payload).equals(header.get("sha256"))) throw new IOException("snapshot checksum mismatch");
            return new Contents((String) header.get("service"), ((Number) header.get("stateVersion")).intValue(),
                    Instant.parse((String) header.get("savedAt")), payload);
        } catch (RuntimeException e) {
            throw new IOException("unreadable snapshot header: " + e, e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b == -1) throw new IOException("snapshot ends inside its header");
            if (line.size() > 64 * 1024) throw new IOException("snapshot header too long");
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** Makes the rename durable; not every file system allows opening a folder, which is then fine to skip. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
