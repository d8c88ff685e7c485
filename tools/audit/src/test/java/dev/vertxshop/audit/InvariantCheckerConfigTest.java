package dev.vertxshop.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InvariantCheckerConfigTest {

  @Test
  @DisplayName("the audit connects as the read-only audit role unless SHOP_DB_USER names another")
  void readsAsTheAuditRole() {
    assertThat(InvariantChecker.database(Env.of(Map.of())).user()).isEqualTo("shop_auditor");
    assertThat(InvariantChecker.database(Env.of(Map.of("SHOP_DB_USER", "  "))).user()).isEqualTo("shop_auditor");
    assertThat(InvariantChecker.database(Env.of(Map.of("SHOP_DB_USER", "ops_reader", "SHOP_DB_HOST", "db"))))
        .satisfies(db -> {
          assertThat(db.user()).isEqualTo("ops_reader");
          assertThat(db.host()).isEqualTo("db");
        });
  }

  @Test
  @DisplayName("the provider's admin URL defaults to the local provider and must be http(s) with a host")
  void providerUrl() {
    assertThat(InvariantChecker.providerAdminUrl(Env.of(Map.of()))).isEqualTo("http://127.0.0.1:8091");
    assertThat(InvariantChecker.providerAdminUrl(Env.of(Map.of("SHOP_AUDIT_PROVIDER_ADMIN_URL", "https://provider:8443"))))
        .isEqualTo("https://provider:8443");
    assertThatThrownBy(() -> InvariantChecker.providerAdminUrl(Env.of(Map.of("SHOP_AUDIT_PROVIDER_ADMIN_URL", "ftp://nowhere"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("SHOP_AUDIT_PROVIDER_ADMIN_URL");
  }
}
