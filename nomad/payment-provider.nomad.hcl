# The payment provider stand-in: plays an external card processor, so it is its own job, outside the
# shop's cluster (SHOP_CLUSTERED=false), and single-instance by design (its ledger lives in one
# verticle). Payments finds it through the Nomad service "payment-provider".
#   nomad job run nomad/payment-provider.nomad.hcl
job "payment-provider" {
  datacenters = ["dc1"]
  type        = "service"

  update {
    max_parallel      = 1
    health_check      = "checks"
    min_healthy_time  = "5s"
    healthy_deadline  = "3m"
    progress_deadline = "10m"
    auto_revert       = true
    # No canary: two stand-ins would split the ledger.
    canary            = 0
  }

  group "payment-provider" {
    count = 1

    network {
      mode = "bridge"
      port "http" {
        to = 8090
      }
      port "admin" {
        to = 8091
      }
      port "ops" {
        to = 9000
      }
    }

    restart {
      attempts = 3
      interval = "5m"
      delay    = "15s"
      mode     = "fail"
    }

    reschedule {
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "10m"
      unlimited      = true
    }

    service {
      name     = "payment-provider"
      provider = "nomad"
      port     = "http"
      tags     = ["vertx-shop", "metrics=ops"]

      check {
        name     = "payment-provider-ready"
        type     = "http"
        port     = "ops"
        path     = "/health/ready"
        interval = "5s"
        timeout  = "3s"
      }
    }

    service {
      name     = "payment-provider-admin"
      provider = "nomad"
      port     = "admin"
      tags     = ["vertx-shop"]
    }

    task "payment-provider" {
      driver       = "docker"
      kill_signal  = "SIGTERM"
      kill_timeout = "30s"

      config {
        image           = "vertx-shop/payment-provider:0.1.0"
        readonly_rootfs = true
        cap_drop        = ["all"]
        security_opt    = ["no-new-privileges"]

        mount {
          type     = "tmpfs"
          target   = "/tmp"
          readonly = false

          tmpfs_options {
            size = 67108864
          }
        }
      }

      template {
        destination = "local/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          SHOP_OPS_PORT=9000
          SHOP_LOG_FORMAT=json
          SHOP_SHUTDOWN_GRACE=10s
          SHOP_CLUSTERED=false
          SHOP_PROVIDER_PORT=8090
          SHOP_PROVIDER_ADMIN_PORT=8091
        EOT
      }

      resources {
        cpu    = 1000
        memory = 768
      }
    }
  }
}
