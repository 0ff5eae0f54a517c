"""The domain's exceptions: framework-free, each message one sentence a person can act on.

The CLI, the app and the API each have one helper that turns these into exit codes,
``st.error`` and HTTP statuses; nothing else catches them broadly. Each error names a key of the
bilingual catalogue (tfdb_dam/messages) and its parameters, so it can be read in English or
Vietnamese.
"""

from __future__ import annotations

from typing import Any

from tfdb_dam.messages import Message


class TfdbError(Exception):
    """Base of every error a user may see. ``str(error)`` is the English one-sentence message;
    ``error.localized("vi")`` is the same sentence in Vietnamese."""

    exit_code = 1
    http_status = 400

    def __init__(self, key: str | Message, /, **params: Any) -> None:
        self.message = key if isinstance(key, Message) else Message(key, params)
        super().__init__(self.message.text("en"))

    def localized(self, lang: str) -> str:
        return self.message.text(lang)

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process boundaries (import workers); rebuild them from key and parameters.
        return (_rebuild, (type(self), self.message), self.__dict__)


def _rebuild(cls: type[TfdbError], message: Message) -> TfdbError:
    error = cls.__new__(cls)
    TfdbError.__init__(error, message)
    return error


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
