package dev.vertxshop.loadtest.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ShopDataTest {

  private static final List<ShopData.Product> PRODUCTS = List.of(
      new ShopData.Product("11111111-1111-1111-1111-111111111111", "Blue Field Guide 3", "books", 1999),
      new ShopData.Product("22222222-2222-2222-2222-222222222222", "Smart Power Bank", "electronics", 4999),
      new ShopData.Product("33333333-3333-3333-3333-333333333333", "Café Crème Teapot", "home-kitchen", 2599));

  private static Map<String, String> query(String query) {
    Map<String, String> values = new HashMap<>();
    for (String pair : query.split("&")) {
      String[] kv = pair.split("=", 2);
      values.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return values;
  }

  @Test
  @DisplayName("search words are the lower-case words of four letters or more of the product names, accents kept")
  void searchWords() {
    assertThat(ShopData.searchWords(PRODUCTS)).containsExactly("bank", "blue", "café", "crème", "field", "guide", "power", "smart", "teapot");
  }

  @Test
  @DisplayName("search queries stay within what the API accepts: a page size of 20, a sort it knows, minPrice below maxPrice")
  void searchQueriesAreValid() throws Exception {
    ShopData data = newData();
    Iterator<Map<String, Object>> feeder = data.searchFeeder();
    for (int i = 0; i < 2000; i++) {
      Map<String, String> q = query((String) feeder.next().get("searchQuery"));
      assertThat(q.get("size")).isEqualTo("20");
      assertThat(q.get("sort")).isIn("relevance", "name", "price", "-price");
      assertThat(q.get("q")).isNotBlank().hasSizeLessThanOrEqualTo(200);
      if (q.containsKey("minPrice")) {
        assertThat(Long.parseLong(q.get("minPrice"))).isLessThan(Long.parseLong(q.get("maxPrice")));
      }
      if (q.containsKey("category")) {
        assertThat(q.get("category")).isIn("books", "electronics");
      }
    }
  }

  @Test
  @DisplayName("list queries ask for an early page of a real category, or of everything, with a sort the API knows")
  void listQueriesAreValid() throws Exception {
    Iterator<Map<String, Object>> feeder = newData().listFeeder();
    for (int i = 0; i < 2000; i++) {
      Map<String, String> q = query((String) feeder.next().get("listQuery"));
      assertThat(Integer.parseInt(q.get("page"))).isBetween(1, 3);
      assertThat(q.get("sort")).isIn("name", "-name", "price", "-price");
    }
  }

  @Test
  @DisplayName("newcomers never share an e-mail address")
  void newcomersAreUnique() {
    Iterator<Map<String, Object>> feeder = ShopData.newcomerFeeder();
    assertThat(java.util.stream.IntStream.range(0, 1000).mapToObj(i -> feeder.next().get("email")).distinct().count()).isEqualTo(1000);
  }

  private static ShopData newData() throws Exception {
    var constructor = ShopData.class.getDeclaredConstructor(List.class, List.class, List.class);
    constructor.setAccessible(true);
    return constructor.newInstance(List.of("books", "electronics"), PRODUCTS, ShopData.searchWords(PRODUCTS));
  }
}
