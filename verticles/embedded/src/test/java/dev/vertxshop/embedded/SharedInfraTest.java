package dev.vertxshop.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("SharedInfra")
@ExtendWith(SharedInfraExtension.class)
class SharedInfraTest {

  @Test
  @DisplayName("hands out one running PostgreSQL per JVM")
  void samePostgres() throws SQLException {
    LocalPostgres first = SharedInfra.postgres();
    assertThat(SharedInfra.postgres()).isSameAs(first);
    assertThat(first.isRunning()).isTrue();
    try (Connection c = DriverManager.getConnection(first.jdbcUrl(), first.user(), first.password())) {
      assertThat(c.isValid(5)).isTrue();
    }
  }

  @Test
  @DisplayName("hands out one running Kafka broker per JVM")
  void sameKafka() {
    LocalKafka first = SharedInfra.kafka();
    assertThat(SharedInfra.kafka()).isSameAs(first);
    assertThat(first.isRunning()).isTrue();
  }
}
