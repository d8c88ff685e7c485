package dev.vertxshop.gateway.http;

import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed OpenAPI validation into a message that names the offending parameter or body field.
 *
 * <p>Parameter failures already name the parameter ("The value of query parameter size is invalid...").
 * Body failures come as a list of schema errors, most of them wrappers ("A subschema had errors"); the
 * message is built from the deepest, most specific one, with the field as a dotted path.
 */
final class ValidationMessages {

  /** Keywords that only say "something below failed"; never the best explanation when a deeper error exists. */
  private static final Set<String> WRAPPERS = Set.of("properties", "$ref", "allOf", "anyOf", "oneOf", "items",
      "prefixItems", "additionalProperties", "unevaluatedProperties", "dependentSchemas", "not", "if", "then", "else");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
  private static final Pattern MISSING_PARAMETER = Pattern.compile("does not contain the required (\\w+) parameter (\\S+)");
  private static final int MAX_FIELD_SHOWN = 64;

  private ValidationMessages() {
  }

  static String describe(ValidatorException e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null
        && message.contains("request body")) {
      return describeBody(schema.getOutputUnit());
    }
    if (message.contains("can't be decoded")) {
      return "the request body is not valid JSON";
    }
    if (message.contains("format of the request body")) {
      return "the request body must be application/json";
    }
    if (message.contains("does not contain the required body")) {
      return "the request body is required";
    }
    Matcher missing = MISSING_PARAMETER.matcher(message);
    if (missing.find()) {
      String name = shorten(missing.group(2));
      return "header".equals(missing.group(1)) ? "the " + name + " header is required"
          : "missing required " + missing.group(1) + " parameter " + name;
    }
    return message;
  }

  private static String describeBody(OutputUnit root) {
    List<OutputUnit> errors = new ArrayList<>();
    collect(root, errors);
    OutputUnit best = null;
    for (OutputUnit unit : errors) {
      if (unit.getError() == null) {
        continue;
      }
      if (best == null || better(unit, best)) {
        best = unit;
      }
    }
    if (best == null) {
      return "the request body does not match the schema";
    }
    String field = field(best.getInstanceLocation());
    String keyword = keyword(best.getKeywordLocation());
    if ("required".equals(keyword)) {
      Matcher quoted = QUOTED.matcher(best.getError());
      String missing = quoted.find() ? quoted.group(1) : "?";
      return "missing required field '" + shorten(field.isEmpty() ? missing : field + "." + missing) + "'";
    }
    if ("additionalProperties".equals(keyword) || "unevaluatedProperties".equals(keyword)) {
      return "unknown field '" + shorten(field) + "'";
    }
    if (field.isEmpty()) {
      return "invalid request body: " + best.getError();
    }
    return "invalid field '" + shorten(field) + "': " + best.getError();
  }

  private static void collect(OutputUnit unit, List<OutputUnit> into) {
    into.add(unit);
    if (unit.getErrors() != null) {
      unit.getErrors().forEach(child -> collect(child, into));
    }
  }

  /** Deeper in the document wins; at the same depth, a specific keyword (type, pattern...) beats a wrapper. */
  private static boolean better(OutputUnit candidate, OutputUnit best) {
    int depth = depth(candidate.getInstanceLocation());
    int bestDepth = depth(best.getInstanceLocation());
    if (depth != bestDepth) {
      return depth > bestDepth;
    }
    return WRAPPERS.contains(keyword(best.getKeywordLocation())) && !WRAPPERS.contains(keyword(candidate.getKeywordLocation()));
  }

  private static int depth(String instanceLocation) {
    return instanceLocation == null ? -1 : field(instanceLocation).isEmpty() ? 0 : field(instanceLocation).split("\\.").length;
  }

  private static String keyword(String keywordLocation) {
    if (keywordLocation == null) {
      return "";
    }
    return keywordLocation.substring(keywordLocation.lastIndexOf('/') + 1);
  }

  /** {@code #/price/amount} as {@code price.amount}; the root as the empty string. */
  private static String field(String instanceLocation) {
    if (instanceLocation == null) {
      return "";
    }
    String pointer = instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
    if (pointer.startsWith("/")) {
      pointer = pointer.substring(1);
    }
    return pointer.replace('/', '.').replace("~1", "/").replace("~0", "~");
  }

  // Field names come from the client: keep the echo short.
  private static String shorten(String field) {
    return field.length() > MAX_FIELD_SHOWN ? field.substring(0, MAX_FIELD_SHOWN) + "..." : field;
  }
}
