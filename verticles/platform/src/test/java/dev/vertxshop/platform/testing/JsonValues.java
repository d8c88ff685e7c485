package dev.vertxshop.platform.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of the values a JSON message body can hold once decoded (what a caller, honest or not, can
 * send over the event bus): every number type Jackson produces, strings with any code unit, nesting, and
 * bodies one mutation away from a valid one, which reach the deeper checks.
 */
public final class JsonValues {

  private JsonValues() {
  }

  /** Strings a validator must survive: empty, blank, very long, control characters, lone surrogates, emoji. */
  public static Arbitrary<String> strings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(12),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40),
        Arbitraries.of("", " ", "\u0000", "\t\n", "EUR", "eur", "USD", "books", "-1", "1e309", "null", "true", "\uD800",
            "\uD83D\uDE00", "\u202Eabc", "a\u0000b", "00000000-0000-0000-0000-000000000000",
            "6f1c1b3e-6c1e-4f7b-9f5a-2f1c1b3e6c1e", "1-1-1-1-1", "DROP TABLE products; --", "' OR '1'='1"),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(250).ofMaxLength(5000));
  }

  /** Numbers of every Java type a decoded JSON number can be, with the edges of each. */
  public static Arbitrary<Object> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.of(0, -1, 1, 99, 100, Integer.MAX_VALUE, Integer.MIN_VALUE).map(i -> (Object) i),
        Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000_000L, 1_000_000_001L, 1L << 53).map(l -> (Object) l),
        Arbitraries.bigIntegers().between(BigInteger.TEN.pow(19).negate(), BigInteger.TEN.pow(30)).map(b -> (Object) b),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(0.5, -0.0, 1.0, 99.0, 1e300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE)
            .map(d -> (Object) d),
        Arbitraries.bigDecimals().map(d -> (Object) d),
        Arbitraries.of(new BigDecimal("1E+400"), new BigDecimal("12.50")).map(d -> (Object) d));
  }

  /** Any JSON value, nested at most {@code depth} levels. */
  public static Arbitrary<Object> any(int depth) {
    Arbitrary<Object> leaf = Arbitraries.oneOf(
        strings().map(s -> (Object) s),
        numbers(),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just((Object) null));
    if (depth <= 0) {
      return leaf;
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, leaf),
        net.jqwik.api.Tuple.of(1, objects(depth - 1).map(o -> (Object) o)),
        net.jqwik.api.Tuple.of(1, any(depth - 1).list().ofMaxSize(4).map(list -> (Object) new JsonArray(list))));
  }

  /** JSON objects with keys from {@code likelyKeys} (the fields that matter) or anywhere else. */
  public static Arbitrary<JsonObject> objects(int depth, String... likelyKeys) {
    Arbitrary<String> keys = likelyKeys.length == 0 ? strings()
        : Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, Arbitraries.of(likelyKeys)), net.jqwik.api.Tuple.of(1, strings()));
    return Arbitraries.maps(keys, any(depth)).ofMaxSize(6).map(JsonValues::object);
  }

  /** A valid body with one thing changed: a field replaced by any value, removed, or an unknown field added. */
  public static Arbitrary<JsonObject> mutated(Arbitrary<JsonObject> valid, List<String> paths) {
    return Combinators.combine(valid, Arbitraries.of(paths), any(2), Arbitraries.integers().between(0, 2), strings())
        .as((body, path, value, kind, extraKey) -> {
          JsonObject copy = body.copy();
          String[] steps = path.split("\\.");
          JsonObject target = copy;
          for (int i = 0; i < steps.length - 1; i++) {
            if (!(target.getValue(steps[i]) instanceof JsonObject nested)) {
              return copy;
            }
            target = nested;
          }
          String field = steps[steps.length - 1];
          switch (kind) {
            case 0 -> target.put(field, value);
            case 1 -> target.remove(field);
            default -> target.put(extraKey, value);
          }
          return copy;
        });
  }

  private static JsonObject object(Map<String, Object> fields) {
    JsonObject json = new JsonObject();
    fields.forEach(json::put);
    return json;
  }
}
