variable "name" {
  description = "The function's name (also its role's and log group's)."
  type        = string
}

variable "description" {
  description = "What the function does."
  type        = string
}

variable "package" {
  description = "The zip that scripts/package made (bootstrap at its root)."
  type        = string
}

variable "memory_mb" {
  description = "Memory in MB; CPU grows with it (one full vCPU at 1,769 MB)."
  type        = number
}

variable "timeout_seconds" {
  description = "The invocation's limit."
  type        = number
}

variable "environment" {
  description = "Environment variables (no secrets: those stay in Secrets Manager)."
  type        = map(string)
}

variable "policy_json" {
  description = "What the function may do beyond writing its logs, reporting failures and (in a VPC) its network interfaces."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets to run in; empty runs outside any VPC."
  type        = list(string)
  default     = []
}

variable "security_group_ids" {
  description = "Security groups when in a VPC."
  type        = list(string)
  default     = []
}

variable "reserved_concurrency" {
  description = "Concurrent invocations reserved (and the most allowed); null for none."
  type        = number
  default     = null
}

variable "retry_attempts" {
  description = "Retries of a failed asynchronous invocation (0-2)."
  type        = number
  default     = 2
}

variable "maximum_event_age_seconds" {
  description = "How long an asynchronous event may wait for a retry before it goes to the failure queue."
  type        = number
  default     = 21600
}

variable "failure_queue_arn" {
  description = "The SQS queue that receives asynchronous invocations that failed every attempt."
  type        = string
}

variable "kms_key_arn" {
  description = "The key for the environment variables and the log group."
  type        = string
}

variable "log_retention_days" {
  description = "Days the log group keeps."
  type        = number
}

variable "alarm_topic_arn" {
  description = "The SNS topic for the function's alarms."
  type        = string
}
