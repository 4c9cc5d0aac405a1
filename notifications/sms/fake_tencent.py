"""A stand-in for Tencent Cloud's SMS API on loopback, for the tests and bench_notify.

It checks what the SDK sends as Tencent would: a POST with the TC3-HMAC-SHA256 signature
(recomputed here with the secret key), the action and version headers, numbers in +86
form, the application id, sign name, template id and parameters. It answers with the
API's own shapes: a SendStatusSet per number, or an Error with one of its codes.

    with FakeTencentSms(secret_id="id", secret_key="key") as fake:
        fake.fail_number("+8613900000001", "FailedOperation.PhoneNumberInBlacklist")
        fake.fail_next("InternalError.Timeout")          # the whole next request
        ... settings.SMS_TENCENT["ENDPOINT"] = fake.endpoint ...
        fake.messages  # [{"phone", "template_id", "params", "sign", "app_id"}, ...]
"""

import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_AUTH = re.compile(
    r"^TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>\w+)"
    r"/tc3_request, SignedHeaders=(?P<signed>[\w;-]+), Signature=(?P<sig>[0-9a-f]{64})$"
)
_PHONE = re.compile(r"^\+861[3-9]\d{9}$")


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def tc3_signature(*, secret_key, method, path, headers, body: bytes, date, service, timestamp):
    canonical_headers = f"content-type:{headers['content-type']}\nhost:{headers['host']}\n"
    canonical = "\n".join(
        [method, path, "", canonical_headers, "content-type;host", hashlib.sha256(body).hexdigest()]
    )
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(
        ["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode(), date), service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


class FakeTencentSms:
    def __init__(self, *, secret_id="fake-id", secret_key="fake-key", app_id="1400000000"):
        self.secret_id, self.secret_key, self.app_id = secret_id, secret_key, app_id
        self.messages: list[dict] = []
        self.requests: list[dict] = []
        self.problems: list[str] = []  # what the SDK sent wrong; tests assert it stays empty
        self._number_errors: dict[str, str] = {}
        self._request_errors: list[str] = []
        self.hold_seconds = 0.0  # answer this late (a timeout test)
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    # -- control ---------------------------------------------------------------------------
    def fail_number(self, phone: str, code: str) -> None:
        """Every message to this number gets `code` in its SendStatus."""
        self._number_errors[phone if phone.startswith("+") else f"+86{phone}"] = code

    def fail_next(self, *codes: str) -> None:
        """The next requests each fail as a whole with these codes, in order."""
        self._request_errors.extend(codes)

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.requests.clear()
            self.problems.clear()
            self._number_errors.clear()
            self._request_errors.clear()

    # -- server ----------------------------------------------------------------------------
    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    def start(self) -> "FakeTencentSms":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status, answer = fake._answer(self.command, self.path, self.headers, body)
                data = json.dumps(answer, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- the API ---------------------------------------------------------------------------
    def _error(self, code: str, message: str = "") -> dict:
        return {
            "Response": {
                "Error": {"Code": code, "Message": message or code},
                "RequestId": str(uuid.uuid4()),
            }
        }

    def _check(self, method, path, headers, body: bytes) -> str:
        """What Tencent would refuse about this request, or ''."""
        lower = {k.lower(): v for k, v in headers.items()}
        if method != "POST" or lower.get("content-type") != "application/json":
            return "bad method or content type"
        for name in ("x-tc-action", "x-tc-version", "x-tc-timestamp", "authorization", "host"):
            if not lower.get(name):
                return f"missing header {name}"
        if lower["x-tc-action"] != "SendSms" or lower["x-tc-version"] != "2021-01-11":
            return f"unexpected action {lower['x-tc-action']} {lower['x-tc-version']}"
        match = _AUTH.match(lower["authorization"])
        if not match:
            return "malformed Authorization header"
        if match["id"] != self.secret_id or match["service"] != "sms":
            return "wrong credential scope"
        timestamp = int(lower["x-tc-timestamp"])
        if abs(time.time() - timestamp) > 300:
            return "timestamp too far from now"
        expected = tc3_signature(
            secret_key=self.secret_key,
            method=method,
            path=path,
            headers=lower,
            body=body,
            date=match["date"],
            service="sms",
            timestamp=timestamp,
        )
        if not hmac.compare_digest(expected, match["sig"]):
            return "signature does not match"
        return ""

    def _answer(self, method, path, headers, body: bytes) -> tuple[int, dict]:
        problem = self._check(method, path, headers, body)
        if problem:
            with self._lock:
                self.problems.append(problem)
            return 200, self._error("AuthFailure.SignatureFailure", problem)
        params = json.loads(body)
        with self._lock:
            self.requests.append(params)
            if self._request_errors:
                return 200, self._error(self._request_errors.pop(0))
        phones = params.get("PhoneNumberSet") or []
        if not phones:
            return 200, self._error("MissingParameter.EmptyPhoneNumberSet")
        if len(phones) > 200:
            return 200, self._error("LimitExceeded.PhoneNumberCountLimit")
        if str(params.get("SmsSdkAppId")) != self.app_id:
            return 200, self._error("InvalidParameterValue.SdkAppIdNotExist")
        if not params.get("SignName") or not params.get("TemplateId"):
            return 200, self._error("MissingParameter")
        statuses = []
        with self._lock:
            for phone in phones:
                code = self._number_errors.get(phone)
                if code is None and not _PHONE.match(phone):
                    code = "InvalidParameterValue.IncorrectPhoneNumber"
                if code is None:
                    self.messages.append(
                        {
                            "phone": phone,
                            "template_id": params["TemplateId"],
                            "params": params.get("TemplateParamSet") or [],
                            "sign": params["SignName"],
                            "app_id": params["SmsSdkAppId"],
                        }
                    )
                statuses.append(
                    {
                        "SerialNo": str(uuid.uuid4()) if code is None else "",
                        "PhoneNumber": phone,
                        "Fee": 1 if code is None else 0,
                        "SessionContext": params.get("SessionContext", ""),
                        "Code": code or "Ok",
                        "Message": "send success" if code is None else code,
                        "IsoCode": "CN",
                    }
                )
        if self.hold_seconds:  # delivered, but the answer comes late
            time.sleep(self.hold_seconds)
        return 200, {"Response": {"SendStatusSet": statuses, "RequestId": str(uuid.uuid4())}}
