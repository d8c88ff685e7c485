package dev.vertxshop.contracts.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

@Label("search messages: what toJson writes, fromJson reads back equal; what the contract refuses, it refuses on both sides")
class SearchMessagesTest {

  @Property(tries = 300)
  @Label("SearchQuery round trip, through the wire's text")
  void roundTrip(@ForAll("queries") SearchQuery query) {
    assertThat(SearchQuery.fromJson(new JsonObject(query.toJson().encode()))).isEqualTo(query);
  }

  @Example
  @Label("defaults: page 1, size 20, relevance; a blank text is every product")
  void defaults() {
    assertThat(SearchQuery.fromJson(new JsonObject().put("q", "  ")))
        .isEqualTo(new SearchQuery(null, null, null, null, "relevance", 1, 20));
  }

  @Example
  @Label("unknown fields, wrong types, bad ranges and a page beyond the window are BAD_REQUEST naming the field")
  void refusals() {
    assertRefused(new JsonObject().put("query", "x"), "unknown field 'query'");
    assertRefused(new JsonObject().put("q", 5), "'q' must be a string");
    assertRefused(new JsonObject().put("size", 2.5), "'size' must be an integer, not a fraction");
    assertRefused(new JsonObject().put("minPrice", 10).put("maxPrice", 5), "'minPrice' must not be greater than 'maxPrice'");
    assertRefused(new JsonObject().put("sort", "cheapest"), "'sort' must be one of");
    assertRefused(new JsonObject().put("category", "Lamps!"), "'category' must be a category id");
    assertRefused(new JsonObject().put("page", 200).put("size", 100), "'page' times 'size' must be at most 10000");
    assertRefused(new JsonObject().put("q", "x".repeat(201)), "'q' must be at most 200 characters");
    // The record itself holds the same rules: a client cannot build what the service would refuse.
    assertThatThrownBy(() -> new SearchQuery(null, null, null, null, null, 0, 20))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
  }

  @Provide
  Arbitrary<SearchQuery> queries() {
    Arbitrary<String> text = Arbitraries.strings().ofMinLength(1).ofMaxLength(SearchQuery.MAX_TEXT)
        .filter(s -> !s.isBlank()).injectNull(0.3);
    Arbitrary<String> category = Arbitraries.strings().withChars("abcxyz019-").ofMinLength(1).ofMaxLength(20)
        .map(s -> "c" + s).injectNull(0.5);
    Arbitrary<Long> low = Arbitraries.longs().between(0, 1_000_000).injectNull(0.5);
    Arbitrary<Long> span = Arbitraries.longs().between(0, 1_000_000).injectNull(0.5);
    Arbitrary<String> sort = Arbitraries.of(SearchQuery.SORTS);
    Arbitrary<Integer> page = Arbitraries.integers().between(1, 100);
    Arbitrary<Integer> size = Arbitraries.integers().between(1, SearchQuery.MAX_SIZE);
    return Combinators.combine(text, category, low, span, sort, page, size).as((q, c, min, extra, s, p, n) ->
        new SearchQuery(q, c, min, min == null || extra == null ? extra : Long.valueOf(min + extra), s, p, n));
  }

  private static void assertRefused(JsonObject body, String message) {
    assertThatThrownBy(() -> SearchQuery.fromJson(body))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
          assertThat(e.getMessage()).contains(message);
        });
  }
}
