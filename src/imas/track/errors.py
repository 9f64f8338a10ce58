"""The one error family that the core raises for input it cannot use.

Every decoder turns whatever goes wrong with outside bytes into a TrackError (or a subclass),
with a message that names the problem in words a person can act on. Anything else escaping
from `imas.track.read` is a bug.
"""


class TrackError(ValueError):
    """A file that cannot be read as an activity; the message says why."""


class UnsupportedFormat(TrackError):
    """The bytes are not FIT, GPX, TCX, gzip or zip."""


class CorruptFile(TrackError):
    """The format was recognised but the content is broken beyond use."""


class LimitExceeded(TrackError):
    """The input is larger, deeper or more compressed than IMAS accepts (bomb protection)."""


class HostileInput(TrackError):
    """The input tries something no activity file needs (DTDs, entities, path tricks)."""


class NoActivity(TrackError):
    """The file is readable but holds no activity (a course, settings, an empty track)."""
