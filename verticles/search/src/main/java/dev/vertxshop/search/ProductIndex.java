package dev.vertxshop.search;

import dev.vertxshop.contracts.search.SearchQuery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.StringDocValuesReaderState;
import org.apache.lucene.facet.StringValueFacetCounts;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;

/**
 * The Lucene index of the products: one document per product id, upserted by id, searchable after
 * {@link #refresh()}. Every method blocks; the owning verticle calls them from worker threads, writes
 * in order. IndexWriter and SearcherManager are thread-safe, so searches may run concurrently.
 */
final class ProductIndex implements Closeable {

  static final String ID = "id";
  static final String NAME = "name";
  static final String DESCRIPTION = "description";
  static final String NAME_SORT = "name_sort";
  static final String CATEGORY = "category";
  static final String PRICE = "price";
  /** The product JSON as the event carried it: replies return it unchanged. */
  static final String SOURCE = "source";

  /** A name match counts double a description match: "lamp" should rank the lamps before the bulbs. */
  private static final Map<String, Float> TEXT_FIELDS = Map.of(NAME, 2f, DESCRIPTION, 1f);
  private static final int MAX_SORT_KEY = 512;
  private static final int MAX_FACET_VALUES = 100;
  private static final Sort BY_RELEVANCE = new Sort(SortField.FIELD_SCORE,
      new SortField(NAME_SORT, SortField.Type.STRING), new SortField(ID, SortField.Type.STRING));
  // Ties broken by id in the same direction, so that pages never overlap or skip.
  private static final Map<String, Sort> SORTS = Map.of(
      "relevance", BY_RELEVANCE,
      "name", new Sort(new SortField(NAME_SORT, SortField.Type.STRING), new SortField(ID, SortField.Type.STRING)),
      "-name", new Sort(new SortField(NAME_SORT, SortField.Type.STRING, true), new SortField(ID, SortField.Type.STRING, true)),
      "price", new Sort(new SortField(PRICE, SortField.Type.LONG), new SortField(ID, SortField.Type.STRING)),
      "-price", new Sort(new SortField(PRICE, SortField.Type.LONG, true), new SortField(ID, SortField.Type.STRING, true)));

  private final Directory directory;
  private final Analyzer analyzer;
  private final IndexWriter writer;
  private final SearcherManager searchers;

  private ProductIndex(Directory directory, Analyzer analyzer, IndexWriter writer, SearcherManager searchers) {
    this.directory = directory;
    this.analyzer = analyzer;
    this.writer = writer;
    this.searchers = searchers;
  }

  /**
   * Opens an empty index in memory ({@code dir} null) or in {@code dir}. Whatever a directory held is
   * discarded: the topic is the source of truth and is replayed in full at every start.
   */
  static ProductIndex open(Path dir) throws IOException {
    Directory directory = dir == null ? new ByteBuffersDirectory() : FSDirectory.open(dir);
    Analyzer analyzer = analyzer();
    try {
      IndexWriter writer = new IndexWriter(directory,
          new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE));
      return new ProductIndex(directory, analyzer, writer, new SearcherManager(writer, null));
    } catch (IOException | RuntimeException e) {
      analyzer.close();
      directory.close();
      throw e;
    }
  }

  /**
   * Standard tokenization, lower case, accents folded: "Café" is found by "cafe". No stemming, so
   * that what matches is what the user typed; prefixes ({@code lam*}) cover the rest.
   */
  static Analyzer analyzer() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        StandardTokenizer source = new StandardTokenizer();
        return new TokenStreamComponents(source, new ASCIIFoldingFilter(new LowerCaseFilter(source)));
      }

      @Override
      protected TokenStream normalize(String fieldName, TokenStream in) {
        return new ASCIIFoldingFilter(new LowerCaseFilter(in));
      }
    };
  }

  /** Applies {@code changes} in order; an upsert replaces the document of its id, so replays are harmless. */
  void apply(List<ProductChange> changes) throws IOException {
    for (ProductChange change : changes) {
      Term id = new Term(ID, change.id());
      if (change.isRemoval()) {
        writer.deleteDocuments(id);
      } else {
        writer.updateDocument(id, document(change.product()));
      }
    }
  }

  /** Makes every applied change visible to searches. */
  void refresh() throws IOException {
    searchers.maybeRefreshBlocking();
  }

  /** Products visible to searches. */
  int size() throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      return searcher.getIndexReader().numDocs();
    } finally {
      searchers.release(searcher);
    }
  }

  /**
   * Runs {@code query}: the page of products, the exact total, and the category facet over the text
   * and price matches ignoring the category filter, so that a shopper sees what the other categories
   * would give (the usual drill-sideways behaviour of a shop's facet list).
   */
  JsonObject search(SearchQuery query) throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      Query base = baseQuery(query);
      FacetsCollector matches = searcher.search(base, new FacetsCollectorManager());
      JsonArray facet = categoryFacet(searcher, matches);
      Query hits = base;
      long total;
      if (query.category() == null) {
        total = matches.getMatchingDocs().stream().mapToLong(m -> m.totalHits).sum();
      } else {
        hits = new BooleanQuery.Builder()
            .add(base, Occur.MUST)
            .add(new TermQuery(new Term(CATEGORY, query.category())), Occur.FILTER)
            .build();
        // Every product has one category: its facet count is exactly the filtered total.
        total = facet.stream().map(JsonObject.class::cast).filter(v -> v.getString("value").equals(query.category()))
            .mapToLong(v -> v.getLong("count")).findFirst().orElse(0);
      }
      // The facet pass already counted every match, so the top-N pass may stop counting early.
      TopFieldDocs top = searcher.search(hits,
          new TopFieldCollectorManager(SORTS.get(query.sort()), query.window(), null, query.window()));
      StoredFields stored = searcher.storedFields();
      JsonArray items = new JsonArray();
      ScoreDoc[] docs = top.scoreDocs;
      for (int i = query.offset(); i < docs.length; i++) {
        items.add(new JsonObject(stored.document(docs[i].doc, Set.of(SOURCE)).get(SOURCE)));
      }
      return new JsonObject()
          .put("items", items)
          .put("page", query.page())
          .put("size", query.size())
          .put("total", total)
          .put("facets", new JsonObject().put(CATEGORY, facet));
    } finally {
      searchers.release(searcher);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      searchers.close();
      writer.close();
    } finally {
      analyzer.close();
      directory.close();
    }
  }

  private Query baseQuery(SearchQuery query) {
    Query text = text(query.text());
    if (query.minPrice() == null && query.maxPrice() == null) {
      return text;
    }
    long min = query.minPrice() == null ? Long.MIN_VALUE : query.minPrice();
    long max = query.maxPrice() == null ? Long.MAX_VALUE : query.maxPrice();
    return new BooleanQuery.Builder()
        .add(text, Occur.MUST)
        .add(LongPoint.newRangeQuery(PRICE, min, max), Occur.FILTER)
        .build();
  }

  /**
   * The free-text query. SimpleQueryParser understands a shopper's operators ({@code "a phrase"},
   * {@code -not}, {@code a | b}, {@code pre*}) and never fails on malformed input; every word must
   * match somewhere. Should it still throw, the words are searched plainly, without operators.
   */
  Query text(String text) {
    if (text == null) {
      return new MatchAllDocsQuery();
    }
    Query parsed;
    try {
      SimpleQueryParser parser = new SimpleQueryParser(analyzer, TEXT_FIELDS);
      parser.setDefaultOperator(Occur.MUST);
      parsed = parser.parse(text);
    } catch (RuntimeException e) {
      parsed = plainWords(text);
    }
    // Input made only of operators or punctuation has no words: it matches nothing, it is not an error.
    return parsed == null ? new MatchNoDocsQuery("no words in the query") : parsed;
  }

  private Query plainWords(String text) {
    QueryBuilder builder = new QueryBuilder(analyzer);
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    boolean hasWords = false;
    for (Map.Entry<String, Float> field : TEXT_FIELDS.entrySet()) {
      Query words = builder.createBooleanQuery(field.getKey(), text, Occur.MUST);
      if (words != null) {
        any.add(new BoostQuery(words, field.getValue()), Occur.SHOULD);
        hasWords = true;
      }
    }
    return hasWords ? any.build() : null;
  }

  private static JsonArray categoryFacet(IndexSearcher searcher, FacetsCollector matches) throws IOException {
    JsonArray values = new JsonArray();
    if (matches.getMatchingDocs().stream().allMatch(m -> m.totalHits == 0)) {
      return values;
    }
    StringDocValuesReaderState state = new StringDocValuesReaderState(searcher.getIndexReader(), CATEGORY);
    FacetResult result = new StringValueFacetCounts(state, matches).getAllChildren(CATEGORY);
    if (result == null || result.labelValues == null) {
      return values;
    }
    List<LabelAndValue> counts = new ArrayList<>(List.of(result.labelValues));
    counts.sort(Comparator.comparingLong((LabelAndValue lv) -> -lv.value.longValue()).thenComparing(lv -> lv.label));
    counts.stream().limit(MAX_FACET_VALUES)
        .forEach(lv -> values.add(new JsonObject().put("value", lv.label).put("count", lv.value.longValue())));
    return values;
  }

  private static Document document(JsonObject product) {
    String id = product.getString("id");
    String name = product.getString("name");
    String category = product.getString("category");
    long price = product.getJsonObject("price").getLong("amount");
    Document doc = new Document();
    doc.add(new StringField(ID, id, Field.Store.NO));
    doc.add(new SortedDocValuesField(ID, new BytesRef(id)));
    doc.add(new TextField(NAME, name, Field.Store.NO));
    doc.add(new TextField(DESCRIPTION, product.getString("description", ""), Field.Store.NO));
    doc.add(new SortedDocValuesField(NAME_SORT, new BytesRef(sortKey(name))));
    doc.add(new StringField(CATEGORY, category, Field.Store.NO));
    doc.add(new SortedSetDocValuesField(CATEGORY, new BytesRef(category)));
    doc.add(new LongPoint(PRICE, price));
    doc.add(new NumericDocValuesField(PRICE, price));
    doc.add(new StoredField(SOURCE, product.encode()));
    return doc;
  }

  // Case-insensitive name order; doc values terms are limited in size, and 512 chars decide any order.
  private static String sortKey(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    return key.length() > MAX_SORT_KEY ? key.substring(0, MAX_SORT_KEY) : key;
  }
}
