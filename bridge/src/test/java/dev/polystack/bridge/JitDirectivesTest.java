package dev.polystack.bridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The directive reaches HotSpot: C2 is excluded for GraalPy's packages only. */
class JitDirectivesTest {

    @Test
    void graalPysPackagesAreExcludedFromC2AndNothingElseIs(@TempDir Path folder) throws Exception {
        JitDirectives.keepGraalPyOnQuickCompiler(folder);
        String directives = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesPrint",
                new Object[]{new String[0]}, new String[]{String[].class.getName()});
        int ours = directives.indexOf("com/oracle/graal/python/*.*");
        assertTrue(ours >= 0, directives);
        int start = directives.lastIndexOf("Directive:", ours), end = directives.indexOf("Directive:", ours);
        String block = directives.substring(start, end < 0 ? directives.length() : end);
        assertTrue(block.contains("com/oracle/truffle/*.*"), block);
        String c2 = block.substring(block.indexOf("c2 directives:"));
        assertTrue(c2.contains("Exclude:true"), c2);
        // The default directive (every other class: the gateway, the native providers) keeps C2.
        String fallback = directives.substring(directives.indexOf("Directive: (default)"));
        assertTrue(fallback.substring(fallback.indexOf("c2 directives:")).contains("Exclude:false"), fallback);
    }
}
