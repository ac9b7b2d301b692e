package io.rowstream.template;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the variables a compiled template reads. Two passes over the tree: the first records
 * what each {@code assign} and loop variable stands for, the second resolves every variable path
 * through them. Flow-insensitive: a name assigned from two places stands for both, so the result
 * may list a read a given render does not make, never miss one.
 */
final class Reads {
  /**
   * What a local name stands for: a root (maybe itself local) and keys; element = a loop item of
   * it.
   */
  private record Origin(String root, List<String> keys, boolean element) {}

  private static final int MAX_ALIAS_DEPTH = 16;

  private final Map<String, Set<Origin>> aliases = new HashMap<>();
  private final Set<VariableRead> reads = new LinkedHashSet<>();
  private boolean resolving;

  static Set<VariableRead> of(Node[] nodes) {
    Reads r = new Reads();
    Node.collectAll(nodes, r);
    r.resolving = true;
    Node.collectAll(nodes, r);
    return java.util.Collections.unmodifiableSet(r.reads);
  }

  /** {@code name} takes the value of {@code value}; {@code element}: one item of it (a loop). */
  void bind(String name, Expr value, boolean element) {
    if (resolving) {
      return;
    }
    Expr e = value;
    while (e instanceof Expr.Filtered f && onlyDefault(f)) {
      e = f.input();
    }
    if (e instanceof Expr.Path p && p.root() != null) {
      aliases
          .computeIfAbsent(name, k -> new LinkedHashSet<>())
          .add(new Origin(p.root(), p.constantKeys(), element));
    }
  }

  private static boolean onlyDefault(Expr.Filtered f) {
    for (Expr.FilterCall call : f.calls()) {
      if (!call.def.name().equals("default")) {
        return false;
      }
    }
    return true;
  }

  /** A variable path is read: its root and its leading constant keys. */
  void read(String root, List<String> keys) {
    if (resolving) {
      resolve(root, keys, 0);
    }
  }

  private void resolve(String root, List<String> keys, int depth) {
    if (root.equals("self") && !keys.isEmpty()) {
      resolve(keys.get(0), keys.subList(1, keys.size()), depth);
      return;
    }
    Set<Origin> origins = aliases.get(root);
    if (origins == null || depth > MAX_ALIAS_DEPTH) {
      reads.add(new VariableRead(root, keys));
      return;
    }
    for (Origin o : origins) {
      List<String> path = new ArrayList<>(o.keys());
      if (!o.element()) {
        path.addAll(keys);
      }
      resolve(o.root(), path, depth + 1);
    }
  }
}
