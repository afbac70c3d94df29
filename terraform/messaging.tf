# Email through SES from a verified identity, and alert notifications through an SNS topic (subscribers'
# endpoints filter on the `subscriber` message attribute).

locals {
  mail_address = regex("[^@<> ]+@[^@<> ]+", var.mail_from)
  ses_identity = var.ses_identity != "" ? var.ses_identity : split("@", local.mail_address)[1]
}

resource "aws_sesv2_email_identity" "sender" {
  email_identity = local.ses_identity
}

resource "aws_sns_topic" "alerts" {
  name              = "${var.name}-alerts"
  display_name      = "Bandcamp Tracker alerts"
  kms_master_key_id = aws_kms_key.data.arn
}
