package dev.vertxshop.platform.cluster;

import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * This node's copy of the cluster's event-bus subscriptions: address → the consumers registered for it
 * on each node, kept up to date from the cluster's change events, so that choosing where a message goes
 * never waits for another member.
 *
 * <p>Nodes can be set aside (a peer that stopped answering): their consumers are then left out of every
 * address's view, unless they are the only ones for it, in which case trying them beats failing with
 * "no handler". Once trust is required ({@link #requireTrust}), only the consumers of trusted nodes (members
 * that proved they hold the cluster secret) are in any view, last resort or not.
 *
 * <p>Thread-safe: changes arrive on Hazelcast's event threads and on Vert.x workers, views are read on
 * event loops. Every method holds the index's lock briefly; none blocks.
 */
final class SubscriptionIndex {

  /** A registration and the moment this node first saw it (on its clock), so that a sweep can tell new from stale. */
  private record Entry(RegistrationInfo registration, long seenAt) {
  }

  private final LongSupplier clock;
  // Insertion-ordered per address: the order consumers registered in, as the cluster map keeps it.
  private final Map<String, Map<RegistrationInfo, Entry>> byAddress = new HashMap<>();
  private final Map<String, Set<String>> setAside = new HashMap<>();
  /** The nodes whose consumers may be chosen at all; null while every node counts (a cluster without a secret). */
  private Set<String> trusted;

  SubscriptionIndex() {
    this(System::nanoTime);
  }

  SubscriptionIndex(LongSupplier clock) {
    this.clock = clock;
  }

  /** Adds a registration; true when it was not known yet. */
  synchronized boolean add(String address, RegistrationInfo registration) {
    Map<RegistrationInfo, Entry> entries = byAddress.computeIfAbsent(address, a -> new LinkedHashMap<>());
    if (entries.containsKey(registration)) {
      return false;
    }
    entries.put(registration, new Entry(registration, clock.getAsLong()));
    return true;
  }

  /** Removes a registration; true when it was known. */
  synchronized boolean remove(String address, RegistrationInfo registration) {
    Map<RegistrationInfo, Entry> entries = byAddress.get(address);
    if (entries == null || entries.remove(registration) == null) {
      return false;
    }
    if (entries.isEmpty()) {
      byAddress.remove(address);
    }
    return true;
  }

  /** Forgets every registration of {@code nodeIds} (members that left); returns the addresses that changed. */
  synchronized Set<String> removeNodes(Collection<String> nodeIds) {
    Set<String> changed = new HashSet<>();
    byAddress.entrySet().removeIf(address -> {
      if (address.getValue().keySet().removeIf(r -> nodeIds.contains(r.nodeId()))) {
        changed.add(address.getKey());
      }
      return address.getValue().isEmpty();
    });
    nodeIds.forEach(setAside::remove);
    return changed;
  }

  /**
   * Brings the index in line with a snapshot of the cluster map read after {@code snapshotStart} (on this
   * index's clock): adds what the snapshot has and the index missed, and drops cluster-wide registrations
   * the snapshot lacks, provided they were seen before the snapshot began (a registration seen during the
   * read may simply have been put after its partition was read). Local-only registrations never are in the
   * cluster map and are kept. Returns the addresses that changed.
   */
  synchronized Set<String> reconcile(Map<String, ? extends Collection<RegistrationInfo>> snapshot, long snapshotStart) {
    Set<String> changed = new HashSet<>();
    snapshot.forEach((address, registrations) -> {
      for (RegistrationInfo registration : registrations) {
        if (add(address, registration)) {
          changed.add(address);
        }
      }
    });
    byAddress.entrySet().removeIf(address -> {
      Collection<RegistrationInfo> present = snapshot.containsKey(address.getKey()) ? snapshot.get(address.getKey()) : List.of();
      boolean removed = address.getValue().values().removeIf(e -> !e.registration().localOnly()
          && e.seenAt() - snapshotStart < 0 && !present.contains(e.registration()));
      if (removed) {
        changed.add(address.getKey());
      }
      return address.getValue().isEmpty();
    });
    return changed;
  }

  /**
   * The registrations to choose from for {@code address}: those of trusted nodes, less those of nodes set
   * aside, unless that would leave none. A node that is not trusted is never chosen, even as the last resort.
   */
  synchronized List<RegistrationInfo> view(String address) {
    Map<RegistrationInfo, Entry> entries = byAddress.get(address);
    if (entries == null) {
      return List.of();
    }
    List<RegistrationInfo> all = new ArrayList<>(entries.keySet());
    if (trusted != null) {
      all.removeIf(r -> !trusted.contains(r.nodeId()));
    }
    if (setAside.isEmpty()) {
      return all;
    }
    List<RegistrationInfo> kept = all.stream().filter(r -> !setAside.containsKey(r.nodeId())).toList();
    return kept.isEmpty() ? all : kept;
  }

  /** Sets {@code nodeId} aside for {@code reason} (several reasons may hold at once); true when it was not aside before. */
  synchronized boolean setAside(String nodeId, String reason) {
    boolean first = !setAside.containsKey(nodeId);
    setAside.computeIfAbsent(nodeId, n -> new HashSet<>()).add(reason);
    return first;
  }

  /** Lifts one reason for setting {@code nodeId} aside; true when no reason is left and it counts again. */
  synchronized boolean restore(String nodeId, String reason) {
    Set<String> reasons = setAside.get(nodeId);
    if (reasons == null || !reasons.remove(reason) || !reasons.isEmpty()) {
      return false;
    }
    setAside.remove(nodeId);
    return true;
  }

  /** From now on only the consumers of nodes {@link #trust trusted} count. */
  synchronized void requireTrust() {
    if (trusted == null) {
      trusted = new HashSet<>();
    }
  }

  /** Lets {@code nodeId}'s consumers be chosen (once trust is required); true when it was not trusted before. */
  synchronized boolean trust(String nodeId) {
    return trusted != null && trusted.add(nodeId);
  }

  /** Takes trust away from {@code nodeId}; true when it was trusted. */
  synchronized boolean distrust(String nodeId) {
    return trusted != null && trusted.remove(nodeId);
  }

  synchronized boolean isTrusted(String nodeId) {
    return trusted == null || trusted.contains(nodeId);
  }

  synchronized boolean isSetAside(String nodeId) {
    return setAside.containsKey(nodeId);
  }

  synchronized Set<String> setAsideNodes() {
    return Set.copyOf(setAside.keySet());
  }

  /** The addresses {@code nodeId} has a consumer for. */
  synchronized Set<String> addressesOf(String nodeId) {
    Set<String> addresses = new HashSet<>();
    byAddress.forEach((address, entries) -> {
      if (entries.keySet().stream().anyMatch(r -> r.nodeId().equals(nodeId))) {
        addresses.add(address);
      }
    });
    return addresses;
  }

  /** The trusted nodes with a consumer for at least one address that {@code wanted} accepts. */
  synchronized Set<String> nodesServing(Predicate<String> wanted) {
    Set<String> nodes = new HashSet<>();
    byAddress.forEach((address, entries) -> {
      if (wanted.test(address)) {
        entries.keySet().stream().filter(r -> trusted == null || trusted.contains(r.nodeId())).forEach(r -> nodes.add(r.nodeId()));
      }
    });
    return nodes;
  }

  synchronized int size() {
    return byAddress.values().stream().mapToInt(Map::size).sum();
  }
}
