package dev.vertxshop.catalog;

import dev.vertxshop.contracts.catalog.CatalogContract;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * The demo catalog: 10 categories of 30 products each, always the same. Ids are name-based UUIDs of
 * the sku and the rest comes from a fixed-seed {@link Random}, whose algorithm the JDK specifies, so
 * every replica and every release generates identical data.
 */
public final class DemoCatalog {

  /** A demo category. */
  public record Category(String id, String name) {
  }

  /** A demo product, in the catalog's own terms (price in minor units of {@link CatalogContract#CURRENCY}). */
  public record Product(UUID id, String sku, String name, String description, String category, long priceMinor, int stock) {
  }

  public static final int PRODUCTS_PER_CATEGORY = 30;
  private static final long SEED = 20_250_501L;

  private record Kind(Category category, String skuPrefix, long minPrice, long maxPrice, List<String> nouns) {
  }

  private static final List<Kind> KINDS = List.of(
      kind("books", "Books", "BOOK", 799, 4_999,
          "Novel", "Cookbook", "Atlas", "Biography", "Poetry Collection", "Field Guide", "Graphic Novel", "Travel Guide"),
      kind("electronics", "Electronics", "ELEC", 1_499, 49_999,
          "Headphones", "Speaker", "Charger", "Keyboard", "Mouse", "Webcam", "Power Bank", "Smartwatch"),
      kind("home-kitchen", "Home & Kitchen", "HOME", 999, 19_999,
          "Kettle", "Frying Pan", "Knife Set", "Cutting Board", "Coffee Grinder", "Teapot", "Mixing Bowl", "Blender"),
      kind("garden", "Garden", "GRDN", 499, 12_999,
          "Watering Can", "Pruning Shears", "Planter", "Garden Hose", "Trowel", "Seed Kit", "Bird Feeder", "Rake"),
      kind("sports", "Sports & Outdoors", "SPRT", 999, 29_999,
          "Yoga Mat", "Water Bottle", "Backpack", "Tent", "Running Shoes", "Dumbbell Set", "Bike Light", "Sleeping Bag"),
      kind("toys", "Toys & Games", "TOYS", 499, 8_999,
          "Puzzle", "Board Game", "Building Blocks", "Plush Bear", "Kite", "Card Game", "Toy Train", "Marble Run"),
      kind("fashion", "Fashion", "FASH", 999, 19_999,
          "T-Shirt", "Scarf", "Wool Hat", "Denim Jacket", "Sneakers", "Belt", "Raincoat", "Gloves"),
      kind("beauty", "Beauty", "BEAU", 399, 9_999,
          "Face Cream", "Shampoo", "Lip Balm", "Perfume", "Hand Soap", "Body Lotion", "Hair Brush", "Sunscreen"),
      kind("grocery", "Grocery", "GROC", 199, 2_999,
          "Olive Oil", "Coffee Beans", "Green Tea", "Dark Chocolate", "Honey", "Pasta", "Granola", "Hot Sauce"),
      kind("office", "Office Supplies", "OFFC", 299, 7_999,
          "Notebook", "Fountain Pen", "Desk Lamp", "Stapler", "Planner", "Sticky Notes", "Desk Organizer", "Highlighters"));

  private static final List<String> ADJECTIVES = List.of(
      "Classic", "Compact", "Deluxe", "Eco", "Essential", "Premium", "Rustic", "Smart",
      "Vintage", "Nordic", "Urban", "Everyday", "Pro", "Handmade", "Lightweight", "Sturdy");
  private static final List<String> COLOURS = List.of(
      "Black", "White", "Navy", "Sage", "Sand", "Charcoal", "Coral", "Olive", "Copper", "Plum");
  private static final List<String> PITCHES = List.of(
      "built to last", "made from recycled materials", "a customer favourite", "designed in Europe",
      "perfect as a gift", "easy to clean", "with a two-year warranty", "shipped in plastic-free packaging");

  private static final List<Category> CATEGORIES = KINDS.stream().map(Kind::category).toList();
  private static final List<Product> PRODUCTS = generate();

  private DemoCatalog() {
  }

  public static List<Category> categories() {
    return CATEGORIES;
  }

  public static List<Product> products() {
    return PRODUCTS;
  }

  /** The id of the demo product with {@code sku}: the same in every run. */
  public static UUID productId(String sku) {
    return UUID.nameUUIDFromBytes(("vertx-shop:demo-product:" + sku).getBytes(StandardCharsets.UTF_8));
  }

  private static List<Product> generate() {
    Random random = new Random(SEED);
    List<Product> products = new ArrayList<>(KINDS.size() * PRODUCTS_PER_CATEGORY);
    for (Kind kind : KINDS) {
      for (int i = 1; i <= PRODUCTS_PER_CATEGORY; i++) {
        String sku = String.format(Locale.ROOT, "%s-%04d", kind.skuPrefix(), i);
        String adjective = pick(random, ADJECTIVES);
        String noun = pick(random, kind.nouns());
        String colour = pick(random, COLOURS);
        String pitch = pick(random, PITCHES);
        String name = adjective + " " + noun + " (" + colour + ")";
        String article = "AEIOU".indexOf(adjective.charAt(0)) >= 0 ? "An " : "A ";
        String description = article + adjective.toLowerCase(Locale.ROOT) + " " + noun.toLowerCase(Locale.ROOT)
            + " in " + colour.toLowerCase(Locale.ROOT) + ", " + pitch + ".";
        // Shop prices end in .99.
        long span = kind.maxPrice() - kind.minPrice();
        long price = (kind.minPrice() + (long) (random.nextDouble() * span)) / 100 * 100 + 99;
        // About one in ten is sold out, so the storefront shows both states.
        int stock = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(500);
        products.add(new Product(productId(sku), sku, name, description, kind.category().id(), price, stock));
      }
    }
    return List.copyOf(products);
  }

  private static String pick(Random random, List<String> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static Kind kind(String id, String name, String skuPrefix, long minPrice, long maxPrice, String... nouns) {
    return new Kind(new Category(id, name), skuPrefix, minPrice, maxPrice, List.of(nouns));
  }
}
