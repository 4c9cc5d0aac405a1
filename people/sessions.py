"""Django's database sessions, with the read that every signed-in request makes compiled
once (lms.prepared): `SESSION_ENGINE = "people.sessions"`.

The same table, rows and cookie as `django.contrib.sessions.backends.db`; only the read is
different. It asks for the row by its key and checks the expiry on the row, which is
what Django's `get(session_key=…, expire_date__gt=now)` decides in SQL.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from lms.prepared import Prepared, instance_from_row

_read = Prepared(
    lambda key: Session.objects.filter(session_key=key).values_list(
        "session_key", "session_data", "expire_date"
    ),
    key=str,
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        rows = _read.rows(key=self.session_key) if self.session_key else []
        if rows and rows[0][2] > timezone.now():
            key, data, expires = rows[0]
            return instance_from_row(
                Session, {"session_key": key, "session_data": data, "expire_date": expires}
            )
        self._session_key = None
        return None
