#!/usr/bin/env python3
"""trailtree.py DIR [KEYDIR] - a synced trail bucket as `aws s3 sync` leaves it.

Writes DIR/AWSLogs/111122223333/CloudTrail/eu-west-1/... with two log files
an hour for three hours (two records each, but the last file: 1500 records
in two gzip members) and the matching chained digests
under CloudTrail-Digest/ (bucket "b"), as CloudTrail makes them: the SHA-256
of each uncompressed log file, each digest linked to the previous one.  With
KEYDIR, an RSA key is made there with the openssl CLI, each digest is signed
(SHA256withRSA over validate-logs' string to sign), and KEYDIR/sigs
(KEY<TAB>HEX<TAB>ALG lines) and KEYDIR/keys.json (the output of
`aws cloudtrail list-public-keys`) are written for ct-aggregate --verify
--signatures --public-keys.
"""
import base64
import gzip
import hashlib
import json
import os
import subprocess
import sys

ACC, REG, BUCKET, FP = "111122223333", "eu-west-1", "b", "0123abcd"
DAY = "2026/12/07"


def put(root, key, text):
    path = os.path.join(root, key)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(gzip.compress(text, mtime=0))


def main():
    root = sys.argv[1]
    keydir = sys.argv[2] if len(sys.argv) > 2 else None
    if keydir:
        os.makedirs(keydir, exist_ok=True)
        pem = os.path.join(keydir, "key.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                        "rsa_keygen_bits:1024", "-out", pem], check=True,
                       capture_output=True)
        der = subprocess.run(["openssl", "rsa", "-in", pem, "-RSAPublicKey_out",
                              "-outform", "DER"], check=True,
                             capture_output=True).stdout
    prev_key = prev_hash = prev_sig = None
    sigs = []
    for h in range(1, 4):
        logs = []
        for j in range(2):
            key = (f"AWSLogs/{ACC}/CloudTrail/{REG}/{DAY}/{ACC}_CloudTrail_{REG}_"
                   f"20261207T{h - 1:02d}{5 + 30 * j:02d}Z_u{h}{j}.json.gz")
            recs = [{"eventVersion": "1.08", "eventSource": "s3.amazonaws.com",
                     "eventName": "ListBuckets", "awsRegion": REG,
                     "eventTime": f"2026-12-07T{h - 1:02d}:{5 + 30 * j:02d}:0{k}Z",
                     "eventID": f"e{h}{j}{k}",
                     "userIdentity": {"type": "Root", "accountId": ACC}}
                    for k in range(1500 if (h, j) == (3, 1) else 2)]
            text = json.dumps({"Records": recs}).encode()
            if (h, j) == (3, 1):
                # large (over 256 KiB of text) and in two gzip members,
                # as `cat a.gz b.gz` makes: one stream, one hash
                path = os.path.join(root, key)
                with open(path, "wb") as f:
                    f.write(gzip.compress(text[:1000], mtime=0))
                    f.write(gzip.compress(text[1000:], mtime=0))
            else:
                put(root, key, text)
            logs.append({"s3Bucket": BUCKET, "s3Object": key,
                         "hashValue": hashlib.sha256(text).hexdigest(),
                         "hashAlgorithm": "SHA-256",
                         "newestEventTime": recs[-1]["eventTime"],
                         "oldestEventTime": recs[0]["eventTime"]})
        end = f"2026-12-07T{h:02d}:00:00Z"
        dkey = (f"AWSLogs/{ACC}/CloudTrail-Digest/{REG}/{DAY}/{ACC}_CloudTrail-Digest_"
                f"{REG}_trail_{REG}_20261207T{h:02d}0000Z.json.gz")
        d = {"awsAccountId": ACC, "digestStartTime": f"2026-12-07T{h - 1:02d}:00:00Z",
             "digestEndTime": end, "digestS3Bucket": BUCKET, "digestS3Object": dkey,
             "digestPublicKeyFingerprint": FP,
             "digestSignatureAlgorithm": "SHA256withRSA",
             "previousDigestS3Bucket": BUCKET if prev_key else None,
             "previousDigestS3Object": prev_key,
             "previousDigestHashValue": prev_hash,
             "previousDigestHashAlgorithm": "SHA-256" if prev_key else None,
             "previousDigestSignature": prev_sig, "logFiles": logs}
        text = json.dumps(d).encode()
        put(root, dkey, text)
        sig = "00" * 128
        if keydir:
            to_sign = (f"{end}\n{BUCKET}/{dkey}\n{hashlib.sha256(text).hexdigest()}\n"
                       f"{prev_sig if prev_sig is not None else 'null'}").encode()
            sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", pem],
                                 input=to_sign, check=True,
                                 capture_output=True).stdout.hex()
            sigs.append(f"s3://{BUCKET}/{dkey}\t{sig}\tSHA256withRSA\n")
        prev_key, prev_hash, prev_sig = dkey, hashlib.sha256(text).hexdigest(), sig
    if keydir:
        with open(os.path.join(keydir, "sigs"), "w") as f:
            f.writelines(sigs)
        with open(os.path.join(keydir, "keys.json"), "w") as f:
            json.dump({"PublicKeyList": [{
                "Value": base64.b64encode(base64.b64encode(der)).decode(),
                "ValidityStartTime": "2026-12-06T00:00:00+00:00",
                "ValidityEndTime": "2026-12-08T00:00:00+00:00",
                "Fingerprint": FP}]}, f, indent=4)


main()
