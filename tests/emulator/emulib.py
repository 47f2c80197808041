# emulib.py - the local AWS emulator for Python tests.
#
#	sys.path.insert(0, os.path.join(CT_TOP, "tests", "emulator"))
#	import emulib
#	with emulib.Emulator(config={...}, args=["--rate", "2"]) as emu:
#	    subprocess.run([...], env=emu.env())
#	    emu.stats("eu-west-1")["accepted"]
#	    emu.client("cloudtrail", "eu-west-1").lookup_events(...)
#
# Emulator() starts tests/emulator/awsemu.py on a free loopback port (it
# exits by itself if this process dies), env() gives the environment a tool
# should run with (same variables as emu.sh's emu_start), stats()/log()/
# configure()/reset() talk to the control endpoint, client() makes a
# botocore client pointed at it (needs Debian's python3-botocore).

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "awsemu.py")
PY = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) \
    else sys.executable

CLEAR = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN",
         "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_EC2",
         "AWS_ENDPOINT_URL_CLOUDTRAIL", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
         "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
         "AWS_CONTAINER_CREDENTIALS_FULL_URI",
         "AWS_CONTAINER_AUTHORIZATION_TOKEN",
         "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
         "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
         "AWS_ROLE_SESSION_NAME", "AWS_CA_BUNDLE", "AWS_MAX_ATTEMPTS",
         "AWS_RETRY_MODE", "AWS_USE_FIPS_ENDPOINT",
         "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http_proxy", "https_proxy",
         "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


class Emulator:
    def __init__(self, config=None, args=(), workdir=None, cafile=None):
        self.config = config
        self.args = list(args)
        self.own_dir = workdir is None
        self.dir = workdir or tempfile.mkdtemp(prefix="awsemu.")
        self.cafile = cafile
        self.proc = None

    def start(self, timeout=10.0):
        os.makedirs(self.dir, exist_ok=True)
        envf = os.path.join(self.dir, "emu.env")
        if os.path.exists(envf):
            os.unlink(envf)
        argv = [PY, SERVER, "--parent", str(os.getpid()), "--env-file", envf]
        if self.config is not None:
            cf = os.path.join(self.dir, "emu-config.json")
            with open(cf, "w") as f:
                json.dump(self.config, f)
            argv += ["--config", cf]
        argv += self.args
        self.logf = open(os.path.join(self.dir, "emu.log"), "wb")
        self.proc = subprocess.Popen(argv, stdout=self.logf,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while not os.path.exists(envf):
            if self.proc.poll() is not None:
                raise RuntimeError("awsemu exited: " + self.log_text())
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("awsemu did not start in %gs" % timeout)
            time.sleep(0.02)
        self.vars = {}
        with open(envf) as f:
            for line in f:
                k, _, v = line.rstrip("\n").partition("=")
                if v.startswith("'") and v.endswith("'"):
                    v = v[1:-1].replace("'\\''", "'")
                self.vars[k] = v
        self.url = self.vars["EMU_URL"]
        self.port = int(self.vars["EMU_PORT"])
        for name in ("aws_config", "aws_credentials"):
            open(os.path.join(self.dir, name), "w").close()
        return self

    def log_text(self):
        try:
            with open(os.path.join(self.dir, "emu.log"), "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if getattr(self, "logf", None):
            self.logf.close()
            self.logf = None

    def close(self):
        self.stop()
        if self.own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    # -- environment for tools under test
    def env(self, base=None, **extra):
        e = dict(os.environ if base is None else base)
        for k in CLEAR:
            e.pop(k, None)
        e.update({
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": self.vars["EMU_KEY_ID"],
            "AWS_SECRET_ACCESS_KEY": self.vars["EMU_SECRET"],
            "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": os.path.join(self.dir, "aws_config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.dir,
                                                        "aws_credentials"),
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            "EMU_URL": self.url})
        if self.vars.get("EMU_TOKEN"):
            e["AWS_SESSION_TOKEN"] = self.vars["EMU_TOKEN"]
        for k, v in extra.items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
        return e

    # -- control endpoint
    def request(self, method, path, body=None):
        data = None
        if body is not None:
            data = json.dumps(body).encode()
        elif method == "POST":
            data = b"{}"
        ctx = None
        if self.url.startswith("https"):
            import ssl
            ctx = ssl._create_unverified_context()
        r = urllib.request.urlopen(urllib.request.Request(
            self.url + path, data=data, method=method), timeout=10,
            context=ctx)
        return json.loads(r.read())

    def stats(self, region=None):
        if region is None:
            return self.request("GET", "/_emu/stats")
        return self.request("GET", "/_emu/stats?region=" + region)

    def s3(self, bucket=None):
        """S3's ground truth (GET /_emu/s3), of one bucket or all."""
        return self.request("GET", "/_emu/s3" + (
            "?bucket=" + bucket if bucket else ""))

    def log(self):
        return self.request("GET", "/_emu/log")

    def keys(self):
        return self.request("GET", "/_emu/keys")

    def configure(self, patch):
        return self.request("POST", "/_emu/config", patch)

    def reset(self):
        return self.request("POST", "/_emu/reset")

    # -- a botocore client pointed at the emulator
    def client(self, service, region="us-east-1", key=None, secret=None,
               token=None, retries=None, **cfg):
        import botocore.config
        import botocore.session
        s = getattr(self, "_session", None)
        if s is None:
            s = botocore.session.Session()
            s.set_config_variable("config_file", os.devnull)
            s.set_config_variable("credentials_file", os.devnull)
            self._session = s
        conf = botocore.config.Config(
            retries=retries or {"total_max_attempts": 1, "mode": "standard"},
            **cfg)
        if key is None:
            key = self.vars["EMU_KEY_ID"]
            secret = self.vars["EMU_SECRET"]
            token = self.vars.get("EMU_TOKEN") or None
        return s.create_client(service, region_name=region,
                               endpoint_url=self.url, aws_access_key_id=key,
                               aws_secret_access_key=secret,
                               aws_session_token=token, config=conf,
                               verify=self.cafile if self.cafile else None)


def gen_events(region, count, start, end, seed=1, account="123456789012"):
    """Synthetic CloudTrail records (list of JSON lines), see gen.py."""
    sys.path.insert(0, HERE)
    import gen
    return gen.gen_events(region, count, start, end, seed, account)


def raw_request(url, service, region, key, secret, token=None, target=None,
                body=b"", form=None, amz_date=None, timeout=10,
                headers=None, conn=None, raw_bytes=False):
    """Sign one request with botocore (optionally at a fixed X-Amz-Date,
    e.g. to test clock skew) and send it with http.client.  Returns
    (status, headers dict, body bytes); connection errors propagate.
    conn: an http.client connection to reuse (keep-alive), left open.
    raw_bytes: return the signed request as bytes instead of sending it."""
    import http.client
    import urllib.parse
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    if form is not None:
        body = urllib.parse.urlencode(form).encode()
        hdrs = {"Content-Type": "application/x-www-form-urlencoded; "
                "charset=utf-8"}
    else:
        hdrs = {"Content-Type": "application/x-amz-json-1.1"}
        if target:
            hdrs["X-Amz-Target"] = target
    hdrs.update(headers or {})
    u = urllib.parse.urlsplit(url)
    path = u.path or "/"
    req = botocore.awsrequest.AWSRequest(method="POST",
                                         url="%s://%s%s" % (u.scheme,
                                                            u.netloc, path),
                                         data=body, headers=hdrs)
    creds = botocore.credentials.Credentials(key, secret, token)

    class At(botocore.auth.SigV4Auth):
        def add_auth(self, request):
            if amz_date is None:
                return botocore.auth.SigV4Auth.add_auth(self, request)
            request.context["timestamp"] = amz_date
            self._modify_request_before_signing(request)
            if "X-Amz-Date" in request.headers:
                del request.headers["X-Amz-Date"]
            request.headers["X-Amz-Date"] = amz_date
            cr = self.canonical_request(request)
            sts = self.string_to_sign(request, cr)
            self._inject_signature_to_request(request,
                                              self.signature(sts, request))

    if key is not None:
        At(creds, service, region).add_auth(req)
    if raw_bytes:
        head = "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n" % (
            path, u.netloc, len(body))
        head += "".join("%s: %s\r\n" % kv for kv in req.headers.items())
        return head.encode() + b"\r\n" + body
    keep = conn is not None
    if keep:
        pass
    elif u.scheme == "https":
        import ssl
        conn = http.client.HTTPSConnection(
            u.hostname, u.port, timeout=timeout,
            context=ssl._create_unverified_context())
    else:
        conn = http.client.HTTPConnection(u.hostname, u.port,
                                          timeout=timeout)
    try:
        conn.request("POST", path, body=body, headers=dict(req.headers))
        r = conn.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data
    finally:
        if not keep:
            conn.close()
