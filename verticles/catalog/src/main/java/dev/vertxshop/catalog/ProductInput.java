package dev.vertxshop.catalog;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The caller-controlled fields of a product, validated: the body of create, and the {@code product}
 * of update (a full replacement, so the same rules apply, except that {@code stock} is optional there:
 * null keeps the stock as it is).
 */
record ProductInput(
    String sku, String name, String description, String category, long priceMinor, String currency, Integer stock) {

  /** Upper-case letters, digits and inner dashes, 3 to 40 characters: safe in URLs, logs and labels. */
  static final Pattern SKU = Pattern.compile("[A-Z0-9](?:[A-Z0-9-]{1,38})[A-Z0-9]");
  /** Category ids are slugs (the same rule as the categories table's check constraint). */
  static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  static final int MAX_NAME = 200;
  static final int MAX_DESCRIPTION = 4_000;
  /** Ten million euros in cents: anything above is a typo or an attack on the totals, not a price. */
  static final long MAX_PRICE_MINOR = 1_000_000_000L;
  static final int MAX_STOCK = 1_000_000;

  private static final Set<String> FIELDS = Set.of("sku", "name", "description", "category", "price", "stock");
  private static final Set<String> PRICE_FIELDS = Set.of("amount", "currency");

  /**
   * Reads and checks {@code fields}; {@code path} prefixes field names in messages ("" for create,
   * "product" for update). Id, version and timestamps are the service's, so they count as unknown.
   */
  static ProductInput parse(Object fields, String path) {
    return parse(fields, path, true);
  }

  /** As {@link #parse(Object, String)}; {@code stockRequired} false lets {@code stock} be absent (null). */
  static ProductInput parse(Object fields, String path, boolean stockRequired) {
    if (!(fields instanceof JsonObject json)) {
      throw ServiceException.badRequest((path.isEmpty() ? "the product" : "'" + path + "'") + " must be a JSON object");
    }
    String prefix = path.isEmpty() ? "" : path + ".";
    Requests.rejectUnknown(json, FIELDS, path);

    String sku = Requests.string(json, "sku", prefix + "sku", true);
    if (!SKU.matcher(sku).matches()) {
      throw ServiceException.badRequest("'" + prefix + "sku' must be 3 to 40 upper-case letters, digits or inner dashes");
    }
    String name = Requests.string(json, "name", prefix + "name", true).strip();
    if (name.isEmpty()) {
      throw ServiceException.badRequest("'" + prefix + "name' must not be blank");
    }
    if (name.length() > MAX_NAME || hasControlCharacters(name)) {
      throw ServiceException.badRequest("'" + prefix + "name' must be at most " + MAX_NAME + " printable characters");
    }
    String description = Requests.string(json, "description", prefix + "description", false);
    description = description == null ? "" : description.strip();
    // Line breaks are fine in a description; NUL is not (PostgreSQL text cannot hold it).
    if (description.length() > MAX_DESCRIPTION || description.indexOf('\0') >= 0) {
      throw ServiceException.badRequest(
          "'" + prefix + "description' must be at most " + MAX_DESCRIPTION + " characters, without NUL");
    }
    String category = Requests.string(json, "category", prefix + "category", true);
    if (!CATEGORY.matcher(category).matches()) {
      throw ServiceException.badRequest(
          "'" + prefix + "category' must be a category id (lower-case letters, digits, dashes)");
    }

    JsonObject price = Requests.object(json, "price", prefix + "price");
    Requests.rejectUnknown(price, PRICE_FIELDS, prefix + "price");
    long amount = Requests.integer(price, "amount", prefix + "price.amount", 0, MAX_PRICE_MINOR, true);
    String currency = Requests.string(price, "currency", prefix + "price.currency", true);
    if (!CatalogContract.CURRENCY.equals(currency)) {
      throw ServiceException.badRequest("'" + prefix + "price.currency' must be " + CatalogContract.CURRENCY);
    }
    Long stock = Requests.integer(json, "stock", prefix + "stock", 0, MAX_STOCK, stockRequired);
    return new ProductInput(sku, name, description, category, amount, currency, stock == null ? null : stock.intValue());
  }


  /** Parameters of {@link CatalogQueries#INSERT_PRODUCT} and {@link CatalogQueries#UPDATE_PRODUCT}. */
  Tuple tuple(UUID id) {
    return Tuple.of(id, sku, name, description, category, priceMinor, currency, stock);
  }

  private static boolean hasControlCharacters(String text) {
    return text.chars().anyMatch(Character::isISOControl);
  }
}
