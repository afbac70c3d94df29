# PostgreSQL on RDS: in the private subnets, encrypted, never public, TLS required (rds.force_ssl), the master
# password made and rotated by RDS in Secrets Manager (the functions read it there; it is never in Terraform's
# state or the functions' environment), daily backups with point-in-time recovery. The schema is the
# functions' business: their migrations run at cold start under an advisory lock.

resource "aws_db_subnet_group" "main" {
  name        = var.name
  description = "${var.name}: private subnets"
  subnet_ids  = aws_subnet.private[*].id
}

resource "aws_db_parameter_group" "main" {
  name        = "${var.name}-postgres${var.db_engine_version}"
  family      = "postgres${var.db_engine_version}"
  description = "${var.name}: TLS required, slow statements and connections logged"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }
  parameter {
    name  = "log_connections"
    value = "1"
  }
  parameter {
    name  = "log_disconnections"
    value = "1"
  }
  parameter {
    name  = "log_lock_waits"
    value = "1"
  }
}

resource "aws_db_instance" "main" {
  #checkov:skip=CKV_AWS_157:Multi-AZ doubles the instance cost; a few minutes' outage loses nothing (raw objects stay in S3 and are loaded by the next sweep).
  #checkov:skip=CKV_AWS_118:Enhanced monitoring costs CloudWatch Logs ingestion every minute; RDS's standard metrics and the alarms below cover this size.
  #checkov:skip=CKV_AWS_353:Performance Insights is not offered on every micro class; enable it when the class grows.
  #checkov:skip=CKV_AWS_354:Performance Insights is off (see CKV_AWS_353).
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.db_engine_version
  instance_class = var.db_instance_class

  db_name                       = "bandcamp_tracker"
  username                      = "bandcamp_tracker"
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.data.arn

  allocated_storage     = var.db_allocated_storage
  max_allocated_storage = var.db_max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.data.arn

  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.database.id]
  parameter_group_name   = aws_db_parameter_group.main.name
  publicly_accessible    = false
  multi_az               = false
  availability_zone      = local.azs[0]

  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  auto_minor_version_upgrade          = true
  allow_major_version_upgrade         = false

  backup_retention_period   = var.db_backup_retention_days
  backup_window             = "03:00-03:30"
  maintenance_window        = "sun:04:00-sun:04:30"
  copy_tags_to_snapshot     = true
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name}-final"

  # The log groups exist first, with their retention and key; RDS would otherwise make them keeping forever.
  depends_on = [aws_cloudwatch_log_group.database]
}

resource "aws_cloudwatch_log_group" "database" {
  #checkov:skip=CKV_AWS_338:Kept log_retention_days (30 by default): these are operational logs, not an audit trail, and a year of them costs more than the rest of the deployment.
  for_each          = toset(["postgresql", "upgrade"])
  name              = "/aws/rds/instance/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.data.arn
}

locals {
  # What the functions connect with: no password here (it is read from the secret), TLS required.
  database_url        = "postgresql://${aws_db_instance.main.username}@${aws_db_instance.main.address}:${aws_db_instance.main.port}/${aws_db_instance.main.db_name}?sslmode=require"
  database_secret_arn = aws_db_instance.main.master_user_secret[0].secret_arn
}
