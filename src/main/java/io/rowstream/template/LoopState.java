package io.rowstream.template;

/**
 * The {@code forloop} and {@code tablerowloop} objects: one per loop per render, never shared
 * between renders.
 */
final class LoopState {
  final String name;
  final LoopState parent;
  final long length;
  final long cols;
  long index0;

  LoopState(String name, LoopState parent, long length, long cols) {
    this.name = name;
    this.parent = parent;
    this.length = length;
    this.cols = cols;
  }

  Object get(String key) {
    switch (key) {
      case "index":
        return index0 + 1;
      case "index0":
        return index0;
      case "rindex":
        return length - index0;
      case "rindex0":
        return length - index0 - 1;
      case "first":
        return index0 == 0;
      case "last":
        return index0 == length - 1;
      case "length":
        return length;
      case "name":
        return name;
      case "parentloop":
        return parent;
      default:
        break;
    }
    if (cols <= 0) {
      return null;
    }
    switch (key) {
      case "col":
        return index0 % cols + 1;
      case "col0":
        return index0 % cols;
      case "col_first":
        return index0 % cols == 0;
      case "col_last":
        return index0 % cols == cols - 1;
      case "row":
        return index0 / cols + 1;
      default:
        return null;
    }
  }

  @Override
  public String toString() {
    return "";
  }
}
