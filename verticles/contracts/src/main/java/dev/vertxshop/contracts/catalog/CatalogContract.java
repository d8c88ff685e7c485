package dev.vertxshop.contracts.catalog;

/**
 * The catalog's published contract: event-bus addresses, the product topic and the field names of its
 * messages.
 *
 * <p>A product is a JSON object: {@code id} (UUID string), {@code sku}, {@code name}, {@code description},
 * {@code category} (a category id), {@code price} ({@code {"amount": <integer minor units>, "currency":
 * "EUR"}}), {@code stock} (units available), {@code version} (incremented by every change),
 * {@code createdAt}, {@code updatedAt} (ISO-8601 instants). A category is {@code {"id", "name"}}.
 */
public final class CatalogContract {

  private CatalogContract() {
  }

  /** {@code {"id"}} → product. Fails NOT_FOUND. */
  public static final String GET_PRODUCT = "catalog.product.get";
  /**
   * {@code {"page" (from 1), "size" (1..100), "category"?, "sort"? ("name"|"-name"|"price"|"-price")}}
   * → {@code {"items": [product], "page", "size", "total"}}.
   */
  public static final String LIST_PRODUCTS = "catalog.product.list";
  /** New product fields (no id, version, timestamps) → the created product. Fails BAD_REQUEST, CONFLICT (sku taken). */
  public static final String CREATE_PRODUCT = "catalog.product.create";
  /**
   * {@code {"id", "product": fields, "version"?}} → the updated product. Every field of create is replaced, except
   * {@code stock}, which is optional: absent, the stock stays as it is; present, it is set only with a {@code version}
   * (BAD_REQUEST without one), since reservations move it all the time. A given {@code version} that is not the current
   * one fails PRECONDITION_FAILED, nothing changed. Fails NOT_FOUND, BAD_REQUEST, CONFLICT (sku taken).
   */
  public static final String UPDATE_PRODUCT = "catalog.product.update";
  /**
   * {@code {"productId", "delta" (a non-zero integer, -1 000 000..1 000 000), "reason" (1..200 characters), "version"?}}
   * → {@code {"productId", "delta", "reason", "stock" (the new level, available now), "held" (units held by
   * reservations), "version"}}. Moves stock relatively, with a row in the stock ledger naming the reason. Fails
   * NOT_FOUND, BAD_REQUEST (also a level above 1 000 000), CONFLICT (the level would go below 0 available, i.e. fewer
   * units on hand than reservations hold; nothing changed), PRECONDITION_FAILED (a {@code version} not the current one).
   * Not idempotent: callers do not re-send it. An admin write: the gateway serves it to the admin token only.
   */
  public static final String ADJUST_STOCK = "catalog.stock.adjust";
  /** {@code {}} → {@code {"items": [category]}}. */
  public static final String LIST_CATEGORIES = "catalog.category.list";

  /** {@code {"ids": [id] (1..100)}} → {@code {"items": [product]}}; unknown ids are left out. */
  public static final String GET_PRODUCTS = "catalog.product.getMany";
  /**
   * {@code {"orderId", "lines": [{"productId", "quantity"}]}} → {@code {"orderId", "status": "RESERVED",
   * "lines": [{"productId", "name", "quantity", "unitPrice": money}]}}. All lines or none: takes the units
   * from stock and holds them for the order. Idempotent per order id (a repeat returns the existing
   * reservation). Fails CONFLICT (not enough stock: the message names the product), NOT_FOUND (unknown
   * product), BAD_REQUEST; and CONFLICT if the order's reservation was already released.
   *
   * <p>Details: 1..50 lines, quantity 1..99 per line; lines of the same product are merged (quantities
   * added). Reply lines come in product-id order with the name and unit price at reservation time, and
   * the reply also carries {@code "state": "HELD"|"COMMITTED"}. A repeat returns the existing reservation exactly as it was made (same lines,
   * same prices), whatever lines it asks for. Concurrent reserves of one order id make one reservation.
   *
   * <p>Stock moved by reservations (reserve, release) increments the product's {@code version} and
   * {@code updatedAt} but publishes NO {@link #PRODUCT_UPSERTED} event: it changes with every sale, too
   * hot for the product topic, so {@code stock} in product events (and in the search index) can lag.
   */
  public static final String RESERVE_STOCK = "catalog.stock.reserve";
  /**
   * {@code {"orderId"}} → {@code {"orderId", "status": "RELEASED"|"NONE"}}: units back to stock. Idempotent; refused (CONFLICT) once committed.
   *
   * <p>NONE: there was no reservation; the catalog then records the order as released, so that a
   * reserve arriving later (a saga that cancelled before its reserve was delivered) fails CONFLICT. A
   * repeated release, also of such an order, answers RELEASED.
   */
  public static final String RELEASE_STOCK = "catalog.stock.release";
  /** {@code {"orderId"}} → {@code {"orderId", "status": "COMMITTED"}}: the held units are sold. Idempotent; CONFLICT if released, NOT_FOUND if never reserved. */
  public static final String COMMIT_STOCK = "catalog.stock.commit";

  /** Compacted topic, key = product id, value = event envelope whose {@code data} is the whole product. */
  public static final String PRODUCTS_TOPIC = "shop.catalog.products";
  /** Event type of every product change (the envelope carries the full, current product). */
  public static final String PRODUCT_UPSERTED = "ProductUpserted";

  public static final int MAX_PAGE_SIZE = 100;
  public static final String CURRENCY = "EUR";
}
