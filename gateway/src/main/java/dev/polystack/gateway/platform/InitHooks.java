package dev.polystack.gateway.platform;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * LocalStack's init hooks: executable {@code *.sh} files in {@code <dir>/<stage>.d} (default dir
 * {@code /etc/localstack/init}), run in name order when the server reaches that stage. Each script's outcome
 * is kept for {@code /_localstack/init}. A failing script is logged and recorded; it stops nothing.
 */
public final class InitHooks {
    private static final Logger LOG = Logger.getLogger(InitHooks.class.getName());

    public enum Stage { BOOT, START, READY, SHUTDOWN }

    public enum State { UNKNOWN, RUNNING, SUCCESSFUL, ERROR }

    /** One script and its outcome. */
    public static final class Script {
        final Stage stage;
        final Path path;
        volatile State state = State.UNKNOWN;

        Script(Stage stage, Path path) {
            this.stage = stage;
            this.path = path;
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", stage.name());
            m.put("name", path.getFileName().toString());
            m.put("state", state.name());
            return m;
        }
    }

    private final Path directory;
    private final Map<String, String> environment;
    private final Map<Stage, List<Script>> scripts = new EnumMap<>(Stage.class);
    private final Map<Stage, Boolean> completed = new EnumMap<>(Stage.class);

    /** @param environment extra variables for the scripts (AWS_ENDPOINT_URL ...) */
    public InitHooks(Path directory, Map<String, String> environment) {
        this.directory = directory;
        this.environment = Map.copyOf(environment);
        for (Stage stage : Stage.values()) {
            scripts.put(stage, find(stage));
            completed.put(stage, false);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Runs the stage's scripts one after another, in name order, and marks the stage completed. */
    public void run(Stage stage) {
        for (Script script : scripts.get(stage)) {
            script.state = State.RUNNING;
            script.state = execute(script.path) ? State.SUCCESSFUL : State.ERROR;
        }
        synchronized (completed) {
            completed.put(stage, true);
        }
    }

    /** {@code {"completed": {"BOOT": true, ...}, "scripts": [...]}}. */
    public Map<String, Object> status() {
        Map<String, Object> done = new LinkedHashMap<>();
        synchronized (completed) {
            completed.forEach((stage, value) -> done.put(stage.name(), value));
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (List<Script> list : scripts.values()) list.forEach(s -> all.add(s.toJson()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("completed", done);
        out.put("scripts", all);
        return out;
    }

    /** {@code {"completed": bool, "scripts": [...]}} for one stage. */
    public Map<String, Object> status(Stage stage) {
        List<Map<String, Object>> list = new ArrayList<>();
        scripts.get(stage).forEach(s -> list.add(s.toJson()));
        Map<String, Object> out = new LinkedHashMap<>();
        synchronized (completed) {
            out.put("completed", completed.get(stage));
        }
        out.put("scripts", list);
        return out;
    }

    private List<Script> find(Stage stage) {
        Path folder = directory.resolve(stage.name().toLowerCase(java.util.Locale.ROOT) + ".d");
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".sh"))
                    .filter(Files::isRegularFile)
                    .filter(p -> {
                        if (Files.isExecutable(p)) return true;
                        LOG.warning("init hook " + p + " is not executable: skipped");
                        return false;
                    })
                    .sorted()
                    .map(p -> new Script(stage, p))
                    .toList();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list init hooks in " + folder, e);
            return List.of();
        }
    }

    private boolean execute(Path script) {
        ProcessBuilder pb = new ProcessBuilder(script.toAbsolutePath().toString())
                .directory(script.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(environment);
        try {
            Process process = pb.start();
            int code = process.waitFor();
            if (code != 0) LOG.warning("init hook " + script + " exited with " + code);
            return code == 0;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "init hook " + script + " could not run", e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
