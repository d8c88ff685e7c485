package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptTest {

  @Test
  @DisplayName("arguments with spaces, quotes and shell characters survive a write and a read")
  void quoting() {
    List<String> command = List.of("kubectl", "-n", "default", "debug", "node/n1", "--", "bash", "-c",
        "for p in /proc/[0-9]*; do echo \"it's ${p}\"; done", "");

    assertThat(Transcript.split(Transcript.join(command))).isEqualTo(command);
    assertThat(Transcript.join(List.of("nomad", "job", "run", "-address=http://n:4646", "/a/b.hcl"))).isEqualTo(
        "nomad job run -address=http://n:4646 /a/b.hcl");
  }

  @Test
  @DisplayName("what the writer records, the parser reads back: commands, output lines, exit codes, background starts")
  void roundTrip(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("t.transcript");
    Transcript.Writer writer = new Transcript.Writer(file);
    writer.ran(List.of("kubectl", "get", "pods"), "NAME READY\ncatalog-1 1/1\n", 0);
    writer.started(List.of("kubectl", "port-forward", "pod/catalog-1", "18100:9000"));
    writer.ran(List.of("kubectl", "rollout", "status", "deployment/catalog"), "", 1);

    List<Transcript.Entry> entries = Transcript.parse(Files.readString(file));

    assertThat(entries).hasSize(3);
    assertThat(entries.get(0).command()).containsExactly("kubectl", "get", "pods");
    assertThat(entries.get(0).output()).containsExactly("NAME READY", "catalog-1 1/1");
    assertThat(entries.get(1).background()).isTrue();
    assertThat(entries.get(2).exit()).isEqualTo(1);
    assertThat(entries.get(2).output()).isEmpty();
  }

  @Test
  @DisplayName("a malformed transcript is refused with its line number")
  void malformed() {
    assertThatThrownBy(() -> Transcript.parse("$ a\n| x\n$ b\n= 0\n")).hasMessageContaining("line 3");
    assertThatThrownBy(() -> Transcript.parse("| x\n")).hasMessageContaining("output without a command");
    assertThatThrownBy(() -> Transcript.parse("$ a\n")).hasMessageContaining("without an exit code");
  }
}
