"""Background jobs: submit attempts whose time ran out, even if the trainee never returns.

Defined beside the services that queue them (services.attempts), so that services and
tasks do not import each other; named here, where queued tasks' paths point.
"""

from .services.attempts import submit_attempt_if_overdue, submit_overdue_attempts

__all__ = ["submit_attempt_if_overdue", "submit_overdue_attempts"]
