"""One builder per feature family; each maps (tables, queries) -> {name: array}."""

from .certificates import certificate_features
from .checkins import checkin_features
from .history import history_features
from .profile import profile_features
from .signals import signal_features

BUILDERS = (profile_features, history_features, signal_features, checkin_features, certificate_features)

__all__ = ["BUILDERS"]
