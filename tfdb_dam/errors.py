"""The domain's exceptions: framework-free, each message one sentence a person can act on.

The CLI, the app and the API each have one helper that turns these into exit codes,
``st.error`` and HTTP statuses; nothing else catches them broadly.
"""

from __future__ import annotations


class TfdbError(Exception):
    """Base of every error a user may see. ``str(error)`` is the one-sentence message."""

    exit_code = 1
    http_status = 400


class ConfigError(TfdbError):
    """A setting or the environment is wrong; the program cannot start."""

    exit_code = 2
    http_status = 500


class UsageError(TfdbError):
    """The command or request was malformed."""

    exit_code = 2
    http_status = 400


class DatabaseUnavailable(TfdbError):
    """The database cannot be reached or lacks what TFDB DAM needs."""

    exit_code = 2
    http_status = 503


class NotFound(TfdbError, LookupError):
    """The asset, user or object does not exist or may not be seen by this actor."""

    http_status = 404


class PermissionDenied(TfdbError):
    """The actor's role does not allow this action."""

    http_status = 403


class InvalidTransition(TfdbError):
    """The workflow does not allow this step from the asset's current state."""

    http_status = 409


class ConcurrentEdit(TfdbError):
    """Someone else changed the object since it was read; nothing was written."""

    http_status = 409


class ValidationError(TfdbError, ValueError):
    """A form or metadata value is invalid."""

    http_status = 422


class RejectedFile(TfdbError, ValueError):
    """An incoming file is refused (empty, corrupt, hostile, too large, unsupported)."""

    http_status = 415


class StorageError(TfdbError, OSError):
    """The file store failed to write, read or verify a file."""

    http_status = 500


class AuthenticationFailed(TfdbError):
    """Wrong user name or password, or sign-in is paused after repeated failures."""

    http_status = 401
