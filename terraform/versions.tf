terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Checked with `terraform validate` against 5.100. A function URL's second permission statement
      # (lambda:InvokeFunction via the URL) is made by the AWS CLI (see urls.tf) until the provider's
      # native argument (6.x) can be checked here too.
      version = ">= 5.100, < 6.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = var.name
      ManagedBy = "terraform"
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
# The two zones are named, not "the first two available": a zone AWS adds later must not move the subnets.
data "aws_availability_zones" "chosen" {
  state = "available"
  filter {
    name   = "zone-name"
    values = [for suffix in var.availability_zone_suffixes : "${var.region}${suffix}"]
  }
}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = var.region
  azs        = data.aws_availability_zones.chosen.names
}
