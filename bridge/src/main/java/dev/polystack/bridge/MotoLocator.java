package dev.polystack.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Finds the site-packages folder that holds moto. Cheap checks first (the setting, vendor/python);
 * asking {@code python3} costs a process start, so it happens only when a moto-hosted service starts,
 * never at gateway start.
 */
final class MotoLocator {
    private MotoLocator() {
    }

    /** Cheap: could moto be available? (A configured path, vendor/python/moto, or a python3 to ask.) */
    static boolean plausible(PythonSettings settings) {
        if (settings.motoPath() != null) return Files.isDirectory(Path.of(settings.motoPath(), "moto"));
        return Files.isDirectory(settings.vendorPython().resolve("moto")) || onPath("python3");
    }

    /** The folder to put on Python's path, or throws with a message naming the setting to change. */
    static Path locate(PythonSettings settings) {
        if (settings.motoPath() != null) {
            Path p = Path.of(settings.motoPath()).toAbsolutePath();
            if (Files.isDirectory(p.resolve("moto"))) return p;
            throw new IllegalStateException("POLYSTACK_MOTO_PATH=" + p + " holds no moto package");
        }
        if (Files.isDirectory(settings.vendorPython().resolve("moto"))) return settings.vendorPython();
        String found = askPython3();
        if (found != null && Files.isDirectory(Path.of(found, "moto"))) return Path.of(found);
        throw new IllegalStateException("moto is not installed: install it into vendor/python or point "
                + "POLYSTACK_MOTO_PATH at a site-packages folder that holds it");
    }

    private static String askPython3() {
        // find_spec locates moto without importing it (tens of milliseconds).
        String script = "import importlib.util as u, os\n"
                + "s = u.find_spec('moto')\n"
                + "print(os.path.dirname(os.path.dirname(s.origin)) if s and s.origin else '')";
        try {
            Process p = new ProcessBuilder("python3", "-c", script).redirectErrorStream(false).start();
            p.getOutputStream().close();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && !out.isEmpty() ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }
}
