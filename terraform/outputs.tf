output "bucket" {
  description = "The object store (raw/, state/, reports/)."
  value       = aws_s3_bucket.data.bucket
}

output "functions" {
  description = "The functions' names."
  value = {
    extract     = module.extract.name
    load        = module.load.name
    backfill    = module.backfill.name
    charts      = module.charts.name
    report      = module.report.name
    alert       = module.alert.name
    unsubscribe = module.unsubscribe.name
    dashboard   = module.dashboard.name
  }
}

output "unsubscribe_url" {
  description = "The unsubscribe page (UNSUBSCRIBE_URL of Report and Alert)."
  value       = aws_lambda_function_url.public["unsubscribe"].function_url
}

output "dashboard_url" {
  description = "The dashboard (sign in with the credentials put in dashboard_secret_arn)."
  value       = aws_lambda_function_url.public["dashboard"].function_url
}

output "dashboard_secret_arn" {
  description = "The dashboard's sign-in secret, to fill with: aws secretsmanager put-secret-value (README)."
  value       = aws_secretsmanager_secret.dashboard.arn
}

output "database_endpoint" {
  description = "PostgreSQL's address inside the VPC."
  value       = aws_db_instance.main.endpoint
}

output "database_url" {
  description = "DATABASE_URL as the functions have it (no password)."
  value       = local.database_url
}

output "database_secret_arn" {
  description = "The Secrets Manager secret that RDS keeps the master password in."
  value       = local.database_secret_arn
}

output "alerts_topic_arn" {
  description = "SNS topic of alert notifications (filter on the subscriber attribute)."
  value       = aws_sns_topic.alerts.arn
}

output "operations_topic_arn" {
  description = "SNS topic of alarms."
  value       = aws_sns_topic.operations.arn
}

output "failures_queue_url" {
  description = "Events that failed every attempt."
  value       = aws_sqs_queue.failures.url
}

output "ses_identity" {
  description = "The SES identity to verify."
  value       = aws_sesv2_email_identity.sender.email_identity
}

output "ses_dkim_records" {
  description = "For a domain identity: the three CNAME records to publish (NAME -> VALUE)."
  value = {
    for token in try(aws_sesv2_email_identity.sender.dkim_signing_attributes[0].tokens, []) :
    "${token}._domainkey.${local.ses_identity}" => "${token}.dkim.amazonses.com"
  }
}
