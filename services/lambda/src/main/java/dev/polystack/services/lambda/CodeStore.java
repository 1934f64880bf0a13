package dev.polystack.services.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Deployment packages (function code and layer contents) on disk under the data directory: each zip is kept once by
 * content hash ({@code code/<sha>.zip}) and unpacked once ({@code unpacked/<sha>/}) the first time an environment
 * needs it.
 */
final class CodeStore {
    /** AWS's limit on a function's unzipped code and layers. */
    static final long MAX_UNZIPPED = 262_144_000L;

    private final Path root;
    private final ConcurrentHashMap<String, Object> unpackLocks = new ConcurrentHashMap<>();

    CodeStore(Path root) {
        this.root = root;
    }

    /** Stores a zip; checks that it is one (AWS: "Could not unzip uploaded file ..."). */
    CodeRef store(byte[] zip) {
        String sha = sha256(zip);
        String fileName = toFileName(sha) + ".zip";
        Path file = root.resolve("code").resolve(fileName);
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Path tmp = Files.createTempFile(file.getParent(), "upload", ".tmp");
                Files.write(tmp, zip);
                checkZip(tmp);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CodeRef(sha, zip.length, fileName);
    }

    /** The code of an image function: the image itself, named by its digest (hex), nothing on disk. */
    static CodeRef image(String imageUri, String digest) {
        return new CodeRef(digest, 0, null, imageUri);
    }

    Path zipFile(CodeRef code) {
        return root.resolve("code").resolve(code.fileName());
    }

    byte[] read(CodeRef code) {
        try {
            return Files.readAllBytes(zipFile(code));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean exists(CodeRef code) {
        return Files.exists(zipFile(code));
    }

    /** The unpacked directory of a package, unpacking it on first use (once, even under concurrent cold starts). */
    Path unpacked(CodeRef code) {
        if (code.isImage()) return emptyTaskRoot();
        Path dir = root.resolve("unpacked").resolve(code.fileName().replace(".zip", ""));
        if (Files.isDirectory(dir)) return dir;
        synchronized (unpackLocks.computeIfAbsent(code.fileName(), k -> new Object())) {
            if (Files.isDirectory(dir)) return dir;
            try {
                Path tmp = Files.createTempDirectory(Files.createDirectories(dir.getParent()), "unpack");
                unzip(zipFile(code), tmp);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** The working folder of a container's engine process (the image brings its own code). */
    private Path emptyTaskRoot() {
        try {
            return Files.createDirectories(root.resolve("unpacked").resolve("image"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unpacks {@code zip} into {@code target}, keeping Unix permissions where the zip records them. */
    static void unzip(Path zip, Path target) throws IOException {
        Path base = target.toAbsolutePath().normalize();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            var entries = z.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                Path out = base.resolve(e.getName()).normalize();
                if (!out.startsWith(base)) continue; // "zip slip": never write outside the target
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
                makeExecutableIfMarked(e, out);
            }
        }
    }

    /**
     * Zips made on Unix keep the mode in the entry's external attributes, which java.util.zip does not expose;
     * AWS keeps the executable bit (a custom runtime's {@code bootstrap} needs it). Without the attribute
     * we make files executable, as a packaging tool that dropped modes would have expected.
     */
    private static void makeExecutableIfMarked(ZipEntry e, Path out) {
        try {
            Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(out, perms);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing to keep
        }
    }

    private static void checkZip(Path file) {
        long total = 0;
        try (ZipFile z = new ZipFile(file.toFile())) {
            var entries = z.entries();
            while (entries.hasMoreElements()) {
                long size = entries.nextElement().getSize();
                if (size > 0) total += size;
            }
        } catch (ZipException e) {
            deleteQuietly(file);
            throw LambdaErrors.invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.");
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException(e);
        }
        if (total > MAX_UNZIPPED) {
            deleteQuietly(file);
            throw LambdaErrors.invalidParameter("Unzipped size must be smaller than " + MAX_UNZIPPED + " bytes");
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }

    static String sha256(byte[] data) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base64 has '/' and '+': file names use the URL-safe alphabet. */
    private static String toFileName(String sha) {
        return sha.replace('/', '_').replace('+', '-').replace("=", "");
    }
}
