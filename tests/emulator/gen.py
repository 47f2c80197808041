# gen.py - synthetic CloudTrail records for the emulator's tests
# (`awsemu.py gen`, emulib.gen_events).
#
# Deterministic for a seed and region (the PRNG is seeded with both), so a
# test can regenerate the data it served; the shapes are the ones a
# summary must handle (IAMUser, AssumedRole with its session issuer,
# AWSService, readOnly absent, errorCode).  It knows nothing of the
# server: it returns NDJSON lines.

import json
import random
import uuid

from common import iso8601


EVENT_NAMES = [("DescribeInstances", "ec2.amazonaws.com", True),
               ("GetObject", "s3.amazonaws.com", True),
               ("ListBuckets", "s3.amazonaws.com", True),
               ("AssumeRole", "sts.amazonaws.com", False),
               ("RunInstances", "ec2.amazonaws.com", False),
               ("PutObject", "s3.amazonaws.com", False),
               ("CreateUser", "iam.amazonaws.com", False),
               ("ConsoleLogin", "signin.amazonaws.com", None),
               ("GetCallerIdentity", "sts.amazonaws.com", True),
               ("LookupEvents", "cloudtrail.amazonaws.com", True)]


def gen_events(region, count, start, end, seed=1, account="123456789012"):
    """Synthetic CloudTrail records, deterministic for a seed."""
    rng = random.Random("%s/%s" % (seed, region))
    users = ["alice", "bob", "carol", "deploy"]
    out = []
    for i in range(count):
        t = rng.randint(int(start), int(end))
        name, src, ro = rng.choice(EVENT_NAMES)
        kind = rng.random()
        if kind < 0.6:
            u = rng.choice(users)
            ui = {"type": "IAMUser", "principalId": "AIDA%012d" % i,
                  "arn": "arn:aws:iam::%s:user/%s" % (account, u),
                  "accountId": account,
                  "accessKeyId": "AKIA%016d" % rng.randint(0, 99),
                  "userName": u}
        elif kind < 0.9:
            ui = {"type": "AssumedRole",
                  "principalId": "AROAEXAMPLE:sess%d" % (i % 7),
                  "arn": "arn:aws:sts::%s:assumed-role/role%d/sess%d" % (
                      account, i % 3, i % 7),
                  "accountId": account,
                  "accessKeyId": "ASIA%016d" % rng.randint(0, 99),
                  "sessionContext": {"sessionIssuer": {
                      "type": "Role", "principalId": "AROAEXAMPLE",
                      "arn": "arn:aws:iam::%s:role/role%d" % (account, i % 3),
                      "accountId": account, "userName": "role%d" % (i % 3)}}}
        else:
            ui = {"type": "AWSService", "invokedBy": "ec2.amazonaws.com"}
        rec = {"eventVersion": "1.08", "userIdentity": ui,
               "eventTime": iso8601(t), "eventSource": src,
               "eventName": name, "awsRegion": region,
               "sourceIPAddress": "198.51.100.%d" % rng.randint(1, 254),
               "userAgent": "aws-cli/2.9.19",
               "requestParameters": None, "responseElements": None,
               "requestID": str(uuid.UUID(int=rng.getrandbits(128))),
               "eventID": str(uuid.UUID(int=rng.getrandbits(128))),
               "eventType": "AwsApiCall", "managementEvent": True,
               "recipientAccountId": account,
               "eventCategory": "Management"}
        if ro is not None:
            rec["readOnly"] = ro
        if rng.random() < 0.1:
            rec["errorCode"] = "AccessDenied"
            rec["errorMessage"] = "User is not authorized"
        out.append(json.dumps(rec, separators=(",", ":")))
    return out
