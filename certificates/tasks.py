"""Background jobs (Django's tasks API; `manage.py db_worker` runs them in production).

Each task is defined beside the services that queue it, so that services and tasks do not
import each other; this module names them all (and keeps the paths of queued tasks).
"""

from .services.issue import issue_certificates

__all__ = ["issue_certificates"]
