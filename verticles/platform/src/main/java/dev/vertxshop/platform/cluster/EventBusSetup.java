package dev.vertxshop.platform.cluster;

import dev.vertxshop.platform.config.ClusterConfig;
import dev.vertxshop.platform.config.ClusterSecurity;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.concurrent.TimeUnit;

/**
 * The clustered event bus's options: the fixed port and the advertised address (the one the member proof
 * binds), and, with key material, TLS both ways: every node presents the cluster certificate, requires
 * one from every connecting node (client auth), and trusts only the cluster CA, as a server and as a client.
 */
public final class EventBusSetup {

  /** A peer that does not finish its handshake within this is dropped (a stalled or hostile connection). */
  static final long HANDSHAKE_TIMEOUT_SECONDS = 10;

  private EventBusSetup() {
  }

  public static EventBusOptions options(ClusterConfig cluster, ClusterSecurity security) {
    EventBusOptions options = new EventBusOptions()
        .setHost(cluster.host())
        .setPort(cluster.eventBusPort())
        .setClusterPublicHost(cluster.publicHost())
        .setClusterPublicPort(cluster.eventBusPort());
    security.tls().ifPresent(tls -> options
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(tls.cert()).setKeyValue(tls.key()))
        .setTrustOptions(new PemTrustOptions().addCertValue(tls.ca()))
        .setClientAuth(ClientAuth.REQUIRED)
        // The event bus's client trusts every server by default: it must check the cluster CA instead. Host
        // names are not checked (members come and go at addresses no certificate can list); holding a key
        // the cluster CA signed is what makes a peer.
        .setTrustAll(false)
        .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT_SECONDS)
        .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS));
    return options;
  }
}
