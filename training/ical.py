"""iCalendar (RFC 5545) for timetables: written by hand, the format is small and stable."""

import datetime

from django.utils import timezone

from .models import ClassSession


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines over 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > 73:
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(*, name: str, sessions, host: str) -> str:
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//cadre-lms//training//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
    ]
    for s in sessions:
        s: ClassSession
        teacher = s.instructor.full_name if s.instructor_id and s.instructor else s.instructor_name
        description = "\n".join(
            part
            for part in (
                s.training_class.name,
                f"{s.get_method_display()} · {s.credit_hours} 学时",
                f"授课：{teacher}" if teacher else "",
            )
            if part
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:session-{s.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(s.starts_at)}",
            f"DTEND:{_utc(s.ends_at)}",
            f"SUMMARY:{_escape(s.title)}",
            f"DESCRIPTION:{_escape(description)}",
        ]
        if s.venue:
            lines.append(f"LOCATION:{_escape(s.venue)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
