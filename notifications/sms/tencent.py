"""Tencent Cloud SMS (短信 SendSms, API 2021-01-11) through the official Python SDK.

settings.SMS_TENCENT: SECRET_ID, SECRET_KEY, SDK_APP_ID, SIGN_NAME, REGION (ap-guangzhou),
and for tests ENDPOINT ("127.0.0.1:PORT"), PROTOCOL ("http") and TIMEOUT (seconds).

Messages with the same template and parameters go out together, up to 200 numbers a
request, as the API allows; each number gets its own status back. Every error code the
API documents for SendSms is sorted below into a final failure or a later retry.
"""

import datetime
import logging

import requests
from django.conf import settings
from django.utils import timezone

from . import BaseSmsBackend, SmsMessage, SmsResult, sent

logger = logging.getLogger(__name__)

BATCH = 200  # numbers per SendSms request (the API's limit)

# Temporary: try again later. The value is how long to wait (None: the usual backoff).
_RETRY_EXACT = {
    "RequestLimitExceeded": datetime.timedelta(minutes=1),
    "LimitExceeded.PhoneNumberThirtySecondLimit": datetime.timedelta(minutes=1),
    "LimitExceeded.PhoneNumberOneHourLimit": datetime.timedelta(hours=1),
    "LimitExceeded.DeliveryFrequencyLimit": datetime.timedelta(hours=1),
    "LimitExceeded.GlobalSmsSendingRateLimit": datetime.timedelta(minutes=1),
    # The account ran out of credit or is in arrears: the operator tops it up.
    "FailedOperation.InsufficientBalanceInSmsPackage": datetime.timedelta(hours=1),
    "UnauthorizedOperation.ServiceSuspendDueToArrears": datetime.timedelta(hours=1),
    "ResourceUnavailable": None,
    "ServerNetworkError": None,
    "ClientNetworkError": None,
}
# Daily quotas (per number, per content, per application): tomorrow morning.
_DAILY = "DailyLimit"
_RETRY_PREFIXES = ("InternalError", "LimitExceeded.", "AuthFailure", "RequestLimitExceeded")
# Final: the number, the template or the content is wrong; sending again cannot help.
_FINAL_PREFIXES = (
    "FailedOperation.",
    "InvalidParameter",
    "MissingParameter",
    "UnsupportedOperation",
    "UnauthorizedOperation.",
)


def _until_tomorrow_morning(hour: int = 8) -> datetime.timedelta:
    now = timezone.localtime()
    tomorrow = (now + datetime.timedelta(days=1)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )
    return tomorrow - now


def classify(code: str, message: str = "") -> SmsResult:
    """The result for an error code of the API (or of the SDK's own network errors)."""
    detail = f"{code}: {message}"[:300] if message else code
    if code in _RETRY_EXACT:
        wait = _RETRY_EXACT[code]
        return SmsResult(ok=False, code=code, detail=detail, retry=True, retry_after=wait)
    if code.startswith("LimitExceeded.") and _DAILY in code:
        return SmsResult(
            ok=False, code=code, detail=detail, retry=True, retry_after=_until_tomorrow_morning()
        )
    if code.startswith(_RETRY_PREFIXES):
        return SmsResult(ok=False, code=code, detail=detail, retry=True)
    if code.startswith(_FINAL_PREFIXES):
        return SmsResult(ok=False, code=code, detail=detail, retry=False)
    # An undocumented code: retried until the message expires rather than dropped.
    return SmsResult(ok=False, code=code, detail=detail, retry=True)


def _network_failure(exc) -> SmsResult:
    """The request may or may not have reached Tencent. A connection that never opened is
    safe to retry; a request sent whose answer never came may have been delivered, and a
    second SMS is worse than none, so it is not retried."""
    cause = exc.__context__ or exc.__cause__
    if isinstance(cause, requests.exceptions.ReadTimeout):
        return SmsResult(ok=False, code="outcome_unknown", detail=str(exc)[:300], retry=False)
    return SmsResult(ok=False, code="network", detail=str(exc)[:300], retry=True)


class SmsBackend(BaseSmsBackend):
    def __init__(self, config: dict | None = None):
        self.config = {**getattr(settings, "SMS_TENCENT", {}), **(config or {})}
        self._client = None

    def client(self):
        if self._client is None:
            # Imported here: the Tencent Cloud SDK: loaded only when SMS goes out through it.
            from tencentcloud.common import credential
            from tencentcloud.common.profile.client_profile import ClientProfile
            from tencentcloud.common.profile.http_profile import HttpProfile
            from tencentcloud.sms.v20210111 import sms_client

            c = self.config
            http = HttpProfile(
                endpoint=c.get("ENDPOINT") or "sms.tencentcloudapi.com",
                protocol=c.get("PROTOCOL") or "https",
                reqTimeout=int(c.get("TIMEOUT") or 10),
            )
            self._client = sms_client.SmsClient(
                credential.Credential(c["SECRET_ID"], c["SECRET_KEY"]),
                c.get("REGION") or "ap-guangzhou",
                ClientProfile(httpProfile=http),
            )
        return self._client

    def send_messages(self, messages: list[SmsMessage]) -> list[SmsResult]:
        results: list[SmsResult | None] = [None] * len(messages)
        groups: dict[tuple, list[int]] = {}
        for i, m in enumerate(messages):
            groups.setdefault((m.template_id, m.params), []).append(i)
        for (template_id, params), indexes in groups.items():
            for start in range(0, len(indexes), BATCH):
                chunk = indexes[start : start + BATCH]
                answers = self._send(template_id, params, [messages[i].phone for i in chunk])
                for i in chunk:
                    results[i] = answers.get(messages[i].phone) or SmsResult(
                        ok=False, code="no_status", detail="no status for this number", retry=False
                    )
        return results

    def _send(self, template_id: str, params: tuple, phones: list[str]) -> dict[str, SmsResult]:
        # Imported here: the Tencent Cloud SDK: loaded only when SMS goes out through it.
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        request.PhoneNumberSet = [f"+86{p}" for p in phones]
        request.SmsSdkAppId = str(self.config["SDK_APP_ID"])
        request.SignName = self.config["SIGN_NAME"]
        request.TemplateId = str(template_id)
        request.TemplateParamSet = list(params)
        try:
            response = self.client().SendSms(request)
        except TencentCloudSDKException as exc:
            code = exc.get_code() or "ClientError"
            if code == "ClientNetworkError":
                result = _network_failure(exc)
            else:
                result = classify(code, exc.get_message())
            logger.warning("Tencent SMS request failed: %s", result.detail)
            return dict.fromkeys(phones, result)
        answers = {}
        for status in response.SendStatusSet or []:
            phone = (status.PhoneNumber or "").removeprefix("+86")
            if status.Code == "Ok":
                answers[phone] = sent(status.SerialNo or "")
            else:
                answers[phone] = classify(status.Code, status.Message)
        return answers
