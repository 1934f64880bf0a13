package dev.polystack.gateway;

import dev.polystack.api.Config;

import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Console logging through java.util.logging: warnings by default (one ready line is the only chatter),
 * {@code DEBUG=1} or {@code LS_LOG=debug|trace} for detail. Helidon stays at WARNING unless tracing.
 */
public final class Logging {
    /** Held here: java.util.logging keeps loggers weakly, so a collection would drop the level set on it. */
    private static final Logger HELIDON = Logger.getLogger("io.helidon");

    private Logging() {
    }

    public static void configure(Config config) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        String lsLog = config.get("LS_LOG", "").toLowerCase(Locale.ROOT);
        Level level = lsLog.equals("trace") || lsLog.equals("trace-internal") ? Level.FINEST
                : config.flag("DEBUG") || lsLog.equals("debug") ? Level.FINE
                : lsLog.equals("error") ? Level.SEVERE : Level.INFO;
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) root.removeHandler(h);
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new SimpleFormatter());
        console.setLevel(level);
        root.addHandler(console);
        root.setLevel(level);
        HELIDON.setLevel(level == Level.FINEST ? Level.FINE : Level.WARNING);
    }
}
