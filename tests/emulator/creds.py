# creds.py - the credential endpoints: IMDSv2, container credentials, the
# IAM Identity Center portal.
#
# A mixin of server.py's request Handler: its methods run on the handler
# (self.st the emulator state, self.send the reply writer).

import json
import secrets
import time
import urllib.parse
from common import iso8601


class Creds:
    def json_reply(self, status, obj, ctype="application/json", extra=None):
        self.send(status, json.dumps(obj, indent=2), ctype, extra)

    def imds(self, method, path):
        st = self.st
        cfg = st.cfg["imds"]
        with st.lock:
            st.ops["imds:%s %s" % (method, path)] += 1
        if path == "/latest/api/token":
            if method != "PUT":
                return self.send(405, "", "text/plain")
            ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
            try:
                ttl = int(ttl)
            except (TypeError, ValueError):
                return self.send(400, "", "text/plain")
            if ttl < 1 or ttl > 21600:
                return self.send(400, "", "text/plain")
            tok = "EmuImds" + secrets.token_urlsafe(32)
            with st.lock:
                st.imds_tokens[tok] = time.time() + ttl
            return self.send(200, tok, "text/plain",
                             {"X-aws-ec2-metadata-token-ttl-seconds":
                              str(ttl)})
        if method != "GET":
            return self.send(405, "", "text/plain")
        tok = self.headers.get("X-aws-ec2-metadata-token")
        with st.lock:
            exp = st.imds_tokens.get(tok) if tok else None
        if tok is not None and (exp is None or exp < time.time()):
            return self.send(401, "", "text/plain")
        if tok is None and not cfg.get("v1"):
            return self.send(401, "", "text/plain")
        base = "/latest/meta-data/iam/security-credentials/"
        role = cfg.get("role")
        if path == base:
            if not role:
                return self.send(404, "", "text/plain")
            return self.send(200, role, "text/plain")
        if path == base + (role or "\0"):
            nk = st.issue_key(cfg.get("account", "123456789012"),
                              "arn:aws:sts::%s:assumed-role/%s/"
                              "i-0123456789abcdef0" % (
                                  cfg.get("account", "123456789012"), role),
                              "AROAEMUINSTANCE:i-0123456789abcdef0", "imds",
                              cfg.get("lifetime"))
            return self.json_reply(200, {
                "Code": "Success", "LastUpdated": iso8601(time.time()),
                "Type": "AWS-HMAC", "AccessKeyId": nk["id"],
                "SecretAccessKey": nk["secret"],
                "Token": nk["session_token"],
                "Expiration": iso8601(nk["expires_at"])}, "text/plain")
        if path == "/latest/meta-data/placement/region":
            return self.send(200, cfg.get("region", "us-east-1"),
                             "text/plain")
        if path == "/latest/dynamic/instance-identity/document":
            return self.json_reply(200, {
                "region": cfg.get("region", "us-east-1"),
                "accountId": cfg.get("account", "123456789012"),
                "instanceId": "i-0123456789abcdef0"}, "text/plain")
        return self.send(404, "", "text/plain")

    def container(self):
        st = self.st
        cfg = st.cfg["container"]
        with st.lock:
            st.ops["container:GET"] += 1
        want = cfg.get("token")
        if want is not None and self.headers.get("Authorization") != want:
            return self.json_reply(401, {
                "code": "AccessDeniedException",
                "message": "Unable to authenticate the request"})
        acc = cfg.get("account", "123456789012")
        role = cfg.get("role", "emu-task-role")
        nk = st.issue_key(acc, "arn:aws:sts::%s:assumed-role/%s/emu-task"
                          % (acc, role), "AROAEMUTASK:emu-task", "container",
                          cfg.get("lifetime"))
        return self.json_reply(200, {
            "RoleArn": "arn:aws:iam::%s:role/%s" % (acc, role),
            "AccessKeyId": nk["id"], "SecretAccessKey": nk["secret"],
            "Token": nk["session_token"],
            "Expiration": iso8601(nk["expires_at"])})

    def sso(self):
        st = self.st
        cfg = st.cfg["sso"]
        with st.lock:
            st.ops["sso:GetRoleCredentials"] += 1
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        acc = (q.get("account_id") or [""])[0]
        role = (q.get("role_name") or [""])[0]
        tok = self.headers.get("x-amz-sso_bearer_token")
        want = cfg.get("token")
        if not tok or (want is not None and tok != want):
            return self.json_reply(401, {
                "message": "Session token not found or invalid",
                "__type": "com.amazonaws.switchboard.portal#"
                          "UnauthorizedException"})
        if not acc or not role:
            return self.json_reply(400, {
                "message": "Missing required parameter",
                "__type": "com.amazonaws.switchboard.portal#"
                          "InvalidRequestException"})
        roles = cfg.get("roles")
        if roles is not None and not any(
                r.get("account_id") == acc and r.get("role_name") == role
                for r in roles):
            return self.json_reply(403, {
                "message": "No access",
                "__type": "com.amazonaws.switchboard.portal#"
                          "ForbiddenException"})
        nk = st.issue_key(acc, "arn:aws:sts::%s:assumed-role/"
                          "AWSReservedSSO_%s_0123456789abcdef/emu-user"
                          % (acc, role), "AROAEMUSSO:emu-user", "sso",
                          cfg.get("lifetime"))
        return self.json_reply(200, {"roleCredentials": {
            "accessKeyId": nk["id"], "secretAccessKey": nk["secret"],
            "sessionToken": nk["session_token"],
            "expiration": int(nk["expires_at"] * 1000)}})
