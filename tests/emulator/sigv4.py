# sigv4.py - the SigV4 verifier of awsemu: every request's Authorization
# header is checked with botocore's own signer, so the C signer under test
# is checked by an independent implementation; the access key, its session
# token and expiry come from the emulator state, and each failure is the
# service's own error (SignatureDoesNotMatch, InvalidClientTokenId,
# ExpiredToken, AuthFailure).
#
# Sigv4 is a mixin of server.py's request Handler; botocore_auth and
# parse_auth serve s3.py too.

import datetime
import hashlib
import hmac
import sys
import threading
import time

from common import (MSG_BAD_TOKEN, MSG_EXPIRED, MSG_SIG, MSG_EC2_AUTH,
                    now_utc, Abort)


_botocore = None
_botocore_lock = threading.Lock()


def botocore_auth():
    """Import botocore lazily: it costs 0.6 s, start-up must be fast."""
    global _botocore
    with _botocore_lock:
        if _botocore is None:
            # The signer needs neither the CRT nor pyOpenSSL, which
            # botocore imports when present: 0.5 s of start-up saved.
            for m in ("awscrt", "OpenSSL"):
                sys.modules.setdefault(m, None)
            import botocore.auth
            import botocore.awsrequest
            import botocore.credentials
            _botocore = botocore
    return _botocore


def exact_signer(base, creds, service, region, signed):
    """A botocore signer of class base that signs exactly the headers
    named in signed (the request's own list), as the client did."""
    bc = botocore_auth()

    class Exact(base):
        def headers_to_sign(self, request):
            m = bc.awsrequest.HTTPHeaders()
            for name in signed:
                for v in request.headers.get_all(name) or []:
                    m[name] = v
            return m

    return Exact(creds, service, region)


def parse_auth(auth):
    """Parse an AWS4-HMAC-SHA256 Authorization header, or None."""
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return None
    parts = {}
    for item in auth[len("AWS4-HMAC-SHA256 "):].split(","):
        k, _, v = item.strip().partition("=")
        parts[k] = v
    cred = parts.get("Credential", "").split("/")
    if len(cred) != 5 or cred[4] != "aws4_request" or \
            "SignedHeaders" not in parts or "Signature" not in parts:
        return None
    return {"akid": cred[0], "date": cred[1], "region": cred[2],
            "service": cred[3],
            "signed_headers": [h for h in parts["SignedHeaders"].split(";")
                               if h],
            "signature": parts["Signature"]}


class Sigv4:
    def authenticate(self, method, body, scope, service, region):
        if scope is None:
            raise self.auth_fail(service, "missing")
        st = self.st
        with st.lock:
            key = st.keys.get(scope["akid"])
        if key is None:
            raise self.auth_fail(service, "unknown_key")
        tok = self.headers.get("X-Amz-Security-Token")
        if key["session_token"] is not None and tok != key["session_token"]:
            raise self.auth_fail(service, "unknown_key")
        if key["session_token"] is None and tok:
            raise self.auth_fail(service, "unknown_key")
        amzdate = self.headers.get("X-Amz-Date", "")
        try:
            ts = datetime.datetime.strptime(amzdate, "%Y%m%dT%H%M%SZ") \
                .replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            with st.lock:
                st.auth_errors["bad_signature"] += 1
            if service == "cloudtrail":
                raise Abort(400, "IncompleteSignatureException",
                            "Date must be in ISO-8601 'basic format'. Got "
                            "'%s'." % amzdate)
            raise Abort(400, "IncompleteSignature",
                        "Date must be in ISO-8601 'basic format'. Got "
                        "'%s'." % amzdate)
        now = now_utc()
        skew = float(st.cfg.get("clock_skew_max", 900))
        if abs((now - ts).total_seconds()) > skew:
            with st.lock:
                st.auth_errors["skew"] += 1
            fmt = "%Y%m%dT%H%M%SZ"
            if ts < now:
                msg = ("Signature expired: %s is now earlier than %s (%s - "
                       "15 min.)" % (amzdate, (now - datetime.timedelta(
                           seconds=skew)).strftime(fmt), now.strftime(fmt)))
            else:
                msg = ("Signature not yet current: %s is still later than "
                       "%s (%s + 15 min.)" % (amzdate, (
                           now + datetime.timedelta(seconds=skew)).strftime(
                           fmt), now.strftime(fmt)))
            if service == "cloudtrail":
                raise Abort(400, "InvalidSignatureException", msg)
            if service == "ec2":
                raise Abort(400, "RequestExpired", "Request has expired.")
            raise Abort(403, "SignatureDoesNotMatch", msg)
        ok, creq, sts = self.signature_ok(method, body, scope, key, amzdate)
        self.sig_echo = (creq, sts)
        if not ok:
            with st.lock:
                st.auth_errors["bad_signature"] += 1
            raise self.signature_abort(service)
        if key.get("expires_at") is not None and \
                time.time() >= key["expires_at"]:
            raise self.auth_fail(service, "expired")
        return key

    def auth_fail(self, service, what):
        with self.st.lock:
            self.st.auth_errors[what] += 1
        if what == "missing":
            if service == "cloudtrail":
                return Abort(400, "MissingAuthenticationTokenException",
                             "Missing Authentication Token")
            return Abort(403 if service == "sts" else 401,
                         "MissingAuthenticationToken",
                         "Request is missing Authentication Token")
        if what == "unknown_key":
            if service == "cloudtrail":
                return Abort(400, "UnrecognizedClientException",
                             MSG_BAD_TOKEN)
            if service == "ec2":
                return Abort(401, "AuthFailure", MSG_EC2_AUTH)
            return Abort(403, "InvalidClientTokenId", MSG_BAD_TOKEN)
        if what == "expired":
            if service == "cloudtrail":
                return Abort(400, "ExpiredTokenException", MSG_EXPIRED)
            return Abort(400, "ExpiredToken", MSG_EXPIRED)
        raise AssertionError(what)

    def signature_abort(self, service):
        """The answer to a signature that does not match.  As AWS's, the
        message of the JSON and query (STS) services echoes the canonical
        request (the x-amz-security-token header included) and the string
        to sign that were expected; EC2's does not."""
        creq, sts = getattr(self, "sig_echo", (None, None))
        msg = MSG_SIG
        if creq is not None and service != "ec2":
            msg += ("\n\nThe Canonical String for this request should "
                    "have been\n'%s'\n\nThe String-to-Sign should have "
                    "been\n'%s'\n" % (creq, sts))
        if service == "cloudtrail":
            return Abort(400, "InvalidSignatureException", msg)
        return Abort(403, "SignatureDoesNotMatch", msg)

    def signature_ok(self, method, body, scope, key, amzdate):
        """(ok, canonical request, string to sign); the last two None when
        the request is refused before they are built."""
        bc = botocore_auth()
        if scope["date"] != amzdate[:8]:
            return False, None, None
        signed = scope["signed_headers"]
        hdrs = bc.awsrequest.HTTPHeaders()
        for name in signed:
            vals = self.headers.get_all(name)
            if vals is None:
                return False, None, None
            for v in vals:
                hdrs[name] = v
        sha = self.headers.get("X-Amz-Content-SHA256")
        if sha is not None and sha != hashlib.sha256(body).hexdigest():
            return False, None, None
        host = self.headers.get("Host", "localhost")
        req = bc.awsrequest.AWSRequest(method=method,
                                       url="http://%s%s" % (host, self.path),
                                       data=body)
        req.headers = hdrs
        req.context["timestamp"] = amzdate
        creds = bc.credentials.Credentials(key["id"], key["secret"],
                                           key["session_token"])

        signer = exact_signer(bc.auth.SigV4Auth, creds, scope["service"],
                              scope["region"], signed)
        creq = signer.canonical_request(req)
        sts = signer.string_to_sign(req, creq)
        want = signer.signature(sts, req)
        if self.server.verbose:
            sys.stderr.write("awsemu: canonical request:\n%s\n" % creq)
        return hmac.compare_digest(want, scope["signature"]), creq, sts
