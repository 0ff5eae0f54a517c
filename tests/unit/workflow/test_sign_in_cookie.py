"""Our sign-in cookie and credentials against streamlit-authenticator's own code (no database)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from tfdb_dam.config import load_config
from tfdb_dam.errors import ConfigError
from tfdb_dam.services import auth, setup

logging.getLogger("streamlit").setLevel(logging.ERROR)  # bare mode warns about every session-state use
authenticator_model = pytest.importorskip("streamlit_authenticator.models.authentication_model")
cookie_model = pytest.importorskip("streamlit_authenticator.models.cookie_model")


def _config(tmp_path, hours: str = "12"):  # noqa: ANN001, ANN202
    return load_config(env={"TFDB_HOME": str(tmp_path), "TFDB_SESSION_HOURS": hours},
                       secrets_path=tmp_path / "none.toml")


def _library_reads(token: str, key: str):  # noqa: ANN202
    reader = cookie_model.CookieModel.__new__(cookie_model.CookieModel)  # its __init__ needs a browser
    reader.cookie_key, reader.token = key, token
    return reader._token_decode()


def test_the_cookie_lasts_at_most_a_day_and_is_signed_with_the_data_root_key(tmp_path):
    with pytest.raises(ConfigError, match="run `tfdb init`"):
        auth.cookie_settings(_config(tmp_path))
    setup.ensure_cookie_key(tmp_path)
    settings = auth.cookie_settings(_config(tmp_path))
    assert settings.expiry_days == 0.5 and auth.cookie_settings(_config(tmp_path, "24")).expiry_days == 1.0
    assert settings.key == (tmp_path / "auth.key").read_text().strip() and len(settings.key) > 40
    now = dt.datetime.now(dt.timezone.utc)
    claims = _library_reads(auth.issue_token(settings, "lan", now=now), settings.key)
    assert claims["username"] == "lan"
    assert claims["exp_date"] == pytest.approx((now + dt.timedelta(hours=12)).timestamp())

    setup.rotate_cookie_key(tmp_path)
    assert _library_reads(auth.issue_token(settings, "lan"), auth.cookie_settings(_config(tmp_path)).key) is False


def test_the_widgets_own_login_can_never_succeed_so_authenticate_stays_the_gate():
    credentials = {"usernames": {"lan": {"name": "Lan", "email": "", "password": auth._unguessable_hash(),
                                         "roles": ["approver"]}}}
    model = authenticator_model.AuthenticationModel(credentials=credentials, auto_hash=True)
    assert model.credentials["usernames"]["lan"]["password"] == auth._unguessable_hash()  # not re-hashed
    assert model.check_credentials("lan", "") is False and model.check_credentials("lan", "password") is False
