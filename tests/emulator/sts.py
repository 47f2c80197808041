# sts.py - STS: GetCallerIdentity, AssumeRole and the other STS calls the
# tools make (query protocol, XML answers).
#
# A mixin of server.py's request Handler: its methods run on the handler
# (self.st the emulator state, self.send the reply writer).

import hashlib
from common import STS_NS, iso8601, xml_escape, Abort


class Sts:
    def sts(self, op, form, key, rid):
        st = self.st
        meta = ("  <ResponseMetadata>\n    <RequestId>%s</RequestId>\n"
                "  </ResponseMetadata>\n" % rid)
        if op == "GetCallerIdentity":
            return 200, (
                '<GetCallerIdentityResponse xmlns="%s">\n'
                '  <GetCallerIdentityResult>\n'
                '    <Arn>%s</Arn>\n    <UserId>%s</UserId>\n'
                '    <Account>%s</Account>\n  </GetCallerIdentityResult>\n%s'
                '</GetCallerIdentityResponse>\n' % (
                    STS_NS, xml_escape(key["arn"]),
                    xml_escape(key["user_id"]), key["account"], meta))
        if op in ("AssumeRole", "AssumeRoleWithWebIdentity"):
            arn = form.get("RoleArn", "")
            sess = form.get("RoleSessionName", "")
            if not arn.startswith("arn:aws") or ":role/" not in arn:
                raise Abort(400, "ValidationError",
                            "%s is invalid" % (arn or "RoleArn"))
            if not sess or len(sess) < 2 or len(sess) > 64:
                raise Abort(400, "ValidationError",
                            "1 validation error detected: Value '%s' at "
                            "'roleSessionName' failed to satisfy constraint: "
                            "Member must have length greater than or equal "
                            "to 2" % sess)
            dur = form.get("DurationSeconds")
            if dur is not None:
                try:
                    d = int(dur)
                except ValueError:
                    d = -1
                if d < 900 or d > 43200:
                    raise Abort(400, "ValidationError",
                                "1 validation error detected: Value '%s' at "
                                "'durationSeconds' failed to satisfy "
                                "constraint: Member must have value greater "
                                "than or equal to 900" % dur)
            role = None
            roles = st.cfg.get("roles")
            if roles is not None:
                role = next((r for r in roles if r.get("arn") == arn), None)
                if role is None:
                    who = key["arn"] if key else "web identity"
                    raise Abort(403, "AccessDenied",
                                "User: %s is not authorized to perform: "
                                "sts:%s on resource: %s" % (who, op, arn))
            role = role or {}
            if op == "AssumeRole":
                if role.get("external_id") is not None and \
                        form.get("ExternalId") != role["external_id"]:
                    raise Abort(403, "AccessDenied",
                                "User: %s is not authorized to perform: "
                                "sts:AssumeRole on resource: %s" % (
                                    key["arn"], arn))
                if role.get("mfa_serial") is not None:
                    if form.get("SerialNumber") != role["mfa_serial"] or \
                            form.get("TokenCode") != role.get("mfa_code"):
                        raise Abort(403, "AccessDenied",
                                    "MultiFactorAuthentication failed with "
                                    "invalid MFA one time pass code. ")
                if role.get("trust") and key["arn"] not in role["trust"]:
                    raise Abort(403, "AccessDenied",
                                "User: %s is not authorized to perform: "
                                "sts:AssumeRole on resource: %s" % (
                                    key["arn"], arn))
            else:
                want = (st.cfg.get("web_identity") or {}).get("token")
                got = form.get("WebIdentityToken", "")
                if not got or (want is not None and got != want):
                    raise Abort(400, "InvalidIdentityToken",
                                "Couldn't retrieve verification key from "
                                "your identity provider,  please reference "
                                "AssumeRoleWithWebIdentity documentation for "
                                "requirements")
            account = arn.split(":")[4]
            rname = arn.split(":role/", 1)[1].rsplit("/", 1)[-1]
            role_id = "AROA" + hashlib.sha1(arn.encode()).hexdigest()[
                :17].upper()
            sarn = "arn:aws:sts::%s:assumed-role/%s/%s" % (account, rname,
                                                            sess)
            life = role.get("lifetime")
            if life is None and st.cfg.get("temp_lifetime") is None:
                life = int(dur) if dur is not None else 3600
            nk = st.issue_key(account, sarn, role_id + ":" + sess,
                              "assume_role" if op == "AssumeRole"
                              else "web_identity", life)
            creds = ('    <Credentials>\n'
                     '      <AccessKeyId>%s</AccessKeyId>\n'
                     '      <SecretAccessKey>%s</SecretAccessKey>\n'
                     '      <SessionToken>%s</SessionToken>\n'
                     '      <Expiration>%s</Expiration>\n'
                     '    </Credentials>\n' % (
                         nk["id"], xml_escape(nk["secret"]),
                         xml_escape(nk["session_token"]),
                         iso8601(nk["expires_at"])))
            user = ('    <AssumedRoleUser>\n      <Arn>%s</Arn>\n'
                    '      <AssumedRoleId>%s:%s</AssumedRoleId>\n'
                    '    </AssumedRoleUser>\n' % (
                        xml_escape(sarn), role_id, xml_escape(sess)))
            extra = ""
            if op == "AssumeRoleWithWebIdentity":
                extra = ('    <SubjectFromWebIdentityToken>system:'
                         'serviceaccount:default:emu'
                         '</SubjectFromWebIdentityToken>\n'
                         '    <Audience>sts.amazonaws.com</Audience>\n'
                         '    <Provider>emulator-oidc</Provider>\n')
            return 200, ('<%sResponse xmlns="%s">\n  <%sResult>\n%s%s%s'
                         '    <PackedPolicySize>6</PackedPolicySize>\n'
                         '  </%sResult>\n%s</%sResponse>\n' % (
                             op, STS_NS, op, extra, user, creds, op, meta,
                             op))
        raise Abort(400, "InvalidAction",
                    "Could not find operation %s for version 2011-06-15"
                    % op)
