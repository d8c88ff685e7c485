package dev.vertxshop.platform.testing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the broker says about a consumer group, read with a kafka-clients admin client: its members and
 * their partitions, its committed offsets, the topics' end offsets. Blocking: test thread only.
 */
public final class ConsumerGroups implements AutoCloseable {

  private static final long TIMEOUT_S = 10;

  private final Admin admin;

  public ConsumerGroups(String bootstrapServers) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "test-groups");
    this.admin = Admin.create(props);
  }

  /** The group's members as the coordinator has them now. */
  public List<MemberDescription> members(String group) throws Exception {
    ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
        .get(TIMEOUT_S, TimeUnit.SECONDS).get(group);
    return List.copyOf(description.members());
  }

  /** The group's committed offset per partition (partitions without a commit are absent). */
  public Map<TopicPartition, Long> committed(String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
        .get(TIMEOUT_S, TimeUnit.SECONDS);
    Map<TopicPartition, Long> committed = new HashMap<>();
    offsets.forEach((partition, offset) -> {
      if (offset != null) {
        committed.put(partition, offset.offset());
      }
    });
    return committed;
  }

  /** The end offset (the next offset to be written) of each of {@code partitions}. */
  public Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(latest).all().get(TIMEOUT_S, TimeUnit.SECONDS).forEach((p, info) -> ends.put(p, info.offset()));
    return ends;
  }

  /**
   * Waits until the group has a member that owns {@code partitions} and returns it: from then on the
   * consumer reads them, so what it does (or does not do) with their records is observable.
   */
  public MemberDescription awaitOwner(String group, List<TopicPartition> partitions, Duration timeout) throws Exception {
    return await(timeout, "a member of " + group + " owning " + partitions, () -> {
      for (MemberDescription member : members(group)) {
        if (member.assignment().topicPartitions().containsAll(partitions)) {
          return member;
        }
      }
      return null;
    });
  }

  /** Waits until {@code group}'s committed offsets satisfy {@code condition}; returns them. */
  public Map<TopicPartition, Long> awaitCommitted(String group, Duration timeout, String what,
      Predicate<Map<TopicPartition, Long>> condition) throws Exception {
    return await(timeout, what, () -> {
      Map<TopicPartition, Long> committed = committed(group);
      return condition.test(committed) ? committed : null;
    });
  }

  /** Polls {@code probe} until it answers non-null, failing after {@code timeout}. */
  public static <T> T await(Duration timeout, String what, java.util.concurrent.Callable<T> probe) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        T value = probe.call();
        if (value != null) {
          return value;
        }
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what + (last == null ? "" : " (last error: " + last + ")"));
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
