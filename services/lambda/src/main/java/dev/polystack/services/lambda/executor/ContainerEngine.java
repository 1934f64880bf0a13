package dev.polystack.services.lambda.executor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code PackageType: Image} functions in containers of the engine named by {@code LAMBDA_CONTAINER_ENGINE}
 * (its command line, for example {@code podman}, {@code docker} or {@code podman --runtime /usr/sbin/runc}). A
 * container runs on the host's network, so the image's runtime interface client reaches the environment's own
 * Runtime API on the loopback address given as {@code AWS_LAMBDA_RUNTIME_API}, and SDK calls reach Polystack;
 * the function's layers are mounted read-only at {@code /opt}. Containers are named
 * {@code polystack-lambda-<gateway port>-<id>} and removed when they stop; a timeout or shutdown kills them, and a
 * server starting on the same port removes what a killed one left (servers on other ports keep theirs).
 *
 * <p>The engine's own commands (kill, clean-up) run on platform threads with their output discarded: a blocking
 * wait for a process must not hold a virtual thread's carrier.
 */
public final class ContainerEngine {
    private static final System.Logger LOG = System.getLogger(ContainerEngine.class.getName());

    private final List<String> engine;
    private final String namePrefix;

    private ContainerEngine(List<String> engine, String namePrefix) {
        this.engine = List.copyOf(engine);
        this.namePrefix = namePrefix;
    }

    /**
     * The engine a setting names, or null when none is configured (image functions are then refused).
     *
     * @param gatewayPort the server's port, in its containers' names
     */
    public static ContainerEngine fromSetting(String setting, int gatewayPort) {
        if (setting == null || setting.isBlank()) return null;
        return new ContainerEngine(Arrays.asList(setting.trim().split("\\s+")), "polystack-lambda-" + gatewayPort + "-");
    }

    /** The name of an environment's container. */
    String containerName(String environmentId) {
        return namePrefix + environmentId;
    }

    /** The command that runs {@code spec}'s image as container {@code name}, talking to {@code runtimeApi}. */
    List<String> runCommand(LaunchSpec spec, String name, String runtimeApi) {
        ContainerImage image = spec.image();
        List<String> cmd = new ArrayList<>(engine);
        cmd.addAll(List.of("run", "--rm", "--name", name, "--network=host", "--pull=never"));
        for (Map.Entry<String, String> e : spec.environment().entrySet()) {
            cmd.add("-e");
            cmd.add(e.getKey() + "=" + e.getValue());
        }
        cmd.add("-e");
        cmd.add("AWS_LAMBDA_RUNTIME_API=" + runtimeApi);
        if (spec.optDir() != null) {
            cmd.add("-v");
            cmd.add(spec.optDir() + ":/opt:ro");
        }
        if (image.workingDirectory() != null && !image.workingDirectory().isEmpty()) {
            cmd.add("--workdir");
            cmd.add(image.workingDirectory());
        }
        if (!image.entryPoint().isEmpty()) {
            cmd.add("--entrypoint");
            cmd.add(jsonArray(image.entryPoint()));
        }
        cmd.add(image.uri());
        cmd.addAll(image.command());
        return cmd;
    }

    /**
     * The digest of a local image, as {@code <engine> image inspect} reports it (the hex after {@code sha256:}), or
     * null when the engine has no such image. AWS reports an image function's CodeSha256 as its image's digest; the
     * engine is asked on a platform thread (its output is a blocking pipe read), bounded to 30 s.
     */
    public String imageDigest(String uri) {
        List<String> cmd = new ArrayList<>(engine);
        cmd.addAll(List.of("image", "inspect", "--format", "{{.Digest}}", uri));
        String[] answer = new String[1];
        Thread t = Thread.ofPlatform().daemon().name("lambda-container-inspect").start(() -> {
            try {
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(p.getInputStream().readAllBytes()).trim();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) answer[0] = out;
                else p.destroyForcibly();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "container engine " + cmd + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            if (!t.join(java.time.Duration.ofSeconds(35))) return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        String digest = answer[0];
        if (digest == null || digest.isEmpty()) return null;
        return digest.startsWith("sha256:") ? digest.substring("sha256:".length()) : digest;
    }

    /** Kills a container (a timeout, a retired environment); waits a bounded time for the engine. */
    void kill(String name) {
        runQuietly(List.of("kill", name));
        runQuietly(List.of("rm", "-f", name));
    }

    /** Removes containers a previous Polystack left running (it was killed before it could stop them). */
    public void removeLeftovers() {
        Thread.ofPlatform().daemon().name("lambda-container-cleanup").start(() -> {
            List<String> cmd = new ArrayList<>(engine);
            cmd.addAll(List.of("ps", "-aq", "--filter", "name=^" + namePrefix));
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String ids = new String(p.getInputStream().readAllBytes()).trim();
                p.waitFor(30, TimeUnit.SECONDS);
                if (!ids.isEmpty() && p.exitValue() == 0) {
                    List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                    rm.addAll(Arrays.asList(ids.split("\\s+")));
                    runQuietly(rm);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "leftover Lambda containers not removed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Runs an engine command on a platform thread, its output discarded, and waits for it up to 30 s. */
    private void runQuietly(List<String> args) {
        List<String> cmd = new ArrayList<>(engine);
        cmd.addAll(args);
        Thread t = Thread.ofPlatform().daemon().name("lambda-container-" + args.get(0)).start(() -> {
            try {
                Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "container engine " + cmd + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            t.join(TimeUnit.SECONDS.toMillis(35));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String jsonArray(List<String> items) {
        StringBuilder b = new StringBuilder("[");
        for (String s : items) {
            if (b.length() > 1) b.append(',');
            b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return b.append(']').toString();
    }
}
