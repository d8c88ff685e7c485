package dev.vertxshop.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** YAML documents as Vert.x JSON (anchors and merge keys resolved), the shape every check works on. */
public final class Yamls {

  private Yamls() {
  }

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(500);
    return new Yaml(new SafeConstructor(options));
  }

  public static JsonObject load(String text) {
    Object doc = yaml().load(text);
    if (!(doc instanceof Map)) {
      throw new IllegalArgumentException("not a YAML mapping");
    }
    return new JsonObject(normalize(doc, "").asMap());
  }

  /** Every non-empty document of a multi-document stream. */
  public static List<JsonObject> loadAll(String text) {
    List<JsonObject> docs = new ArrayList<>();
    for (Object doc : yaml().loadAll(text)) {
      if (doc == null) {
        continue;
      }
      if (!(doc instanceof Map)) {
        throw new IllegalArgumentException("a document is not a YAML mapping: " + doc);
      }
      docs.add(new JsonObject(normalize(doc, "").asMap()));
    }
    return docs;
  }

  /** Mappings with string keys only (YAML allows others; none of our formats does). */
  private static Node normalize(Object value, String at) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException("non-string key " + e.getKey() + " at " + at);
        }
        out.put(key, normalize(e.getValue(), at + "/" + key).value());
      }
      return new Node(new JsonObject(out));
    }
    if (value instanceof List<?> list) {
      JsonArray out = new JsonArray();
      for (int i = 0; i < list.size(); i++) {
        out.add(normalize(list.get(i), at + "/" + i).value());
      }
      return new Node(out);
    }
    return new Node(value);
  }

  private record Node(Object value) {
    Map<String, Object> asMap() {
      return ((JsonObject) value).getMap();
    }
  }
}
