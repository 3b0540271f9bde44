"""The kernel's signals (blinker, as Flask itself uses), for features and later jobs that react to any change.

state_changed is sent by the one status writer (platform.lifecycle) after a record's state is written, with its
history and audit line, in the request's transaction (pretalx sends the same from its one writer). Notifications,
the 工作台 and background jobs listen here instead of each feature inventing its own hook. A refused transition
sends nothing.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

state_changed = _signals.signal("state-changed", doc="""A record moved to another state, or was created in its
first one. Sent with the Lifecycle as sender and ``row`` (the record), ``action`` (the step's action, or "create"),
``step`` (the transition taken; None for a creation), ``before`` (the state left; None for a creation), ``after``
(the state entered) and ``user``. Receivers must not commit: the change commits or rolls back with the request.""")

restored = _signals.signal("restored", doc="""A backup was restored (`flask restore`, the command line). Sent with the
app as sender and ``actor`` (the command line). The derived figures (platform/derived.py) are not in a backup: a
feature whose figures a job computes (the hot words) recomputes them here, on the command line, not in a
request.""")
