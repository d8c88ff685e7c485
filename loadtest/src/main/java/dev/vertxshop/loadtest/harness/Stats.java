package dev.vertxshop.loadtest.harness;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * The spread of one figure over the rounds of a target: median, minimum and maximum of the rounds that
 * measured it. A round that did not measure the figure (a failed phase, a fault that does not apply) is
 * left out and counted apart, so that a median never hides how many rounds it stands for.
 */
record Stats(List<Double> values, int rounds) {

  /** The rounds' values; null and NaN mean "not measured in that round". */
  static Stats of(Collection<Double> values) {
    List<Double> measured = new ArrayList<>();
    for (Double value : values) {
      if (value != null && !value.isNaN() && !value.isInfinite()) {
        measured.add(value);
      }
    }
    measured.sort(Double::compare);
    return new Stats(List.copyOf(measured), values.size());
  }

  int n() {
    return values.size();
  }

  boolean measured() {
    return !values.isEmpty();
  }

  /** The middle value; the mean of the two middle ones for an even count; NaN when nothing was measured. */
  double median() {
    int n = values.size();
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2.0;
  }

  double min() {
    return values.isEmpty() ? Double.NaN : values.get(0);
  }

  double max() {
    return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
  }

  /** (max - min) / median, in percent: how far apart the rounds are; NaN for fewer than 2 values or a zero median. */
  double spreadPercent() {
    double median = median();
    if (values.size() < 2 || median == 0 || Double.isNaN(median)) {
      return Double.NaN;
    }
    return (max() - min()) / Math.abs(median) * 100.0;
  }

  /**
   * {@code median (min–max)} with {@code format} for each number; the median alone for one round;
   * "not measured" when no round measured it; "(k of n rounds)" when some rounds did not.
   */
  String format(DoubleFunction<String> format) {
    if (values.isEmpty()) {
      return "not measured";
    }
    StringBuilder text = new StringBuilder(format.apply(median()));
    if (values.size() > 1) {
      String low = format.apply(min());
      String high = format.apply(max());
      text.append(low.equals(high) ? " (all rounds)" : " (" + low + "–" + high + ")");
    }
    if (values.size() < rounds) {
      text.append(String.format(Locale.ROOT, " [%d of %d rounds]", values.size(), rounds));
    }
    return text.toString();
  }
}
