# The edge: HAProxy on the client's port 8080 in front of every healthy gateway allocation. The server
# list is rendered from the Nomad service "gateway" and reloaded (SIGUSR2, no dropped connections)
# when allocations come and go.
#   nomad job run nomad/edge.nomad.hcl
job "edge" {
  datacenters = ["dc1"]
  type        = "service"

  update {
    max_parallel      = 1
    health_check      = "checks"
    min_healthy_time  = "5s"
    healthy_deadline  = "2m"
    progress_deadline = "5m"
    auto_revert       = true
    canary            = 0
  }

  group "edge" {
    count = 1

    network {
      mode = "bridge"
      port "http" {
        static = 8080
        to     = 8080
      }
    }

    restart {
      attempts = 3
      interval = "5m"
      delay    = "5s"
      mode     = "fail"
    }

    reschedule {
      delay          = "10s"
      delay_function = "exponential"
      max_delay      = "5m"
      unlimited      = true
    }

    service {
      name     = "edge"
      provider = "nomad"
      port     = "http"
      tags     = ["vertx-shop"]

      check {
        name     = "edge-up"
        type     = "http"
        port     = "http"
        path     = "/healthz"
        interval = "5s"
        timeout  = "3s"
      }
    }

    task "edge" {
      driver       = "docker"
      kill_signal  = "SIGTERM"
      kill_timeout = "10s"

      config {
        image           = "vertx-shop/haproxy-os:2.6"
        command         = "haproxy"
        args            = ["-W", "-db", "-f", "/local/haproxy.cfg"]
        readonly_rootfs = true
        cap_drop        = ["all"]
        security_opt    = ["no-new-privileges"]
      }

      template {
        destination   = "local/haproxy.cfg"
        change_mode   = "signal"
        change_signal = "SIGUSR2"
        data          = <<-EOT
          global
            log stdout format raw local0 info
            maxconn 4096
          defaults
            mode http
            log global
            option httplog
            option forwardfor
            timeout connect 2s
            timeout client 30s
            timeout server 30s
            retries 2
            option redispatch
            retry-on conn-failure
          frontend http
            bind :8080
            http-request del-header X-Forwarded-For
            http-request return status 200 content-type text/plain string "ok\n" if { path /healthz }
            default_backend gateway
          backend gateway
            balance roundrobin
            # The gateway's own document: answered by the gateway alone, whatever its downstreams do.
            option httpchk GET /api/openapi.yaml
            http-check expect status 200
            default-server inter 2s fall 2 rise 1
            {{- range nomadService "gateway" }}
            server gateway-{{ printf "%.8s" .AllocID }} {{ .Address }}:{{ .Port }} check
            {{- end }}
        EOT
      }

      resources {
        cpu    = 500
        memory = 128
      }
    }
  }
}
