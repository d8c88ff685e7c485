package dev.vertxshop.loadtest.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the shop sells, read through the public API before the load starts, and the feeders built from
 * it: real category ids, product ids, and search words taken from the product names, so that every
 * query hits the paths (and the data) a real visitor would.
 */
public final class ShopData {

  /** A product as the load needs it. */
  public record Product(String id, String name, String category, long price) {
  }

  private static final List<String> LIST_SORTS = List.of("name", "-name", "price", "-price");
  private static final List<String> SEARCH_SORTS = List.of("relevance", "relevance", "name", "price", "-price");
  private static final int PAGE_SIZE = 20;
  private static final AtomicLong SEQUENCE = new AtomicLong();
  /** Tells the shops of two runs apart, so that registrations never collide with an earlier run's. */
  private static final String RUN = Long.toString(System.currentTimeMillis(), 36) + Integer.toString(ThreadLocalRandom.current().nextInt(1296), 36);

  private final List<String> categories;
  private final List<Product> products;
  private final List<String> words;
  private final long maxPrice;

  private ShopData(List<String> categories, List<Product> products, List<String> words) {
    this.categories = List.copyOf(categories);
    this.products = List.copyOf(products);
    this.words = List.copyOf(words);
    this.maxPrice = products.stream().mapToLong(Product::price).max().orElse(10_000);
  }

  /** Reads categories and up to {@code maxProducts} products; waits up to {@code timeout} for the shop. */
  public static ShopData load(ShopClient client, Duration timeout, int maxProducts) {
    ShopClient.Answer categoriesAnswer = client.await("/api/categories", timeout);
    List<String> categories = new ArrayList<>();
    for (JsonNode category : categoriesAnswer.body().path("items")) {
      categories.add(category.path("id").asText());
    }
    List<Product> products = new ArrayList<>();
    for (int page = 1; products.size() < maxProducts; page++) {
      ShopClient.Answer answer = client.get("/api/products?size=100&page=" + page, null);
      if (!answer.ok()) {
        throw new IllegalStateException("GET /api/products page " + page + ": " + answer.status() + " " + ShopClient.abbreviate(answer.raw()));
      }
      JsonNode items = answer.body().path("items");
      for (JsonNode item : items) {
        products.add(new Product(item.path("id").asText(), item.path("name").asText(), item.path("category").asText(),
            item.path("price").path("amount").asLong()));
      }
      if (items.size() < 100) {
        break;
      }
    }
    if (categories.isEmpty() || products.isEmpty()) {
      throw new IllegalStateException("the shop at " + client.baseUrl() + " sells nothing: "
          + categories.size() + " categories, " + products.size() + " products (start it with the demo catalog)");
    }
    return new ShopData(categories, products, searchWords(products));
  }

  /** Lower-case words of 4+ letters from the product names: what visitors type. */
  static List<String> searchWords(List<Product> products) {
    Set<String> words = new TreeSet<>();
    for (Product product : products) {
      for (String word : product.name().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
        if (word.length() >= 4) {
          words.add(word);
        }
      }
    }
    return new ArrayList<>(words);
  }

  public List<Product> products() {
    return products;
  }

  public List<String> categories() {
    return categories;
  }

  public List<String> words() {
    return words;
  }

  /** {@code listQuery}: a catalog page as a visitor asks for it (a category most of the time, a sort, an early page). */
  public Iterator<Map<String, Object>> listFeeder() {
    return generate(() -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      StringBuilder query = new StringBuilder("size=").append(PAGE_SIZE);
      if (random.nextInt(10) < 8) {
        query.append("&category=").append(encode(pick(categories)));
        query.append("&page=").append(1 + (random.nextInt(4) == 0 ? 1 : 0));
      } else {
        query.append("&page=").append(1 + random.nextInt(3));
      }
      query.append("&sort=").append(encode(pick(LIST_SORTS)));
      return Map.<String, Object>of("listQuery", query.toString());
    });
  }

  /** {@code searchQuery}: one or two words from the names, sometimes narrowed by category or price. */
  public Iterator<Map<String, Object>> searchFeeder() {
    return generate(() -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      String q = pick(words);
      if (random.nextInt(4) == 0) {
        q = q + " " + pick(words);
      }
      StringBuilder query = new StringBuilder("q=").append(encode(q)).append("&size=").append(PAGE_SIZE);
      int narrowing = random.nextInt(10);
      if (narrowing < 3) {
        query.append("&category=").append(encode(pick(categories)));
      } else if (narrowing < 5) {
        long low = random.nextLong(Math.max(1, maxPrice / 2));
        query.append("&minPrice=").append(low).append("&maxPrice=").append(low + 1 + random.nextLong(Math.max(1, maxPrice)));
      }
      query.append("&sort=").append(encode(pick(SEARCH_SORTS)));
      return Map.<String, Object>of("searchQuery", query.toString(), "searchWord", q);
    });
  }

  /** {@code productId}, {@code quantity} (1..3), {@code quantity2} (1..5) and a fresh {@code orderKey}. */
  public Iterator<Map<String, Object>> basketFeeder() {
    return generate(() -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      Product product = pick(products);
      Product second = pick(products);
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("productId", product.id());
      values.put("secondProductId", second.id());
      values.put("quantity", 1 + random.nextInt(3));
      values.put("quantity2", 1 + random.nextInt(5));
      values.put("orderKey", UUID.randomUUID().toString());
      return values;
    });
  }

  /** A new visitor: a unique e-mail address (never registered before, in this run or another). */
  public static Iterator<Map<String, Object>> newcomerFeeder() {
    return generate(() -> {
      long n = SEQUENCE.incrementAndGet();
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("email", "shopper-" + RUN + "-" + n + "@loadtest.example");
      values.put("password", "load-test-" + RUN + "-" + n);
      values.put("name", "Shopper " + n);
      return values;
    });
  }

  /** Sets every product's stock to {@code stock}, so that the run measures checkouts, not sell-outs. */
  public void restock(ShopClient client, String adminToken, int stock) {
    int done = 0;
    for (Product product : products) {
      ShopClient.Answer current = client.get("/api/products/" + product.id(), null);
      if (!current.ok()) {
        throw new IllegalStateException("restock: GET " + product.id() + " answered " + current.status());
      }
      ObjectNode body = ShopClient.object();
      for (String field : List.of("sku", "name", "description", "category", "price")) {
        body.set(field, current.body().path(field));
      }
      body.put("stock", stock);
      // A stock is only set at the version it was read at (the catalog refuses an unconditional one).
      String version = "\"" + current.body().path("version").asLong() + "\"";
      ShopClient.Answer answer = client.put("/api/products/" + product.id(), body, adminToken, version);
      if (!answer.ok()) {
        throw new IllegalStateException("restock of " + product.id() + " answered " + answer.status() + " " + ShopClient.abbreviate(answer.raw()));
      }
      done++;
    }
    System.out.printf("restocked %d products to %d units%n", done, stock);
  }

  /**
   * An endless feeder calling {@code values} for each record: stateless, hence safe whichever Gatling
   * thread asks (a {@code Stream.generate(...).iterator()} would not be).
   */
  static Iterator<Map<String, Object>> generate(java.util.function.Supplier<Map<String, Object>> values) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Map<String, Object> next() {
        return values.get();
      }
    };
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static <T> T pick(List<T> values) {
    return values.get(ThreadLocalRandom.current().nextInt(values.size()));
  }
}
