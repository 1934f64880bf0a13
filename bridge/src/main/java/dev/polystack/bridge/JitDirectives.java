package dev.polystack.bridge;

import javax.management.JMException;
import javax.management.ObjectName;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Keeps GraalPy's own Java code (its interpreter, Truffle, the GraalVM SDK) on HotSpot's quick compiler (C1).
 *
 * <p>Why: on a stock JDK GraalPy runs as a Java program, and HotSpot's optimizing compiler (C2) spends most of the
 * Python tier's start-up CPU compiling GraalPy's huge interpreter methods. Measured importing LocalStack's Step
 * Functions provider (1,360 modules, warm bytecode cache): 76 s of CPU with C2, 38 s with C1 only; C2 alone took
 * 554 s of compiler-thread time for 2,266 methods (see README, LocalStack providers). The gateway and the native
 * providers keep C2: the directive names only GraalPy's packages, and it is added only when the first GraalPy
 * engine is built, through the JVM's diagnostic command MBean (the same as {@code jcmd Compiler.directives_add}).
 */
final class JitDirectives {
    private static final System.Logger LOG = System.getLogger(JitDirectives.class.getName());
    private static final String RESOURCE = "graalpy-c1-only.json";

    private JitDirectives() {
    }

    /** Adds the directive; if the JVM refuses (no management, read-only folder), GraalPy runs with C2 as before. */
    static void keepGraalPyOnQuickCompiler(Path folder) {
        try (InputStream in = JitDirectives.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IOException(RESOURCE + " is missing from the bridge's jar");
            Files.createDirectories(folder);
            Path file = folder.resolve(RESOURCE); // HotSpot reads directives from a file only
            Path tmp = Files.createTempFile(folder, RESOURCE, ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Object answer = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                    new Object[]{new String[]{file.toString()}}, new String[]{String[].class.getName()});
            LOG.log(Level.DEBUG, "JIT directive for GraalPy: {0}", String.valueOf(answer).trim());
        } catch (IOException | JMException | RuntimeException e) {
            LOG.log(Level.WARNING, "GraalPy stays on the optimizing JIT (directive not added: {0})", e.toString());
        }
    }
}
