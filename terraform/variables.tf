variable "region" {
  description = "The AWS region for everything (SES must be available there)."
  type        = string
  default     = "eu-west-2"
}

variable "name" {
  description = "Prefix of every resource's name; the bucket is NAME-data-ACCOUNT."
  type        = string
  default     = "bandcamp-tracker"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name: 3-31 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "package_dir" {
  description = "Where scripts/package wrote the functions' zips (NAME.zip)."
  type        = string
  default     = "../dist"
}

variable "mail_from" {
  description = "The sender of every email, e.g. \"Bandcamp Tracker <reports@example.com>\"."
  type        = string

  validation {
    condition     = can(regex("[^@<> ]+@[^@<> ]+\\.[^@<> ]+", var.mail_from))
    error_message = "mail_from must contain an email address."
  }
}

variable "ses_identity" {
  description = "The SES identity to verify and send from: the sender's domain (DKIM records in the outputs) or its address. Empty: the domain of mail_from."
  type        = string
  default     = ""
}

variable "operations_email" {
  description = "Where alarms go (an SNS email subscription, confirmed by a link). Empty: subscribe to the operations topic yourself."
  type        = string
  default     = ""
}

variable "egress" {
  description = "How functions in the VPC reach Secrets Manager, SES and SNS: \"endpoints\" (interface endpoints, no internet) or \"nat\" (one NAT gateway). See the README for the monthly cost of each."
  type        = string
  default     = "endpoints"

  validation {
    condition     = contains(["endpoints", "nat"], var.egress)
    error_message = "egress is \"endpoints\" or \"nat\"."
  }
}

variable "availability_zone_suffixes" {
  description = "The two zones of the private subnets (RDS needs two), as letters after the region's name."
  type        = list(string)
  default     = ["a", "b"]

  validation {
    condition     = length(var.availability_zone_suffixes) == 2
    error_message = "Name exactly two zones."
  }
}

variable "vpc_cidr" {
  description = "The VPC's address range (two private /20s, and a public /24 for the NAT option)."
  type        = string
  default     = "10.42.0.0/16"
}

variable "extract_schedule" {
  description = "How often Extract polls the sales feed (the feed keeps about 10 minutes of sales)."
  type        = string
  default     = "rate(2 minutes)"
}

variable "load_sweep_schedule" {
  description = "How often Load sweeps for raw objects whose event was lost."
  type        = string
  default     = "rate(1 hour)"
}

variable "report_schedule" {
  description = "When the daily report for the day before is made and mailed (UTC)."
  type        = string
  default     = "cron(0 6 * * ? *)"
}

variable "alert_schedule" {
  description = "When the trend tests run: hourly, a few minutes past the hour so that the hour's sales are loaded."
  type        = string
  default     = "cron(5 * * * ? *)"
}

variable "backfill_schedule" {
  description = "How often Backfill goes on with a dataset not yet loaded (each run loads chunks for up to 15 minutes; a run with nothing to do ends at once)."
  type        = string
  default     = "rate(15 minutes)"
}

variable "charts_sweep_schedule" {
  description = "How often Charts imports chart exports whose event was lost."
  type        = string
  default     = "rate(1 day)"
}

variable "alert_digest_hour" {
  description = "The UTC hour whose alert run sends the daily digests."
  type        = number
  default     = 7

  validation {
    condition     = var.alert_digest_hour >= 0 && var.alert_digest_hour <= 23
    error_message = "alert_digest_hour is 0-23."
  }
}

variable "reserved_concurrency" {
  description = "Reserve concurrency per function (limits races and database connections). New accounts whose concurrency quota is 10 cannot reserve any: set false there."
  type        = bool
  default     = true
}

variable "db_instance_class" {
  description = "The RDS instance class."
  type        = string
  default     = "db.t4g.micro"
}

variable "db_engine_version" {
  description = "PostgreSQL's major version (the tests run on 15)."
  type        = string
  default     = "15"
}

variable "db_allocated_storage" {
  description = "Initial storage in GiB (gp3); it grows on its own up to db_max_allocated_storage."
  type        = number
  default     = 20
}

variable "db_max_allocated_storage" {
  description = "The ceiling of storage autoscaling, GiB."
  type        = number
  default     = 100
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery)."
  type        = number
  default     = 7
}

variable "deletion_protection" {
  description = "Protect the database from deletion (set false before `terraform destroy`)."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Days that function logs, VPC flow logs and the database's logs are kept."
  type        = number
  default     = 30
}

variable "raw_infrequent_access_days" {
  description = "Days after which raw objects move to S3 Standard-IA."
  type        = number
  default     = 30
}

variable "raw_glacier_days" {
  description = "Days after which raw objects move to Glacier Instant Retrieval."
  type        = number
  default     = 180
}

variable "raw_expiration_days" {
  description = "Days after which raw objects are deleted; 0 keeps them (they are the source of truth that every day can be loaded again from)."
  type        = number
  default     = 0
}
