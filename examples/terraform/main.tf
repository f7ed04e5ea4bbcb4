# Root configuration of the management account: calls the Terraform module
# that `obc compile main.ob -o backup --emit terraform` writes into ./backup
# (README.md). Terraform keeps its state and .terraform/ here, never in
# ./backup, which obc replaces as a whole on every compile.

terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

# Credentials of the management account (or of a delegated administrator
# for StackSets: then set call_as = "DELEGATED_ADMIN" below). The module
# creates the StackSets in this Region.
provider "aws" {
  region = "eu-west-1"
}

module "backup" {
  source = "./backup"

  name_prefix = "org-backup"
  # call_as   = "DELEGATED_ADMIN"
}

output "policy_ids" {
  value = module.backup.policy_ids
}

output "stack_set_names" {
  value = module.backup.stack_set_names
}
