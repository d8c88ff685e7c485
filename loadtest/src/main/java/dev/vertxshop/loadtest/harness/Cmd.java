package dev.vertxshop.loadtest.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a target runs the orchestrator's command-line tools ({@code kubectl}, {@code helm}, {@code nomad},
 * {@code docker}): for real, each command and its answer written to a transcript next to the results
 * ({@link Transcript}), or, in the tests, replayed from a recorded transcript, which also checks that the
 * harness issues exactly the recorded commands in the recorded order.
 */
interface Cmd {

  /** Runs {@code command} to its end (at most {@code timeout}). */
  Proc.Result run(List<String> command, Duration timeout);

  /** Like {@link #run}, but the output is a secret (a token): the transcript says "(redacted)". */
  default Proc.Result runSecret(List<String> command, Duration timeout) {
    return run(command, timeout);
  }

  /** Starts a long-running command ({@code kubectl port-forward}); its output goes to {@code log}. */
  Background start(String label, List<String> command, Path log);

  /** A command started in the background. */
  interface Background {
    boolean alive();

    /** Ends it (SIGTERM, then SIGKILL); never throws. */
    void stop();
  }

  /** Runs commands in {@code dir} with {@code env} added, each one recorded in {@code transcript} (may be null). */
  static Cmd local(Path dir, Map<String, String> env, Path transcript) {
    Transcript.Writer writer = transcript == null ? null : new Transcript.Writer(transcript);
    return new Cmd() {
      @Override
      public Proc.Result run(List<String> command, Duration timeout) {
        Proc.Result result = Proc.run(command, dir, env, timeout);
        if (writer != null) {
          writer.ran(command, result.output(), result.exit());
        }
        return result;
      }

      @Override
      public Proc.Result runSecret(List<String> command, Duration timeout) {
        Proc.Result result = Proc.run(command, dir, env, timeout);
        if (writer != null) {
          writer.ran(command, "(redacted)", result.exit());
        }
        return result;
      }

      @Override
      public Background start(String label, List<String> command, Path log) {
        if (writer != null) {
          writer.started(command);
        }
        Proc.Child child = Proc.start(label, command, env, dir, log);
        return new Background() {
          @Override
          public boolean alive() {
            return child.alive();
          }

          @Override
          public void stop() {
            Proc.terminate(child.pid(), Duration.ofSeconds(5));
          }
        };
      }
    };
  }
}
