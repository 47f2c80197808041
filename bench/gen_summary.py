#!/usr/bin/env python3
"""bench/gen_summary.py - a deterministic, synthetic five-section summary.

Usage: gen_summary.py [--principals N] [--regions N] [--seed S] > summary.json

Writes a summary in the Python tool's newer layout (what ct-aggregate
writes): N principals with a few to a hundred API calls each, their IP
addresses, user agents and error codes, spread over the regions.  Used by
bench/b_plot.sh and the ct-plot tests.  Same arguments, same bytes.
"""
import argparse
import json
import random
import sys

SERVICES = ["ec2", "s3", "iam", "sts", "lambda", "logs", "ssm", "kms",
            "cloudtrail", "dynamodb", "ecr", "ecs", "rds", "monitoring",
            "elasticloadbalancing", "autoscaling", "cloudformation", "sns"]
VERBS = ["Describe", "List", "Get", "Put", "Create", "Delete", "Update"]
NOUNS = ["Instances", "Buckets", "Roles", "Policies", "Functions",
         "LogStreams", "Parameters", "Keys", "Trails", "Tables", "Images",
         "Services", "DBInstances", "Alarms", "TargetHealth", "Stacks"]
ERRORS = ["AccessDenied", "ThrottlingException", "ResourceNotFoundException",
          "ValidationException", "UnauthorizedOperation"]
AGENTS = ["aws-cli/2.{0}.{1} md/awscrt#0.23.8 ua/2.1 os/linux#6.1.{2}-138.220"
          ".amzn2023.x86_64 md/arch#x86_64 lang/python#3.12.{1} md/pyimpl#CPython",
          "Boto3/1.37.{0} md/Botocore#1.37.{0} ua/2.0 os/linux#6.1.{2} "
          "md/arch#x86_64 lang/python#3.9.{1} cfg/retry-mode#legacy",
          "aws-sdk-go/1.55.{0} (go1.24.{1}; linux; amd64)",
          "console.amazonaws.com", "AWS Internal"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--principals", type=int, default=1000)
    ap.add_argument("--regions", type=int, default=17)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    regions = ["%s-%s-%d" % (rnd.choice(["us", "eu", "ap", "sa", "ca"]),
                             rnd.choice(["east", "west", "central", "north"]),
                             i % 4 + 1) + ("" if i < 20 else "-%d" % i)
               for i in range(a.regions)]
    regions = sorted(set(regions))
    calls = sorted({"%s.amazonaws.com:%s%s" % (s, v, n)
                    for s in SERVICES for v in VERBS for n in NOUNS})
    doc = {"_metadata": {"account_id": "123456789012",
                         "account_principal": "arn:aws:iam::123456789012:user/bench",
                         "activity_type": "ALL",
                         "cloudtrail_data_analyzed": {"from_timestamp": "20250101000000",
                                                      "to_timestamp": "20250115000000"},
                         "invocation": "gen_summary.py",
                         "regions_enabled": regions, "regions_failed": {},
                         "run_timestamp": "20250115000000"},
           "api_calls_by_principal": {}, "api_calls_by_region": {},
           "ip_addresses_by_principal": {}, "user_agents_by_principal": {},
           "error_codes_by_principal": {}}
    for p in range(a.principals):
        kind = rnd.choice(["role", "user", "assumed-role"])
        name = "123456789012:%s/%s-%04d" % (kind, rnd.choice(
            ["eks-nodegroup-NodeInstanceRole", "admin", "ci-deploy",
             "lambda-exec", "AWSServiceRoleForConfig"]), p)
        k = rnd.randint(3, 120)
        m = {}
        for c in rnd.sample(calls, k):
            n = int(rnd.paretovariate(1.2) * 3)
            m[c] = n
            r = rnd.choice(regions)
            reg = doc["api_calls_by_region"].setdefault(r, {})
            reg[c] = reg.get(c, 0) + n
        doc["api_calls_by_principal"][name] = m
        doc["ip_addresses_by_principal"][name] = {
            "%d.%d.%d.%d" % (rnd.randint(1, 223), rnd.randint(0, 255),
                             rnd.randint(0, 255), rnd.randint(1, 254)):
            rnd.randint(1, 500) for _ in range(rnd.randint(1, 60))}
        doc["user_agents_by_principal"][name] = {
            rnd.choice(AGENTS).format(rnd.randint(0, 30), rnd.randint(0, 9),
                                      rnd.randint(100, 199)): rnd.randint(1, 900)
            for _ in range(rnd.randint(1, 8))}
        if rnd.random() < 0.6:
            doc["error_codes_by_principal"][name] = {
                "%s.amazonaws.com:%s" % (rnd.choice(SERVICES), e): rnd.randint(1, 50)
                for e in rnd.sample(ERRORS, rnd.randint(1, 4))}
    json.dump(doc, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
