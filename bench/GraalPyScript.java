import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;

import java.io.File;
import java.nio.file.Path;

/**
 * Runs one Python script in a GraalPy context set up as the bridge sets up its own (same options, same
 * bytecode cache, python-services + moto + vendor on the path), to measure Python code outside the server:
 *   java -cp "gateway/target/lib/*" bench/GraalPyScript.java bench/moto_sqs_cost.py [args]
 * Environment: POLYSTACK_MOTO_PATH (default python3's site-packages is not looked up here: pass it).
 */
public class GraalPyScript {
    public static void main(String[] args) throws Exception {
        String home = Path.of("").toAbsolutePath().toString();
        String moto = System.getenv().getOrDefault("POLYSTACK_MOTO_PATH", "");
        String path = String.join(":", home + "/python-services", moto, home + "/vendor/python");
        String cache = System.getenv().getOrDefault("POLYSTACK_PYTHON_CACHE",
                System.getProperty("user.home") + "/.cache/polystack/graalpy");
        Engine engine = Engine.newBuilder("python").option("engine.WarnInterpreterOnly", "false").build();
        try (Context context = Context.newBuilder("python").engine(engine).allowAllAccess(true)
                .arguments("python", args)
                .option("python.PythonPath", path)
                .option("python.ForceImportSite", "false")
                .option("python.WarnExperimentalFeatures", "false")
                .option("python.DontWriteBytecodeFlag", "false")
                .option("python.PyCachePrefix", cache + "/pycache").build()) {
            context.eval("python", "import polystack_bridge.shims as _s; _s.apply()");
            context.eval(Source.newBuilder("python", new File(args[0])).build());
        }
    }
}
