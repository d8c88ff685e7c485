package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.Route;

/**
 * The catalog's published contract: its routes (address, request record, reply record), the product topic
 * and its event. Every request and reply is a record of this package, which is the message's format: its
 * {@code toJson} is the JSON on the wire, its {@code fromJson} the strict reader both sides use (an unknown
 * field, a wrong type or a missing field is BAD_REQUEST naming the field). Money is
 * {@link dev.vertxshop.contracts.Money}; products are {@link Product}.
 */
public final class CatalogContract {

  private CatalogContract() {
  }

  /** {@link GetProduct} → {@link Product}. Fails NOT_FOUND. */
  public static final Route<GetProduct, Product> GET_PRODUCT = Route.idempotent("catalog.product.get",
      GetProduct.class, GetProduct::fromJson, Product.class, Product::fromJson);

  /** {@link ListProducts} → {@link ProductPage}. */
  public static final Route<ListProducts, ProductPage> LIST_PRODUCTS = Route.idempotent("catalog.product.list",
      ListProducts.class, ListProducts::fromJson, ProductPage.class, ProductPage::fromJson);

  /** {@link CreateProduct} → the created {@link Product} (version 1). Fails BAD_REQUEST (also an unknown category), CONFLICT (sku taken). */
  public static final Route<CreateProduct, Product> CREATE_PRODUCT = Route.once("catalog.product.create",
      CreateProduct.class, CreateProduct::fromJson, Product.class, Product::fromJson);

  /**
   * {@link UpdateProduct} → the updated {@link Product}. Every field of create is replaced, except {@code stock},
   * which is optional: absent, the stock stays as it is; present, it is set only with a {@code version} (BAD_REQUEST
   * without one), since reservations move it all the time. A given {@code version} that is not the current one fails
   * PRECONDITION_FAILED, nothing changed. Fails NOT_FOUND, BAD_REQUEST, CONFLICT (sku taken).
   */
  public static final Route<UpdateProduct, Product> UPDATE_PRODUCT = Route.once("catalog.product.update",
      UpdateProduct.class, UpdateProduct::fromJson, Product.class, Product::fromJson);

  /**
   * {@link AdjustStock} → {@link StockAdjusted}. Moves stock relatively, with a row in the stock ledger naming the
   * reason. Fails NOT_FOUND, BAD_REQUEST (also a level above 1 000 000), CONFLICT (the level would go below 0
   * available, i.e. fewer units on hand than reservations hold; nothing changed), PRECONDITION_FAILED (a
   * {@code version} not the current one). Not idempotent: never re-sent. An admin write: the gateway serves it to
   * the admin token only.
   */
  public static final Route<AdjustStock, StockAdjusted> ADJUST_STOCK = Route.once("catalog.stock.adjust",
      AdjustStock.class, AdjustStock::fromJson, StockAdjusted.class, StockAdjusted::fromJson);

  /** {@link ListCategories} → {@link Categories}, sorted by name. */
  public static final Route<ListCategories, Categories> LIST_CATEGORIES = Route.idempotent("catalog.category.list",
      ListCategories.class, ListCategories::fromJson, Categories.class, Categories::fromJson);

  /** {@link GetProducts} → {@link ProductList}; unknown ids are left out. */
  public static final Route<GetProducts, ProductList> GET_PRODUCTS = Route.idempotent("catalog.product.getMany",
      GetProducts.class, GetProducts::fromJson, ProductList.class, ProductList::fromJson);

  /**
   * {@link ReserveStock} → {@link Reservation}. All lines or none: takes the units from stock and holds them for
   * the order. Idempotent per order id (a repeat returns the existing reservation exactly as it was made, same
   * lines, same prices, whatever lines it asks for; concurrent reserves of one order id make one reservation).
   * Lines of the same product are merged (quantities added). Fails CONFLICT (not enough stock: the message names
   * the product; or the order's reservation was already released), NOT_FOUND (unknown product), BAD_REQUEST.
   *
   * <p>Stock moved by reservations (reserve, release) increments the product's {@code version} and
   * {@code updatedAt} but publishes NO {@link #PRODUCT_UPSERTED} event: it changes with every sale, too
   * hot for the product topic, so {@code stock} in product events (and in the search index) can lag.
   */
  public static final Route<ReserveStock, Reservation> RESERVE_STOCK = Route.idempotent("catalog.stock.reserve",
      ReserveStock.class, ReserveStock::fromJson, Reservation.class, Reservation::fromJson);

  /**
   * {@link ReservationOf} → {@link ReservationStatus} RELEASED or NONE: units back to stock. Idempotent; refused
   * (CONFLICT) once committed. NONE: there was no reservation; the catalog then records the order as released, so
   * that a reserve arriving later (a saga that cancelled before its reserve was delivered) fails CONFLICT. A
   * repeated release, also of such an order, answers RELEASED.
   */
  public static final Route<ReservationOf, ReservationStatus> RELEASE_STOCK = Route.idempotent("catalog.stock.release",
      ReservationOf.class, ReservationOf::fromJson, ReservationStatus.class, ReservationStatus::fromJson);

  /** {@link ReservationOf} → {@link ReservationStatus} COMMITTED: the held units are sold. Idempotent; CONFLICT if released, NOT_FOUND if never reserved. */
  public static final Route<ReservationOf, ReservationStatus> COMMIT_STOCK = Route.idempotent("catalog.stock.commit",
      ReservationOf.class, ReservationOf::fromJson, ReservationStatus.class, ReservationStatus::fromJson);

  /** Compacted topic, key = product id, value = event envelope whose {@code data} is the whole product ({@link ProductUpserted}). */
  public static final String PRODUCTS_TOPIC = "shop.catalog.products";
  /** Event type of every product change (the envelope carries the full, current product). */
  public static final String PRODUCT_UPSERTED = "ProductUpserted";

  public static final int MAX_PAGE_SIZE = 100;
  public static final String CURRENCY = dev.vertxshop.contracts.Money.EUR;
}
