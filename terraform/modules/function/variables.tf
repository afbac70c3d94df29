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

variable "layers" {
  description = "The layers' version ARNs, in order: the shared libraries first (the bootstrap looks in /opt/lib)."
  type        = list(string)
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

variable "network" {
  description = "The private subnets and security groups to run in; null runs outside any VPC."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null
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

variable "shared" {
  description = "What every function uses: the failure queue (asynchronous invocations that failed every attempt), the key (environment, logs), the log retention and the alarms' topic."
  type = object({
    failure_queue_arn  = string
    kms_key_arn        = string
    log_retention_days = number
    alarm_topic_arn    = string
  })
}
