"""What other apps may react to. Sent after the transaction that changed the result commits."""

from django.dispatch import Signal

# Sent with `attempt` whenever an attempt's result may have changed (submitted, or an essay
# in it marked). Courses listens to complete a lesson whose quiz is now passed.
attempt_result_changed = Signal()
