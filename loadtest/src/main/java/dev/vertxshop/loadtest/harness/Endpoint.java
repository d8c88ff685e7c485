package dev.vertxshop.loadtest.harness;

/**
 * One replica of a service as the harness reaches its ops port ({@code /health/ready}, {@code /metrics}):
 * {@code 127.0.0.1:<port>} for a process, the container's address for Compose, a {@code kubectl
 * port-forward} for a pod, the allocation's host port for Nomad. {@code label} names the replica in the
 * report ({@code catalog-1}, {@code catalog-7d9c5-x2bqv}); {@code id} is the orchestrator's name for it.
 */
record Endpoint(String service, String label, String id, String opsUrl) {

  String ready() {
    return opsUrl + "/health/ready";
  }

  String metrics() {
    return opsUrl + "/metrics";
  }
}
