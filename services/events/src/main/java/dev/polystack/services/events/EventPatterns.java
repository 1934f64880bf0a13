package dev.polystack.services.events;

import dev.polystack.api.ServiceException;
import software.amazon.event.ruler.GenericMachine;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Ruler;

import java.util.List;
import java.util.Map;

/**
 * Event patterns through AWS's own matcher (event-ruler, the library behind EventBridge): every documented
 * operator (prefix, suffix, anything-but, numeric, exists, cidr, equals-ignore-case, wildcard, $or) and
 * the validation texts AWS answers with.
 */
final class EventPatterns {
    private EventPatterns() {
    }

    /** Throws InvalidEventPatternException with AWS's reason when the pattern does not compile. */
    static void validate(String pattern) {
        String problem = JsonRuleCompiler.check(pattern == null ? "" : pattern);
        if (problem != null) {
            throw new ServiceException("InvalidEventPatternException", "Event pattern is not valid. Reason: " + problem);
        }
    }

    /** TestEventPattern: one pattern against one event (both JSON texts). */
    static boolean matches(String eventJson, String pattern) {
        try {
            return Ruler.matchesRule(eventJson, pattern);
        } catch (Exception e) {
            throw new ServiceException("InvalidEventPatternException", "Event pattern is not valid. Reason: " + e.getMessage());
        }
    }

    /** The compiled patterns of one bus's enabled rules: which rule names an event matches. Immutable once built. */
    static final class Matcher {
        static final Matcher EMPTY = new Matcher(null);
        private final GenericMachine<String> machine;

        private Matcher(GenericMachine<String> machine) {
            this.machine = machine;
        }

        static Matcher of(List<Map.Entry<String, String>> rules) {
            if (rules.isEmpty()) return EMPTY;
            GenericMachine<String> machine = GenericMachine.<String>builder().build();
            for (Map.Entry<String, String> rule : rules) {
                try {
                    machine.addRule(rule.getKey(), rule.getValue());
                } catch (Exception e) {
                    // validated when stored; a pattern that no longer compiles simply matches nothing
                }
            }
            return new Matcher(machine);
        }

        List<String> matching(String eventJson) {
            if (machine == null) return List.of();
            try {
                return machine.rulesForJSONEvent(eventJson);
            } catch (Exception e) {
                return List.of();
            }
        }
    }
}
