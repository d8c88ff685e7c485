# Lets the postgres job read the shop's Nomad Variables (the database role passwords), which a job
# can otherwise only do for its own path nomad/jobs/<job>. Apply with:
#   nomad acl policy apply -namespace default -job postgres \
#     postgres-reads-shop-variables nomad/acl/postgres-reads-shop-variables.policy.hcl
namespace "default" {
  variables {
    path "nomad/jobs/shop" {
      capabilities = ["read"]
    }
  }
}
