package dev.vertxshop.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.testing.ClusterKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("ClusterSecurity: the cluster secret and the event bus's TLS material, required unless explicitly open")
class ClusterSecurityTest {

  private final ClusterKeys keys = ClusterKeys.shared();

  @Test
  @DisplayName("a clustered node without secret or certificate does not start, naming the variable")
  void requiredByDefault() {
    assertThatThrownBy(() -> ClusterSecurity.from(Env.of(Map.of()))).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SHOP_CLUSTER_SECRET:").hasMessageContaining("SHOP_CLUSTER_INSECURE");
    Map<String, String> noTls = Map.of("SHOP_CLUSTER_SECRET", keys.secret);
    assertThatThrownBy(() -> ClusterSecurity.from(Env.of(noTls))).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SHOP_CLUSTER_TLS_CERT:");
    Map<String, String> noSecret = new HashMap<>(keys.env());
    noSecret.remove("SHOP_CLUSTER_SECRET");
    assertThatThrownBy(() -> ClusterSecurity.from(Env.of(noSecret))).hasMessageStartingWith("SHOP_CLUSTER_SECRET:");
  }

  @Test
  @DisplayName("PEM values and PEM file paths both work; the closed cluster reports no opening")
  void valuesAndPaths(@TempDir Path dir) throws Exception {
    ClusterSecurity fromValues = ClusterSecurity.from(Env.of(keys.env()));
    ClusterSecurity fromFiles = ClusterSecurity.from(Env.of(keys.writeTo(dir)));
    assertThat(fromValues.secret()).contains(keys.secret);
    assertThat(fromFiles.tls().orElseThrow().key().toString().strip()).isEqualTo(keys.keyPem.strip());
    assertThat(fromFiles.tls().orElseThrow().cert().toString().strip())
        .isEqualTo(fromValues.tls().orElseThrow().cert().toString().strip());
    assertThat(fromValues.openings()).isEmpty();
    assertThat(fromValues.insecure()).isFalse();
  }

  @Test
  @DisplayName("broken key material is refused without repeating it: partial, unreadable, not PEM, a short secret")
  void brokenMaterial(@TempDir Path dir) throws Exception {
    Map<String, String> partial = new HashMap<>(keys.env());
    partial.remove("SHOP_CLUSTER_TLS_KEY");
    partial.put("SHOP_CLUSTER_INSECURE", "true");
    assertThatThrownBy(() -> ClusterSecurity.from(Env.of(partial))).hasMessageStartingWith("SHOP_CLUSTER_TLS_KEY:");

    Map<String, String> missingFile = new HashMap<>(keys.env());
    missingFile.put("SHOP_CLUSTER_TLS_KEY", dir.resolve("nowhere.key").toString());
    assertThatThrownBy(() -> ClusterSecurity.from(Env.of(missingFile))).hasMessageStartingWith("SHOP_CLUSTER_TLS_KEY:")
        .hasMessageContaining("neither PEM text nor a readable file");

    Path notPem = Files.writeString(dir.resolve("cert.txt"), "hello");
    Map<String, String> wrongType = new HashMap<>(keys.env());
    wrongType.put("SHOP_CLUSTER_TLS_CERT", notPem.toString());
    assertThatThrownBy(() -> ClusterSecurity.from(Env.of(wrongType))).hasMessageStartingWith("SHOP_CLUSTER_TLS_CERT:")
        .hasMessageContaining("no PEM 'CERTIFICATE' block");
    Map<String, String> keyAsCert = new HashMap<>(keys.env());
    keyAsCert.put("SHOP_CLUSTER_TLS_CA", keys.keyPem);
    assertThatThrownBy(() -> ClusterSecurity.from(Env.of(keyAsCert))).hasMessageStartingWith("SHOP_CLUSTER_TLS_CA:")
        .hasMessageNotContaining(keys.keyPem.substring(40, 80));

    Map<String, String> shortSecret = new HashMap<>(keys.env());
    shortSecret.put("SHOP_CLUSTER_SECRET", "too-short");
    assertThatThrownBy(() -> ClusterSecurity.from(Env.of(shortSecret))).hasMessageStartingWith("SHOP_CLUSTER_SECRET:")
        .hasMessageNotContaining("too-short");
  }

  @Test
  @DisplayName("SHOP_CLUSTER_INSECURE=true runs open, and says what is open")
  void explicitlyOpen() {
    ClusterSecurity open = ClusterSecurity.from(Env.of(Map.of("SHOP_CLUSTER_INSECURE", "true")));
    assertThat(open.secret()).isEmpty();
    assertThat(open.tls()).isEmpty();
    assertThat(open.openings()).hasSize(2).anySatisfy(o -> assertThat(o).contains("SHOP_CLUSTER_SECRET"))
        .anySatisfy(o -> assertThat(o).contains("SHOP_CLUSTER_TLS_CERT"));
  }
}
