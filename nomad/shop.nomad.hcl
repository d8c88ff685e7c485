# Vert.x Shop on Nomad: every clustered service, one group each, with the images Compose and Kubernetes
# use. Needs the postgres, kafka and payment-provider jobs (same folder) and the Nomad Variables at
# nomad/jobs/shop (nomad/put-variables.sh). Run: nomad job run nomad/shop.nomad.hcl
#
# Networking: bridge mode. The HTTP and ops ports map to the fixed container ports (8080, 9000); the
# Hazelcast and event-bus ports are dynamic and the same inside and outside the allocation (no `to`),
# because a node advertises the port it binds and several members may share one host address.
# Discovery: each member registers its Hazelcast port as the Nomad service "shop-cluster"; a new member
# renders the current list into SHOP_CLUSTER_MEMBERS and Hazelcast takes over from there.
job "shop" {
  datacenters = ["dc1"]
  type        = "service"

  # Every group: one allocation at a time, a canary first, promoted once healthy by its checks,
  # rolled back to the last good version if it never is.
  update {
    max_parallel      = 1
    health_check      = "checks"
    min_healthy_time  = "10s"
    healthy_deadline  = "5m"
    progress_deadline = "10m"
    canary            = 1
    auto_promote      = true
    auto_revert       = true
  }

  # gateway: the public HTTP API (the edge job spreads requests over its instances).
  group "gateway" {
    count = 2

    scaling {
      enabled = true
      min     = 2
      max     = 6

      policy {
        cooldown            = "1m"
        evaluation_interval = "30s"

        check "cpu" {
          source = "nomad-apm"
          query  = "avg_cpu"

          strategy "target-value" {
            target = 70
          }
        }
      }
    }

    network {
      mode = "bridge"
      port "http" {
        to = 8080
      }
      port "ops" {
        to = 9000
      }
      # Cluster ports on the client's private network only (a host_network named "private" in the
      # client's configuration), never on its public address.
      port "hazelcast" {
        host_network = "private"
      }
      port "eventbus" {
        host_network = "private"
      }
    }

    # A few restarts in place, then the allocation fails and reschedule places a new one (possibly on
    # another client); mode "delay" would retry in place for ever and never let reschedule act.
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
      name     = "gateway"
      provider = "nomad"
      port     = "http"
      tags     = ["vertx-shop", "metrics=ops"]

      check {
        name     = "gateway-ready"
        type     = "http"
        port     = "ops"
        path     = "/health/ready"
        interval = "5s"
        timeout  = "3s"
      }
    }

    # Cluster discovery: no check, a starting member must be found before it can be ready.
    service {
      name     = "shop-cluster"
      provider = "nomad"
      port     = "hazelcast"
      tags     = ["gateway"]
    }

    task "gateway" {
      driver       = "docker"
      kill_signal  = "SIGTERM"
      kill_timeout = "30s"

      config {
        image           = "vertx-shop/gateway:0.1.0"
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

      # Addresses the scheduler assigned to this allocation.
      env {
        SHOP_CLUSTER_PUBLIC_HOST    = "${NOMAD_HOST_IP_hazelcast}"
        SHOP_CLUSTER_HAZELCAST_PORT = "${NOMAD_PORT_hazelcast}"
        SHOP_CLUSTER_EVENTBUS_PORT  = "${NOMAD_PORT_eventbus}"
      }

      template {
        destination = "local/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          SHOP_OPS_PORT=9000
          SHOP_LOG_FORMAT=json
          SHOP_SHUTDOWN_GRACE=10s
          SHOP_CLUSTERED=true
          SHOP_CLUSTER_NAME=vertx-shop
          SHOP_CLUSTER_HOST=0.0.0.0
          SHOP_CLUSTER_DISCOVERY=members
          SHOP_CLUSTER_TLS_CERT=/secrets/cluster.crt
          SHOP_CLUSTER_TLS_KEY=/secrets/cluster.key
          SHOP_CLUSTER_TLS_CA=/secrets/ca.crt
          SHOP_GATEWAY_PORT=8080
          SHOP_GATEWAY_TRUST_FORWARDED=true
        EOT
      }

      # The members known when this allocation starts; later changes need no restart (change_mode
      # noop): Hazelcast learns about members from the cluster itself.
      template {
        destination = "local/cluster.env"
        env         = true
        change_mode = "noop"
        data        = <<-EOT
          SHOP_CLUSTER_MEMBERS={{ range nomadService "shop-cluster" }}{{ .Address }}:{{ .Port }},{{ end }}
        EOT
      }

      template {
        destination = "secrets/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}
          SHOP_CLUSTER_SECRET={{ .cluster_secret }}
          SHOP_ADMIN_TOKEN={{ .admin_token }}
          {{- end }}
        EOT
      }

      # The event bus's TLS material (SHOP_CLUSTER_TLS_*), from the same Nomad Variables.
      template {
        destination = "secrets/cluster.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_cert }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/cluster.key"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_key }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/ca.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_ca }}{{ end }}
        EOT
      }

      resources {
        cpu    = 1000
        memory = 768
      }
    }
  }

  # catalog: products, categories, stock and reservations.
  group "catalog" {
    count = 2

    scaling {
      enabled = true
      min     = 2
      max     = 6

      policy {
        cooldown            = "1m"
        evaluation_interval = "30s"

        check "cpu" {
          source = "nomad-apm"
          query  = "avg_cpu"

          strategy "target-value" {
            target = 70
          }
        }
      }
    }

    network {
      mode = "bridge"
      port "ops" {
        to = 9000
      }
      # Cluster ports on the client's private network only (a host_network named "private" in the
      # client's configuration), never on its public address.
      port "hazelcast" {
        host_network = "private"
      }
      port "eventbus" {
        host_network = "private"
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
      name     = "catalog"
      provider = "nomad"
      port     = "ops"
      tags     = ["vertx-shop", "metrics=ops"]

      check {
        name     = "catalog-ready"
        type     = "http"
        port     = "ops"
        path     = "/health/ready"
        interval = "5s"
        timeout  = "3s"
      }
    }

    # Cluster discovery: no check, a starting member must be found before it can be ready.
    service {
      name     = "shop-cluster"
      provider = "nomad"
      port     = "hazelcast"
      tags     = ["catalog"]
    }

    task "catalog" {
      driver       = "docker"
      kill_signal  = "SIGTERM"
      kill_timeout = "30s"

      config {
        image           = "vertx-shop/catalog:0.1.0"
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

      # Addresses the scheduler assigned to this allocation.
      env {
        SHOP_CLUSTER_PUBLIC_HOST    = "${NOMAD_HOST_IP_hazelcast}"
        SHOP_CLUSTER_HAZELCAST_PORT = "${NOMAD_PORT_hazelcast}"
        SHOP_CLUSTER_EVENTBUS_PORT  = "${NOMAD_PORT_eventbus}"
      }

      template {
        destination = "local/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          SHOP_OPS_PORT=9000
          SHOP_LOG_FORMAT=json
          SHOP_SHUTDOWN_GRACE=10s
          SHOP_CLUSTERED=true
          SHOP_CLUSTER_NAME=vertx-shop
          SHOP_CLUSTER_HOST=0.0.0.0
          SHOP_CLUSTER_DISCOVERY=members
          SHOP_CLUSTER_TLS_CERT=/secrets/cluster.crt
          SHOP_CLUSTER_TLS_KEY=/secrets/cluster.key
          SHOP_CLUSTER_TLS_CA=/secrets/ca.crt
          SHOP_DB_NAME=shop
          SHOP_DB_USER=shop_catalog
          {{- range nomadService "postgres" }}
          SHOP_DB_HOST={{ .Address }}
          SHOP_DB_PORT={{ .Port }}
          {{- end }}
          SHOP_KAFKA_BOOTSTRAP_SERVERS={{ range $i, $s := nomadService "kafka" }}{{ if $i }},{{ end }}{{ $s.Address }}:{{ $s.Port }}{{ end }}
          SHOP_KAFKA_TOPIC_PARTITIONS=3
          SHOP_KAFKA_REPLICATION_FACTOR=1
          SHOP_CATALOG_SEED_DEMO=true
        EOT
      }

      # The members known when this allocation starts; later changes need no restart (change_mode
      # noop): Hazelcast learns about members from the cluster itself.
      template {
        destination = "local/cluster.env"
        env         = true
        change_mode = "noop"
        data        = <<-EOT
          SHOP_CLUSTER_MEMBERS={{ range nomadService "shop-cluster" }}{{ .Address }}:{{ .Port }},{{ end }}
        EOT
      }

      template {
        destination = "secrets/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}
          SHOP_CLUSTER_SECRET={{ .cluster_secret }}
          SHOP_DB_PASSWORD={{ .db_password_catalog }}
          {{- end }}
        EOT
      }

      # The event bus's TLS material (SHOP_CLUSTER_TLS_*), from the same Nomad Variables.
      template {
        destination = "secrets/cluster.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_cert }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/cluster.key"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_key }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/ca.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_ca }}{{ end }}
        EOT
      }

      resources {
        cpu    = 1000
        memory = 768
      }
    }
  }

  # users: accounts, password hashes, logins, RS256 tokens.
  group "users" {
    count = 1

    network {
      mode = "bridge"
      port "ops" {
        to = 9000
      }
      # Cluster ports on the client's private network only (a host_network named "private" in the
      # client's configuration), never on its public address.
      port "hazelcast" {
        host_network = "private"
      }
      port "eventbus" {
        host_network = "private"
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
      name     = "users"
      provider = "nomad"
      port     = "ops"
      tags     = ["vertx-shop", "metrics=ops"]

      check {
        name     = "users-ready"
        type     = "http"
        port     = "ops"
        path     = "/health/ready"
        interval = "5s"
        timeout  = "3s"
      }
    }

    # Cluster discovery: no check, a starting member must be found before it can be ready.
    service {
      name     = "shop-cluster"
      provider = "nomad"
      port     = "hazelcast"
      tags     = ["users"]
    }

    task "users" {
      driver       = "docker"
      kill_signal  = "SIGTERM"
      kill_timeout = "30s"

      config {
        image           = "vertx-shop/users:0.1.0"
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

      # Addresses the scheduler assigned to this allocation.
      env {
        SHOP_CLUSTER_PUBLIC_HOST    = "${NOMAD_HOST_IP_hazelcast}"
        SHOP_CLUSTER_HAZELCAST_PORT = "${NOMAD_PORT_hazelcast}"
        SHOP_CLUSTER_EVENTBUS_PORT  = "${NOMAD_PORT_eventbus}"
      }

      template {
        destination = "local/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          SHOP_OPS_PORT=9000
          SHOP_LOG_FORMAT=json
          SHOP_SHUTDOWN_GRACE=10s
          SHOP_CLUSTERED=true
          SHOP_CLUSTER_NAME=vertx-shop
          SHOP_CLUSTER_HOST=0.0.0.0
          SHOP_CLUSTER_DISCOVERY=members
          SHOP_CLUSTER_TLS_CERT=/secrets/cluster.crt
          SHOP_CLUSTER_TLS_KEY=/secrets/cluster.key
          SHOP_CLUSTER_TLS_CA=/secrets/ca.crt
          SHOP_DB_NAME=shop
          SHOP_DB_USER=shop_users
          {{- range nomadService "postgres" }}
          SHOP_DB_HOST={{ .Address }}
          SHOP_DB_PORT={{ .Port }}
          {{- end }}
          SHOP_KAFKA_BOOTSTRAP_SERVERS={{ range $i, $s := nomadService "kafka" }}{{ if $i }},{{ end }}{{ $s.Address }}:{{ $s.Port }}{{ end }}
          SHOP_KAFKA_TOPIC_PARTITIONS=3
          SHOP_KAFKA_REPLICATION_FACTOR=1
          SHOP_JWT_PRIVATE_KEY_FILE=/secrets/jwt-private-key.pem
        EOT
      }

      # The members known when this allocation starts; later changes need no restart (change_mode
      # noop): Hazelcast learns about members from the cluster itself.
      template {
        destination = "local/cluster.env"
        env         = true
        change_mode = "noop"
        data        = <<-EOT
          SHOP_CLUSTER_MEMBERS={{ range nomadService "shop-cluster" }}{{ .Address }}:{{ .Port }},{{ end }}
        EOT
      }

      template {
        destination = "secrets/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}
          SHOP_CLUSTER_SECRET={{ .cluster_secret }}
          SHOP_DB_PASSWORD={{ .db_password_users }}
          {{- end }}
        EOT
      }

      # The signing key as a file: a multi-line PEM does not fit an env template. The image's entry
      # point reads SHOP_JWT_PRIVATE_KEY_FILE into SHOP_JWT_PRIVATE_KEY.
      template {
        destination = "secrets/jwt-private-key.pem"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .jwt_private_key }}{{ end }}
        EOT
      }

      # The event bus's TLS material (SHOP_CLUSTER_TLS_*), from the same Nomad Variables.
      template {
        destination = "secrets/cluster.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_cert }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/cluster.key"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_key }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/ca.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_ca }}{{ end }}
        EOT
      }

      resources {
        cpu    = 1000
        memory = 768
      }
    }
  }

  # cart: carts and their lines.
  group "cart" {
    count = 1

    network {
      mode = "bridge"
      port "ops" {
        to = 9000
      }
      # Cluster ports on the client's private network only (a host_network named "private" in the
      # client's configuration), never on its public address.
      port "hazelcast" {
        host_network = "private"
      }
      port "eventbus" {
        host_network = "private"
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
      name     = "cart"
      provider = "nomad"
      port     = "ops"
      tags     = ["vertx-shop", "metrics=ops"]

      check {
        name     = "cart-ready"
        type     = "http"
        port     = "ops"
        path     = "/health/ready"
        interval = "5s"
        timeout  = "3s"
      }
    }

    # Cluster discovery: no check, a starting member must be found before it can be ready.
    service {
      name     = "shop-cluster"
      provider = "nomad"
      port     = "hazelcast"
      tags     = ["cart"]
    }

    task "cart" {
      driver       = "docker"
      kill_signal  = "SIGTERM"
      kill_timeout = "30s"

      config {
        image           = "vertx-shop/cart:0.1.0"
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

      # Addresses the scheduler assigned to this allocation.
      env {
        SHOP_CLUSTER_PUBLIC_HOST    = "${NOMAD_HOST_IP_hazelcast}"
        SHOP_CLUSTER_HAZELCAST_PORT = "${NOMAD_PORT_hazelcast}"
        SHOP_CLUSTER_EVENTBUS_PORT  = "${NOMAD_PORT_eventbus}"
      }

      template {
        destination = "local/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          SHOP_OPS_PORT=9000
          SHOP_LOG_FORMAT=json
          SHOP_SHUTDOWN_GRACE=10s
          SHOP_CLUSTERED=true
          SHOP_CLUSTER_NAME=vertx-shop
          SHOP_CLUSTER_HOST=0.0.0.0
          SHOP_CLUSTER_DISCOVERY=members
          SHOP_CLUSTER_TLS_CERT=/secrets/cluster.crt
          SHOP_CLUSTER_TLS_KEY=/secrets/cluster.key
          SHOP_CLUSTER_TLS_CA=/secrets/ca.crt
          SHOP_DB_NAME=shop
          SHOP_DB_USER=shop_cart
          {{- range nomadService "postgres" }}
          SHOP_DB_HOST={{ .Address }}
          SHOP_DB_PORT={{ .Port }}
          {{- end }}
          SHOP_KAFKA_BOOTSTRAP_SERVERS={{ range $i, $s := nomadService "kafka" }}{{ if $i }},{{ end }}{{ $s.Address }}:{{ $s.Port }}{{ end }}
          SHOP_KAFKA_TOPIC_PARTITIONS=3
          SHOP_KAFKA_REPLICATION_FACTOR=1
        EOT
      }

      # The members known when this allocation starts; later changes need no restart (change_mode
      # noop): Hazelcast learns about members from the cluster itself.
      template {
        destination = "local/cluster.env"
        env         = true
        change_mode = "noop"
        data        = <<-EOT
          SHOP_CLUSTER_MEMBERS={{ range nomadService "shop-cluster" }}{{ .Address }}:{{ .Port }},{{ end }}
        EOT
      }

      template {
        destination = "secrets/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}
          SHOP_CLUSTER_SECRET={{ .cluster_secret }}
          SHOP_DB_PASSWORD={{ .db_password_cart }}
          {{- end }}
        EOT
      }

      # The event bus's TLS material (SHOP_CLUSTER_TLS_*), from the same Nomad Variables.
      template {
        destination = "secrets/cluster.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_cert }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/cluster.key"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_key }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/ca.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_ca }}{{ end }}
        EOT
      }

      resources {
        cpu    = 1000
        memory = 768
      }
    }
  }

  # orders: orders and the checkout saga.
  group "orders" {
    count = 1

    network {
      mode = "bridge"
      port "ops" {
        to = 9000
      }
      # Cluster ports on the client's private network only (a host_network named "private" in the
      # client's configuration), never on its public address.
      port "hazelcast" {
        host_network = "private"
      }
      port "eventbus" {
        host_network = "private"
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
      name     = "orders"
      provider = "nomad"
      port     = "ops"
      tags     = ["vertx-shop", "metrics=ops"]

      check {
        name     = "orders-ready"
        type     = "http"
        port     = "ops"
        path     = "/health/ready"
        interval = "5s"
        timeout  = "3s"
      }
    }

    # Cluster discovery: no check, a starting member must be found before it can be ready.
    service {
      name     = "shop-cluster"
      provider = "nomad"
      port     = "hazelcast"
      tags     = ["orders"]
    }

    task "orders" {
      driver       = "docker"
      kill_signal  = "SIGTERM"
      kill_timeout = "30s"

      config {
        image           = "vertx-shop/orders:0.1.0"
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

      # Addresses the scheduler assigned to this allocation.
      env {
        SHOP_CLUSTER_PUBLIC_HOST    = "${NOMAD_HOST_IP_hazelcast}"
        SHOP_CLUSTER_HAZELCAST_PORT = "${NOMAD_PORT_hazelcast}"
        SHOP_CLUSTER_EVENTBUS_PORT  = "${NOMAD_PORT_eventbus}"
      }

      template {
        destination = "local/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          SHOP_OPS_PORT=9000
          SHOP_LOG_FORMAT=json
          SHOP_SHUTDOWN_GRACE=10s
          SHOP_CLUSTERED=true
          SHOP_CLUSTER_NAME=vertx-shop
          SHOP_CLUSTER_HOST=0.0.0.0
          SHOP_CLUSTER_DISCOVERY=members
          SHOP_CLUSTER_TLS_CERT=/secrets/cluster.crt
          SHOP_CLUSTER_TLS_KEY=/secrets/cluster.key
          SHOP_CLUSTER_TLS_CA=/secrets/ca.crt
          SHOP_DB_NAME=shop
          SHOP_DB_USER=shop_orders
          {{- range nomadService "postgres" }}
          SHOP_DB_HOST={{ .Address }}
          SHOP_DB_PORT={{ .Port }}
          {{- end }}
          SHOP_KAFKA_BOOTSTRAP_SERVERS={{ range $i, $s := nomadService "kafka" }}{{ if $i }},{{ end }}{{ $s.Address }}:{{ $s.Port }}{{ end }}
          SHOP_KAFKA_TOPIC_PARTITIONS=3
          SHOP_KAFKA_REPLICATION_FACTOR=1
        EOT
      }

      # The members known when this allocation starts; later changes need no restart (change_mode
      # noop): Hazelcast learns about members from the cluster itself.
      template {
        destination = "local/cluster.env"
        env         = true
        change_mode = "noop"
        data        = <<-EOT
          SHOP_CLUSTER_MEMBERS={{ range nomadService "shop-cluster" }}{{ .Address }}:{{ .Port }},{{ end }}
        EOT
      }

      template {
        destination = "secrets/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}
          SHOP_CLUSTER_SECRET={{ .cluster_secret }}
          SHOP_DB_PASSWORD={{ .db_password_orders }}
          {{- end }}
        EOT
      }

      # The event bus's TLS material (SHOP_CLUSTER_TLS_*), from the same Nomad Variables.
      template {
        destination = "secrets/cluster.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_cert }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/cluster.key"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_key }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/ca.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_ca }}{{ end }}
        EOT
      }

      resources {
        cpu    = 1000
        memory = 768
      }
    }
  }

  # payments: payments and refunds, HTTP out to the payment-provider job.
  group "payments" {
    count = 1

    network {
      mode = "bridge"
      port "ops" {
        to = 9000
      }
      # Cluster ports on the client's private network only (a host_network named "private" in the
      # client's configuration), never on its public address.
      port "hazelcast" {
        host_network = "private"
      }
      port "eventbus" {
        host_network = "private"
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
      name     = "payments"
      provider = "nomad"
      port     = "ops"
      tags     = ["vertx-shop", "metrics=ops"]

      check {
        name     = "payments-ready"
        type     = "http"
        port     = "ops"
        path     = "/health/ready"
        interval = "5s"
        timeout  = "3s"
      }
    }

    # Cluster discovery: no check, a starting member must be found before it can be ready.
    service {
      name     = "shop-cluster"
      provider = "nomad"
      port     = "hazelcast"
      tags     = ["payments"]
    }

    task "payments" {
      driver       = "docker"
      kill_signal  = "SIGTERM"
      kill_timeout = "30s"

      config {
        image           = "vertx-shop/payments:0.1.0"
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

      # Addresses the scheduler assigned to this allocation.
      env {
        SHOP_CLUSTER_PUBLIC_HOST    = "${NOMAD_HOST_IP_hazelcast}"
        SHOP_CLUSTER_HAZELCAST_PORT = "${NOMAD_PORT_hazelcast}"
        SHOP_CLUSTER_EVENTBUS_PORT  = "${NOMAD_PORT_eventbus}"
      }

      template {
        destination = "local/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          SHOP_OPS_PORT=9000
          SHOP_LOG_FORMAT=json
          SHOP_SHUTDOWN_GRACE=10s
          SHOP_CLUSTERED=true
          SHOP_CLUSTER_NAME=vertx-shop
          SHOP_CLUSTER_HOST=0.0.0.0
          SHOP_CLUSTER_DISCOVERY=members
          SHOP_CLUSTER_TLS_CERT=/secrets/cluster.crt
          SHOP_CLUSTER_TLS_KEY=/secrets/cluster.key
          SHOP_CLUSTER_TLS_CA=/secrets/ca.crt
          SHOP_DB_NAME=shop
          SHOP_DB_USER=shop_payments
          {{- range nomadService "postgres" }}
          SHOP_DB_HOST={{ .Address }}
          SHOP_DB_PORT={{ .Port }}
          {{- end }}
          SHOP_KAFKA_BOOTSTRAP_SERVERS={{ range $i, $s := nomadService "kafka" }}{{ if $i }},{{ end }}{{ $s.Address }}:{{ $s.Port }}{{ end }}
          SHOP_KAFKA_TOPIC_PARTITIONS=3
          SHOP_KAFKA_REPLICATION_FACTOR=1
          {{- range nomadService "payment-provider" }}
          SHOP_PAYMENTS_PROVIDER_URL=http://{{ .Address }}:{{ .Port }}
          {{- end }}
        EOT
      }

      # The members known when this allocation starts; later changes need no restart (change_mode
      # noop): Hazelcast learns about members from the cluster itself.
      template {
        destination = "local/cluster.env"
        env         = true
        change_mode = "noop"
        data        = <<-EOT
          SHOP_CLUSTER_MEMBERS={{ range nomadService "shop-cluster" }}{{ .Address }}:{{ .Port }},{{ end }}
        EOT
      }

      template {
        destination = "secrets/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}
          SHOP_CLUSTER_SECRET={{ .cluster_secret }}
          SHOP_DB_PASSWORD={{ .db_password_payments }}
          {{- end }}
        EOT
      }

      # The event bus's TLS material (SHOP_CLUSTER_TLS_*), from the same Nomad Variables.
      template {
        destination = "secrets/cluster.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_cert }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/cluster.key"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_key }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/ca.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_ca }}{{ end }}
        EOT
      }

      resources {
        cpu    = 1000
        memory = 768
      }
    }
  }

  # notifications: notifications per user, from order and payment events.
  group "notifications" {
    count = 1

    network {
      mode = "bridge"
      port "ops" {
        to = 9000
      }
      # Cluster ports on the client's private network only (a host_network named "private" in the
      # client's configuration), never on its public address.
      port "hazelcast" {
        host_network = "private"
      }
      port "eventbus" {
        host_network = "private"
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
      name     = "notifications"
      provider = "nomad"
      port     = "ops"
      tags     = ["vertx-shop", "metrics=ops"]

      check {
        name     = "notifications-ready"
        type     = "http"
        port     = "ops"
        path     = "/health/ready"
        interval = "5s"
        timeout  = "3s"
      }
    }

    # Cluster discovery: no check, a starting member must be found before it can be ready.
    service {
      name     = "shop-cluster"
      provider = "nomad"
      port     = "hazelcast"
      tags     = ["notifications"]
    }

    task "notifications" {
      driver       = "docker"
      kill_signal  = "SIGTERM"
      kill_timeout = "30s"

      config {
        image           = "vertx-shop/notifications:0.1.0"
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

      # Addresses the scheduler assigned to this allocation.
      env {
        SHOP_CLUSTER_PUBLIC_HOST    = "${NOMAD_HOST_IP_hazelcast}"
        SHOP_CLUSTER_HAZELCAST_PORT = "${NOMAD_PORT_hazelcast}"
        SHOP_CLUSTER_EVENTBUS_PORT  = "${NOMAD_PORT_eventbus}"
      }

      template {
        destination = "local/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          SHOP_OPS_PORT=9000
          SHOP_LOG_FORMAT=json
          SHOP_SHUTDOWN_GRACE=10s
          SHOP_CLUSTERED=true
          SHOP_CLUSTER_NAME=vertx-shop
          SHOP_CLUSTER_HOST=0.0.0.0
          SHOP_CLUSTER_DISCOVERY=members
          SHOP_CLUSTER_TLS_CERT=/secrets/cluster.crt
          SHOP_CLUSTER_TLS_KEY=/secrets/cluster.key
          SHOP_CLUSTER_TLS_CA=/secrets/ca.crt
          SHOP_DB_NAME=shop
          SHOP_DB_USER=shop_notifications
          {{- range nomadService "postgres" }}
          SHOP_DB_HOST={{ .Address }}
          SHOP_DB_PORT={{ .Port }}
          {{- end }}
          SHOP_KAFKA_BOOTSTRAP_SERVERS={{ range $i, $s := nomadService "kafka" }}{{ if $i }},{{ end }}{{ $s.Address }}:{{ $s.Port }}{{ end }}
          SHOP_KAFKA_TOPIC_PARTITIONS=3
          SHOP_KAFKA_REPLICATION_FACTOR=1
        EOT
      }

      # The members known when this allocation starts; later changes need no restart (change_mode
      # noop): Hazelcast learns about members from the cluster itself.
      template {
        destination = "local/cluster.env"
        env         = true
        change_mode = "noop"
        data        = <<-EOT
          SHOP_CLUSTER_MEMBERS={{ range nomadService "shop-cluster" }}{{ .Address }}:{{ .Port }},{{ end }}
        EOT
      }

      template {
        destination = "secrets/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}
          SHOP_CLUSTER_SECRET={{ .cluster_secret }}
          SHOP_DB_PASSWORD={{ .db_password_notifications }}
          {{- end }}
        EOT
      }

      # The event bus's TLS material (SHOP_CLUSTER_TLS_*), from the same Nomad Variables.
      template {
        destination = "secrets/cluster.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_cert }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/cluster.key"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_key }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/ca.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_ca }}{{ end }}
        EOT
      }

      resources {
        cpu    = 1000
        memory = 768
      }
    }
  }

  # search: the Lucene product index, rebuilt from the product topic.
  group "search" {
    count = 1

    network {
      mode = "bridge"
      port "ops" {
        to = 9000
      }
      # Cluster ports on the client's private network only (a host_network named "private" in the
      # client's configuration), never on its public address.
      port "hazelcast" {
        host_network = "private"
      }
      port "eventbus" {
        host_network = "private"
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
      name     = "search"
      provider = "nomad"
      port     = "ops"
      tags     = ["vertx-shop", "metrics=ops"]

      check {
        name     = "search-ready"
        type     = "http"
        port     = "ops"
        path     = "/health/ready"
        interval = "5s"
        timeout  = "3s"
      }
    }

    # Cluster discovery: no check, a starting member must be found before it can be ready.
    service {
      name     = "shop-cluster"
      provider = "nomad"
      port     = "hazelcast"
      tags     = ["search"]
    }

    task "search" {
      driver       = "docker"
      kill_signal  = "SIGTERM"
      kill_timeout = "30s"

      config {
        image           = "vertx-shop/search:0.1.0"
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

      # Addresses the scheduler assigned to this allocation.
      env {
        SHOP_CLUSTER_PUBLIC_HOST    = "${NOMAD_HOST_IP_hazelcast}"
        SHOP_CLUSTER_HAZELCAST_PORT = "${NOMAD_PORT_hazelcast}"
        SHOP_CLUSTER_EVENTBUS_PORT  = "${NOMAD_PORT_eventbus}"
      }

      template {
        destination = "local/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          SHOP_OPS_PORT=9000
          SHOP_LOG_FORMAT=json
          SHOP_SHUTDOWN_GRACE=10s
          SHOP_CLUSTERED=true
          SHOP_CLUSTER_NAME=vertx-shop
          SHOP_CLUSTER_HOST=0.0.0.0
          SHOP_CLUSTER_DISCOVERY=members
          SHOP_CLUSTER_TLS_CERT=/secrets/cluster.crt
          SHOP_CLUSTER_TLS_KEY=/secrets/cluster.key
          SHOP_CLUSTER_TLS_CA=/secrets/ca.crt
          SHOP_KAFKA_BOOTSTRAP_SERVERS={{ range $i, $s := nomadService "kafka" }}{{ if $i }},{{ end }}{{ $s.Address }}:{{ $s.Port }}{{ end }}
          SHOP_KAFKA_TOPIC_PARTITIONS=3
          SHOP_KAFKA_REPLICATION_FACTOR=1
        EOT
      }

      # The members known when this allocation starts; later changes need no restart (change_mode
      # noop): Hazelcast learns about members from the cluster itself.
      template {
        destination = "local/cluster.env"
        env         = true
        change_mode = "noop"
        data        = <<-EOT
          SHOP_CLUSTER_MEMBERS={{ range nomadService "shop-cluster" }}{{ .Address }}:{{ .Port }},{{ end }}
        EOT
      }

      template {
        destination = "secrets/shop.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}
          SHOP_CLUSTER_SECRET={{ .cluster_secret }}
          {{- end }}
        EOT
      }

      # The event bus's TLS material (SHOP_CLUSTER_TLS_*), from the same Nomad Variables.
      template {
        destination = "secrets/cluster.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_cert }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/cluster.key"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_key }}{{ end }}
        EOT
      }

      template {
        destination = "secrets/ca.crt"
        change_mode = "restart"
        uid         = 10001
        gid         = 10001
        perms       = "0400"
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/shop" }}{{ .cluster_tls_ca }}{{ end }}
        EOT
      }

      resources {
        cpu    = 1000
        memory = 768
      }
    }
  }
}
