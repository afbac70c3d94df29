# The unsubscribe page is public by design: the link in an email must work for anyone holding it, without
# signing in. The secret is the subscriber's random token in the URL; the function does nothing but find the
# subscriber by it and unsubscribe them (on POST), and it reads nothing else.

resource "aws_lambda_function_url" "unsubscribe" {
  #checkov:skip=CKV_AWS_258:Public on purpose: unsubscribe links in emails (RFC 8058 one-click POSTs from mail providers) cannot sign requests; the random token is the credential.
  function_name      = module.unsubscribe.name
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "unsubscribe_url" {
  #checkov:skip=CKV_AWS_301:Public on purpose, as the function URL above: the unsubscribe link must work for anyone holding it.
  #checkov:skip=CKV_AWS_364:A function URL has no source ARN; the statement is limited to URL invocations by the auth type NONE condition.
  statement_id           = "FunctionURLAllowPublicAccess"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = module.unsubscribe.name
  principal              = "*"
  function_url_auth_type = "NONE"
}

# Since October 2025 a function URL also needs lambda:InvokeFunction, limited to invocations through the URL
# (condition lambda:InvokedViaFunctionUrl). Provider 5.x cannot write that condition, so the AWS CLI adds it
# (the statement id makes it idempotent; it goes with the function on destroy). With provider 6.x this is
# aws_lambda_permission { invoked_via_function_url = true }.
resource "terraform_data" "unsubscribe_invoke_via_url" {
  triggers_replace = [module.unsubscribe.arn, aws_lambda_function_url.unsubscribe.url_id]

  provisioner "local-exec" {
    command = <<-EOT
      aws lambda add-permission --region ${local.region} --function-name ${module.unsubscribe.name} \
        --statement-id FunctionURLInvokeViaURL --action lambda:InvokeFunction --principal '*' \
        --invoked-via-function-url --output text >/dev/null 2>add-permission.err \
      || grep -q ResourceConflictException add-permission.err \
      || { cat add-permission.err >&2; rm -f add-permission.err; exit 1; }
      rm -f add-permission.err
    EOT
  }
}
