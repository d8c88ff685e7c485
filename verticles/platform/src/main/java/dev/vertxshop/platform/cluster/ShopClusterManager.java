package dev.vertxshop.platform.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.multimap.MultiMap;
import com.hazelcast.config.Config;
import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import dev.vertxshop.platform.config.ClusterSecurity;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastNodeInfo;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hazelcast cluster manager, with the event bus's routing answered from this node's memory.
 *
 * <p>The stock manager keeps event-bus subscriptions in a partitioned Hazelcast multimap and reads the
 * partition's owner whenever the event bus must choose where a message to a (not yet cached) address
 * goes; node addresses likewise live in a partitioned map read at every new connection. A member that
 * is frozen but not yet declared dead (a long GC pause, a starved container, SIGSTOP) leaves those reads
 * waiting until Hazelcast gives up on it, which is the whole member timeout (15 s by default): every send
 * to an address whose partition it owns waits, on every node, even when no consumer of that address runs
 * on it. This manager keeps a copy of both maps on every node ({@link SubscriptionIndex}, kept current by
 * the maps' change events, with a periodic sweep against a snapshot), so choosing a destination and
 * finding its address never leave the node. Writes (a consumer registered, a node's address) still go to
 * the cluster maps as before, so nodes running the stock manager see the same data.
 *
 * <p>It also lets the node set peers aside ({@link #setAside}): their consumers are then left out of the
 * choice for every address, while another consumer remains; {@link PeerWatch} does so for a peer that
 * stops answering, long before Hazelcast would drop it.
 *
 * <p>With a cluster secret, it trusts only members that prove they hold it ({@link MemberProof}): the
 * consumers of any other member are never chosen, not even as the last resort, no message is sent to it
 * (its event-bus address is not answered), it is not among {@link #getNodes()}, and the event bus is never
 * told it joined. A trusted member's event-bus address is the one its proof binds, whatever the shared
 * node-address map says (any Hazelcast member can write that map).
 */
public class ShopClusterManager extends HazelcastClusterManager {

  private static final Logger LOG = LoggerFactory.getLogger(ShopClusterManager.class);
  /** The cluster maps of vertx-hazelcast, by the names it gives them. */
  static final String SUBSCRIPTIONS = "__vertx.subs";
  static final String NODE_INFOS = "__vertx.nodeInfo";
  private static final String NODE_ID_ATTRIBUTE = MemberProof.NODE_ID_ATTRIBUTE;
  /** How often the copy is compared with the cluster map, to repair what a lost event or a merge left behind. */
  private static final long SWEEP_INTERVAL_MS = 30_000;

  private final SubscriptionIndex index = new SubscriptionIndex();
  private final Map<String, NodeInfo> nodeInfos = new ConcurrentHashMap<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final List<Consumer<Set<String>>> routeLossListeners = new CopyOnWriteArrayList<>();
  private volatile RegistrationListener listener = new RegistrationListener() {
  };
  private VertxInternal vertx;
  private MultiMap<String, HazelcastRegistrationInfo> subscriptions;
  private IMap<String, HazelcastNodeInfo> infos;
  private UUID subscriptionsListener;
  private UUID infosListener;
  private long sweepTimer = -1;
  /** Null in an open cluster (no secret): every member is trusted. */
  private final MemberProof proof;
  /** Trusted members by node id: the member whose proof binds that node id. */
  private final Map<String, Member> trusted = new ConcurrentHashMap<>();
  /** Members now in the Hazelcast cluster that did not prove they hold the secret, by member UUID. */
  private final Map<UUID, String> untrusted = new ConcurrentHashMap<>();
  private final AtomicLong untrustedJoins = new AtomicLong();

  /** {@code config} from {@link HazelcastSetup#config(dev.vertxshop.platform.config.ClusterConfig, ClusterSecurity)} with the same {@code security}. */
  public ShopClusterManager(Config config, ClusterSecurity security) {
    super(config);
    this.proof = security.secret().map(s -> new MemberProof(s, config.getClusterName())).orElse(null);
    if (proof != null) {
      index.requireTrust();
    }
  }

  @Override
  public void init(Vertx vertx) {
    super.init(vertx);
    this.vertx = (VertxInternal) vertx;
  }

  /**
   * The event bus's listener is kept for this manager's own change notices; the stock manager gets one
   * that wants no updates, so it never reads the cluster map to send them.
   */
  @Override
  public void registrationListener(RegistrationListener registrationListener) {
    this.listener = registrationListener;
    super.registrationListener(new RegistrationListener() {
      @Override
      public void registrationsLost() {
        listener.registrationsLost();
      }
    });
  }

  @Override
  public void join(Completable<Void> promise) {
    super.join((ok, failure) -> {
      if (failure != null) {
        promise.fail(failure);
        return;
      }
      // The copy is complete before the node joins for the event bus: a send right after the start must
      // see every consumer that exists.
      vertx.<Void>executeBlocking(() -> {
        checkMembers();
        startCopies();
        return null;
      }).onComplete(promise);
    });
  }

  /** This member's own proof must verify (else nobody would trust it); then every member present is judged. */
  private void checkMembers() {
    if (proof == null) {
      return;
    }
    Member local = getHazelcastInstance().getCluster().getLocalMember();
    if (!proof.verify(local)) {
      throw new VertxException("this member carries no valid cluster proof: vertx-hazelcast no longer sets "
          + NODE_ID_ATTRIBUTE + " through the member attribute configuration", true);
    }
    for (Member member : getHazelcastInstance().getCluster().getMembers()) {
      judge(member);
    }
  }

  /** Records whether {@code member} is trusted (true in an open cluster) and makes routing follow. */
  private boolean judge(Member member) {
    if (proof == null) {
      return true;
    }
    String nodeId = member.getAttribute(NODE_ID_ATTRIBUTE);
    if (proof.verify(member)) {
      Member before = trusted.putIfAbsent(nodeId, member);
      if (before == null) {
        if (index.trust(nodeId)) {
          // Its consumers may already be in the copy (their events can overtake the membership event).
          changed(index.addressesOf(nodeId));
        }
        return true;
      }
      if (before.getUuid().equals(member.getUuid())) {
        return true;
      }
      if (!inCluster(before.getUuid())) {
        // The same node under a new Hazelcast member id: when a split brain heals, the members of the side
        // that merges leave their cluster and join the other as new members, keeping node id and proof.
        if (trusted.replace(nodeId, before, member)) {
          untrusted.remove(member.getUuid());
          LOG.info("cluster node {} is back as member {} (was {}): trusted", nodeId, member.getUuid(), before.getUuid());
          return true;
        }
        return judge(member);
      }
      // A second member showing the proof of a trusted member still present: a copy, which binds the other's
      // node id and address.
    }
    if (untrusted.putIfAbsent(member.getUuid(), String.valueOf(member.getAddress())) == null) {
      untrustedJoins.incrementAndGet();
      LOG.warn("cluster member {} (node id {}) did not prove it holds the cluster secret: never routed to, never trusted",
          member.getAddress(), nodeId);
    }
    return false;
  }

  private boolean inCluster(UUID memberId) {
    for (Member present : getHazelcastInstance().getCluster().getMembers()) {
      if (present.getUuid().equals(memberId)) {
        return true;
      }
    }
    return false;
  }

  /**
   * After this member merged into another cluster: every member, this one included, may carry a new
   * Hazelcast member id, and those of the side it came from are not always reported as gone and back.
   * Judges the members present again; members no longer present are forgotten.
   */
  private void rejudge() {
    Set<UUID> present = new java.util.HashSet<>();
    for (Member member : getHazelcastInstance().getCluster().getMembers()) {
      present.add(member.getUuid());
      judge(member);
    }
    untrusted.keySet().retainAll(present);
    for (Map.Entry<String, Member> entry : trusted.entrySet()) {
      if (!present.contains(entry.getValue().getUuid()) && trusted.remove(entry.getKey(), entry.getValue())) {
        index.distrust(entry.getKey());
      }
    }
  }

  /** Whether {@code nodeId} belongs to a trusted member (always, in an open cluster). */
  public boolean isTrusted(String nodeId) {
    return proof == null || trusted.containsKey(nodeId);
  }

  /** Members in the Hazelcast cluster now that are not trusted. */
  public int untrustedMembers() {
    return untrusted.size();
  }

  /** Members that joined without a valid proof since this node started. */
  public long untrustedJoins() {
    return untrustedJoins.get();
  }

  /** The trusted nodes (every node, in an open cluster). */
  @Override
  public List<String> getNodes() {
    List<String> nodes = super.getNodes();
    if (proof != null) {
      nodes.removeIf(nodeId -> !trusted.containsKey(nodeId));
    }
    return nodes;
  }

  private void startCopies() {
    HazelcastInstance hazelcast = getHazelcastInstance();
    subscriptions = hazelcast.getMultiMap(SUBSCRIPTIONS);
    infos = hazelcast.getMap(NODE_INFOS);
    // Listen first, then read: a change made in between is seen twice, never missed.
    subscriptionsListener = subscriptions.addEntryListener(new SubscriptionEvents(), true);
    infosListener = infos.addEntryListener(new NodeInfoEvents(), true);
    sweep();
    infos.forEach((nodeId, info) -> nodeInfos.put(nodeId, info.unwrap()));
    sweepTimer = vertx.setPeriodic(SWEEP_INTERVAL_MS, id -> sweepLater());
    LOG.info("cluster routing answered locally: {} consumer registrations, {} node addresses", index.size(), nodeInfos.size());
  }

  @Override
  public void leave(Completable<Void> promise) {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    vertx.<Void>executeBlocking(() -> {
      try {
        if (subscriptionsListener != null) {
          subscriptions.removeEntryListener(subscriptionsListener);
        }
        if (infosListener != null) {
          infos.removeEntryListener(infosListener);
        }
      } catch (RuntimeException e) {
        // Leaving anyway: the listeners go with the instance.
        LOG.debug("cluster listeners not removed: {}", e.toString());
      }
      return null;
    }).onComplete((v, e) -> super.leave(promise));
  }

  @Override
  public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
    promise.succeed(index.view(address));
  }

  @Override
  public void getNodeInfo(String nodeId, Completable<NodeInfo> promise) {
    if (proof != null) {
      Member member = trusted.get(nodeId);
      if (member == null) {
        promise.fail(new VertxException("node " + nodeId + " is not a trusted member of the cluster", true));
        return;
      }
      promise.succeed(attested(member, nodeInfos.get(nodeId)));
      return;
    }
    NodeInfo known = nodeInfos.get(nodeId);
    if (known != null) {
      promise.succeed(known);
      return;
    }
    super.getNodeInfo(nodeId, (info, failure) -> {
      if (info != null) {
        nodeInfos.put(nodeId, info);
      }
      promise.complete(info, failure);
    });
  }

  @Override
  public void addRegistration(String address, RegistrationInfo registration, Completable<Void> promise) {
    if (registration.localOnly()) {
      // Never in the cluster map: this node's copy is the only record that matters for routing.
      changed(address, index.add(address, registration));
    }
    super.addRegistration(address, registration, (ok, failure) -> {
      if (failure == null && !registration.localOnly()) {
        // Before the consumer reports itself registered: this node may send to it at once.
        changed(address, index.add(address, registration));
      }
      promise.complete(ok, failure);
    });
  }

  @Override
  public void removeRegistration(String address, RegistrationInfo registration, Completable<Void> promise) {
    // Out of the choice at once; the cluster map follows.
    changed(address, index.remove(address, registration));
    super.removeRegistration(address, registration, promise);
  }

  /** The event-bus address the member's proof binds; the shared map's entry only when it agrees (metadata). */
  private static NodeInfo attested(Member member, NodeInfo known) {
    String eventBus = member.getAttribute(MemberProof.EVENT_BUS_ATTRIBUTE);
    int colon = eventBus.lastIndexOf(':');
    String host = eventBus.substring(0, colon);
    int port = Integer.parseInt(eventBus.substring(colon + 1));
    if (known != null && known.host().equals(host) && (port == 0 || known.port() == port)) {
      return known;
    }
    if (port == 0) {
      // Bound to a port chosen at start (tests): only the host was known when the proof was made.
      throw new VertxException("the event-bus port of node " + member.getAttribute(NODE_ID_ATTRIBUTE) + " is not known yet", true);
    }
    return new NodeInfo(host, port, null);
  }

  /**
   * A member that joins, or comes back after a split, puts its consumers in the cluster map; those put
   * while the partitions merge do not always raise change events here, so compare with the map soon after.
   */
  @Override
  public synchronized void memberAdded(MembershipEvent event) {
    if (!judge(event.getMember())) {
      // The event bus never learns of it.
      return;
    }
    super.memberAdded(event);
    if (vertx != null && subscriptions != null) {
      vertx.setTimer(1_000, id -> sweepLater());
      vertx.setTimer(5_000, id -> sweepLater());
    }
  }

  @Override
  public synchronized void memberRemoved(MembershipEvent event) {
    Member member = event.getMember();
    String nodeId = member.getAttribute(NODE_ID_ATTRIBUTE);
    boolean wasUntrusted = untrusted.remove(member.getUuid()) != null;
    if (proof != null && nodeId != null) {
      Member owner = trusted.get(nodeId);
      if (owner != null && !owner.getUuid().equals(member.getUuid())) {
        if (wasUntrusted) {
          // An impostor that claimed a trusted member's node id leaves: nothing of the real one's may go with it.
          LOG.warn("untrusted member {} claiming node id {} left; the trusted node keeps its consumers", member.getAddress(), nodeId);
        } else {
          LOG.info("former member id {} of cluster node {} left; the node stays as {}", member.getUuid(), nodeId, owner.getUuid());
        }
        return;
      }
      if (owner != null) {
        trusted.remove(nodeId);
        index.distrust(nodeId);
      } else if (wasUntrusted) {
        LOG.info("untrusted cluster member {} left", member.getAddress());
      }
    }
    if (nodeId == null && wasUntrusted) {
      return;
    }
    super.memberRemoved(event);
    if (nodeId != null) {
      nodeInfos.remove(nodeId);
      Set<String> lost = index.removeNodes(Set.of(nodeId));
      changed(lost);
      routesLost(lost);
    }
  }

  @Override
  public synchronized void stateChanged(LifecycleEvent event) {
    if (event.getState() == LifecycleEvent.LifecycleState.MERGED && proof != null) {
      // Before the stock manager compares the nodes it knew with those it now trusts (getNodes).
      rejudge();
    }
    super.stateChanged(event);
    if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
      // After a split brain heals, members put their consumers back; compare once they had time to.
      vertx.setTimer(2_000, id -> sweepLater());
    }
  }

  /**
   * Sets {@code nodeId} aside for {@code reason}: its consumers are left out of the choice for every
   * address that has another. True when it was not aside before.
   */
  public boolean setAside(String nodeId, String reason) {
    boolean first = index.setAside(nodeId, reason);
    if (first) {
      Set<String> addresses = index.addressesOf(nodeId);
      changed(addresses);
      routesLost(addresses);
    }
    return first;
  }

  /** Lifts {@code reason}; the node's consumers are chosen again once no reason is left. True when that happened. */
  public boolean restore(String nodeId, String reason) {
    boolean restored = index.restore(nodeId, reason);
    if (restored) {
      changed(index.addressesOf(nodeId));
    }
    return restored;
  }

  /**
   * Calls {@code listener} with the addresses for which a destination was lost: a node serving them was set
   * aside or left the cluster. Requests already sent there may never be answered; those safe to repeat can
   * be sent again at once ({@code Bus.requestIdempotent}). Called on Hazelcast's or Vert.x's threads.
   */
  public void onRoutesLost(Consumer<Set<String>> listener) {
    routeLossListeners.add(listener);
  }

  private void routesLost(Set<String> addresses) {
    if (!addresses.isEmpty()) {
      routeLossListeners.forEach(l -> l.accept(addresses));
    }
  }

  /** The nodes set aside now. */
  public Set<String> setAsideNodes() {
    return index.setAsideNodes();
  }

  /**
   * The other nodes this node sends to: those with a consumer for an address the event bus has chosen a
   * destination for at least once.
   */
  public Set<String> peersInUse() {
    RegistrationListener current = listener;
    Set<String> peers = index.nodesServing(current::wantsUpdatesFor);
    peers.remove(getNodeId());
    return peers;
  }

  /** The event-bus address of {@code nodeId}, as this node knows it (null if unknown). */
  public NodeInfo knownNodeInfo(String nodeId) {
    return nodeInfos.get(nodeId);
  }

  private void changed(String address, boolean changed) {
    if (changed) {
      changed(Set.of(address));
    }
  }

  private void changed(Collection<String> addresses) {
    RegistrationListener current = listener;
    for (String address : addresses) {
      // Under the index's lock: two notices for one address cannot overtake each other, so the event
      // bus always ends with the latest view.
      synchronized (index) {
        if (current.wantsUpdatesFor(address)) {
          current.registrationsUpdated(new RegistrationUpdateEvent(address, index.view(address)));
        }
      }
    }
  }

  private void sweepLater() {
    if (sweeping.compareAndSet(false, true)) {
      vertx.<Void>executeBlocking(() -> {
        sweep();
        return null;
      }, false).onComplete((v, failure) -> {
        sweeping.set(false);
        if (failure != null) {
          LOG.debug("cluster routing sweep skipped: {}", failure.toString());
        }
      });
    }
  }

  /** Reads the cluster map (blocking: a worker's job) and repairs this node's copy. */
  private void sweep() {
    long start = System.nanoTime();
    Map<String, List<RegistrationInfo>> snapshot = new HashMap<>();
    for (Map.Entry<String, HazelcastRegistrationInfo> entry : subscriptions.entrySet()) {
      snapshot.computeIfAbsent(entry.getKey(), a -> new ArrayList<>()).add(entry.getValue().unwrap());
    }
    Set<String> changed = index.reconcile(snapshot, start);
    if (!changed.isEmpty()) {
      LOG.info("cluster routing repaired for {} address(es)", changed.size());
      changed(changed);
    }
  }

  /** Keeps the copy of the subscriptions in step with the cluster map, on Hazelcast's event threads. */
  private final class SubscriptionEvents implements EntryListener<String, HazelcastRegistrationInfo> {

    @Override
    public void entryAdded(EntryEvent<String, HazelcastRegistrationInfo> event) {
      if (event.getValue() != null) {
        changed(event.getKey(), index.add(event.getKey(), event.getValue().unwrap()));
      }
    }

    @Override
    public void entryRemoved(EntryEvent<String, HazelcastRegistrationInfo> event) {
      HazelcastRegistrationInfo removed = event.getOldValue() != null ? event.getOldValue() : event.getValue();
      if (removed != null) {
        changed(event.getKey(), index.remove(event.getKey(), removed.unwrap()));
      } else {
        sweepLater();
      }
    }

    @Override
    public void entryUpdated(EntryEvent<String, HazelcastRegistrationInfo> event) {
      entryAdded(event);
    }

    @Override
    public void entryEvicted(EntryEvent<String, HazelcastRegistrationInfo> event) {
      entryRemoved(event);
    }

    @Override
    public void entryExpired(EntryEvent<String, HazelcastRegistrationInfo> event) {
      entryRemoved(event);
    }

    @Override
    public void mapCleared(MapEvent event) {
      sweepLater();
    }

    @Override
    public void mapEvicted(MapEvent event) {
      sweepLater();
    }
  }

  /** Keeps the copy of the nodes' event-bus addresses in step with the cluster map. */
  private final class NodeInfoEvents implements EntryAddedListener<String, HazelcastNodeInfo>,
      EntryUpdatedListener<String, HazelcastNodeInfo>, EntryRemovedListener<String, HazelcastNodeInfo> {

    @Override
    public void entryAdded(EntryEvent<String, HazelcastNodeInfo> event) {
      if (event.getValue() != null) {
        nodeInfos.put(event.getKey(), event.getValue().unwrap());
      }
    }

    @Override
    public void entryUpdated(EntryEvent<String, HazelcastNodeInfo> event) {
      entryAdded(event);
    }

    @Override
    public void entryRemoved(EntryEvent<String, HazelcastNodeInfo> event) {
      nodeInfos.remove(event.getKey());
    }
  }
}
