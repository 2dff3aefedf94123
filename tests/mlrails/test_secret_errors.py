"""Error messages about stack configuration never show a secret value.

Under the Pulumi CLI the program receives secret config values decrypted, so a message that
quotes a value would print the plaintext into a CI log. These run `components.config` with the
configuration the language host would hand over: plain values, and the list of secret keys.
"""

from __future__ import annotations

import contextvars

import pytest
from pulumi.runtime import config as runtime_config

from mlrails_components.config import ConfigModel, StackConfigError, load_stack_config

PLAINTEXT = "hunter2-Plaintext-Value"


class Settings(ConfigModel):
    db_password: str
    replicas: int = 1


def _error(config: dict[str, str], secret_keys: list[str]) -> str:
    def load() -> str:
        runtime_config.set_all_config(config, secret_keys)
        with pytest.raises(StackConfigError) as raised:
            load_stack_config(Settings, "app")
        return str(raised.value)

    return contextvars.copy_context().run(load)


@pytest.mark.parametrize(
    ("config", "secret_keys", "names"),
    [
        pytest.param(
            {"app:dbPasword": PLAINTEXT},
            ["app:dbPasword"],
            "app:dbPasword is not a setting",
            id="misspelled-secret-key",
        ),
        pytest.param(
            {"app:dbPassword": "x", "app:apiTokn": PLAINTEXT},
            [],
            "app:apiTokn is not a setting",
            id="unmarked-key-that-looks-secret",
        ),
        pytest.param(
            {"app:dbPassword": {"nested": PLAINTEXT}},
            ["app:dbPassword"],
            "app:dbPassword is '[secret]'",
            id="secret-key-of-the-wrong-type",
        ),
    ],
)
def test_a_config_error_names_the_key_but_never_shows_a_secret_value(config, secret_keys, names):
    message = _error(config, secret_keys)
    assert names in message
    assert PLAINTEXT not in message and "[secret]" in message


def test_a_plain_value_is_still_shown_to_help_the_fix():
    message = _error({"app:dbPassword": "x", "app:replicas": "two"}, [])
    assert "app:replicas is 'two'" in message
