# PostgreSQL for the shop, data on the client's host volume "shop-postgres" (declare it in the client
# configuration: host_volume "shop-postgres" { path = "/srv/shop/postgres" read_only = false }, owned
# by uid 999). Role passwords come from the shop's Nomad Variables: this job reads nomad/jobs/shop
# through the ACL policy in nomad/acl/postgres-reads-shop-variables.policy.hcl.
#   nomad job run nomad/postgres.nomad.hcl
job "postgres" {
  datacenters = ["dc1"]
  type        = "service"

  update {
    max_parallel      = 1
    health_check      = "checks"
    min_healthy_time  = "10s"
    healthy_deadline  = "5m"
    progress_deadline = "10m"
    auto_revert       = true
    # One data directory: never two servers on it.
    canary            = 0
  }

  group "postgres" {
    count = 1

    network {
      mode = "bridge"
      port "postgres" {
        to = 5432
      }
    }

    # The data lives on one client: only there may it run, also when rescheduled (another client with a
    # volume of the same name would start it empty). Set meta { shop_postgres_data = "true" } in that client's
    # configuration.
    constraint {
      attribute = "${meta.shop_postgres_data}"
      value     = "true"
    }

    volume "data" {
      type      = "host"
      source    = "shop-postgres"
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
      name     = "postgres"
      provider = "nomad"
      port     = "postgres"
      tags     = ["vertx-shop"]

      check {
        name     = "postgres-accepts"
        type     = "tcp"
        port     = "postgres"
        interval = "5s"
        timeout  = "3s"
      }
    }

    task "postgres" {
      driver       = "docker"
      # A fast shutdown (SIGTERM would wait for every client to leave).
      kill_signal  = "SIGINT"
      kill_timeout = "30s"

      config {
        image           = "vertx-shop/postgres:0.1.0"
        args            = ["-c", "max_connections=300", "-c", "shared_buffers=128MB"]
        readonly_rootfs = true
        cap_drop        = ["all"]
        security_opt    = ["no-new-privileges"]
        shm_size        = 134217728

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
        destination = "/var/lib/postgresql/data"
        read_only   = false
      }

      template {
        destination = "local/postgres.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          SHOP_DB_NAME=shop
          SHOP_DB_SERVICES=catalog users cart orders payments notifications
        EOT
      }

      template {
        destination = "secrets/postgres.env"
        env         = true
        change_mode = "noop"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}
          POSTGRES_PASSWORD={{ .postgres_password }}
          SHOP_DB_PASSWORD_CATALOG={{ .db_password_catalog }}
          SHOP_DB_PASSWORD_USERS={{ .db_password_users }}
          SHOP_DB_PASSWORD_CART={{ .db_password_cart }}
          SHOP_DB_PASSWORD_ORDERS={{ .db_password_orders }}
          SHOP_DB_PASSWORD_PAYMENTS={{ .db_password_payments }}
          SHOP_DB_PASSWORD_NOTIFICATIONS={{ .db_password_notifications }}
          SHOP_DB_PASSWORD_AUDITOR={{ .db_password_auditor }}
          {{- end }}
        EOT
      }

      resources {
        cpu    = 1000
        memory = 1024
      }
    }
  }
}
