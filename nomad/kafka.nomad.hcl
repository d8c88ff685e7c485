# Kafka for the shop: one KRaft node (broker and controller), data on the client's host volume
# "shop-kafka" (owned by uid 10001). It listens on a dynamic port, the same inside and outside the
# allocation, and advertises the host address and that port; services find it through the Nomad
# service "kafka".
#   nomad job run nomad/kafka.nomad.hcl
job "kafka" {
  datacenters = ["dc1"]
  type        = "service"

  update {
    max_parallel      = 1
    health_check      = "checks"
    min_healthy_time  = "10s"
    healthy_deadline  = "5m"
    progress_deadline = "10m"
    auto_revert       = true
    # One data directory: never two brokers on it.
    canary            = 0
  }

  group "kafka" {
    count = 1

    network {
      mode = "bridge"
      port "kafka" {}
    }

    # The data lives on one client: only there may it run, also when rescheduled (another client with a
    # volume of the same name would start it empty). Set meta { shop_kafka_data = "true" } in that client's
    # configuration.
    constraint {
      attribute = "${meta.shop_kafka_data}"
      value     = "true"
    }

    volume "data" {
      type      = "host"
      source    = "shop-kafka"
      read_only = false
    }

    restart {
      attempts = 5
      interval = "5m"
      delay    = "10s"
      mode     = "fail"
    }

    reschedule {
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "10m"
      unlimited      = true
    }

    service {
      name     = "kafka"
      provider = "nomad"
      port     = "kafka"
      tags     = ["vertx-shop"]

      check {
        name     = "kafka-accepts"
        type     = "tcp"
        port     = "kafka"
        interval = "5s"
        timeout  = "3s"
      }
    }

    task "kafka" {
      driver       = "docker"
      kill_signal  = "SIGTERM"
      kill_timeout = "30s"

      config {
        image           = "vertx-shop/kafka:0.1.0"
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

      volume_mount {
        volume      = "data"
        destination = "/var/lib/kafka/data"
        read_only   = false
      }

      env {
        KAFKA_ADVERTISED_HOST = "${NOMAD_HOST_IP_kafka}"
        KAFKA_PORT            = "${NOMAD_PORT_kafka}"
      }

      resources {
        cpu    = 1000
        memory = 1024
      }
    }
  }
}
