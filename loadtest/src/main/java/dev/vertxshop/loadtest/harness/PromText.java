package dev.vertxshop.loadtest.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus text exposition ({@code /metrics}) read into samples: what every service of the shop
 * says about itself, the one source of CPU and memory figures that is the same on every target.
 */
record PromText(List<Sample> samples) {

  /** One line: a metric name, its labels and its value. */
  record Sample(String name, Map<String, String> labels, double value) {
  }

  static PromText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    if (text == null) {
      return new PromText(samples);
    }
    for (String raw : text.split("\n")) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        samples.add(sample(line));
      } catch (RuntimeException e) {
        // one malformed line costs that line only
      }
    }
    return new PromText(samples);
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    int rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.substring(0, brace);
      int i = brace + 1;
      while (i < line.length() && line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String key = line.substring(i, eq).trim();
        int open = line.indexOf('"', eq);
        StringBuilder value = new StringBuilder();
        int j = open + 1;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char next = line.charAt(++j);
            value.append(next == 'n' ? '\n' : next);
          } else {
            value.append(c);
          }
        }
        labels.put(key, value.toString());
        i = j + 1;
        while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
          i++;
        }
      }
      rest = i + 1;
    } else {
      name = line.substring(0, space);
      rest = space;
    }
    String[] tail = line.substring(rest).trim().split("\\s+");
    return new Sample(name, labels, number(tail[0]));
  }

  private static double number(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  /** The sum of every sample named {@code name} whose labels include {@code labels} (key, value, ...); NaN when none. */
  double sum(String name, String... labels) {
    double sum = 0;
    boolean found = false;
    for (Sample sample : samples) {
      if (!sample.name().equals(name)) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i + 1 < labels.length; i += 2) {
        match &= labels[i + 1].equals(sample.labels().get(labels[i]));
      }
      if (match && !Double.isNaN(sample.value())) {
        sum += sample.value();
        found = true;
      }
    }
    return found ? sum : Double.NaN;
  }
}
