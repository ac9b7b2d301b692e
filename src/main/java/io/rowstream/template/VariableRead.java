package io.rowstream.template;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A variable a template reads, found in its syntax tree: the top-level name and the constant keys
 * read after it. {@code {{ row.address.city }}} reads {@code ("row", ["address", "city"])}; {@code
 * {{ row | json }}} or {@code {{ row[name] }}} reads {@code ("row", [])} (the whole value, or a key
 * only known at render time). Reads through {@code assign} and loop variables count as reads of
 * what they stand for: {@code {% assign r = row %}{{ r.email }}} reads {@code ("row", ["email"])}.
 * Text inside strings reads nothing.
 *
 * @param name the top-level variable
 * @param path the constant keys read from it, in order (maybe empty)
 */
public record VariableRead(String name, List<String> path) {
  public VariableRead {
    requireNonNull(name, "name is null");
    path = List.copyOf(path);
  }
}
