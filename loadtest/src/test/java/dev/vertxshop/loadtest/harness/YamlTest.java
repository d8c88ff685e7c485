package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class YamlTest {

  @Test
  @DisplayName("anchors, aliases and merge keys: explicit keys win, then the first merged map")
  void merges() {
    Object doc = Yaml.parse("""
        x-a: &a
          cpus: 1.0
          env: { A: "1", B: '2' }
        x-b: &b
          cpus: 2.0
          mem: 1g
        s:
          <<: [*a, *b]
          mem: 768m   # a comment
          list: ["x, y", z]
        """);

    assertThat(Yaml.text(doc, "s", "cpus")).isEqualTo("1.0");
    assertThat(Yaml.text(doc, "s", "mem")).isEqualTo("768m");
    assertThat(Yaml.text(doc, "s", "env", "B")).isEqualTo("2");
    assertThat(Yaml.list(doc, "s", "list")).containsExactly("x, y", "z");
  }

  @Test
  @DisplayName("compact sequences of mappings as kustomize writes them, block scalars, several documents")
  void kustomizeStyle() {
    List<Object> docs = Yaml.parseAll("""
        kind: Deployment
        spec:
          containers:
          - name: catalog
            env:
            - name: A
              value: "x"
            args:
            - |
              line one
              line two
        ---
        kind: Service
        """);

    assertThat(docs).hasSize(2);
    assertThat(Yaml.text(docs.get(0), "spec", "containers", 0, "env", 0, "value")).isEqualTo("x");
    assertThat(Yaml.text(docs.get(0), "spec", "containers", 0, "args", 0)).isEqualTo("line one\nline two\n");
    assertThat(Yaml.text(docs.get(1), "kind")).isEqualTo("Service");
  }
}
