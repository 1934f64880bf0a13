import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * Where a LocalStack provider's start-up time goes under GraalPy, outside the server: engine, context, the bridge's
 * shims, then each named provider loaded as the bridge loads it, each step with wall time, the JVM's CPU time (all
 * threads, the JIT compilers' included) and the number of loaded classes. Same options and bytecode cache as the
 * bridge. With --c1 GraalPy's packages are kept off HotSpot's C2 as the bridge does by default (POLYSTACK_PYTHON_JIT).
 *   java -Xmx1g -XX:+CITime -cp "gateway/target/lib/*" bench/GraalPyImportCost.java [--c1] stepfunctions [cloudformation]
 * Environment: POLYSTACK_MOTO_PATH, moto's site-packages (python3 -c 'import moto, os; print(os.path.dirname(os.path.dirname(moto.__file__)))').
 */
public class GraalPyImportCost {
    static final long T0 = System.nanoTime();
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    static void mark(String step) {
        System.out.printf("%-30s wall %7.1f s  CPU %6.1f s  classes %6d%n", step, (System.nanoTime() - T0) / 1e9,
                OS.getProcessCpuTime() / 1e9, ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    }

    public static void main(String[] args) throws Exception {
        String home = Path.of("").toAbsolutePath().toString();
        int first = 0;
        if (args.length > 0 && args[0].equals("--c1")) {
            first = 1;
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "compilerDirectivesAdd", new Object[]{new String[]{home + "/bridge/src/main/resources/dev/polystack/bridge/graalpy-c1-only.json"}},
                    new String[]{String[].class.getName()});
        }
        String path = String.join(":", home + "/python-services", home + "/vendor/localstack",
                System.getenv().getOrDefault("POLYSTACK_MOTO_PATH", ""), home + "/vendor/python");
        String cache = System.getenv().getOrDefault("POLYSTACK_PYTHON_CACHE", System.getProperty("user.home") + "/.cache/polystack/graalpy");
        mark("JVM up");
        Engine engine = Engine.newBuilder("python").option("engine.WarnInterpreterOnly", "false").build();
        mark("engine built");
        try (Context c = Context.newBuilder("python").engine(engine).allowAllAccess(true)
                .option("python.PythonPath", path).option("python.ForceImportSite", "false")
                .option("python.WarnExperimentalFeatures", "false").option("python.DontWriteBytecodeFlag", "false")
                .option("python.PyCachePrefix", cache + "/pycache").build()) {
            c.eval("python", "1");
            mark("context built");
            c.eval("python", "import polystack_bridge.shims as _s; _s.apply()");
            mark("shims applied");
            for (int i = first; i < args.length; i++) {
                c.eval("python", "from polystack_bridge import localstack_host as h; h.load('" + args[i] + "', 'default', '127.0.0.1:1')");
                mark("loaded " + args[i]);
            }
            System.out.println("Python modules: " + c.eval("python", "import sys; len(sys.modules)"));
        }
    }
}
