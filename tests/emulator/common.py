# common.py - what every service module of awsemu shares: the XML
# namespaces, AWS's own error messages, the AWS error answer (Abort) and the
# time and XML helpers, so that the server (server.py), the state
# (state.py), the event store (events.py), the generator (gen.py) and the
# services (sts.py, ec2.py, cloudtrail.py, creds.py) each hold one concept
# and none imports another.

import datetime


STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"


MSG_BAD_TOKEN = "The security token included in the request is invalid."
MSG_EXPIRED = "The security token included in the request is expired"
MSG_SIG = ("The request signature we calculated does not match the "
           "signature you provided. Check your AWS Secret Access Key and "
           "signing method. Consult the service documentation for details.")
MSG_EC2_AUTH = "AWS was not able to validate the provided access credentials"


ATTR_KEYS = ("EventId", "EventName", "ReadOnly", "Username", "ResourceType",
             "ResourceName", "EventSource", "AccessKeyId")


# LookupEvents answers that are well-formed but never let a walk end: the
# page (empty, or the one asked for) with a NextToken for the position
# asked, so the next request asks the same again.  A fresh token each time
# (a nonce), or for endless_loop the very token of the request.
ENDLESS_KINDS = ("endless_empty", "endless_repeat", "endless_loop")


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc)


def iso8601(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc) \
        .strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(s):
    """ISO 8601 or epoch seconds -> epoch seconds (float)."""
    if isinstance(s, (int, float)):
        return float(s)
    s = str(s).strip()
    try:
        return float(s)
    except ValueError:
        pass
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    d = datetime.datetime.fromisoformat(s)
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    return d.timestamp()


def xml_escape(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


class Abort(Exception):
    """An AWS error answer: raised anywhere, written by the handler."""

    def __init__(self, status, code, message, sender=True):
        Exception.__init__(self, code)
        self.status = status
        self.code = code
        self.message = message
        self.sender = sender
