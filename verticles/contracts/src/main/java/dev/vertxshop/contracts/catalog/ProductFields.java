package dev.vertxshop.contracts.catalog;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The caller-controlled fields of a product: the body of {@link CreateProduct}, the {@code product} of
 * {@link UpdateProduct} (a full replacement, except that {@code stock} may be null there: kept as it is).
 * Id, version and timestamps are the catalog's, so they are unknown fields here. Built values are checked
 * (name and description trimmed, description null is empty): a record that exists is one the catalog takes.
 *
 * @param stock units available, or null (only in an update: the stock stays as it is)
 */
public record ProductFields(String sku, String name, String description, String category, Money price, Integer stock) {

  /** Upper-case letters, digits and inner dashes, 3 to 40 characters: safe in URLs, logs and labels. */
  public static final Pattern SKU = Pattern.compile("[A-Z0-9](?:[A-Z0-9-]{1,38})[A-Z0-9]");
  /** Category ids are slugs (the same rule as the categories table's check constraint). */
  public static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  public static final int MAX_NAME = 200;
  public static final int MAX_DESCRIPTION = 4_000;
  /** Ten million euros in cents: anything above is a typo or an attack on the totals, not a price. */
  public static final long MAX_PRICE = 1_000_000_000L;
  public static final int MAX_STOCK = 1_000_000;
  public static final Set<String> FIELDS = Set.of("sku", "name", "description", "category", "price", "stock");

  public ProductFields {
    name = name == null ? null : name.strip();
    description = description == null ? "" : description.strip();
    check("", sku, name, description, category, price, stock);
  }

  /**
   * Reads the fields of {@code f} ("" for a create body, "product" in an update), each refusal naming the
   * field by its path; {@code stockRequired} false lets {@code stock} be absent (null).
   */
  static ProductFields read(Fields f, boolean stockRequired) {
    f.only(FIELDS);
    String sku = f.string("sku");
    if (!SKU.matcher(sku).matches()) {
      throw bad(f.path("sku"), "must be 3 to 40 upper-case letters, digits or inner dashes");
    }
    String name = f.string("name").strip();
    checkName(f.path(""), name);
    String description = f.optionalString("description");
    description = description == null ? "" : description.strip();
    checkDescription(f.path(""), description);
    String category = f.string("category");
    checkCategory(f.path(""), category);
    Money price = Money.read(f.object("price"), MAX_PRICE, CatalogContract.CURRENCY);
    Long stock = stockRequired ? Long.valueOf(f.integer("stock", 0, MAX_STOCK)) : f.optionalInteger("stock", 0, MAX_STOCK);
    return new ProductFields(sku, name, description, category, price, stock == null ? null : stock.intValue());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("sku", sku).put("name", name).put("description", description)
        .put("category", category).put("price", price.toJson());
    if (stock != null) {
      json.put("stock", stock);
    }
    return json;
  }

  private static void check(String at, String sku, String name, String description, String category, Money price, Integer stock) {
    if (sku == null || !SKU.matcher(sku).matches()) {
      throw bad(at + "sku", "must be 3 to 40 upper-case letters, digits or inner dashes");
    }
    if (name == null) {
      throw ServiceException.badRequest("'" + at + "name' is required");
    }
    checkName(at, name);
    checkDescription(at, description);
    checkCategory(at, category);
    if (price == null) {
      throw ServiceException.badRequest("'" + at + "price' is required");
    }
    if (price.amount() > MAX_PRICE) {
      throw bad(at + "price.amount", "must be an integer between 0 and " + MAX_PRICE);
    }
    if (!CatalogContract.CURRENCY.equals(price.currency())) {
      throw bad(at + "price.currency", "must be " + CatalogContract.CURRENCY);
    }
    if (stock != null && (stock < 0 || stock > MAX_STOCK)) {
      throw bad(at + "stock", "must be an integer between 0 and " + MAX_STOCK);
    }
  }

  /** {@code at} is the prefix of the field names: "" or "product.". */
  private static void checkName(String at, String name) {
    if (name.isEmpty()) {
      throw bad(prefix(at) + "name", "must not be blank");
    }
    if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
      throw bad(prefix(at) + "name", "must be at most " + MAX_NAME + " printable characters");
    }
  }

  private static void checkDescription(String at, String description) {
    // Line breaks are fine in a description; NUL is not (PostgreSQL text cannot hold it).
    if (description.length() > MAX_DESCRIPTION || description.indexOf('\0') >= 0) {
      throw bad(prefix(at) + "description", "must be at most " + MAX_DESCRIPTION + " characters, without NUL");
    }
  }

  private static void checkCategory(String at, String category) {
    if (category == null) {
      throw ServiceException.badRequest("'" + prefix(at) + "category' is required");
    }
    if (!CATEGORY.matcher(category).matches()) {
      throw bad(prefix(at) + "category", "must be a category id (lower-case letters, digits, dashes)");
    }
  }

  /** "" and "product." stay as they are; a bare path ("product", from {@link Fields#path}) gets its dot. */
  private static String prefix(String at) {
    return at.isEmpty() || at.endsWith(".") ? at : at + ".";
  }

  private static ServiceException bad(String path, String rule) {
    return ServiceException.badRequest("'" + path + "' " + rule);
  }
}
