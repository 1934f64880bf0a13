package dev.polystack.services.lambda;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** One account's Lambda resources in one region. */
final class LambdaState {
    final ConcurrentHashMap<String, LambdaFunction> functions = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, EventSourceMapping> mappings = new ConcurrentHashMap<>();
    /** Layer name → version → layer version; guarded by its own monitor. */
    final Map<String, TreeMap<Integer, LayerVersion>> layers = new LinkedHashMap<>();
    /** The highest version number each layer name has had (numbers are never reused). */
    final Map<String, Integer> layerHighWater = new ConcurrentHashMap<>();
}
