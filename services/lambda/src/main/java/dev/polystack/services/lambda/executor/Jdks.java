package dev.polystack.services.lambda.executor;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK or JRE on the machine for a Java runtime: {@code JAVA_HOME}, the JVMs under {@code /usr/lib/jvm},
 * then {@code java} on the PATH. The exact major version wins (java17 on a Java 17), else the oldest newer one.
 */
final class Jdks {
    private static final Pattern VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");
    private static final ConcurrentHashMap<Integer, Optional<Path>> FOUND = new ConcurrentHashMap<>();

    private Jdks() {
    }

    /** The {@code bin/java} of a Java {@code major} or newer. */
    static Optional<Path> find(int major) {
        return FOUND.computeIfAbsent(major, Jdks::search);
    }

    private record Candidate(Path java, int major) {
    }

    private static Optional<Path> search(int major) {
        List<Path> homes = new ArrayList<>();
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null) homes.add(Path.of(javaHome));
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            jvms.sorted().forEach(homes::add);
        } catch (IOException e) {
            // no /usr/lib/jvm on this machine
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path java = Path.of(dir, "java");
                if (Files.isExecutable(java)) {
                    try {
                        homes.add(java.toRealPath().getParent().getParent());
                    } catch (IOException ignored) {
                        // a dangling link
                    }
                }
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Path home : homes) {
            Path java = home.resolve("bin/java");
            int version = version(home);
            if (version >= major && Files.isExecutable(java)) candidates.add(new Candidate(java, version));
        }
        return candidates.stream().min(Comparator.comparingInt(Candidate::major)).map(Candidate::java);
    }

    /** The major version a JDK's {@code release} file names, or -1. */
    private static int version(Path home) {
        try {
            Matcher m = VERSION.matcher(Files.readString(home.resolve("release")));
            if (!m.find()) return -1;
            int v = Integer.parseInt(m.group(1));
            return v == 1 ? 8 : v;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
