#!/usr/bin/env python3
"""cli_validate.py TREE KEYDIR - the AWS CLI's own digest validator
(awscli.customizations.cloudtrail.validation, what `aws cloudtrail
validate-logs` runs) on the digests of TREE with the signatures and keys of
KEYDIR (trailtree.py): prints "ok N" when every digest verifies, exits 3
when the CLI is not installed, 1 on a digest it refuses.
"""
import base64
import glob
import gzip
import json
import os
import sys

try:
    from awscli.customizations.cloudtrail.validation import \
        Sha256RSADigestValidator
except ImportError:
    sys.exit(3)

tree, keydir = sys.argv[1], sys.argv[2]
with open(os.path.join(keydir, "keys.json")) as f:
    # the CLI prints blobs base64-encoded; botocore hands the validator
    # the decoded bytes (themselves base64 text)
    value = base64.b64decode(json.load(f)["PublicKeyList"][0]["Value"])
with open(os.path.join(keydir, "sigs")) as f:
    sigs = dict(line.rstrip("\n").split("\t")[:2] for line in f)
n = 0
for path in sorted(glob.glob(os.path.join(
        tree, "AWSLogs/*/CloudTrail-Digest/*/*/*/*/*.json.gz"))):
    raw = gzip.open(path).read()
    d = json.loads(raw)
    d["_signature"] = sigs["s3://b/" + d["digestS3Object"]]
    Sha256RSADigestValidator().validate("b", d["digestS3Object"], value, d, raw)
    n += 1
print("ok", n)
