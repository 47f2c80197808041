# wire.py - the one writer of an emulator reply, with a fault's transfer
# damage, shared by every service of awsemu (server.py's JSON/XML APIs and
# s3.py's REST API) so that a reset, truncated or stalled body looks the
# same on the wire whichever service sent it.

import time


def send(h, status, headers, body, head=False, fault=None):
    """Status, headers, body on handler h (no body for HEAD, Content-Length
    still the body's), with the fault's transfer damage: reset (RST, no
    reply), reset_mid (half the body then RST), truncate (half the body
    then close), stall (half the body, a pause, the rest)."""
    kind = fault["kind"] if fault else None
    if kind == "reset":
        h.rst_close()
        return
    h.send_response(status)
    for k, v in headers:
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(body)))
    if kind in ("truncate", "reset_mid") and not head:
        h.send_header("Connection", "close")
    h.end_headers()
    if head or not body:
        h.wfile.flush()
        return
    if kind == "stall":
        h.wfile.write(body[:len(body) // 2])
        h.wfile.flush()
        time.sleep(float(fault.get("seconds", h.st.cfg["faults"].get(
            "slow_seconds", 3.0))))
        h.wfile.write(body[len(body) // 2:])
        return
    if kind in ("truncate", "reset_mid"):
        h.wfile.write(body[:len(body) // 2])
        h.wfile.flush()
        h.close_connection = True
        if kind == "reset_mid":
            h.rst_close()
        return
    h.wfile.write(body)
